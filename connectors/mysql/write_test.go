package mysql

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/sql/sqlerr"
	"go.uber.org/zap"
)

var insSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int32},
	{Name: "v", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// insRows returns a reader of rows (id, v).
func insRows(mem memory.Allocator, ids []int32, vs []string) array.RecordReader {
	b := array.NewRecordBuilder(mem, insSchema)
	defer b.Release()
	b.Field(0).(*array.Int32Builder).AppendValues(ids, nil)
	b.Field(1).(*array.StringBuilder).AppendValues(vs, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	rdr, err := array.NewRecordReader(insSchema, []arrow.RecordBatch{rec})
	if err != nil {
		panic(err)
	}
	return rdr
}

func insTable(t *testing.T, c *Conn, db, batch string) connectors.Table {
	t.Helper()
	d := connectors.TableDesc{Name: []string{"public", "ins"}, Options: map[string]string{"dbname": db, "table_name": "ins", "batch_size": batch},
		Columns: []connectors.ColumnDesc{{Name: "id", Type: arrow.PrimitiveTypes.Int32}, {Name: "v", Type: arrow.BinaryTypes.String, Nullable: true}}}
	tbl, err := c.Table(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func TestInsert(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	m.Exec(t, db, "CREATE TABLE ins (id int PRIMARY KEY, v varchar(5) NOT NULL)")
	c := connectTo(t, m)
	ctx := context.Background()
	for _, batch := range []string{"1", "2", "100"} {
		tbl := insTable(t, c, db, batch)
		ins := tbl.(connectors.Inserter)
		// Row 4 of 5 repeats id 1: nothing is written.
		rdr := insRows(mem, []int32{1, 2, 3, 1, 5}, []string{"a", "b", "c", "d", "e"})
		_, err := ins.Insert(ctx, rdr)
		rdr.Release()
		if err == nil || sqlerr.CodeOf(err) != "23505" {
			t.Fatalf("batch %s: duplicate key: %v", batch, err)
		}
		if batch == "1" && !strings.Contains(err.Error(), "row 4") {
			t.Errorf("error does not name row 4: %v", err)
		}
		// Row 3 is too long for varchar(5): 22001, nothing written.
		rdr = insRows(mem, []int32{1, 2, 3}, []string{"a", "b", "toolong"})
		_, err = ins.Insert(ctx, rdr)
		rdr.Release()
		if !sqlerr.Is(err, sqlerr.StringDataTruncation) {
			t.Fatalf("batch %s: too long: %v", batch, err)
		}
		if rows, err := readAll(ctx, tbl, mem); err != nil || len(rows) != 0 {
			t.Fatalf("batch %s: after failed inserts the table holds %v (%v)", batch, rows, err)
		}
	}
	tbl := insTable(t, c, db, "2")
	rdr := insRows(mem, []int32{1, 2, 3, 4, 5}, []string{"a", "b", "c", "héllo", ""})
	n, err := tbl.(connectors.Inserter).Insert(ctx, rdr)
	rdr.Release()
	if err != nil || n != 5 {
		t.Fatalf("Insert = %d, %v", n, err)
	}
	rows, err := readAll(ctx, tbl, mem)
	if err != nil {
		t.Fatal(err)
	}
	want := "id=1 v=a|id=2 v=b|id=3 v=c|id=4 v=héllo|id=5 v="
	if got := strings.Join(rows, "|"); got != want {
		t.Errorf("rows = %s, want %s", got, want)
	}
}

func TestWrongPassword(t *testing.T) {
	m := testsrv.MariaDB(t)
	const pw = "s3cret-Wrong-pw"
	_, err := connect(context.Background(), connectors.ConnectParams{Server: "maria", ServerOptions: serverOptions(m),
		UserOptions: map[string]string{"username": m.User, "password": pw}, Logger: zap.NewNop()})
	if err == nil {
		t.Fatal("connected with a wrong password")
	}
	if sqlerr.CodeOf(err) != sqlerr.InvalidPassword {
		t.Errorf("code %s, want 28P01: %v", sqlerr.CodeOf(err), err)
	}
	var se *sqlerr.Error
	errors.As(err, &se)
	if strings.Contains(err.Error(), pw) || strings.Contains(se.Detail, pw) || strings.Contains(se.Hint, pw) {
		t.Errorf("error shows the password: %v", err)
	}
	// Nothing listens on port 1: class 08.
	_, err = connect(context.Background(), connectors.ConnectParams{Server: "nowhere", ServerOptions: map[string]string{"port": "1"},
		UserOptions: map[string]string{"username": "u", "password": pw}, Logger: zap.NewNop()})
	if !strings.HasPrefix(string(sqlerr.CodeOf(err)), "08") || strings.Contains(err.Error(), pw) {
		t.Errorf("no server: %v", err)
	}
}

// TestCancel cancels a scan while the server is executing it: the reader
// reports 57014 (wrapping context.Canceled) and the server stops the query.
func TestCancel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	m.Exec(t, db, "CREATE VIEW slow AS SELECT 1 AS x FROM (SELECT SLEEP(3600) AS s) AS z")
	c := connectTo(t, m)
	tbl, err := c.Table(context.Background(), connectors.TableDesc{Name: []string{"public", "slow"},
		Options: map[string]string{"dbname": db, "table_name": "slow"},
		Columns: []connectors.ColumnDesc{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}})
	if err != nil {
		t.Fatal(err)
	}
	running := func() int {
		var n int
		err := c.db.QueryRowContext(context.Background(),
			"SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%`slow`%' AND INFO NOT LIKE '%PROCESSLIST%'").Scan(&n)
		if err != nil {
			t.Error(err)
		}
		return n
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { // cancel once the server runs the query
		defer close(done)
		for running() == 0 && ctx.Err() == nil {
		}
		cancel()
	}()
	plan, err := tbl.Scan(ctx, connectors.ScanRequest{Columns: []int{0}, Limit: -1, MaxPartitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	rdr, err := plan.Partitions[0].Open(ctx, mem)
	if err == nil {
		if rdr.Next() {
			t.Error("Next returned a row of a cancelled query")
		}
		err = rdr.Err()
		rdr.Release()
	}
	<-done
	if !sqlerr.Is(err, sqlerr.QueryCanceled) || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v (%s), want 57014 wrapping context.Canceled", err, sqlerr.CodeOf(err))
	}
	for running() != 0 {
	} // KILL QUERY stopped it (the test's deadline bounds the wait)
}
