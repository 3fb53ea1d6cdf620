package engine

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestFormatValue(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)

	check := func(a arrow.Array, want ...string) {
		t.Helper()
		defer a.Release()
		for i, w := range want {
			got, null := FormatValue(a, i)
			if null {
				got = "NULL"
			}
			if got != w {
				t.Errorf("%s row %d: got %q, want %q", a.DataType(), i, got, w)
			}
		}
	}

	db := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	db.AppendValues([]decimal128.Num{decimal128.FromI64(12345), decimal128.FromI64(-5), decimal128.FromI64(0)}, nil)
	db.AppendNull()
	check(db.NewArray(), "123.45", "-0.05", "0.00", "NULL")
	db.Release()

	fb := array.NewFloat64Builder(mem)
	fb.AppendValues([]float64{0.1, 1e6, 100000, 2.5}, nil)
	check(fb.NewArray(), "0.1", "1000000", "100000", "2.5") // PostgreSQL: 1e6::float8 is 1000000
	fb.Release()

	bb := array.NewBooleanBuilder(mem)
	bb.AppendValues([]bool{true, false}, nil)
	check(bb.NewArray(), "t", "f")
	bb.Release()

	dt := array.NewDate32Builder(mem)
	dt.Append(arrow.Date32(10561)) // 1998-12-01
	check(dt.NewArray(), "1998-12-01")
	dt.Release()

	tb := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Microsecond})
	tb.Append(arrow.Timestamp(1_500_000))
	tb.Append(arrow.Timestamp(86_400_000_000 + 3_661_000_000))
	check(tb.NewArray(), "1970-01-01 00:00:01.5", "1970-01-02 01:01:01")
	tb.Release()

	ib := array.NewMonthDayNanoIntervalBuilder(mem)
	ib.Append(arrow.MonthDayNanoInterval{Months: 14, Days: 3, Nanoseconds: 4*3600e9 + 5*60e9 + 6e9})
	ib.Append(arrow.MonthDayNanoInterval{Days: 90})
	ib.Append(arrow.MonthDayNanoInterval{})
	check(ib.NewArray(), "1 year 2 mons 3 days 04:05:06", "90 days", "00:00:00")
	ib.Release()
}
