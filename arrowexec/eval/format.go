package eval

import (
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// castToString formats every value as PostgreSQL's text output does for a
// cast to text: booleans true/false, numerics with their scale, ISO dates,
// timestamps with a space, intervals in the postgres IntervalStyle.
func castToString(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
	f, err := formatter(a)
	if err != nil {
		return nil, err
	}
	n := a.Len()
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	var scratch []byte
	for i := 0; i < n; i++ {
		if a.IsNull(i) {
			b.AppendNull()
			continue
		}
		scratch = f(scratch[:0], i)
		b.BinaryBuilder.Append(scratch)
	}
	return b.NewArray(), nil
}

type formatFn func(dst []byte, i int) []byte

func formatter(a arrow.Array) (formatFn, error) {
	switch a := a.(type) {
	case *array.Boolean:
		return func(d []byte, i int) []byte { return strconv.AppendBool(d, a.Value(i)) }, nil
	case *array.Int8:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, int64(a.Value(i)), 10) }, nil
	case *array.Int16:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, int64(a.Value(i)), 10) }, nil
	case *array.Int32:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, int64(a.Value(i)), 10) }, nil
	case *array.Int64:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, a.Value(i), 10) }, nil
	case *array.Float32:
		return func(d []byte, i int) []byte { return append(d, formatFloat(float64(a.Value(i)), 32)...) }, nil
	case *array.Float64:
		return func(d []byte, i int) []byte { return append(d, formatFloat(a.Value(i), 64)...) }, nil
	case *array.Decimal128:
		_, s := decimalOf(a.DataType())
		return func(d []byte, i int) []byte { return append(d, formatDecimal(a.Value(i), s)...) }, nil
	case *array.String:
		return func(d []byte, i int) []byte { return append(d, a.Value(i)...) }, nil
	case *array.Binary:
		return func(d []byte, i int) []byte { return append(append(d, `\x`...), hex.EncodeToString(a.Value(i))...) }, nil
	case *array.Date32:
		return func(d []byte, i int) []byte { return appendDate(d, int64(a.Value(i))) }, nil
	case *array.Timestamp:
		tz := a.DataType().(*arrow.TimestampType).TimeZone != ""
		unit := a.DataType().(*arrow.TimestampType).Unit
		return func(d []byte, i int) []byte {
			return appendTimestamp(d, toMicros(int64(a.Value(i)), unit), tz)
		}, nil
	case *array.Time64:
		unit := a.DataType().(*arrow.Time64Type).Unit
		return func(d []byte, i int) []byte { return appendClock(d, toMicros(int64(a.Value(i)), unit)) }, nil
	case *array.MonthDayNanoInterval:
		return func(d []byte, i int) []byte {
			v := a.Value(i)
			return append(d, formatInterval(v.Months, v.Days, v.Nanoseconds)...)
		}, nil
	}
	return nil, sqlerr.New(sqlerr.CannotCoerce, "cannot cast type %s to text", sqlTypeName(a.DataType()))
}

// formatFloat prints as PostgreSQL 12+: the shortest exact digits, in
// exponent form below 1e-4 or from 1e15 (1e6 for real).
func formatFloat(f float64, bitSize int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	e := strconv.FormatFloat(f, 'e', -1, bitSize)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	limit := 15
	if bitSize == 32 {
		limit = 6
	}
	if exp < -4 || exp >= limit {
		return e
	}
	return strconv.FormatFloat(f, 'f', -1, bitSize)
}

// formatDecimal prints a decimal with exactly scale fractional digits.
func formatDecimal(v decimal128.Num, scale int32) string {
	u, neg := absU(v)
	var digits string
	if u.hi == 0 {
		digits = strconv.FormatUint(u.lo, 10)
	} else {
		z := new(big.Int).Lsh(new(big.Int).SetUint64(u.hi), 64)
		digits = z.Or(z, new(big.Int).SetUint64(u.lo)).String()
	}
	if scale > 0 {
		if pad := int(scale) + 1 - len(digits); pad > 0 {
			digits = strings.Repeat("0", pad) + digits
		}
		cut := len(digits) - int(scale)
		digits = digits[:cut] + "." + digits[cut:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

func toMicros(v int64, unit arrow.TimeUnit) int64 {
	switch unit {
	case arrow.Second:
		return v * 1e6
	case arrow.Millisecond:
		return v * 1e3
	case arrow.Nanosecond:
		return v / 1e3
	}
	return v
}

func appendDate(d []byte, days int64) []byte {
	t := time.Unix(days*86400, 0).UTC()
	if t.Year() <= 0 {
		return append(t.AddDate(-2*t.Year()+1, 0, 0).AppendFormat(d, "2006-01-02"), " BC"...)
	}
	return t.AppendFormat(d, "2006-01-02")
}

func appendTimestamp(d []byte, us int64, tz bool) []byte {
	days := floorDiv(us, 86400e6)
	d = appendDate(d, days)
	d = append(d, ' ')
	d = appendClock(d, us-days*86400e6)
	if tz {
		d = append(d, "+00"...)
	}
	return d
}

// appendClock prints microseconds since midnight as HH:MM:SS[.ffffff].
func appendClock(d []byte, us int64) []byte {
	h, m, s, frac := us/3600e6, us/60e6%60, us/1e6%60, us%1e6
	d = append(d, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+s/10), byte('0'+s%10))
	if frac != 0 {
		f := strconv.AppendInt(nil, frac+1e6, 10)[1:]
		for len(f) > 0 && f[len(f)-1] == '0' {
			f = f[:len(f)-1]
		}
		d = append(append(d, '.'), f...)
	}
	return d
}

// formatInterval prints an interval as PostgreSQL's default IntervalStyle.
func formatInterval(months, days int32, nanos int64) string {
	var parts []string
	unit := func(n int64, one, many string) {
		switch {
		case n == 0:
		case n == 1 || n == -1:
			parts = append(parts, strconv.FormatInt(n, 10)+" "+one)
		default:
			parts = append(parts, strconv.FormatInt(n, 10)+" "+many)
		}
	}
	unit(int64(months/12), "year", "years")
	unit(int64(months%12), "mon", "mons")
	unit(int64(days), "day", "days")
	if nanos != 0 || len(parts) == 0 {
		neg := nanos < 0
		if neg {
			nanos = -nanos
		}
		parts = append(parts, clockString(neg, nanos/1000))
	}
	return strings.Join(parts, " ")
}

func clockString(neg bool, us int64) string {
	var b []byte
	if neg {
		b = append(b, '-')
	}
	h := us / 3600e6
	if h < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, h, 10)
	rest := appendClock(nil, us%3600e6) // "00:MM:SS[.f]"
	return string(append(b, rest[2:]...))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
