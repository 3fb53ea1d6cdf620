package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors"
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

// ub builds Substrait expressions over the columns of updDesc.
type ub struct{ b expr.ExprBuilder }

func newUB() *ub {
	req, opt := types.NullabilityRequired, types.NullabilityNullable
	return &ub{b: expr.ExprBuilder{
		Reg: expr.NewEmptyExtensionRegistry(extensions.GetDefaultCollectionWithNoError()),
		BaseSchema: types.NewRecordTypeFromTypes([]types.Type{
			&types.Int64Type{Nullability: req}, &types.Int32Type{Nullability: opt}, &types.Int32Type{Nullability: opt},
			&types.StringType{Nullability: opt}, &types.StringType{Nullability: opt}, &types.DateType{Nullability: opt},
			&types.DateType{Nullability: opt},
		}),
	}}
}

func (u *ub) col(i int) expr.FuncArgBuilder { return u.b.RootRef(expr.NewStructFieldRef(int32(i))) }

func (u *ub) lit(v any) expr.FuncArgBuilder {
	switch v := v.(type) {
	case int:
		return u.b.Wrap(expr.NewLiteral(int32(v), false))
	case int64:
		return u.b.Wrap(expr.NewLiteral(v, false))
	case string:
		return u.b.Wrap(expr.NewLiteral(v, false))
	case types.Date:
		return u.b.Wrap(expr.NewLiteral(v, false))
	}
	panic(fmt.Sprintf("lit %T", v))
}

func (u *ub) null(t types.Type) expr.FuncArgBuilder { return u.b.Literal(expr.NewNullLiteral(t)) }

func (u *ub) e(a expr.FuncArgBuilder) expr.Expression {
	x, err := a.(expr.Builder).BuildExpr()
	if err != nil {
		panic(err)
	}
	return x
}

func (u *ub) call(name string, args ...expr.FuncArgBuilder) expr.FuncArgBuilder {
	urn := "functions_comparison"
	switch name {
	case "and", "or", "not":
		urn = "functions_boolean"
	case "add", "subtract", "multiply":
		urn = "functions_arithmetic"
	case "upper", "like":
		urn = "functions_string"
	}
	return u.b.ScalarFunc(extensions.ID{URN: extensions.SubstraitDefaultURNPrefix + urn, Name: name}).Args(args...)
}

