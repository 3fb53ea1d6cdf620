package eval

import (
	"context"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

func init() {
	register(buildExtract, "extract")
}

// extractNode is EXTRACT(field FROM x) for dates, timestamps and times.
// Fields are PostgreSQL's (YEAR, QUARTER, MONTH, DAY, DOY, DOW, ISODOW, WEEK,
// ISOYEAR, HOUR, MINUTE, SECOND, MILLISECONDS, MICROSECONDS, EPOCH, DECADE,
// CENTURY, MILLENNIUM) and Substrait's names for them (DAY_OF_YEAR,
// SUNDAY_DAY_OF_WEEK, MONDAY_DAY_OF_WEEK, ISO_WEEK, ISO_YEAR, UNIX_TIME,
// MILLISECOND, MICROSECOND, SUBSECOND; indexing ZERO subtracts one).
// SECOND, MILLISECONDS and EPOCH keep their fraction when the output type is
// a decimal or float (PostgreSQL's numeric), and truncate for integers.
type extractNode struct {
	in    Expr
	field string
	zero  bool
	loc   *time.Location // nil for UTC
	out   arrow.DataType
}

func buildExtract(c *compiler, k *call) (Expr, error) {
	if len(k.enums) == 0 || len(k.args) == 0 || len(k.args) > 2 {
		return nil, unsupported(k)
	}
	n := &extractNode{in: k.args[0], field: strings.ToUpper(k.enums[0]), out: k.out}
	if len(k.enums) > 1 {
		n.zero = strings.EqualFold(k.enums[1], "ZERO")
	}
	if !isTemporal(n.in.Type()) {
		return nil, unsupported(k)
	}
	if !isNumeric(k.out) {
		return nil, unsupported(k)
	}
	if _, ok := extractFields[n.field]; !ok {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "unit %q not supported for type %s",
			strings.ToLower(n.field), sqlTypeName(n.in.Type()))
	}
	if len(k.args) == 2 {
		z := asConst(k.args[1])
		if z == nil || z.null() {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "extract needs a constant time zone")
		}
		name := constString(z)
		if !strings.EqualFold(name, "UTC") {
			loc, err := time.LoadLocation(name)
			if err != nil {
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "time zone %q not recognized", name)
			}
			n.loc = loc
		}
	}
	return n, nil
}

// extractFields computes a field from microseconds since the epoch; the
// result is scaled by 10^6 when the bool is true.
var extractFields = map[string]func(us int64) (int64, bool){
	"YEAR":               func(us int64) (int64, bool) { y, _, _ := civil(floorDiv(us, microsPerDay)); return y, false },
	"QUARTER":            func(us int64) (int64, bool) { _, m, _ := civil(floorDiv(us, microsPerDay)); return (m-1)/3 + 1, false },
	"MONTH":              func(us int64) (int64, bool) { _, m, _ := civil(floorDiv(us, microsPerDay)); return m, false },
	"DAY":                func(us int64) (int64, bool) { _, _, d := civil(floorDiv(us, microsPerDay)); return d, false },
	"DOY":                doy,
	"DAY_OF_YEAR":        doy,
	"DOW":                func(us int64) (int64, bool) { return floorMod(floorDiv(us, microsPerDay)+4, 7), false },
	"SUNDAY_DAY_OF_WEEK": func(us int64) (int64, bool) { return floorMod(floorDiv(us, microsPerDay)+4, 7) + 1, false },
	"ISODOW":             isodow,
	"MONDAY_DAY_OF_WEEK": isodow,
	"WEEK":               isoWeek,
	"ISO_WEEK":           isoWeek,
	"ISOYEAR":            isoYear,
	"ISO_YEAR":           isoYear,
	"HOUR":               func(us int64) (int64, bool) { return floorMod(us, microsPerDay) / 3600e6, false },
	"MINUTE":             func(us int64) (int64, bool) { return floorMod(us, 3600e6) / 60e6, false },
	"SECOND":             func(us int64) (int64, bool) { return floorMod(us, 60e6), true },
	"MILLISECONDS":       func(us int64) (int64, bool) { return floorMod(us, 60e6) * 1000, true },
	"MICROSECONDS":       func(us int64) (int64, bool) { return floorMod(us, 60e6), false },
	"MILLISECOND":        func(us int64) (int64, bool) { return floorMod(us, 1e6) / 1000, false },
	"MICROSECOND":        func(us int64) (int64, bool) { return floorMod(us, 1000), false },
	"SUBSECOND":          func(us int64) (int64, bool) { return floorMod(us, 1e6), false },
	"EPOCH":              func(us int64) (int64, bool) { return us, true },
	"UNIX_TIME":          func(us int64) (int64, bool) { return us, true },
	"DECADE":             func(us int64) (int64, bool) { y, _ := extractYear(us); return floorDiv(y, 10), false },
	"CENTURY":            centuryOf(100),
	"MILLENNIUM":         centuryOf(1000),
}

