package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
	"github.com/medleysql/medley/sql/sqlerr"
)

// The foreign table of the UPDATE/DELETE tests: public.items over remote
// table upd, column s over remote column txt, l a string declared over an
// INTEGER column (not shipped), du a date stored as Unix seconds.
const updDDL = "CREATE TABLE upd (id INTEGER PRIMARY KEY, n INTEGER CHECK (n < 1000), m INTEGER, txt TEXT, l INTEGER, d DATE, du INTEGER)"

const (
	uID = iota
	uN
	uM
	uS
	uL
	uD
	uDU
)

var updRows = [][]any{
	{1, 10, 1, "apple", 7, "2024-01-01", 19723 * 86400},
	{2, 20, 2, "it's", 8, nil, nil},
	{3, nil, 3, `back\slash`, 9, "2024-03-01", nil},
	{4, 40, nil, "Ünïcødé ☃", nil, nil, nil},
	{5, nil, 5, nil, 7, "2024-05-01", nil},
}

func updDesc(opts ...string) connectors.TableDesc {
	d := connectors.TableDesc{Name: []string{"public", "items"}, Options: map[string]string{"table": "upd"},
		Columns: []connectors.ColumnDesc{
			{Name: "id", Type: arrow.PrimitiveTypes.Int64},
			col("n", arrow.PrimitiveTypes.Int32),
			col("m", arrow.PrimitiveTypes.Int32),
			{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true, Options: map[string]string{"column_name": "txt"}},
			col("l", arrow.BinaryTypes.String),
			col("d", arrow.FixedWidthTypes.Date32),
			{Name: "du", Type: arrow.FixedWidthTypes.Date32, Nullable: true, Options: map[string]string{"column_type": "INT"}},
		}}
	for i := 0; i+1 < len(opts); i += 2 {
		d.Options[opts[i]] = opts[i+1]
	}
	return d
}

// newUB builds Substrait expressions over the columns of updDesc.
func newUB() *sqlconntest.Exprs {
	req, opt := types.NullabilityRequired, types.NullabilityNullable
	return sqlconntest.NewExprs(&types.Int64Type{Nullability: req}, &types.Int32Type{Nullability: opt}, &types.Int32Type{Nullability: opt},
		&types.StringType{Nullability: opt}, &types.StringType{Nullability: opt}, &types.DateType{Nullability: opt},
		&types.DateType{Nullability: opt})
}

// seedUpd creates a file holding upd with updRows (written through
// database/sql with parameters) and returns its path and a handle on it.
func seedUpd(t *testing.T) (string, *sql.DB) {
	t.Helper()
	path := newFile(t, updDDL)
	h, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	for _, r := range updRows {
		if _, err := h.Exec("INSERT INTO upd VALUES (?, ?, ?, ?, ?, ?, ?)", r...); err != nil {
			t.Fatal(err)
		}
	}
	return path, h
}

// remoteRows reads upd directly: "id n m txt" per row, NULL as NULL, with
// the storage class of txt when it is not text.
func remoteRows(t *testing.T, h *sql.DB) string {
	t.Helper()
	var out []string
	for _, r := range sqlconntest.QueryRows(t, h, "SELECT id, n, m, txt, typeof(txt), quote(d), quote(du) FROM upd ORDER BY id") {
		row := strings.Join(r[:4], " ")
		if typ := r[4]; typ != "text" && typ != "null" {
			row += " (" + typ + ")"
		}
		if d, du := r[5], r[6]; d != "NULL" || du != "NULL" {
			row += " " + d + " " + du
		}
		out = append(out, row)
	}
	return strings.Join(out, "|")
}

const updOrig = `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`

