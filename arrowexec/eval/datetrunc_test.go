package eval

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/sqlerr"
	sqltypes "github.com/medleysql/medley/sql/types"
)

func TestDateTrunc(t *testing.T) {
	tss := c(ts, "2024-05-15 13:45:30.123456", "1969-12-31 23:59:59.999999", nil, "2021-01-03 10:00:00",
		"1999-12-31 23:59:59", "2000-01-01 00:00:00")
	tr := func(field string, dt arrow.DataType) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression {
			return fn(t, "date_trunc", dt, types.Enum(field), col(t, 0, dt))
		}
	}
	cases := []exprCase{
		{name: "microseconds", cols: []column{tss}, e: tr("MICROSECONDS", ts),
			want: "2024-05-15 13:45:30.123456|1969-12-31 23:59:59.999999|NULL|2021-01-03 10:00:00|1999-12-31 23:59:59|2000-01-01 00:00:00"},
		{name: "milliseconds", cols: []column{tss}, e: tr("MILLISECONDS", ts),
			want: "2024-05-15 13:45:30.123|1969-12-31 23:59:59.999|NULL|2021-01-03 10:00:00|1999-12-31 23:59:59|2000-01-01 00:00:00"},
		{name: "second", cols: []column{tss}, e: tr("SECOND", ts),
			want: "2024-05-15 13:45:30|1969-12-31 23:59:59|NULL|2021-01-03 10:00:00|1999-12-31 23:59:59|2000-01-01 00:00:00"},
		{name: "minute", cols: []column{tss}, e: tr("MINUTE", ts),
			want: "2024-05-15 13:45:00|1969-12-31 23:59:00|NULL|2021-01-03 10:00:00|1999-12-31 23:59:00|2000-01-01 00:00:00"},
		{name: "hour", cols: []column{tss}, e: tr("HOUR", ts),
			want: "2024-05-15 13:00:00|1969-12-31 23:00:00|NULL|2021-01-03 10:00:00|1999-12-31 23:00:00|2000-01-01 00:00:00"},
		{name: "day", cols: []column{tss}, e: tr("DAY", ts),
			want: "2024-05-15 00:00:00|1969-12-31 00:00:00|NULL|2021-01-03 00:00:00|1999-12-31 00:00:00|2000-01-01 00:00:00"},
		// ISO weeks start on Monday: 2021-01-03 is a Sunday of week 53 of 2020.
		{name: "week", cols: []column{tss}, e: tr("WEEK", ts),
			want: "2024-05-13 00:00:00|1969-12-29 00:00:00|NULL|2020-12-28 00:00:00|1999-12-27 00:00:00|1999-12-27 00:00:00"},
		{name: "month", cols: []column{tss}, e: tr("MONTH", ts),
			want: "2024-05-01 00:00:00|1969-12-01 00:00:00|NULL|2021-01-01 00:00:00|1999-12-01 00:00:00|2000-01-01 00:00:00"},
		{name: "quarter", cols: []column{tss}, e: tr("QUARTER", ts),
			want: "2024-04-01 00:00:00|1969-10-01 00:00:00|NULL|2021-01-01 00:00:00|1999-10-01 00:00:00|2000-01-01 00:00:00"},
		{name: "year", cols: []column{tss}, e: tr("YEAR", ts),
			want: "2024-01-01 00:00:00|1969-01-01 00:00:00|NULL|2021-01-01 00:00:00|1999-01-01 00:00:00|2000-01-01 00:00:00"},
		{name: "decade", cols: []column{tss}, e: tr("DECADE", ts),
			want: "2020-01-01 00:00:00|1960-01-01 00:00:00|NULL|2020-01-01 00:00:00|1990-01-01 00:00:00|2000-01-01 00:00:00"},
		// Centuries and millennia start in years ...01: 2000 is in the 20th.
		{name: "century", cols: []column{tss}, e: tr("CENTURY", ts),
			want: "2001-01-01 00:00:00|1901-01-01 00:00:00|NULL|2001-01-01 00:00:00|1901-01-01 00:00:00|1901-01-01 00:00:00"},
		{name: "millennium", cols: []column{tss}, e: tr("MILLENNIUM", ts),
			want: "2001-01-01 00:00:00|1001-01-01 00:00:00|NULL|2001-01-01 00:00:00|1001-01-01 00:00:00|1001-01-01 00:00:00"},
		{name: "timestamptz", cols: []column{c(sqltypes.TimestampTZ, "2024-05-15 13:45:30Z")}, e: tr("MONTH", sqltypes.TimestampTZ),
			want: "2024-05-01 00:00:00+00"},
		{name: "unknown field", cols: []column{tss}, e: tr("FORTNIGHT", ts), code: sqlerr.InvalidParameterValue,
			msg: `unit "fortnight" not recognized for type timestamp without time zone`},
		{name: "constant folds", cols: []column{c(i64, 1, 2)}, e: func(t testing.TB) expr.Expression {
			l, err := expr.NewLiteral(types.Timestamp(1715780730123456), true)
			if err != nil {
				t.Fatal(err)
			}
			return fn(t, "date_trunc", ts, types.Enum("DAY"), l)
		}, want: "2024-05-15 00:00:00|2024-05-15 00:00:00"},
	}
	runCases(t, cases)
}

func TestDateTruncYears(t *testing.T) {
	for _, tc := range []struct{ y, decade, century, millennium int64 }{
		{2024, 2020, 2001, 2001}, {2000, 2000, 1901, 1001}, {2001, 2000, 2001, 2001}, {1, 0, 1, 1},
		{0, 0, -99, -999}, {-1, -10, -99, -999}, {-99, -100, -99, -999}, {-100, -100, -199, -999},
	} {
		if got := decadeStart(tc.y); got != tc.decade {
			t.Errorf("decade of %d: %d, want %d", tc.y, got, tc.decade)
		}
		if got := centuryStart(100)(tc.y); got != tc.century {
			t.Errorf("century of %d: %d, want %d", tc.y, got, tc.century)
		}
		if got := centuryStart(1000)(tc.y); got != tc.millennium {
			t.Errorf("millennium of %d: %d, want %d", tc.y, got, tc.millennium)
		}
	}
}

// TestDateTruncOverflow: truncating the least timestamp is out of range,
// and a NULL slot holding it is not an error.
func TestDateTruncOverflow(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	b := array.NewTimestampBuilder(mem, ts.(*arrow.TimestampType))
	defer b.Release()
	b.AppendValues([]arrow.Timestamp{-1 << 63, 0}, []bool{false, true})
	good := b.NewArray()
	defer good.Release()
	b.AppendValues([]arrow.Timestamp{-1 << 63}, nil)
	bad := b.NewArray()
	defer bad.Release()
	e := fn(t, "date_trunc", ts, types.Enum("DAY"), col(t, 0, ts))
	for _, tc := range []struct {
		a    arrow.Array
		code sqlerr.Code
	}{{good, ""}, {bad, sqlerr.DatetimeFieldOverflow}} {
		rb := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "c0", Type: ts, Nullable: true}}, nil), []arrow.Array{tc.a}, int64(tc.a.Len()))
		got, err := evalStrings(t, mem, e, rb)
		rb.Release()
		if sqlerr.CodeOf(err) != tc.code {
			t.Errorf("got %v %v, want %q", got, err, tc.code)
		}
	}
}