func doy(us int64) (int64, bool) {
	days := floorDiv(us, microsPerDay)
	y, _, _ := civil(days)
	return days - daysFromCivil(y, 1, 1) + 1, false
}

func isodow(us int64) (int64, bool) {
	return floorMod(floorDiv(us, microsPerDay)+3, 7) + 1, false
}

func isoWeek(us int64) (int64, bool) {
	_, w := time.UnixMicro(us).UTC().ISOWeek()
	return int64(w), false
}

func isoYear(us int64) (int64, bool) {
	y, _ := time.UnixMicro(us).UTC().ISOWeek()
	return int64(y), false
}

func extractYear(us int64) (int64, bool) {
	y, _, _ := civil(floorDiv(us, microsPerDay))
	return y, false
}

func centuryOf(n int64) func(int64) (int64, bool) {
	return func(us int64) (int64, bool) {
		y, _ := extractYear(us)
		if y > 0 {
			return (y + n - 1) / n, false
		}
		return -((n - y) / n), false
	}
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func (n *extractNode) Type() arrow.DataType { return n.out }

func (n *extractNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := n.in.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	f := extractFields[n.field]
	shift := int64(0)
	if n.zero && oneBased[n.field] {
		shift = 1
	}
	raw, err := mapRows[int64](mem, a, nil, arrow.PrimitiveTypes.Int64, func(i int) (int64, bool) {
		us := tsMicros(a, nil, i)
		if n.loc != nil {
			_, off := time.UnixMicro(us).In(n.loc).Zone()
			us += int64(off) * 1e6
		}
		v, scaled := f(us)
		v -= shift
		if !scaled {
			v *= 1e6
		}
		return v, true
	}, nil)
	if err != nil {
		return nil, err
	}
	defer raw.Release()
	return scaledTo(mem, raw, n.out)
}

// oneBased are the Substrait fields that the indexing option ZERO shifts.
var oneBased = map[string]bool{"QUARTER": true, "MONTH": true, "DAY": true, "DAY_OF_YEAR": true,
	"SUNDAY_DAY_OF_WEEK": true, "MONDAY_DAY_OF_WEEK": true, "ISO_WEEK": true}

// scaledTo converts an int64 array of values scaled by 10^6 to out.
func scaledTo(mem memory.Allocator, a arrow.Array, out arrow.DataType) (arrow.Array, error) {
	switch {
	case isInteger(out):
		w, err := mapFixed(mem, a, arrow.PrimitiveTypes.Int64, func(v int64) (int64, bool) { return v / 1e6, true }, nil)
		if err != nil || out.ID() == arrow.INT64 {
			return w, err
		}
		defer w.Release()
		return castNumeric(w.DataType(), out)(mem, w, out)
	case isFloat(out):
		w, err := mapFixed(mem, a, arrow.PrimitiveTypes.Float64, func(v int64) (float64, bool) { return float64(v) / 1e6, true }, nil)
		if err != nil || out.ID() == arrow.FLOAT64 {
			return w, err
		}
		defer w.Release()
		return castNumeric(w.DataType(), out)(mem, w, out)
	}
	prec, s := decimalOf(out)
	return mapFixed(mem, a, out, func(v int64) (decimal128.Num, bool) {
		r, ok := rescaleDec(decimal128.FromI64(v), 6, s)
		return r, ok && fitsPrec(r, prec)
	}, func(int64) error { return numericOverflow(out) })
}
