package sqlconn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
)

func TestInsertSQL(t *testing.T) {
	if got, want := InsertSQL(`"t"`, []string{`"a"`, `"b"`}, 2), `INSERT INTO "t" ("a", "b") VALUES (?, ?), (?, ?)`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	for _, c := range [][4]int{{100, 65535, 2, 100}, {100, 10, 3, 3}, {1, 10, 30, 1}, {5, 10, 0, 5}} {
		if got := RowsPerStatement(c[0], c[1], c[2]); got != c[3] {
			t.Errorf("RowsPerStatement(%d, %d, %d) = %d, want %d", c[0], c[1], c[2], got, c[3])
		}
	}
	declared := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64}, {Name: "b", Type: arrow.PrimitiveTypes.Int64}}, nil)
	idx, err := InsertColumns("public.t", declared, arrow.NewSchema([]arrow.Field{{Name: "b", Type: arrow.PrimitiveTypes.Int64}}, nil))
	if err != nil || fmt.Sprint(idx) != "[1]" {
		t.Errorf("InsertColumns: %v, %v", idx, err)
	}
	_, err = InsertColumns("public.t", declared, arrow.NewSchema([]arrow.Field{{Name: "c", Type: arrow.PrimitiveTypes.Int64}}, nil))
	if !sqlerr.Is(err, sqlerr.UndefinedColumn) || !strings.Contains(err.Error(), `column "c" of foreign table "public.t"`) {
		t.Errorf("unknown column: %v", err)
	}
}

func TestDriverValue(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean}, {Name: "u", Type: arrow.PrimitiveTypes.Uint64},
		{Name: "f", Type: arrow.PrimitiveTypes.Float32}, {Name: "dec", Type: &arrow.Decimal128Type{Precision: 5, Scale: 2}},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32}, {Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond}},
		{Name: "tm", Type: arrow.FixedWidthTypes.Time64us}, {Name: "n", Type: arrow.PrimitiveTypes.Int16, Nullable: true},
		{Name: "l", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64)},
	}, nil)
	bld := array.NewRecordBuilder(mem, schema)
	defer bld.Release()
	bld.Field(0).(*array.BooleanBuilder).Append(true)
	bld.Field(1).(*array.Uint64Builder).Append(1 << 63)
	bld.Field(2).(*array.Float32Builder).Append(1.5)
	bld.Field(3).(*array.Decimal128Builder).Append(decimal128.FromI64(-1250))
	bld.Field(4).(*array.Date32Builder).Append(19723)
	bld.Field(5).(*array.TimestampBuilder).Append(1704067200000001)
	bld.Field(6).(*array.Time64Builder).Append(arrow.Time64(45296789000))
	bld.Field(7).AppendNull()
	bld.Field(8).AppendNull()
	rec := bld.NewRecordBatch()
	defer rec.Release()
	var got []string
	for i := 0; i < 8; i++ {
		v, ok := DriverValue(rec.Column(i), 0)
		got = append(got, fmt.Sprintf("%T(%v) %v", v, v, ok))
	}
	want := "bool(true) true|uint64(9223372036854775808) true|float64(1.5) true|string(-12.50) true|string(2024-01-01) true|" +
		"string(2024-01-01 00:00:00.000001) true|string(12:34:56.789) true|<nil>(<nil>) true"
	if strings.Join(got, "|") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
	// A type it does not convert (a list, not NULL).
	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int64)
	defer lb.Release()
	lb.Append(true)
	l := lb.NewArray()
	defer l.Release()
	if _, ok := DriverValue(l, 0); ok {
		t.Error("a list converted")
	}
}

// insRows is a reader of one batch per slice of ids (column id int64).
func insRows(t *testing.T, mem memory.Allocator, batches ...[]int64) array.RecordReader {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}}, nil)
	var recs []arrow.RecordBatch
	for _, ids := range batches {
		b := array.NewRecordBuilder(mem, schema)
		b.Field(0).(*array.Int64Builder).AppendValues(ids, nil)
		recs = append(recs, b.NewRecordBatch())
		b.Release()
	}
	rdr, err := array.NewRecordReader(schema, recs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		r.Release()
	}
	return rdr
}

func TestInsert(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	db := testDB(t, 0)
	ctx := context.Background()
	if _, err := db.Exec("CREATE TABLE ins (id INTEGER PRIMARY KEY CHECK (id < 100))"); err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		if err := db.QueryRow("SELECT count(*) FROM ins").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	run := func(per int, value func(int, arrow.Array, int) (any, error), batches ...[]int64) (int64, error) {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		rdr := insRows(t, mem, batches...)
		defer rdr.Release()
		if value == nil {
			value = func(_ int, a arrow.Array, r int) (any, error) { v, _ := DriverValue(a, r); return v, nil }
		}
		return Insert{Table: "public.ins", Columns: []int{0}, PerStatement: per, Errors: testErrors, Value: value,
			SQL: func(n int) string { return InsertSQL("ins", []string{"id"}, n) }}.Run(ctx, tx, rdr)
	}
	// Row 4 (counted across batches) breaks the CHECK: nothing is written.
	for per, where := range map[int]string{1: "INSERT of row 4:", 2: "INSERT of rows 3 to 4:", 10: "INSERT of rows 1 to 5:"} {
		n, err := run(per, nil, []int64{1, 2}, []int64{3, 100, 5})
		if err == nil || n != 0 || !strings.Contains(err.Error(), where) || count() != 0 {
			t.Errorf("%d per statement: %d, %v; want %q and nothing written", per, n, err, where)
		}
	}
	// A value the wrapper refuses names the column and row: 22023.
	n, err := run(2, func(_ int, a arrow.Array, r int) (any, error) {
		if a.(*array.Int64).Value(r) == 3 {
			return nil, errors.New("no threes")
		}
		return a.(*array.Int64).Value(r), nil
	}, []int64{1, 2}, []int64{3})
	if !sqlerr.Is(err, sqlerr.InvalidParameterValue) || !strings.Contains(err.Error(), `foreign table "public.ins": column "id", row 3: no threes`) ||
		n != 0 || count() != 0 {
		t.Errorf("refused value: %d, %v", n, err)
	}
	if n, err := run(2, nil, []int64{1, 2, 3}, nil, []int64{4, 5}); err != nil || n != 5 || count() != 5 {
		t.Errorf("Insert = %d, %v; %d rows", n, err, count())
	}
}
