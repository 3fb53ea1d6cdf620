package engine

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/sqlerr"
)

// TestEndTransaction: COMMIT and ROLLBACK succeed with PostgreSQL's
// warning (25P01) that no transaction is in progress, on the notice
// channel; BEGIN is refused with 0A000 and a hint.
func TestEndTransaction(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Config{CatalogPath: filepath.Join(t.TempDir(), "catalog.db"), User: "medley",
		SecretKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sess, err := db.Session(ctx, "medley")
	if err != nil {
		t.Fatal(err)
	}
	var notices []catalog.Notice
	nctx := catalog.WithNoticeHandler(ctx, func(n catalog.Notice) { notices = append(notices, n) })
	for text, tag := range map[string]string{"COMMIT": "COMMIT", "end work": "COMMIT", "ROLLBACK": "ROLLBACK", "abort": "ROLLBACK"} {
		notices = nil
		res, err := sess.Run(nctx, text)
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		if res.Tag != tag || res.Reader != nil {
			t.Errorf("%s: tag %q, reader %v; want %q and no rows", text, res.Tag, res.Reader, tag)
		}
		if len(notices) != 1 || notices[0].Code != "25P01" || notices[0].Message != "there is no transaction in progress" {
			t.Errorf("%s: notices %+v", text, notices)
		}
	}
	if _, err := sess.Run(ctx, "COMMIT"); err != nil { // no handler: nothing to warn
		t.Errorf("COMMIT without a notice handler: %v", err)
	}
	if _, err := sess.Run(ctx, "COMMIT", 1); !sqlerr.Is(err, sqlerr.FeatureNotSupported) {
		t.Errorf("COMMIT with a parameter: %v, want 0A000", err)
	}
	_, err = sess.Run(ctx, "BEGIN")
	var e *sqlerr.Error
	if !sqlerr.Is(err, sqlerr.FeatureNotSupported) || !errors.As(err, &e) || e.Hint == "" {
		t.Errorf("BEGIN: %v, want 0A000 with a hint", err)
	}
}
