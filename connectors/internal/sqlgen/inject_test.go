package sqlgen

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/substrait-io/substrait-go/v8/expr"
)

func TestMain(m *testing.M) { testsrv.Main(m) }

// nasty are strings that break naive quoting.
var nasty = []string{
	`it's`, `''`, `\`, `\'`, `'\'`, `a\\b`, `$$`, `$tag$ x $tag$`, `"`, `""`, "`",
	`--`, `/*`, `*/ --`, `'; DROP TABLE t; --`, "line\nbreak\r\ttab", "héllo ünï 中文 🎉",
	`E'x'`, `\x41`, `%_!`, `'||'`, ``,
}

// TestInjectionPostgres runs generated SQL with nasty literals and
// identifiers on a real PostgreSQL server, with standard_conforming_strings
// on and off, and checks the exact value comes back.
func TestInjectionPostgres(t *testing.T) {
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pg.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	d := PostgreSQL
	for i, s := range nasty {
		ident := s
		if ident == "" {
			ident = "empty"
		}
		table := []string{"public", "t " + ident}
		cols := make([]ColumnRef, 4) // the builder's column 3 is a string
		cols[3] = ColumnRef{Name: "c " + ident, Type: arrow.BinaryTypes.String}
		qt, err := d.QualifiedName(table)
		if err != nil {
			t.Fatal(err)
		}
		qc, _ := d.QuoteIdent(cols[3].Name)
		if _, err := conn.Exec(ctx, "CREATE TABLE "+qt+" ("+qc+" text)"); err != nil {
			t.Fatalf("%d %q: create: %v", i, s, err)
		}
		if _, err := conn.Exec(ctx, "INSERT INTO "+qt+" VALUES ($1), ('other')", s); err != nil {
			t.Fatal(err)
		}
		b := newBuilder()
		f := b.cmp("equal", b.col(3), b.v(s))
		for _, scs := range []string{"on", "off"} {
			if _, err := conn.Exec(ctx, "SET standard_conforming_strings = "+scs); err != nil {
				t.Fatal(err)
			}
			res, err := Select(d, Query{Table: table, Columns: cols, Project: []int{3}, Filters: []expr.Expression{f}, Limit: -1})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := conn.Query(ctx, res.SQL)
			if err != nil {
				t.Fatalf("%q (scs %s): %s: %v", s, scs, res.SQL, err)
			}
			got, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatalf("%q (scs %s): %s: %v", s, scs, res.SQL, err)
			}
			if len(got) != 1 || got[0] != s {
				t.Errorf("%q (scs %s): %s returned %q", s, scs, res.SQL, got)
			}
			lit, _ := Literal(d, expr.NewPrimitiveLiteral(s, false))
			var back string
			if err := conn.QueryRow(ctx, "SELECT "+lit+"::text").Scan(&back); err != nil || back != s {
				t.Errorf("%q (scs %s): SELECT %s = %q, %v", s, scs, lit, back, err)
			}
		}
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&n); err != nil || n != len(nasty) {
		t.Errorf("%d tables in public, want %d (%v)", n, len(nasty), err)
	}
	// Bytes literals, including a quote and a backslash byte.
	v := []byte{0, '\'', '\\', 0xff, 'x'}
	lit, _ := Literal(d, expr.NewByteSliceLiteral(v, false))
	var back []byte
	if err := conn.QueryRow(ctx, "SELECT "+lit).Scan(&back); err != nil || string(back) != string(v) {
		t.Errorf("SELECT %s = %q, %v", lit, back, err)
	}
}
