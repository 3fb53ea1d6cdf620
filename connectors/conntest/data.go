package conntest

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// NumRows is the number of rows of the standard table.
const NumRows = 300

// BatchRows is the size of the batches Data returns (NumRows/BatchRows of them).
const BatchRows = 100

// TableName is the local name of the standard table in TableDesc.Name.
var TableName = []string{"conntest", "std"}

// DecimalType is the type of the standard table's decimal column.
var DecimalType = &arrow.Decimal128Type{Precision: 10, Scale: 2}

// Schema is the standard table's schema: id int64 NOT NULL (1..NumRows,
// unique), then nullable i32 int32, f64 float64, s utf8, d date32,
// dec decimal(10,2) and b boolean, each with some NULLs.
func Schema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "dec", Type: DecimalType, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}, nil)
}

// Row is one row of the standard table; nil pointers are NULLs.
type Row struct {
	ID  int64
	I32 *int32
	F64 *float64
	S   *string
	D   *int32 // days since 1970-01-01
	Dec *int64 // hundredths
	B   *bool
}

func ptr[T any](v T) *T { return &v }

// BaseDate is the date of day 0 of the d column's pattern.
var BaseDate = int32(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400)

// Rows returns the standard rows, ordered by id.
func Rows() []Row {
	rows := make([]Row, NumRows)
	for i := range rows {
		id := int64(i + 1)
		r := Row{ID: id}
		if id%11 != 0 {
			r.I32 = ptr(int32(id%7 - 3))
		}
		if id%13 != 0 {
			r.F64 = ptr(float64(id)*0.5 - 20)
		}
		if id%17 != 0 {
			r.S = ptr(stringFor(id))
		}
		if id%19 != 0 {
			r.D = ptr(BaseDate + int32(id)*3 - 200)
		}
		if id%23 != 0 {
			r.Dec = ptr(id*125 - 10000)
		}
		if id%29 != 0 {
			r.B = ptr(id%3 == 0)
		}
		rows[i] = r
	}
	return rows
}

// stringFor gives mostly "sNN" strings, plus a few that test quoting and
// encodings: a comma and quotes, a line break, non-ASCII and the empty
// string (which is not NULL).
func stringFor(id int64) string {
	switch id {
	case 5:
		return `comma, "quote"`
	case 6:
		return "line\nbreak"
	case 7:
		return "héllo ünï"
	case 8:
		return ""
	case 9:
		return `back\slash`
	}
	return fmt.Sprintf("s%02d", id%40)
}

// Data returns the standard rows as batches of BatchRows rows. The caller
// releases them.
func Data(mem memory.Allocator) []arrow.RecordBatch {
	rows := Rows()
	var out []arrow.RecordBatch
	for start := 0; start < len(rows); start += BatchRows {
		out = append(out, build(mem, rows[start:min(start+BatchRows, len(rows))]))
	}
	return out
}

func build(mem memory.Allocator, rows []Row) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, Schema())
	defer b.Release()
	for _, r := range rows {
		b.Field(0).(*array.Int64Builder).Append(r.ID)
		appendOpt(b.Field(1).(*array.Int32Builder), r.I32)
		appendOpt(b.Field(2).(*array.Float64Builder), r.F64)
		appendOpt(b.Field(3).(*array.StringBuilder), r.S)
		if r.D == nil {
			b.Field(4).AppendNull()
		} else {
			b.Field(4).(*array.Date32Builder).Append(arrow.Date32(*r.D))
		}
		if r.Dec == nil {
			b.Field(5).AppendNull()
		} else {
			b.Field(5).(*array.Decimal128Builder).Append(decimal128.FromI64(*r.Dec))
		}
		appendOpt(b.Field(6).(*array.BooleanBuilder), r.B)
	}
	return b.NewRecordBatch()
}

type appender[T any] interface {
	Append(T)
	AppendNull()
}

func appendOpt[T any](b appender[T], v *T) {
	if v == nil {
		b.AppendNull()
		return
	}
	b.Append(*v)
}
