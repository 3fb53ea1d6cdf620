package eval

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

func init() {
	register(buildDateTrunc, "date_trunc")
}

// truncNode is Medley's date_trunc(field, x) over timestamps (with or
// without time zone: the session time zone is UTC), as PostgreSQL's: the
// value truncated to the start of its field. The kernel maps the whole
// value slice of the input, NULL slots included (their result is masked by
// the input's validity).
type truncNode struct {
	in   Expr // timestamp[us]
	kern truncKernel
	out  arrow.DataType
}

// truncKernel truncates microseconds since the epoch, src to dst.
type truncKernel func(src, dst []int64)

// truncKernels are the fields of date_trunc (sql/bind checks the names).
var truncKernels = map[string]truncKernel{
	"MICROSECONDS": func(src, dst []int64) { copy(dst, src) },
	"MILLISECONDS": func(src, dst []int64) { truncFixed(src, dst, 1e3) },
	"SECOND":       func(src, dst []int64) { truncFixed(src, dst, 1e6) },
	"MINUTE":       func(src, dst []int64) { truncFixed(src, dst, 60e6) },
	"HOUR":         func(src, dst []int64) { truncFixed(src, dst, 3600e6) },
	"DAY":          func(src, dst []int64) { truncFixed(src, dst, microsPerDay) },
	"WEEK": truncDays(func(d int64) int64 {
		return d - floorMod(d+3, 7) // back to Monday: 1970-01-01 was a Thursday
	}),
	"MONTH":      truncDays(func(d int64) int64 { y, m, _ := civil(d); return daysFromCivil(y, m, 1) }),
	"QUARTER":    truncDays(func(d int64) int64 { y, m, _ := civil(d); return daysFromCivil(y, (m-1)/3*3+1, 1) }),
	"YEAR":       truncYears(func(y int64) int64 { return y }),
	"DECADE":     truncYears(decadeStart),
	"CENTURY":    truncYears(centuryStart(100)),
	"MILLENNIUM": truncYears(centuryStart(1000)),
}

// truncFixed truncates to a multiple of unit microseconds, toward minus
// infinity (a time before 1970 truncates to the earlier boundary). It is
// inlined into each caller, so the division is by a constant.
func truncFixed(src, dst []int64, unit int64) {
	for i, v := range src {
		r := v % unit
		if r < 0 {
			r += unit
		}
		dst[i] = v - r
	}
}

// truncDays truncates to the start of the day f returns for a day number.
func truncDays(f func(days int64) int64) truncKernel {
	return func(src, dst []int64) {
		for i, v := range src {
			dst[i] = f(floorDiv(v, microsPerDay)) * microsPerDay
		}
	}
}

// truncYears truncates to January 1st of the year f returns for a year.
func truncYears(f func(y int64) int64) truncKernel {
	return truncDays(func(d int64) int64 {
		y, _, _ := civil(d)
		return daysFromCivil(f(y), 1, 1)
	})
}

// decadeStart is PostgreSQL's first year of the decade (years are
// astronomical: 0 is 1 BC).
func decadeStart(y int64) int64 {
	if y > 0 {
		return y / 10 * 10
	}
	return -((8 - (y - 1)) / 10) * 10
}

// centuryStart is PostgreSQL's first year of the century (n = 100) or
// millennium (n = 1000): 2001 for 2024, there being no year 0 AD.
func centuryStart(n int64) func(int64) int64 {
	return func(y int64) int64 {
		if y > 0 {
			return (y+n-1)/n*n - (n - 1)
		}
		return -((n-1-(y-1))/n)*n + 1
	}
}

func buildDateTrunc(_ *compiler, k *call) (Expr, error) {
	if len(k.enums) != 1 || len(k.args) != 1 || k.args[0].Type().ID() != arrow.TIMESTAMP || k.out.ID() != arrow.TIMESTAMP {
		return nil, unsupported(k)
	}
	kern, ok := truncKernels[strings.ToUpper(k.enums[0])]
	if !ok {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "unit \"%s\" not recognized for type %s",
			strings.ToLower(k.enums[0]), sqlTypeName(k.args[0].Type()))
	}
	us := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: k.args[0].Type().(*arrow.TimestampType).TimeZone}
	in, err := newCast(k.args[0], us)
	if err != nil {
		return nil, err
	}
	n := &truncNode{in: in, kern: kern, out: us}
	if arrow.TypeEqual(us, k.out) {
		return n, nil
	}
	return newCast(n, k.out)
}

func (n *truncNode) Type() arrow.DataType { return n.out }

func (n *truncNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := n.in.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	rows := a.Len()
	src := arrow.GetValues[int64](a.Data(), 1)
	buf, dst := allocFixed[int64](mem, rows)
	n.kern(src, dst)
	// A result is never later than its input; one that is wrapped around.
	for i, v := range dst {
		if v > src[i] && isValid(a, i) {
			buf.Release()
			return nil, tsOverflow()
		}
	}
	valid, nulls := validity(mem, rows, a)
	return makeArray(n.out, rows, nulls, valid, buf), nil
}