func TestUpdateDelete(t *testing.T) {
	ctx := context.Background()
	u := newUB()
	odd := "it's \\ \"q\" ☃ 'x'"
	id := func(v int64) expr.FuncArgBuilder { return u.Lit(v) }
	type set = map[int]expr.Expression
	sqlconntest.RunModify(t, []sqlconntest.ModifyCase{
		{Name: "arithmetic where id", Set: set{uN: u.E(u.Call("add", u.Col(uN), u.Lit(1)))}, Where: u.E(u.Call("equal", u.Col(uID), id(1))),
			N: 1, Want: `1 11 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "string with quotes, backslash, unicode where IS NULL", Set: set{uS: u.E(u.Lit(odd))}, Where: u.E(u.Call("is_null", u.Col(uN))),
			N: 2, Want: `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 ` + odd + ` '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 ` + odd + ` '2024-05-01' NULL`},
		{Name: "string with NUL", Set: set{uS: u.E(u.Lit("a\x00b"))}, Where: u.E(u.Call("equal", u.Col(uID), id(4))),
			N: 1, Want: `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL a` + "\x00" + `b|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "set NULL where backslash string", Set: set{uS: u.E(u.Null(&types.StringType{}))}, Where: u.E(u.Call("equal", u.Col(uS), u.Lit(`back\slash`))),
			N: 1, Want: `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 NULL '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "set date where quote string", Set: set{uD: u.E(u.Lit(types.Date(19800))), uM: u.E(u.Lit(7))}, Where: u.E(u.Call("equal", u.Col(uS), u.Lit("it's"))),
			N: 1, Want: `1 10 1 apple '2024-01-01' 1704067200|2 20 7 it's '2024-03-18' NULL|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "where range, set NULL", Set: set{uN: u.E(u.Null(&types.Int32Type{}))}, Where: u.E(u.Call("and", u.Call("gt", u.Col(uN), u.Lit(15)), u.Call("lte", u.Col(uN), u.Lit(40)))),
			N: 2, Want: `1 10 1 apple '2024-01-01' 1704067200|2 NULL 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 NULL NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "set NULL in a Unix-seconds column", Set: set{uDU: u.E(u.Null(&types.DateType{}))},
			N: 5, Want: `1 10 1 apple '2024-01-01' NULL|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "unchanged rows are counted", Set: set{uN: u.E(u.Col(uN))}, N: 5, Want: updOrig},
		{Name: "swap reads the old row", Set: set{uN: u.E(u.Col(uM)), uM: u.E(u.Col(uN))}, Where: u.E(u.Call("lte", u.Col(uID), id(2))),
			N: 2, Want: `1 1 10 apple '2024-01-01' 1704067200|2 2 20 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "delete IN", Where: u.In(uS, u.Lit("apple"), u.Lit("it's")), N: 2,
			Want: `3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "delete unicode", Where: u.E(u.Call("equal", u.Col(uS), u.Lit("Ünïcødé ☃"))), N: 1,
			Want: `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "delete LIKE", Where: u.E(u.Call("like", u.Col(uS), u.Lit("A%"))), N: 0, Want: updOrig}, // LIKE is case-sensitive in Medley
		{Name: "delete date", Where: u.E(u.Call("gt", u.Col(uD), u.Lit(types.Date(19800)))), N: 1,
			Want: `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃`},
		{Name: "delete = NULL matches nothing", Where: u.E(u.Call("equal", u.Col(uN), u.Null(&types.Int32Type{}))), N: 0, Want: updOrig},
		{Name: "delete NOT keeps NULLs", Where: u.E(u.Call("not", u.Call("gt", u.Col(uN), u.Lit(15)))), N: 1,
			Want: `2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "delete IS NOT DISTINCT FROM NULL", Where: u.E(u.Call("is_not_distinct_from", u.Col(uM), u.Null(&types.Int32Type{}))), N: 1,
			Want: `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|5 NULL 5 NULL '2024-05-01' NULL`},
		{Name: "delete all", N: 5, Want: ""},
	}, func(t *testing.T) (connectors.Table, func() string) {
		path, h := seedUpd(t)
		tbl, err := open(t, path).Table(ctx, updDesc())
		if err != nil {
			t.Fatal(err)
		}
		return tbl, func() string { return remoteRows(t, h) }
	})
}

// TestUpdateRefused: unshippable clauses are 0A000 naming the clause and
// the reason, a table not updatable is 25006, a failing row rolls back
// the whole statement; nothing is changed in the file.
func TestUpdateRefused(t *testing.T) {
	ctx := context.Background()
	path, h := seedUpd(t)
	c := open(t, path)
	u := newUB()
	tbl, err := c.Table(ctx, updDesc())
	if err != nil {
		t.Fatal(err)
	}
	upd, del := tbl.(connectors.Updater), tbl.(connectors.Deleter)
	sqlconntest.CheckRefused(t, append(sqlconntest.UpperRefused(ctx, tbl, u, uN, uS), []sqlconntest.Refused{
		{Name: "string over INTEGER compared", Run: func() (int64, error) {
			return del.Delete(ctx, u.E(u.Call("equal", u.Col(uL), u.Lit("7"))))
		}, Code: sqlerr.FeatureNotSupported, Msg: []string{"WHERE clause", "not comparable"}},
		{Name: "string over INTEGER read by SET", Run: func() (int64, error) {
			return upd.Update(ctx, map[int]expr.Expression{uS: u.E(u.Col(uL))}, nil)
		}, Code: sqlerr.FeatureNotSupported, Msg: []string{"SET s clause", "column l"}},
		{Name: "date into Unix seconds", Run: func() (int64, error) {
			return upd.Update(ctx, map[int]expr.Expression{uDU: u.E(u.Lit(types.Date(19800)))}, nil)
		}, Code: sqlerr.FeatureNotSupported, Msg: []string{"SET du clause", "Unix seconds"}},
		{Name: "CHECK fails in a later row", Run: func() (int64, error) { // row 4 (n=40) breaks n < 1000; row 1 was updated first
			return upd.Update(ctx, map[int]expr.Expression{uN: u.E(u.Call("multiply", u.Col(uN), u.Lit(30)))}, nil)
		}, Code: "23514"},
	}...))
	if got := remoteRows(t, h); got != updOrig {
		t.Errorf("after refused writes: %s", got)
	}

	// updatable 'false' on the table, on the server, or force_readonly:
	// 25006 for UPDATE, DELETE and INSERT.
	var ro []connectors.Table
	for _, o := range [][2][]string{{nil, {"updatable", "false"}}, {{"updatable", "false"}, nil}, {{"force_readonly", "true"}, {"updatable", "true"}}} {
		tb, err := open(t, path, o[0]...).Table(ctx, updDesc(o[1]...))
		if err != nil {
			t.Fatal(err)
		}
		ro = append(ro, tb)
	}
	sqlconntest.CheckReadOnly(t, map[int]expr.Expression{uN: u.E(u.Lit(1))}, ro...)
	if got := remoteRows(t, h); got != updOrig {
		t.Errorf("after read-only writes: %s", got)
	}
	// The table's option overrides the server's.
	rw, err := open(t, path, "updatable", "false").Table(ctx, updDesc("updatable", "true"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := rw.(connectors.Deleter).Delete(ctx, u.E(u.Call("is_null", u.Col(uN)))); err != nil || n != 2 {
		t.Errorf("Delete with updatable 'true' on the table: %d, %v", n, err)
	}
}

// TestUpdateSQL pins the remote statements.
func TestUpdateSQL(t *testing.T) {
	path, _ := seedUpd(t)
	tbl, err := open(t, path).Table(context.Background(), updDesc())
	if err != nil {
		t.Fatal(err)
	}
	tb := tbl.(*Table)
	u := newUB()
	q, err := tb.updateSQL(map[int]expr.Expression{uS: u.E(u.Lit(`a\b'c`)), uN: u.E(u.Call("add", u.Col(uN), u.Lit(1)))},
		u.E(u.Call("like", u.Col(uS), u.Lit("it's%"))))
	want := `UPDATE "upd" SET "n" = ("n" + 1), "txt" = 'a\b''c' WHERE ("txt" GLOB 'it''s*')`
	if err != nil || q != want {
		t.Errorf("UPDATE:\n got %s (%v)\nwant %s", q, err, want)
	}
	q, err = tb.deleteSQL(nil)
	if want := `DELETE FROM "upd"`; err != nil || q != want {
		t.Errorf("DELETE: %s, %v; want %s", q, err, want)
	}
}
