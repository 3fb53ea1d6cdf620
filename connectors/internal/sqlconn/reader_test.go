package sqlconn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
	_ "modernc.org/sqlite" // the test's database/sql driver
)

// testDB is an in-memory SQLite database holding t (n, s) with rows
// 1..rows, s NULL where n is a multiple of 1000.
func testDB(t *testing.T, rows int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	t.Cleanup(func() { db.Close() })
	q := "CREATE TABLE t (n INTEGER, s TEXT);" +
		"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ?) " +
		"INSERT INTO t SELECT n, CASE WHEN n % 1000 = 0 THEN NULL ELSE 'v' || n END FROM c"
	if _, err := db.Exec(q, rows); err != nil {
		t.Fatal(err)
	}
	return db
}

func testErrors(ctx context.Context, err error, table, format string, args ...any) error {
	if ctx.Err() != nil {
		return Canceled(ctx.Err(), table)
	}
	return sqlerr.Wrap(err, sqlerr.FDWError, "foreign table %q: %s", table, fmt.Sprintf(format, args...))
}

func convInt(b array.Builder, v any) error {
	n, ok := v.(int64)
	if !ok {
		return &ConvError{Code: sqlerr.InvalidTextRepr, Msg: fmt.Sprintf("%T is not an integer", v)}
	}
	if n > 1<<31-1 {
		return &ConvError{Code: sqlerr.NumericValueOutOfRange, Msg: "out of range"}
	}
	b.(*array.Int32Builder).Append(int32(n))
	return nil
}

func convText(b array.Builder, v any) error {
	b.(*array.StringBuilder).Append(string(v.([]byte)))
	return nil
}

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// read runs q through a Reader of the given columns and returns the batch
// sizes, the rows' sum of n and the reader's error; closed counts the
// calls of Result.Close.
func read(t *testing.T, ctx context.Context, db *sql.DB, q string, schema *arrow.Schema, cols []Column) (sizes []int64, sum int64, closed int, err error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(ctx, rows, mem, Result{Table: "public.t", Schema: schema, Columns: cols, Errors: testErrors, Close: func() { closed++ }})
	defer r.Release()
	for r.Next() {
		b := r.RecordBatch()
		sizes = append(sizes, b.NumRows())
		if b.NumCols() > 0 {
			for _, v := range b.Column(0).(*array.Int32).Int32Values() {
				sum += int64(v)
			}
		}
	}
	return sizes, sum, closed, r.Err()
}

func TestReader(t *testing.T) {
	db := testDB(t, BatchRows+10)
	ctx := context.Background()
	cols := []Column{
		{Name: "n", Remote: "n", Nullable: true, Conv: convInt},
		{Name: "s", Remote: "s", Nullable: true, Raw: true, Conv: convText},
	}
	sizes, sum, closed, err := read(t, ctx, db, "SELECT n, s FROM t", testSchema, cols)
	n := int64(BatchRows + 10)
	if err != nil || fmt.Sprint(sizes) != fmt.Sprint([]int64{BatchRows, 10}) || sum != n*(n+1)/2 || closed != 1 {
		t.Errorf("batches %v, sum %d, closed %d, err %v", sizes, sum, closed, err)
	}
	// Zero columns: rows are only counted.
	sizes, _, _, err = read(t, ctx, db, "SELECT NULL FROM t", arrow.NewSchema(nil, nil), nil)
	if err != nil || fmt.Sprint(sizes) != fmt.Sprint([]int64{BatchRows, 10}) {
		t.Errorf("zero columns: batches %v, err %v", sizes, err)
	}

	for _, tc := range []struct {
		name, q string
		cols    func([]Column) []Column
		code    sqlerr.Code
		msg     string
	}{
		{"NULL in a NOT NULL column", "SELECT n, s FROM t", func(c []Column) []Column { c[1].Nullable = false; return c },
			sqlerr.NotNullViolation, `foreign table "public.t": column "s", row 1000: NULL in a column declared NOT NULL`},
		{"conversion error keeps its code", "SELECT n * 1000000000, s FROM t", nil,
			sqlerr.NumericValueOutOfRange, `foreign table "public.t": column "n" (remote "n"), row 3: out of range`},
		{"conversion error without a code is 22P02", "SELECT 'x' || n, s FROM t", func(c []Column) []Column {
			c[0].Conv = func(array.Builder, any) error { return errors.New("bad") }
			return c
		}, sqlerr.InvalidTextRepr, `column "n" (remote "n"), row 1: bad`},
	} {
		c := append([]Column(nil), cols...)
		if tc.cols != nil {
			c = tc.cols(c)
		}
		_, _, closed, err := read(t, ctx, db, tc.q, testSchema, c)
		if !sqlerr.Is(err, tc.code) || !strings.Contains(err.Error(), tc.msg) || closed != 1 {
			t.Errorf("%s: %v (%s), closed %d; want %s %q", tc.name, err, sqlerr.CodeOf(err), closed, tc.code, tc.msg)
		}
	}

	// A cancelled context: 57014 wrapping context.Canceled.
	cctx, cancel := context.WithCancel(ctx)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rows, err := db.QueryContext(cctx, "SELECT n, s FROM t")
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(cctx, rows, mem, Result{Table: "public.t", Schema: testSchema, Columns: cols, Errors: testErrors})
	defer r.Release()
	if !r.Next() {
		t.Fatalf("first batch: %v", r.Err())
	}
	cancel()
	if r.Next() || !sqlerr.Is(r.Err(), sqlerr.QueryCanceled) || !errors.Is(r.Err(), context.Canceled) {
		t.Errorf("after cancel: %v (%s)", r.Err(), sqlerr.CodeOf(r.Err()))
	}
}
