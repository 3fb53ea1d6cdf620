package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"
	"github.com/substrait-io/substrait-go/v8/expr"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/sql/sqlerr"
)

const stdColumns = "(id bigint NOT NULL, i32 integer, f64 double precision, s text, d date, dec numeric(10,2), b boolean)"

// stdTable describes remote table name with the standard columns.
func stdTable(t *testing.T, c *Conn, name string, opts map[string]string) *Table {
	t.Helper()
	d := connectors.TableDesc{Name: []string{"public", name}, Options: opts}
	s := conntest.Schema()
	for _, f := range s.Fields() {
		d.Columns = append(d.Columns, connectors.ColumnDesc{Name: f.Name, Type: f.Type, Nullable: f.Nullable})
	}
	tbl, err := c.Table(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return tbl.(*Table)
}

func remoteInt(t *testing.T, pg *testsrv.PG, db, q string) int64 {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, pg.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n int64
	if err := c.QueryRow(ctx, q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestInsertCopy writes the standard rows (several batches) through COPY,
// through parameterised INSERTs (use_copy 'false') and into a view (which
// takes INSERT, not COPY); each time the remote table must equal the one
// loaded by loadStd, as a multiset.
func TestInsertCopy(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	loadStd(t, pg, db)
	pg.Exec(t, db, "CREATE TABLE dst "+stdColumns+"; CREATE VIEW dst_view AS SELECT * FROM dst")
	c := connectTo(t, pg, db, mem)
	data := conntest.Data(mem)
	defer func() {
		for _, b := range data {
			b.Release()
		}
	}()
	if len(data) < 2 {
		t.Fatalf("want several batches, got %d", len(data))
	}
	for _, tc := range []struct {
		table string
		opts  map[string]string
	}{
		{"dst", nil},
		{"dst", map[string]string{"use_copy": "false", "batch_size": "7"}},
		{"dst_view", nil},
	} {
		pg.Exec(t, db, "TRUNCATE dst")
		tbl := stdTable(t, c, tc.table, tc.opts)
		rd, err := array.NewRecordReader(conntest.Schema(), data)
		if err != nil {
			t.Fatal(err)
		}
		n, err := tbl.Insert(context.Background(), rd)
		rd.Release()
		if err != nil {
			t.Fatalf("%s %v: %v", tc.table, tc.opts, err)
		}
		if n != conntest.NumRows {
			t.Errorf("%s %v: inserted %d, want %d", tc.table, tc.opts, n, conntest.NumRows)
		}
		diff := remoteInt(t, pg, db, `SELECT (SELECT count(*) FROM (SELECT * FROM std EXCEPT ALL SELECT * FROM dst) a)
			+ (SELECT count(*) FROM (SELECT * FROM dst EXCEPT ALL SELECT * FROM std) b)`)
		if diff != 0 {
			t.Errorf("%s %v: %d rows differ from the reference", tc.table, tc.opts, diff)
		}
	}
}

// TestInsertCopyErrors: a row the server rejects in the second batch
// rolls back the rows of the first, and the error names the line of the
// COPY stream (the row); a value the client cannot encode names the row.
func TestInsertCopyErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	pg.Exec(t, db, "CREATE TABLE dst "+stdColumns+"; ALTER TABLE dst ADD CHECK (id <> 250)")
	c := connectTo(t, pg, db, mem)
	data := conntest.Data(mem)
	defer func() {
		for _, b := range data {
			b.Release()
		}
	}()
	tbl := stdTable(t, c, "dst", nil)
	rd, _ := array.NewRecordReader(conntest.Schema(), data)
	_, err := tbl.Insert(context.Background(), rd)
	rd.Release()
	if !sqlerr.Is(err, sqlerr.Code("23514")) || !strings.Contains(err.Error(), "row 250") || !strings.Contains(err.Error(), "public.dst") {
		t.Errorf("CHECK violation at row 250: %v", err)
	}
	if n := remoteInt(t, pg, db, "SELECT count(*) FROM dst"); n != 0 {
		t.Errorf("%d rows left after the failed INSERT", n)
	}

	// A bigint beyond integer's range, into an integer column.
	pg.Exec(t, db, "CREATE TABLE narrow (id integer, s text)")
	nd := connectors.TableDesc{Name: []string{"public", "narrow"}, Columns: []connectors.ColumnDesc{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}}
	nt, err := c.Table(context.Background(), nd)
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(mem, nd.Schema())
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2, 1 << 40}, nil)
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"a", "b", "c"}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	rd, _ = array.NewRecordReader(nd.Schema(), []arrow.RecordBatch{rec})
	_, err = nt.(*Table).Insert(context.Background(), rd)
	rd.Release()
	if !sqlerr.Is(err, sqlerr.NumericValueOutOfRange) || !strings.Contains(err.Error(), "column id, row 3") || !strings.Contains(err.Error(), "public.narrow") {
		t.Errorf("out of range value at row 3: %v", err)
	}
	if n := remoteInt(t, pg, db, "SELECT count(*) FROM narrow"); n != 0 {
		t.Errorf("%d rows left after the failed INSERT", n)
	}
}