func (u *ub) in(col int, opts ...expr.FuncArgBuilder) expr.Expression {
	s := &expr.SingularOrList{Value: u.e(u.col(col))}
	for _, o := range opts {
		s.Options = append(s.Options, u.e(o))
	}
	return s
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
	rows, err := h.Query("SELECT id, n, m, txt, typeof(txt), quote(d), quote(du) FROM upd ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var n, m sql.NullInt64
		var s sql.NullString
		var typ, d, du string
		if err := rows.Scan(&id, &n, &m, &s, &typ, &d, &du); err != nil {
			t.Fatal(err)
		}
		f := func(v any, ok bool) string {
			if !ok {
				return "NULL"
			}
			return fmt.Sprint(v)
		}
		row := fmt.Sprintf("%d %s %s %s", id, f(n.Int64, n.Valid), f(m.Int64, m.Valid), f(s.String, s.Valid))
		if typ != "text" && typ != "null" {
			row += " (" + typ + ")"
		}
		if d != "NULL" || du != "NULL" {
			row += " " + d + " " + du
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "|")
}

const updOrig = `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`

func TestUpdateDelete(t *testing.T) {
	ctx := context.Background()
	u := newUB()
	odd := "it's \\ \"q\" ☃ 'x'"
	id := func(v int64) expr.FuncArgBuilder { return u.lit(v) }
	type set = map[int]expr.Expression
	tests := []struct {
		name  string
		set   set // nil: DELETE
		where expr.Expression
		n     int64
		want  string
	}{
		{"arithmetic where id", set{uN: u.e(u.call("add", u.col(uN), u.lit(1)))}, u.e(u.call("equal", u.col(uID), id(1))),
			1, `1 11 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{"string with quotes, backslash, unicode where IS NULL", set{uS: u.e(u.lit(odd))}, u.e(u.call("is_null", u.col(uN))),
			2, `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 ` + odd + ` '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 ` + odd + ` '2024-05-01' NULL`},
		{"string with NUL", set{uS: u.e(u.lit("a\x00b"))}, u.e(u.call("equal", u.col(uID), id(4))),
			1, `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL a` + "\x00" + `b|5 NULL 5 NULL '2024-05-01' NULL`},
		{"set NULL where backslash string", set{uS: u.e(u.null(&types.StringType{}))}, u.e(u.call("equal", u.col(uS), u.lit(`back\slash`))),
			1, `1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 NULL '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{"set date where quote string", set{uD: u.e(u.lit(types.Date(19800))), uM: u.e(u.lit(7))}, u.e(u.call("equal", u.col(uS), u.lit("it's"))),
			1, `1 10 1 apple '2024-01-01' 1704067200|2 20 7 it's '2024-03-18' NULL|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{"where range, set NULL", set{uN: u.e(u.null(&types.Int32Type{}))}, u.e(u.call("and", u.call("gt", u.col(uN), u.lit(15)), u.call("lte", u.col(uN), u.lit(40)))),
			2, `1 10 1 apple '2024-01-01' 1704067200|2 NULL 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 NULL NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{"set NULL in a Unix-seconds column", set{uDU: u.e(u.null(&types.DateType{}))}, nil,
			5, `1 10 1 apple '2024-01-01' NULL|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{"unchanged rows are counted", set{uN: u.e(u.col(uN))}, nil, 5, updOrig},
		{"swap reads the old row", set{uN: u.e(u.col(uM)), uM: u.e(u.col(uN))}, u.e(u.call("lte", u.col(uID), id(2))),
			2, `1 1 10 apple '2024-01-01' 1704067200|2 2 20 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{"delete IN", nil, u.in(uS, u.lit("apple"), u.lit("it's")), 2,
			`3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{"delete unicode", nil, u.e(u.call("equal", u.col(uS), u.lit("Ünïcødé ☃"))), 1,
			`1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|5 NULL 5 NULL '2024-05-01' NULL`},
		{"delete LIKE", nil, u.e(u.call("like", u.col(uS), u.lit("A%"))), 0, updOrig}, // LIKE is case-sensitive in Medley
		{"delete date", nil, u.e(u.call("gt", u.col(uD), u.lit(types.Date(19800)))), 1,
			`1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃`},
		{"delete = NULL matches nothing", nil, u.e(u.call("equal", u.col(uN), u.null(&types.Int32Type{}))), 0, updOrig},
		{"delete NOT keeps NULLs", nil, u.e(u.call("not", u.call("gt", u.col(uN), u.lit(15)))), 1,
			`2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL '2024-05-01' NULL`},
		{"delete IS NOT DISTINCT FROM NULL", nil, u.e(u.call("is_not_distinct_from", u.col(uM), u.null(&types.Int32Type{}))), 1,
			`1 10 1 apple '2024-01-01' 1704067200|2 20 2 it's|3 NULL 3 back\slash '2024-03-01' NULL|5 NULL 5 NULL '2024-05-01' NULL`},
		{"delete all", nil, nil, 5, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, h := seedUpd(t)
			c := open(t, path)
			tbl, err := c.Table(ctx, updDesc())
			if err != nil {
				t.Fatal(err)
			}
			var n int64
			if tc.set != nil {
				n, err = tbl.(connectors.Updater).Update(ctx, tc.set, tc.where)
			} else {
				n, err = tbl.(connectors.Deleter).Delete(ctx, tc.where)
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.n {
				t.Errorf("count %d, want %d", n, tc.n)
			}
			if got := remoteRows(t, h); got != tc.want {
				t.Errorf("remote rows\n got %s\nwant %s", got, tc.want)
			}
		})
	}
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
	upper := u.e(u.call("equal", u.call("upper", u.col(uS)), u.lit("APPLE")))
	cases := []struct {
		name string
		run  func() (int64, error)
		code sqlerr.Code
		msg  []string
	}{
		{"function in WHERE", func() (int64, error) { return upd.Update(ctx, map[int]expr.Expression{uN: u.e(u.lit(1))}, upper) },
			sqlerr.FeatureNotSupported, []string{"UPDATE", "WHERE clause", "upper"}},
		{"function in DELETE", func() (int64, error) { return del.Delete(ctx, upper) },
			sqlerr.FeatureNotSupported, []string{"DELETE", "WHERE clause", "upper"}},
		{"function in SET", func() (int64, error) {
			return upd.Update(ctx, map[int]expr.Expression{uS: u.e(u.call("upper", u.col(uS)))}, nil)
		}, sqlerr.FeatureNotSupported, []string{"SET s clause", "upper"}},
		{"string over INTEGER compared", func() (int64, error) {
			return del.Delete(ctx, u.e(u.call("equal", u.col(uL), u.lit("7"))))
		}, sqlerr.FeatureNotSupported, []string{"WHERE clause", "not comparable"}},
		{"string over INTEGER read by SET", func() (int64, error) {
			return upd.Update(ctx, map[int]expr.Expression{uS: u.e(u.col(uL))}, nil)
		}, sqlerr.FeatureNotSupported, []string{"SET s clause", "column l"}},
		{"date into Unix seconds", func() (int64, error) {
			return upd.Update(ctx, map[int]expr.Expression{uDU: u.e(u.lit(types.Date(19800)))}, nil)
		}, sqlerr.FeatureNotSupported, []string{"SET du clause", "Unix seconds"}},
		{"CHECK fails in a later row", func() (int64, error) { // row 4 (n=40) breaks n < 1000; row 1 was updated first
			return upd.Update(ctx, map[int]expr.Expression{uN: u.e(u.call("multiply", u.col(uN), u.lit(30)))}, nil)
		}, "23514", nil},
	}
	for _, tc := range cases {
		n, err := tc.run()
		if sqlerr.CodeOf(err) != tc.code || n != 0 {
			t.Errorf("%s: %d, %v (%s), want %s", tc.name, n, err, sqlerr.CodeOf(err), tc.code)
			continue
		}
		for _, s := range tc.msg {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: %q does not say %q", tc.name, err, s)
			}
		}
	}
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
	for i, tb := range ro {
		_, err := tb.(connectors.Updater).Update(ctx, map[int]expr.Expression{uN: u.e(u.lit(1))}, nil)
		if !sqlerr.Is(err, sqlerr.ReadOnlyTransaction) || !strings.Contains(err.Error(), "not updatable") {
			t.Errorf("%d: Update of a read-only table: %v", i, err)
		}
		if _, err := tb.(connectors.Deleter).Delete(ctx, nil); !sqlerr.Is(err, sqlerr.ReadOnlyTransaction) {
			t.Errorf("%d: Delete of a read-only table: %v", i, err)
		}
		if _, err := tb.(connectors.Inserter).Insert(ctx, nil); !sqlerr.Is(err, sqlerr.ReadOnlyTransaction) {
			t.Errorf("%d: Insert into a read-only table: %v", i, err)
		}
	}
	if got := remoteRows(t, h); got != updOrig {
		t.Errorf("after read-only writes: %s", got)
	}
	// The table's option overrides the server's.
	rw, err := open(t, path, "updatable", "false").Table(ctx, updDesc("updatable", "true"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := rw.(connectors.Deleter).Delete(ctx, u.e(u.call("is_null", u.col(uN)))); err != nil || n != 2 {
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
	q, err := tb.updateSQL(map[int]expr.Expression{uS: u.e(u.lit(`a\b'c`)), uN: u.e(u.call("add", u.col(uN), u.lit(1)))},
		u.e(u.call("like", u.col(uS), u.lit("it's%"))))
	want := `UPDATE "upd" SET "n" = ("n" + 1), "txt" = 'a\b''c' WHERE ("txt" GLOB 'it''s*')`
	if err != nil || q != want {
		t.Errorf("UPDATE:\n got %s (%v)\nwant %s", q, err, want)
	}
	q, err = tb.deleteSQL(nil)
	if want := `DELETE FROM "upd"`; err != nil || q != want {
		t.Errorf("DELETE: %s, %v; want %s", q, err, want)
	}
}
