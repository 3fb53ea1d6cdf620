package bind_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/sqlerr"
)

// TestBindTruncate: TRUNCATE binds each table's DELETE, with the DELETE
// privilege, and returns the first one's write.
func TestBindTruncate(t *testing.T) {
	cat := &privCatalog{Catalog: bindtest.TPCH(), deny: -1}
	res, err := bindSQL(cat, "alice", "truncate table region, public.nation")
	if err != nil {
		t.Fatal(err)
	}
	if w := res.Write; w == nil || w.Op != bind.WriteDelete || w.Table.Name != "region" || w.Where != nil {
		t.Fatalf("write = %+v", res.Write)
	}
	if len(cat.asked) != 2 || cat.asked[0] != bind.Delete || cat.asked[1] != bind.Delete {
		t.Errorf("asked for %v, want DELETE twice", cat.asked)
	}
	cases := []struct {
		deny bind.Privilege
		sql  string
		code sqlerr.Code
		at   string
	}{
		{-1, "truncate region, nosuch", sqlerr.UndefinedTable, "nosuch"},
		{-1, "truncate region, other.nation", sqlerr.UndefinedTable, "nation"},
		{bind.Delete, "truncate only nation", sqlerr.InsufficientPrivilege, "nation"},
	}
	for _, c := range cases {
		cat := &privCatalog{Catalog: bindtest.TPCH(), deny: c.deny}
		_, err := bindSQL(cat, "bob", c.sql)
		var e *sqlerr.Error
		if !errors.As(err, &e) || e.Code != c.code {
			t.Errorf("%s: got %v, want %s", c.sql, err, c.code)
			continue
		}
		if want := strings.Index(c.sql, c.at) + 1; e.Position != want {
			t.Errorf("%s: position %d, want %d (at %q)", c.sql, e.Position, want, c.at)
		}
	}
	if _, err := bindSQL(cat, "alice", "commit"); !sqlerr.Is(err, sqlerr.FeatureNotSupported) {
		t.Errorf("commit: %v, want 0A000: not a query", err)
	}
}