// TestReadOnly: updatable 'false' on the server or the table refuses
// INSERT, UPDATE and DELETE with 25006, naming the table, before anything
// is sent.
func TestReadOnly(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	pg.Exec(t, db, "CREATE TABLE dst "+stdColumns)
	server, user := fixture(pg, db)
	server["updatable"] = "false"
	ro, err := connect(context.Background(), connectors.ConnectParams{Server: "ro", ServerOptions: server,
		UserOptions: user, User: "tester", Logger: zap.NewNop(), Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	rw := connectTo(t, pg, db, mem)
	for _, tbl := range []*Table{
		stdTable(t, ro, "dst", nil),
		stdTable(t, rw, "dst", map[string]string{"updatable": "false"}),
	} {
		rd, _ := array.NewRecordReader(conntest.Schema(), nil)
		_, errs := tbl.Insert(context.Background(), rd)
		rd.Release()
		_, erru := tbl.Update(context.Background(), map[int]expr.Expression{1: nil}, nil)
		_, errd := tbl.Delete(context.Background(), nil)
		for op, err := range map[string]error{"INSERT": errs, "UPDATE": erru, "DELETE": errd} {
			if !sqlerr.Is(err, sqlerr.ReadOnlyTransaction) || !strings.Contains(err.Error(), "public.dst") {
				t.Errorf("%s of a table that is not updatable: %v (SQLSTATE %s), want 25006 naming public.dst", op, err, sqlerr.CodeOf(err))
			}
		}
	}
	// The same table is writable where the option is not set.
	if _, err := stdTable(t, rw, "dst", nil).Delete(context.Background(), nil); err != nil {
		t.Errorf("DELETE of an updatable table: %v", err)
	}
}

// cancelAfter is a RecordReader that cancels its context once n batches
// have been read.
type cancelAfter struct {
	array.RecordReader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Next() bool {
	if c.n == 0 {
		c.cancel()
	}
	c.n--
	return c.RecordReader.Next()
}

// TestInsertCopyCancel: cancelling the statement in the middle of the
// COPY stream is 57014 and leaves nothing written.
func TestInsertCopyCancel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	pg.Exec(t, db, "CREATE TABLE dst "+stdColumns)
	c := connectTo(t, pg, db, mem)
	data := conntest.Data(mem)
	defer func() {
		for _, b := range data {
			b.Release()
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rd, _ := array.NewRecordReader(conntest.Schema(), data)
	_, err := stdTable(t, c, "dst", nil).Insert(ctx, &cancelAfter{RecordReader: rd, n: 1, cancel: cancel})
	rd.Release()
	if !sqlerr.Is(err, sqlerr.QueryCanceled) {
		t.Errorf("cancelled COPY: %v (SQLSTATE %s), want 57014", err, sqlerr.CodeOf(err))
	}
	if n := remoteInt(t, pg, db, "SELECT count(*) FROM dst"); n != 0 {
		t.Errorf("%d rows left after the cancelled INSERT", n)
	}
}
