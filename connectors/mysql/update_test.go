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
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
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

// newUB builds Substrait expressions over the columns of updDesc.
func newUB() *sqlconntest.Exprs {
	req, opt := types.NullabilityRequired, types.NullabilityNullable
	return sqlconntest.NewExprs(&types.Int64Type{Nullability: req}, &types.Int32Type{Nullability: opt}, &types.Int32Type{Nullability: opt},
		&types.StringType{Nullability: opt}, &types.StringType{Nullability: opt}, &types.DateType{Nullability: opt})
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
	var out []string
	for _, r := range sqlconntest.QueryRows(t, h, "SELECT id, n, m, txt FROM upd ORDER BY id") {
		out = append(out, strings.Join(r, " "))
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
	sqlconntest.RunModify(t, []sqlconntest.ModifyCase{
		{Name: "arithmetic where id", Set: set{uN: u.E(u.Call("add", u.Col(uN), u.Lit(1)))}, Where: u.E(u.Call("equal", u.Col(uID), u.Lit(int64(1)))),
			N: 1, Want: `1 11 1 apple|2 20 2 it's|3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{Name: "string with quotes, backslash, unicode where IS NULL", Set: set{uS: u.E(u.Lit(odd))}, Where: u.E(u.Call("is_null", u.Col(uN))),
			N: 2, Want: `1 10 1 apple|2 20 2 it's|3 NULL 3 ` + odd + `|4 40 NULL Ünïcødé ☃|5 NULL 5 ` + odd},
		{Name: "set NULL where backslash string", Set: set{uS: u.E(u.Null(&types.StringType{}))}, Where: u.E(u.Call("equal", u.Col(uS), u.Lit(`back\slash`))),
			N: 1, Want: `1 10 1 apple|2 20 2 it's|3 NULL 3 NULL|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{Name: "where quote string", Set: set{uM: u.E(u.Lit(7))}, Where: u.E(u.Call("equal", u.Col(uS), u.Lit("it's"))),
			N: 1, Want: `1 10 1 apple|2 20 7 it's|3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{Name: "where range, set NULL", Set: set{uN: u.E(u.Null(&types.Int32Type{}))}, Where: u.E(u.Call("and", u.Call("gt", u.Col(uN), u.Lit(15)), u.Call("lte", u.Col(uN), u.Lit(40)))),
			N: 2, Want: `1 10 1 apple|2 NULL 2 it's|3 NULL 3 back\slash|4 NULL NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{Name: "unchanged rows are counted", Set: set{uN: u.E(u.Col(uN))}, N: 5, Want: updOrig},
		{Name: "swap reads the old row", Set: set{uN: u.E(u.Col(uM)), uM: u.E(u.Col(uN))}, Where: u.E(u.Call("lte", u.Col(uID), u.Lit(int64(2)))),
			N: 2, Want: `1 1 10 apple|2 2 20 it's|3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{Name: "delete IN", Where: u.In(uS, u.Lit("apple"), u.Lit("it's")), N: 2, Want: `3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{Name: "delete unicode", Where: u.E(u.Call("equal", u.Col(uS), u.Lit("Ünïcødé ☃"))), N: 1, Want: `1 10 1 apple|2 20 2 it's|3 NULL 3 back\slash|5 NULL 5 NULL`},
		{Name: "delete = NULL matches nothing", Where: u.E(u.Call("equal", u.Col(uN), u.Null(&types.Int32Type{}))), N: 0, Want: updOrig},
		{Name: "delete NOT keeps NULLs", Where: u.E(u.Call("not", u.Call("gt", u.Col(uN), u.Lit(15)))), N: 1,
			Want: `2 20 2 it's|3 NULL 3 back\slash|4 40 NULL Ünïcødé ☃|5 NULL 5 NULL`},
		{Name: "delete IS NOT DISTINCT FROM NULL", Where: u.E(u.Call("is_not_distinct_from", u.Col(uM), u.Null(&types.Int32Type{}))), N: 1,
			Want: `1 10 1 apple|2 20 2 it's|3 NULL 3 back\slash|5 NULL 5 NULL`},
		{Name: "delete all", N: 5, Want: ""},
	}, func(t *testing.T) (connectors.Table, func() string) {
		h := seedUpd(t, m, db)
		tbl, err := c.Table(ctx, updDesc(db))
		if err != nil {
			t.Fatal(err)
		}
		return tbl, func() string { return remoteRows(t, h) }
	})
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
	sqlconntest.CheckRefused(t, append(sqlconntest.UpperRefused(ctx, tbl, u, uN, uS), []sqlconntest.Refused{
		{Name: "latin1 column compared", Run: func() (int64, error) {
			return del.Delete(ctx, u.E(u.Call("equal", u.Col(uL), u.Lit("x"))))
		}, Code: sqlerr.FeatureNotSupported, Msg: []string{"WHERE clause", "not comparable"}},
		{Name: "LIKE with _", Run: func() (int64, error) {
			return del.Delete(ctx, u.E(u.Call("like", u.Col(uS), u.Lit("a_ple"))))
		}, Code: sqlerr.FeatureNotSupported, Msg: []string{"WHERE clause"}},
		{Name: "too long", Run: func() (int64, error) {
			return upd.Update(ctx, map[int]expr.Expression{uS: u.E(u.Lit(strings.Repeat("é", 21)))}, nil)
		}, Code: sqlerr.StringDataTruncation},
		{Name: "overflow in a later row", Run: func() (int64, error) { // row 4 (n=40) overflows int; rows 1 and 2 were updated first
			return upd.Update(ctx, map[int]expr.Expression{uN: u.E(u.Call("multiply", u.Col(uN), u.Lit(60000000)))}, nil)
		}, Code: sqlerr.NumericValueOutOfRange},
	}...))
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
	sqlconntest.CheckReadOnly(t, map[int]expr.Expression{uN: u.E(u.Lit(1))}, ro, ro2)
	if got := remoteRows(t, h); got != updOrig {
		t.Errorf("after read-only writes: %s", got)
	}
	// The table's option overrides the server's.
	rw, err := srv.Table(ctx, updDesc(db, "updatable", "true"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := rw.(connectors.Deleter).Delete(ctx, u.E(u.Call("is_null", u.Col(uN)))); err != nil || n != 2 {
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
	q, simultaneous, err := tb.updateSQL(map[int]expr.Expression{uS: u.E(u.Lit(`a\b'c`)), uN: u.E(u.Call("add", u.Col(uN), u.Lit(1)))},
		u.E(u.Call("equal", u.Col(uS), u.Lit("it's"))))
	if err != nil {
		t.Fatal(err)
	}
	want := "UPDATE `" + db + "`.`upd` SET `n` = (`n` + 1), `txt` = _utf8mb4 X'615c622763' WHERE (CAST(`txt` AS BINARY) = 'it''s')"
	if q != want || simultaneous {
		t.Errorf("UPDATE:\n got %s (%v)\nwant %s", q, simultaneous, want)
	}
	if _, simultaneous, _ = tb.updateSQL(map[int]expr.Expression{uN: u.E(u.Col(uM)), uM: u.E(u.Col(uN))}, nil); !simultaneous {
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
	n, err := tbl.(connectors.Updater).Update(ctx, map[int]expr.Expression{uN: u.E(u.Lit(0))}, nil)
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
