package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/sql/sqlerr"
)

// The foreign table of the UPDATE/DELETE tests: public.items over remote
// table upd, column s over remote column txt, l stored in latin1 (so
// comparisons of it are not shipped).
const updDDL = "CREATE TABLE upd (id bigint NOT NULL PRIMARY KEY, n int, m int, txt varchar(20), " +
	"l varchar(20) CHARACTER SET latin1, d date) CHARACTER SET utf8mb4"

const (
	uID = iota
	uN
	uM
	uS
	uL
	uD
)

var updRows = [][]any{
	{1, 10, 1, "apple", "x", "2024-01-01"},
	{2, 20, 2, "it's", "y", nil},
	{3, nil, 3, `back\slash`, "z", "2024-03-01"},
	{4, 40, nil, "Ünïcødé ☃", nil, nil},
	{5, nil, 5, nil, "x", "2024-05-01"},
}

func updDesc(db string, opts ...string) connectors.TableDesc {
	d := connectors.TableDesc{Name: []string{"public", "items"}, Options: map[string]string{"dbname": db, "table_name": "upd"},
		Columns: []connectors.ColumnDesc{
			{Name: "id", Type: arrow.PrimitiveTypes.Int64},
			{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
			{Name: "m", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
			{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true, Options: map[string]string{"column_name": "txt"}},
			{Name: "l", Type: arrow.BinaryTypes.String, Nullable: true},
			{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
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
		}),
	}}
}

func (u *ub) col(i int) expr.FuncArgBuilder { return u.b.RootRef(expr.NewStructFieldRef(int32(i))) }
func (u *ub) lit(v any) expr.FuncArgBuilder {
	switch v := v.(type) {
	case int:
		return u.b.Wrap(expr.NewLiteral(int32(v), false))
	case string:
		return u.b.Wrap(expr.NewLiteral(v, false))
	}
	panic(fmt.Sprintf("lit %T", v))
}
func (u *ub) nullInt() expr.FuncArgBuilder {
	return u.b.Literal(expr.NewNullLiteral(&types.Int32Type{}))
}
func (u *ub) nullStr() expr.FuncArgBuilder {
	return u.b.Literal(expr.NewNullLiteral(&types.StringType{}))
}
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

// seedUpd recreates upd with updRows, through database/sql with
// parameters, and returns a handle on the database.
func seedUpd(t *testing.T, m *testsrv.Maria, db string) *sql.DB {
	t.Helper()
	h, err := sql.Open("mysql", m.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	for _, q := range []string{"DROP TABLE IF EXISTS upd", updDDL} {
		if _, err := h.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range updRows {
		if _, err := h.Exec("INSERT INTO upd VALUES (?, ?, ?, ?, ?, ?)", r...); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// remoteRows reads upd directly: "id n m txt" per row, NULL as NULL.
func remoteRows(t *testing.T, h *sql.DB) string {
	t.Helper()
	rows, err := h.Query("SELECT id, n, m, txt FROM upd ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var n, m sql.NullInt64
		var s sql.NullString
		if err := rows.Scan(&id, &n, &m, &s); err != nil {
			t.Fatal(err)
		}
		f := func(v any, ok bool) string {
			if !ok {
				return "NULL"
			}
			return fmt.Sprint(v)
		}
		out = append(out, fmt.Sprintf("%d %s %s %s", id, f(n.Int64, n.Valid), f(m.Int64, m.Valid), f(s.String, s.Valid)))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "|")
}

const updOrig = `1 10 1 apple|2 20 2 it's|3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`

func TestUpdateDelete(t *testing.T) {
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	c := connectTo(t, m)
	ctx := context.Background()
	u := newUB()
	odd := "it's \\ \"q\" ☃ 'x'"
	type set = map[int]expr.Expression
	tests := []struct {
		name  string
		set   set // nil: DELETE
		where expr.Expression
		n     int64
		want  string
	}{
		{"arithmetic where id", set{uN: u.e(u.call("add", u.col(uN), u.lit(1)))}, u.e(u.call("equal", u.col(uID), u.b.Wrap(expr.NewLiteral(int64(1), false)))),
			1, `1 11 1 apple|2 20 2 it's|3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{"string with quotes, backslash, unicode where IS NULL", set{uS: u.e(u.lit(odd))}, u.e(u.call("is_null", u.col(uN))),
			2, `1 10 1 apple|2 20 2 it's|3 NULL 3 ` + odd + `|4 40 NULL Ünïcødé ☃|5 NULL 5 ` + odd},
		{"set NULL where backslash string", set{uS: u.e(u.nullStr())}, u.e(u.call("equal", u.col(uS), u.lit(`back\slash`))),
			1, `1 10 1 apple|2 20 2 it's|3 NULL 3 NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{"where quote string", set{uM: u.e(u.lit(7))}, u.e(u.call("equal", u.col(uS), u.lit("it's"))),
			1, `1 10 1 apple|2 20 7 it's|3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{"where range, set NULL", set{uN: u.e(u.nullInt())}, u.e(u.call("and", u.call("gt", u.col(uN), u.lit(15)), u.call("lte", u.col(uN), u.lit(40)))),
			2, `1 10 1 apple|2 NULL 2 it's|3 NULL 3 back\slash|4 NULL NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{"unchanged rows are counted", set{uN: u.e(u.col(uN))}, nil, 5, updOrig},
		{"swap reads the old row", set{uN: u.e(u.col(uM)), uM: u.e(u.col(uN))}, u.e(u.call("lte", u.col(uID), u.b.Wrap(expr.NewLiteral(int64(2), false)))),
			2, `1 1 10 apple|2 2 20 it's|3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{"delete IN", nil, u.in(uS, u.lit("apple"), u.lit("it's")), 2, `3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{"delete unicode", nil, u.e(u.call("equal", u.col(uS), u.lit("Ünïcødé ☃"))), 1, `1 10 1 apple|2 20 2 it's|3 NULL 3 back\slash|5 NULL 5 NULL`},
		{"delete = NULL matches nothing", nil, u.e(u.call("equal", u.col(uN), u.nullInt())), 0, updOrig},
		{"delete NOT keeps NULLs", nil, u.e(u.call("not", u.call("gt", u.col(uN), u.lit(15)))), 1,
			`2 20 2 it's|3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{"delete IS NOT DISTINCT FROM NULL", nil, u.e(u.call("is_not_distinct_from", u.col(uM), u.nullInt())), 1,
			`1 10 1 apple|2 20 2 it's|3 NULL 3 back\slash|5 NULL 5 NULL`},
		{"delete all", nil, nil, 5, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := seedUpd(t, m, db)
			tbl, err := c.Table(ctx, updDesc(db))
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
// the whole statement; nothing is changed remotely.
func TestUpdateRefused(t *testing.T) {
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	h := seedUpd(t, m, db)
	c := connectTo(t, m)
	ctx := context.Background()
	u := newUB()
	tbl, err := c.Table(ctx, updDesc(db))
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
		{"latin1 column compared", func() (int64, error) {
			return del.Delete(ctx, u.e(u.call("equal", u.col(uL), u.lit("x"))))
		}, sqlerr.FeatureNotSupported, []string{"WHERE clause", "not comparable"}},
		{"LIKE with _", func() (int64, error) {
			return del.Delete(ctx, u.e(u.call("like", u.col(uS), u.lit("a_ple"))))
		}, sqlerr.FeatureNotSupported, []string{"WHERE clause"}},
		{"too long", func() (int64, error) {
			return upd.Update(ctx, map[int]expr.Expression{uS: u.e(u.lit(strings.Repeat("é", 21)))}, nil)
		}, sqlerr.StringDataTruncation, nil},
		{"overflow in a later row", func() (int64, error) { // row 4 (n=40) overflows int; rows 1 and 2 were updated first
			return upd.Update(ctx, map[int]expr.Expression{uN: u.e(u.call("multiply", u.col(uN), u.lit(60000000)))}, nil)
		}, sqlerr.NumericValueOutOfRange, nil},
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

	// updatable 'false' on the table, or on the server without a table
	// override: 25006 for UPDATE, DELETE and INSERT.
	ro, err := c.Table(ctx, updDesc(db, "updatable", "false"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := connect(ctx, connectors.ConnectParams{Server: "maria", ServerOptions: map[string]string{"host": m.Host,
		"port": fmt.Sprint(m.Port), "updatable": "false"}, UserOptions: userOptions(m)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ro2, err := srv.Table(ctx, updDesc(db))
	if err != nil {
		t.Fatal(err)
	}
	for i, tb := range []connectors.Table{ro, ro2} {
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
	rw, err := srv.Table(ctx, updDesc(db, "updatable", "true"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := rw.(connectors.Deleter).Delete(ctx, u.e(u.call("is_null", u.col(uN)))); err != nil || n != 2 {
		t.Errorf("Delete with updatable 'true' on the table: %d, %v", n, err)
	}
}

// TestUpdateSQL pins the remote statements.
func TestUpdateSQL(t *testing.T) {
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	seedUpd(t, m, db)
	c := connectTo(t, m)
	tbl, err := c.Table(context.Background(), updDesc(db))
	if err != nil {
		t.Fatal(err)
	}
	tb := tbl.(*Table)
	u := newUB()
	q, simultaneous, err := tb.updateSQL(map[int]expr.Expression{uS: u.e(u.lit(`a\b'c`)), uN: u.e(u.call("add", u.col(uN), u.lit(1)))},
		u.e(u.call("equal", u.col(uS), u.lit("it's"))))
	if err != nil {
		t.Fatal(err)
	}
	want := "UPDATE `" + db + "`.`upd` SET `n` = (`n` + 1), `txt` = _utf8mb4 X'615c622763' WHERE (CAST(`txt` AS BINARY) = 'it''s')"
	if q != want || simultaneous {
		t.Errorf("UPDATE:\n got %s (%v)\nwant %s", q, simultaneous, want)
	}
	if _, simultaneous, _ = tb.updateSQL(map[int]expr.Expression{uN: u.e(u.col(uM)), uM: u.e(u.col(uN))}, nil); !simultaneous {
		t.Error("a swap is not marked simultaneous")
	}
	q, err = tb.deleteSQL(nil)
	if want := "DELETE FROM `" + db + "`.`upd`"; err != nil || q != want {
		t.Errorf("DELETE: %s, %v; want %s", q, err, want)
	}
}

// TestUpdateCancel cancels an UPDATE waiting for a row lock: the error is
// 57014 wrapping context.Canceled, KILL QUERY stops it at the server, and
// nothing is changed.
func TestUpdateCancel(t *testing.T) {
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	h := seedUpd(t, m, db)
	c := connectTo(t, m)
	tbl, err := c.Table(context.Background(), updDesc(db))
	if err != nil {
		t.Fatal(err)
	}
	lock, err := h.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback() //nolint:errcheck
	if _, err := lock.Exec("SELECT id FROM upd WHERE id = 4 FOR UPDATE"); err != nil {
		t.Fatal(err)
	}
	running := func() int {
		var n int
		err := h.QueryRow("SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE `%upd` SET%'").Scan(&n)
		if err != nil {
			t.Error(err)
		}
		return n
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { // cancel once the server waits for the lock
		defer close(done)
		for running() == 0 && ctx.Err() == nil {
		}
		cancel()
	}()
	u := newUB()
	n, err := tbl.(connectors.Updater).Update(ctx, map[int]expr.Expression{uN: u.e(u.lit(0))}, nil)
	<-done
	if !sqlerr.Is(err, sqlerr.QueryCanceled) || !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("Update = %d, %v (%s), want 57014 wrapping context.Canceled", n, err, sqlerr.CodeOf(err))
	}
	for running() != 0 {
	} // KILL QUERY stopped it (the test's deadline bounds the wait)
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := remoteRows(t, h); got != updOrig {
		t.Errorf("after a cancelled UPDATE: %s", got)
	}
}
