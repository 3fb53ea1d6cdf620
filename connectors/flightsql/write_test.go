package flightsql_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/sql/sqlerr"
)

// The written table: remote public.w (id bigint NOT NULL, n integer,
// s text, amount numeric(10,2), ts timestamp); the foreign table names
// amount "price" (column_name 'amount').
const (
	wID = iota
	wN
	wS
	wPrice
	wTS
)

var (
	wDec = &arrow.Decimal128Type{Precision: 10, Scale: 2}
	wTs  = &arrow.TimestampType{Unit: arrow.Microsecond}
)

func wDesc(opts ...string) connectors.TableDesc {
	d := connectors.TableDesc{
		Name:    []string{"local", "w"},
		Options: map[string]string{"schema_name": "public", "table_name": "w"},
		Columns: []connectors.ColumnDesc{
			{Name: "id", Type: arrow.PrimitiveTypes.Int64},
			{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
			{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
			{Name: "price", Type: wDec, Nullable: true, Options: map[string]string{"column_name": "amount"}},
			{Name: "ts", Type: wTs, Nullable: true},
		},
	}
	for i := 0; i+1 < len(opts); i += 2 {
		d.Options[opts[i]] = opts[i+1]
	}
	return d
}

// writeServer starts a Medley server with the table public.w, seeded with
// seed (an INSERT's VALUES list, or ""), and returns it with a connection
// of the wrapper (server options opts) from mem.
func writeServer(t *testing.T, mem memory.Allocator, seed string, opts ...string) (*engine.DB, connectors.Conn) {
	t.Helper()
	db, addr := startServer(t)
	ctx := context.Background()
	if _, err := db.Exec(ctx, "CREATE TABLE public.w (id bigint NOT NULL, n integer, s text, amount numeric(10,2), ts timestamp)"); err != nil {
		t.Fatal(err)
	}
	if seed != "" {
		if _, err := db.Exec(ctx, "INSERT INTO public.w VALUES "+seed); err != nil {
			t.Fatal(err)
		}
	}
	return db, dial(t, mem, "grpc://"+addr, opts...)
}

func dial(t *testing.T, mem memory.Allocator, uri string, opts ...string) connectors.Conn {
	t.Helper()
	so := map[string]string{"uri": uri}
	for i := 0; i+1 < len(opts); i += 2 {
		so[opts[i]] = opts[i+1]
	}
	conn, err := mustLookup(t).Connect(context.Background(), connectors.ConnectParams{
		Server: "remote", ServerOptions: so,
		UserOptions: map[string]string{"username": "admin", "password": adminPW},
		Logger:      zap.NewNop(), Allocator: mem,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func wTable(t *testing.T, conn connectors.Conn, opts ...string) connectors.Table {
	t.Helper()
	tbl, err := conn.Table(context.Background(), wDesc(opts...))
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

// remoteRows reads public.w at the server, ordered by id: cells joined by
// " ", rows by "|".
func remoteRows(t *testing.T, db *engine.DB) string {
	t.Helper()
	rdr, err := db.Query(context.Background(), "SELECT id, n, s, amount, ts FROM public.w ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Release()
	var rows []string
	for rdr.Next() {
		b := rdr.RecordBatch()
		for r := 0; r < int(b.NumRows()); r++ {
			cells := make([]string, b.NumCols())
			for c := range cells {
				cells[c] = b.Column(c).ValueStr(r)
				if d, ok := b.Column(c).(*array.Decimal128); ok && d.IsValid(r) {
					cells[c] = d.Value(r).ToString(d.DataType().(*arrow.Decimal128Type).Scale)
				}
			}
			rows = append(rows, strings.Join(cells, " "))
		}
	}
	if err := rdr.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(rows, "|")
}

// wRow is one row to insert; nil is NULL.
type wRow struct {
	id    any
	n     any
	s     any
	price any // string "12.34"
	ts    any // time.Time
}

// wBatch builds a batch of the foreign table's columns cols (local names).
func wBatch(t *testing.T, mem memory.Allocator, cols []int, rows ...wRow) arrow.RecordBatch {
	t.Helper()
	all := wDesc().Schema()
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = all.Field(c)
		fields[i].Nullable = true
	}
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	for _, r := range rows {
		vals := []any{r.id, r.n, r.s, r.price, r.ts}
		for i, c := range cols {
			v := vals[c]
			fb := b.Field(i)
			if v == nil {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.Int64Builder:
				fb.Append(int64(v.(int)))
			case *array.Int32Builder:
				fb.Append(int32(v.(int)))
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.Decimal128Builder:
				d, err := decimal128.FromString(v.(string), wDec.Precision, wDec.Scale)
				if err != nil {
					t.Fatal(err)
				}
				fb.Append(d)
			case *array.TimestampBuilder:
				fb.Append(arrow.Timestamp(v.(time.Time).UnixMicro()))
			}
		}
	}
	return b.NewRecordBatch()
}

func reader(t *testing.T, batches ...arrow.RecordBatch) array.RecordReader {
	t.Helper()
	rdr, err := array.NewRecordReader(batches[0].Schema(), batches)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		b.Release()
	}
	return rdr
}

var allCols = []int{wID, wN, wS, wPrice, wTS}

// TestInsert streams two batches with bulk ingest: NULLs, decimals,
// timestamps, quotes and unicode arrive as they were, the renamed column
// under its remote name; a subset of columns leaves the others NULL.
func TestInsert(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	db, conn := writeServer(t, mem, "")
	tbl := wTable(t, conn)
	ts := time.Date(2024, 2, 29, 23, 59, 58, 123456000, time.UTC)
	rdr := reader(t,
		wBatch(t, mem, allCols, wRow{1, 10, "it's ☃", "12.34", ts}, wRow{2, nil, nil, nil, nil}),
		wBatch(t, mem, allCols, wRow{3, -7, "", "-99999999.99", time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)}))
	defer rdr.Release()
	n, err := tbl.(connectors.Inserter).Insert(context.Background(), rdr)
	if err != nil || n != 3 {
		t.Fatalf("Insert: %d, %v", n, err)
	}
	want := `1 10 it's ☃ 12.34 2024-02-29T23:59:58.123456|2 (null) (null) (null) (null)|3 -7  -99999999.99 1969-12-31T00:00:00`
	if got := remoteRows(t, db); got != want {
		t.Errorf("remote rows\n got %s\nwant %s", got, want)
	}

	// A subset of the columns, in another order.
	sub := reader(t, wBatch(t, mem, []int{wPrice, wID}, wRow{id: 4, price: "0.5"}))
	defer sub.Release()
	if n, err := tbl.(connectors.Inserter).Insert(context.Background(), sub); err != nil || n != 1 {
		t.Fatalf("Insert of a subset: %d, %v", n, err)
	}
	if got := remoteRows(t, db); !strings.HasSuffix(got, "|4 (null) (null) 0.50 (null)") {
		t.Errorf("remote rows after a subset: %s", got)
	}
}

// failingReader returns its batches, then fails.
type failingReader struct {
	array.RecordReader
}

var errSource = sqlerr.New(sqlerr.DivisionByZero, "division by zero in the source")

func (r failingReader) Err() error {
	if err := r.RecordReader.Err(); err != nil {
		return err
	}
	return errSource
}

// TestInsertAtomic: an insert that fails at the server in its second
// batch (NULL id), or whose own rows fail after a batch was sent, leaves
// nothing behind; the remote SQLSTATE is kept and the password never
// shown. An unknown column is 42703 before anything is sent.
func TestInsertAtomic(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	const seed = "(1, 1, 'one', 1.00, NULL)"
	db, conn := writeServer(t, mem, seed)
	before := remoteRows(t, db)
	tbl := wTable(t, conn)
	ins := tbl.(connectors.Inserter)
	ctx := context.Background()

	rdr := reader(t,
		wBatch(t, mem, allCols, wRow{id: 2, n: 2}, wRow{id: 3, n: 3}),
		wBatch(t, mem, allCols, wRow{id: 4}, wRow{id: nil, n: 5}))
	defer rdr.Release()
	n, err := ins.Insert(ctx, rdr)
	if sqlerr.CodeOf(err) != sqlerr.NotNullViolation || n != 0 {
		t.Errorf("NULL id: %d, %v (%s), want 23502", n, err, sqlerr.CodeOf(err))
	}
	if err != nil && (!strings.Contains(err.Error(), "local.w") || strings.Contains(err.Error(), adminPW)) {
		t.Errorf("error %q does not name the table or shows the password", err)
	}
	if got := remoteRows(t, db); got != before {
		t.Errorf("after a failed insert: %s", got)
	}

	src := reader(t, wBatch(t, mem, allCols, wRow{id: 5}), wBatch(t, mem, allCols, wRow{id: 6}))
	defer src.Release()
	n, err = ins.Insert(ctx, failingReader{src})
	if !errors.Is(err, errSource) || n != 0 {
		t.Errorf("failing source: %d, %v", n, err)
	}
	if got := remoteRows(t, db); got != before {
		t.Errorf("after a failing source: %s", got)
	}

	unknown := reader(t, wBatch(t, mem, []int{wID}, wRow{id: 7}))
	defer unknown.Release()
	bad := &renamedSchema{RecordReader: unknown, schema: arrow.NewSchema([]arrow.Field{{Name: "nope", Type: arrow.PrimitiveTypes.Int64}}, nil)}
	if _, err := ins.Insert(ctx, bad); sqlerr.CodeOf(err) != sqlerr.UndefinedColumn {
		t.Errorf("unknown column: %v", err)
	}
	if got := remoteRows(t, db); got != before {
		t.Errorf("after an unknown column: %s", got)
	}
}

type renamedSchema struct {
	array.RecordReader
	schema *arrow.Schema
}

func (r *renamedSchema) Schema() *arrow.Schema { return r.schema }

const wSeed = "(1, 10, 'apple', 1.50, '2024-01-01 00:00:00'), (2, 20, 'it''s', NULL, NULL), " +
	"(3, NULL, 'Ünïcødé ☃', 3.25, '2024-03-01 12:00:00'), (4, 40, NULL, 4.00, NULL)"

const wOrig = `1 10 apple 1.50 2024-01-01T00:00:00|2 20 it's (null) (null)|3 (null) Ünïcødé ☃ 3.25 2024-03-01T12:00:00|4 40 (null) 4.00 (null)`

func wExprs() *sqlconntest.Exprs {
	return sqlconntest.NewExprs(&types.Int64Type{Nullability: types.NullabilityRequired}, &types.Int32Type{}, &types.StringType{},
		&types.DecimalType{Precision: 10, Scale: 2}, &types.TimestampType{})
}

// TestUpdateDelete runs remote UPDATEs and DELETEs and checks the counts
// and the rows they leave.
func TestUpdateDelete(t *testing.T) {
	u := wExprs()
	type set = map[int]expr.Expression
	id := func(v int64) expr.FuncArgBuilder { return u.Lit(v) }
	var mem *memory.CheckedAllocator
	sqlconntest.RunModify(t, []sqlconntest.ModifyCase{
		{Name: "arithmetic where id", Set: set{wN: u.E(u.Call("add", u.Col(wN), u.Lit(1)))}, Where: u.E(u.Call("equal", u.Col(wID), id(1))),
			N: 1, Want: `1 11 apple 1.50 2024-01-01T00:00:00|2 20 it's (null) (null)|3 (null) Ünïcødé ☃ 3.25 2024-03-01T12:00:00|4 40 (null) 4.00 (null)`},
		{Name: "quoted string where IS NULL", Set: set{wS: u.E(u.Lit(`a'b\c`))}, Where: u.E(u.Call("is_null", u.Col(wN))),
			N: 1, Want: `1 10 apple 1.50 2024-01-01T00:00:00|2 20 it's (null) (null)|3 (null) a'b\c 3.25 2024-03-01T12:00:00|4 40 (null) 4.00 (null)`},
		{Name: "set NULL where quote string", Set: set{wN: u.E(u.Null(&types.Int32Type{}))}, Where: u.E(u.Call("equal", u.Col(wS), u.Lit("it's"))),
			N: 1, Want: `1 10 apple 1.50 2024-01-01T00:00:00|2 (null) it's (null) (null)|3 (null) Ünïcødé ☃ 3.25 2024-03-01T12:00:00|4 40 (null) 4.00 (null)`},
		{Name: "swap reads the old row", Set: set{wN: u.E(u.Call("multiply", u.Col(wID), id(100))), wID: u.E(u.Call("add", u.Col(wID), id(10)))},
			Where: u.E(u.Call("lte", u.Col(wID), id(2))), N: 2, Want: `3 (null) Ünïcødé ☃ 3.25 2024-03-01T12:00:00|4 40 (null) 4.00 (null)|11 100 apple 1.50 2024-01-01T00:00:00|12 200 it's (null) (null)`},
		{Name: "renamed column", Set: set{wPrice: u.E(u.Null(&types.DecimalType{Precision: 10, Scale: 2}))}, Where: u.E(u.Call("equal", u.Col(wID), id(4))),
			N: 1, Want: `1 10 apple 1.50 2024-01-01T00:00:00|2 20 it's (null) (null)|3 (null) Ünïcødé ☃ 3.25 2024-03-01T12:00:00|4 40 (null) (null) (null)`},
		{Name: "unchanged rows are counted", Set: set{wN: u.E(u.Col(wN))}, N: 4, Want: wOrig},
		{Name: "delete IN", Where: u.In(wS, u.Lit("apple"), u.Lit("it's")), N: 2,
			Want: `3 (null) Ünïcødé ☃ 3.25 2024-03-01T12:00:00|4 40 (null) 4.00 (null)`},
		{Name: "delete unicode", Where: u.E(u.Call("equal", u.Col(wS), u.Lit("Ünïcødé ☃"))), N: 1,
			Want: `1 10 apple 1.50 2024-01-01T00:00:00|2 20 it's (null) (null)|4 40 (null) 4.00 (null)`},
		{Name: "delete = NULL matches nothing", Where: u.E(u.Call("equal", u.Col(wN), u.Null(&types.Int32Type{}))), N: 0, Want: wOrig},
		{Name: "delete NOT keeps NULLs", Where: u.E(u.Call("not", u.Call("gt", u.Col(wN), u.Lit(15)))), N: 1,
			Want: `2 20 it's (null) (null)|3 (null) Ünïcødé ☃ 3.25 2024-03-01T12:00:00|4 40 (null) 4.00 (null)`},
		{Name: "delete all", N: 4, Want: ""},
	}, func(t *testing.T) (connectors.Table, func() string) {
		mem = memory.NewCheckedAllocator(memory.DefaultAllocator)
		t.Cleanup(func() { mem.AssertSize(t, 0) })
		db, conn := writeServer(t, mem, wSeed)
		return wTable(t, conn), func() string { return remoteRows(t, db) }
	})
}

// TestUpdateRefused: clauses that cannot be deparsed (upper() is not
// shipped) are 0A000 naming the clause; a remote error keeps its
// SQLSTATE (23502 for SET id = NULL); nothing changes.
func TestUpdateRefused(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	db, conn := writeServer(t, mem, wSeed)
	tbl := wTable(t, conn)
	u := wExprs()
	ctx := context.Background()
	upd := tbl.(connectors.Updater)
	sqlconntest.CheckRefused(t, append(sqlconntest.UpperRefused(ctx, tbl, u, wN, wS), sqlconntest.Refused{
		Name: "NULL into NOT NULL at the server",
		Run: func() (int64, error) {
			return upd.Update(ctx, map[int]expr.Expression{wID: u.E(u.Null(&types.Int64Type{}))}, u.E(u.Call("gt", u.Col(wID), u.Lit(int64(2)))))
		},
		Code: sqlerr.NotNullViolation, Msg: []string{"UPDATE of foreign table local.w", `server "remote"`},
	}))
	if got := remoteRows(t, db); got != wOrig {
		t.Errorf("after refused writes: %s", got)
	}
}

// TestReadOnly: updatable 'false' on the table or the server refuses
// INSERT, UPDATE and DELETE with 25006 naming the table; the table's
// option overrides the server's.
func TestReadOnly(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	db, addr := startServer(t)
	ctx := context.Background()
	if _, err := db.Exec(ctx, "CREATE TABLE public.w (id bigint NOT NULL, n integer, s text, amount numeric(10,2), ts timestamp)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "INSERT INTO public.w VALUES "+wSeed); err != nil {
		t.Fatal(err)
	}
	rw := dial(t, mem, "grpc://"+addr)
	ro := dial(t, mem, "grpc://"+addr, "updatable", "false")
	u := wExprs()
	tables := []connectors.Table{wTable(t, rw, "updatable", "false"), wTable(t, ro)}
	sqlconntest.CheckReadOnly(t, map[int]expr.Expression{wN: u.E(u.Lit(1))}, tables...)
	for _, tb := range tables {
		_, err := tb.(connectors.Deleter).Delete(ctx, nil)
		if err == nil || !strings.Contains(err.Error(), "local.w") {
			t.Errorf("read-only error %v does not name the table", err)
		}
	}
	if got := remoteRows(t, db); got != wOrig {
		t.Errorf("after read-only writes: %s", got)
	}
	over := wTable(t, ro, "updatable", "true")
	if n, err := over.(connectors.Deleter).Delete(ctx, u.E(u.Call("is_null", u.Col(wN)))); err != nil || n != 1 {
		t.Errorf("Delete with updatable 'true' on the table: %d, %v", n, err)
	}
}

// bareServer is a Flight SQL server that implements nothing: no GetTables,
// no ingest, no updates.
type bareServer struct{ flightsql.BaseServer }

// TestUnimplemented: a server without bulk ingest or updates answers
// Unimplemented; the wrapper says so (0A000) naming the table.
func TestUnimplemented(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	srv := flight.NewServerWithMiddleware(nil)
	srv.RegisterFlightService(flightsql.NewFlightServer(&bareServer{}))
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.InitListener(lis)
	go srv.Serve() //nolint:errcheck // ends with Shutdown
	defer srv.Shutdown()
	conn, err := mustLookup(t).Connect(context.Background(), connectors.ConnectParams{
		Server: "bare", ServerOptions: map[string]string{"uri": "grpc://" + lis.Addr().String()},
		Logger: zap.NewNop(), Allocator: mem,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tbl := wTable(t, conn)
	ctx := context.Background()
	rdr := reader(t, wBatch(t, mem, allCols, wRow{id: 1}))
	defer rdr.Release()
	u := wExprs()
	sqlconntest.CheckRefused(t, []sqlconntest.Refused{
		{Name: "insert", Run: func() (int64, error) { return tbl.(connectors.Inserter).Insert(ctx, rdr) },
			Code: sqlerr.FeatureNotSupported, Msg: []string{"INSERT", "local.w", "bulk ingest"}},
		{Name: "update", Run: func() (int64, error) {
			return tbl.(connectors.Updater).Update(ctx, map[int]expr.Expression{wN: u.E(u.Lit(1))}, nil)
		}, Code: sqlerr.FeatureNotSupported, Msg: []string{"UPDATE", "local.w"}},
		{Name: "delete", Run: func() (int64, error) { return tbl.(connectors.Deleter).Delete(ctx, nil) },
			Code: sqlerr.FeatureNotSupported, Msg: []string{"DELETE", "local.w"}},
	})
}
