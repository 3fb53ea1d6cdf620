package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
	"github.com/medleysql/medley/sql/sqlerr"
)

var insSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "v", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}, Nullable: true},
}, nil)

func insRows(t *testing.T, mem memory.Allocator, ids ...int64) array.RecordReader {
	b := array.NewRecordBuilder(mem, insSchema)
	defer b.Release()
	for _, id := range ids {
		b.Field(0).(*array.Int64Builder).Append(id)
		b.Field(1).(*array.Date32Builder).Append(arrow.Date32(19723 + id))
		if id%2 == 0 {
			b.Field(2).AppendNull()
		} else {
			b.Field(2).(*array.Decimal128Builder).Append(decimalOf(t, id))
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	rdr, err := array.NewRecordReader(insSchema, []arrow.RecordBatch{rec})
	if err != nil {
		t.Fatal(err)
	}
	return rdr
}

func decimalOf(t *testing.T, id int64) decimal128.Num { return decimal128.FromI64(id) }

func TestInsertAtomic(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	path := newFile(t, "CREATE TABLE ins (id INTEGER PRIMARY KEY, d DATE, v DECIMAL(10,2))")
	c := open(t, path)
	ctx := context.Background()
	d := desc("ins", connectors.ColumnDesc{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		col("d", arrow.FixedWidthTypes.Date32), col("v", &arrow.Decimal128Type{Precision: 10, Scale: 2}))
	for _, batch := range []string{"1", "2", "100"} {
		d.Options["batch_size"] = batch
		tbl, err := c.Table(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		rdr := insRows(t, mem, 1, 2, 3, 1, 5) // row 4 of 5 repeats id 1
		_, err = tbl.(connectors.Inserter).Insert(ctx, rdr)
		rdr.Release()
		if sqlerr.CodeOf(err) != "23505" {
			t.Fatalf("batch %s: %v", batch, err)
		}
		if batch == "1" && !strings.Contains(err.Error(), "row 4") {
			t.Errorf("error does not name row 4: %v", err)
		}
		if rows, err := sqlconntest.ReadAll(context.Background(), tbl, mem); err != nil || len(rows) != 0 {
			t.Fatalf("batch %s: after a failed insert: %v %v", batch, rows, err)
		}
	}
	tbl, _ := c.Table(ctx, d)
	rdr := insRows(t, mem, 1, 2, 3)
	n, err := tbl.(connectors.Inserter).Insert(ctx, rdr)
	rdr.Release()
	if err != nil || n != 3 {
		t.Fatalf("Insert = %d, %v", n, err)
	}
	rows, err := sqlconntest.ReadAll(context.Background(), tbl, mem)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(rows))
	for i, r := range rows {
		got[i] = strings.Join(r, " ")
	}
	if want := "1 2024-01-02 0.01|2 2024-01-03 NULL|3 2024-01-04 0.03"; strings.Join(got, "|") != want {
		t.Errorf("rows = %s, want %s", strings.Join(got, "|"), want)
	}
	// Read-only servers refuse writes.
	ro := open(t, path, "force_readonly", "true")
	rtbl, err := ro.Table(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	rdr = insRows(t, mem, 9)
	_, err = rtbl.(connectors.Inserter).Insert(ctx, rdr)
	rdr.Release()
	if !sqlerr.Is(err, sqlerr.ReadOnlyTransaction) {
		t.Errorf("insert into a read-only file: %v", err)
	}
}
