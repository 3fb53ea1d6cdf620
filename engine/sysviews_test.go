package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// TestConnectionsViewMemory checks medley.connections without remote
// servers: the memory server's connection, projections and filters, the
// count of uses, visibility for a plain user, and unknown views.
func TestConnectionsViewMemory(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	db, sess := fedSession(t, mem)
	defer db.Close()
	if rows := mustRun(t, sess, "SELECT count(*) FROM medley.connections"); strings.Join(rows, ",") != "0" {
		t.Errorf("before any query: %v", rows)
	}
	mustRun(t, sess, "CREATE TABLE t (a integer)")
	mustRun(t, sess, "INSERT INTO t VALUES (1), (2)")
	mustRun(t, sess, "SELECT * FROM t")
	rows := mustRun(t, sess, `SELECT server, wrapper, "user", mapping_kind, uses >= 1, opened_at <= last_used FROM medley.connections WHERE server = 'memory'`)
	if strings.Join(rows, "\n") != "memory\tmemory\tNULL\tnone\tt\tt" {
		t.Errorf("medley.connections: %v", rows)
	}
	before := mustRun(t, sess, "SELECT uses FROM medley.connections")
	mustRun(t, sess, "SELECT * FROM t")
	after := mustRun(t, sess, "SELECT uses FROM medley.connections")
	if len(before) != 1 || len(after) != 1 {
		t.Fatalf("uses: %v then %v", before, after)
	}
	if b, _ := strconv.Atoi(before[0]); func() bool { a, _ := strconv.Atoi(after[0]); return a <= b }() {
		t.Errorf("uses did not grow: %v then %v", before, after)
	}
	if rows := mustRun(t, sess, "SELECT count(*) FROM medley.connections WHERE server = 'nope'"); strings.Join(rows, ",") != "0" {
		t.Errorf("filter: %v", rows)
	}
	// A plain user without USAGE sees nothing; the memory server is
	// everyone's.
	mustRun(t, sess, "CREATE USER eve")
	eve, err := db.Session(ctx, "eve")
	if err != nil {
		t.Fatal(err)
	}
	if rows := mustRun(t, eve, "SELECT server FROM medley.connections"); strings.Join(rows, ",") != "memory" {
		t.Errorf("eve sees %v", rows)
	}
	for _, q := range []string{"SELECT * FROM medley.nope", "SELECT nope FROM medley.connections"} {
		_, err := sltRun(ctx, sess, q)
		if c := sqlerr.CodeOf(err); c != sqlerr.UndefinedTable && c != sqlerr.UndefinedColumn {
			t.Errorf("%s: %v", q, describeErr(err))
		}
	}
}
