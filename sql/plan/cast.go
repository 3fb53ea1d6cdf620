package plan

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// CastLiteral converts a literal to type to at compile time, with
// PostgreSQL's errors for bad values; what it cannot convert it leaves to a
// Cast evaluated at run time.
func CastLiteral(l *Literal, to arrow.DataType) (Expr, error) {
	if l.Value == nil {
		return &Literal{Typ: to}, nil
	}
	v, ok, err := convert(l.Value, l.Typ, to)
	if err != nil {
		return nil, err
	}
	if !ok {
		if !types.CanCast(l.Typ, to) {
			return nil, sqlerr.New(sqlerr.CannotCoerce, "cannot cast type %s to %s", types.SQLName(l.Typ), types.SQLName(to))
		}
		return &Cast{Input: l, Typ: to}, nil
	}
	return &Literal{Value: v, Typ: to}, nil
}

func badValue(to arrow.DataType, v any) error {
	return sqlerr.New(sqlerr.InvalidTextRepr, "invalid input syntax for type %s: \"%v\"", types.SQLName(to), v)
}

func outOfRange(to arrow.DataType) error {
	return sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range for type %s", types.SQLName(to))
}

// convert converts a literal value; ok is false when it does not know how.
func convert(v any, from, to arrow.DataType) (any, bool, error) {
	switch x := v.(type) {
	case string:
		return fromString(x, to)
	case int64:
		return fromInt(x, to)
	case float64:
		return fromFloat(x, to)
	case decimal128.Num:
		return fromDecimal(x, from.(*arrow.Decimal128Type), to)
	case bool:
		if to.ID() == arrow.STRING {
			return strconv.FormatBool(x), true, nil
		}
	case arrow.Date32:
		switch to.ID() {
		case arrow.TIMESTAMP:
			return arrow.Timestamp(int64(x) * 86400 * 1e6), true, nil
		case arrow.STRING:
			return x.FormattedString(), true, nil
		}
	case arrow.Timestamp:
		return fromTimestamp(int64(x), to)
	}
	return nil, false, nil
}

// fromTimestamp converts microseconds since the epoch; with the session
// time zone UTC, timestamp and timestamptz hold the same value.
func fromTimestamp(us int64, to arrow.DataType) (any, bool, error) {
	const day = 86400 * 1e6
	days := us / day
	if us%day < 0 {
		days--
	}
	switch to.ID() {
	case arrow.TIMESTAMP:
		return arrow.Timestamp(us), true, nil
	case arrow.DATE32:
		return arrow.Date32(days), true, nil
	case arrow.TIME64:
		return arrow.Time64(us - days*day), true, nil
	}
	return nil, false, nil
}

func fromString(s string, to arrow.DataType) (any, bool, error) {
	t := strings.TrimSpace(s)
	switch to.ID() {
	case arrow.STRING:
		return s, true, nil
	case arrow.BINARY:
		return nil, false, nil // bytea's input formats are the executor's cast
	case arrow.INT16, arrow.INT32, arrow.INT64:
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return nil, false, badValue(to, s)
		}
		return fromInt(n, to)
	case arrow.FLOAT32, arrow.FLOAT64:
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return nil, false, badValue(to, s)
		}
		return f, true, nil
	case arrow.DECIMAL128:
		d := to.(*arrow.Decimal128Type)
		n, err := decimal128.FromString(t, d.Precision, d.Scale)
		if err != nil {
			return nil, false, badValue(to, s)
		}
		return n, true, nil
	case arrow.BOOL:
		switch strings.ToLower(t) {
		case "t", "true", "yes", "y", "on", "1":
			return true, true, nil
		case "f", "false", "no", "n", "off", "0":
			return false, true, nil
		}
		return nil, false, badValue(to, s)
	case arrow.DATE32:
		d, err := time.Parse("2006-01-02", t)
		if err != nil {
			return nil, false, sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid input syntax for type date: \"%s\"", s)
		}
		return arrow.Date32FromTime(d), true, nil
	case arrow.TIMESTAMP:
		ts, err := parseTimestamp(t)
		if err != nil {
			return nil, false, sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", types.SQLName(to), s)
		}
		if to.(*arrow.TimestampType).TimeZone == "" {
			ts = wallClock(ts) // PostgreSQL ignores a zone given to timestamp without time zone
		}
		return arrow.Timestamp(ts.UnixMicro()), true, nil
	case arrow.TIME64:
		tm, err := time.Parse("15:04:05.999999", t)
		if err != nil {
			if tm, err = time.Parse("15:04", t); err != nil {
				return nil, false, sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid input syntax for type time: \"%s\"", s)
			}
		}
		return arrow.Time64(tm.Sub(tm.Truncate(24 * time.Hour)).Microseconds()), true, nil
	case arrow.INTERVAL_MONTH_DAY_NANO:
		iv, err := ParseInterval(t)
		if err != nil {
			return nil, false, err
		}
		return iv, true, nil
	}
	return nil, false, nil
}

// parseTimestamp accepts what the executor's cast accepts (arrowexec/eval's
// parseTimestamp): ISO timestamps with a space or T, optional fractional
// seconds and an optional zone offset ("+00", "+05:30"; kept in the result).
func parseTimestamp(s string) (time.Time, error) {
	var err error
	norm := strings.Replace(s, "T", " ", 1)
	for _, layout := range []string{"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999Z07",
		"2006-01-02 15:04:05.999999999", "2006-01-02 15:04", "2006-01-02"} {
		var t time.Time
		if t, err = time.Parse(layout, norm); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// wallClock is t's date and time of day read as UTC, its zone dropped.
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

func fromInt(n int64, to arrow.DataType) (any, bool, error) {
	switch to.ID() {
	case arrow.INT16:
		if n < math.MinInt16 || n > math.MaxInt16 {
			return nil, false, outOfRange(to)
		}
		return n, true, nil
	case arrow.INT32:
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, false, outOfRange(to)
		}
		return n, true, nil
	case arrow.INT64:
		return n, true, nil
	case arrow.FLOAT32, arrow.FLOAT64:
		return float64(n), true, nil
	case arrow.DECIMAL128:
		d := to.(*arrow.Decimal128Type)
		return fromDecimal(decimal128.FromI64(n), &arrow.Decimal128Type{Precision: 19}, d)
	case arrow.STRING:
		return strconv.FormatInt(n, 10), true, nil
	case arrow.BOOL:
		return n != 0, true, nil
	}
	return nil, false, nil
}

func fromFloat(f float64, to arrow.DataType) (any, bool, error) {
	switch to.ID() {
	case arrow.FLOAT32, arrow.FLOAT64:
		return f, true, nil
	case arrow.INT16, arrow.INT32, arrow.INT64:
		r := math.RoundToEven(f)
		if r < math.MinInt64 || r > math.MaxInt64 {
			return nil, false, outOfRange(to)
		}
		return fromInt(int64(r), to)
	case arrow.DECIMAL128:
		d := to.(*arrow.Decimal128Type)
		n, err := decimal128.FromFloat64(f, d.Precision, d.Scale)
		if err != nil {
			return nil, false, outOfRange(to)
		}
		return n, true, nil
	case arrow.STRING:
		return strconv.FormatFloat(f, 'g', -1, 64), true, nil
	}
	return nil, false, nil
}

func fromDecimal(n decimal128.Num, from *arrow.Decimal128Type, to arrow.DataType) (any, bool, error) {
	switch to.ID() {
	case arrow.DECIMAL128:
		d := to.(*arrow.Decimal128Type)
		r := Rescale(n, from.Scale, d.Scale)
		if !r.FitsInPrecision(d.Precision) {
			return nil, false, outOfRange(to)
		}
		return r, true, nil
	case arrow.FLOAT32, arrow.FLOAT64:
		return n.ToFloat64(from.Scale), true, nil
	case arrow.INT16, arrow.INT32, arrow.INT64:
		r := Rescale(n, from.Scale, 0)
		if !r.FitsInPrecision(19) {
			return nil, false, outOfRange(to)
		}
		return fromInt(int64(r.LowBits()), to)
	case arrow.STRING:
		return n.ToString(from.Scale), true, nil
	}
	return nil, false, nil
}

// Rescale changes a decimal's scale, rounding half away from zero as
// PostgreSQL's numeric does.
func Rescale(n decimal128.Num, from, to int32) decimal128.Num {
	if from == to {
		return n
	}
	b := n.BigInt()
	if to > from {
		b.Mul(b, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(to-from)), nil))
		return decimal128.FromBigInt(b)
	}
	div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(from-to)), nil)
	q, r := new(big.Int).QuoRem(b, div, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2)).Cmp(div) >= 0 {
		if b.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return decimal128.FromBigInt(q)
}

// ParseInterval reads PostgreSQL's interval text: "90 days", "3 months",
// "1 year 2 mons", "1 day 02:00:00", "90" (seconds).
func ParseInterval(s string) (arrow.MonthDayNanoInterval, error) {
	var iv arrow.MonthDayNanoInterval
	f := strings.Fields(strings.ToLower(s))
	bad := sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid input syntax for type interval: \"%s\"", s)
	for i := 0; i < len(f); i++ {
		if strings.Contains(f[i], ":") {
			d, err := time.ParseDuration(strings.Replace(strings.Replace(f[i], ":", "h", 1), ":", "m", 1) + "s")
			if err != nil {
				return iv, bad
			}
			iv.Nanoseconds += d.Nanoseconds()
			continue
		}
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return iv, bad
		}
		unit := "second"
		if i+1 < len(f) {
			i++
			unit = strings.TrimSuffix(f[i], "s")
		}
		if !addUnit(&iv, n, unit) {
			return iv, bad
		}
	}
	if len(f) == 0 {
		return iv, bad
	}
	return iv, nil
}

func addUnit(iv *arrow.MonthDayNanoInterval, n int64, unit string) bool {
	switch unit {
	case "year", "yr", "y":
		iv.Months += int32(12 * n)
	case "mon", "month":
		iv.Months += int32(n)
	case "week", "w":
		iv.Days += int32(7 * n)
	case "day", "d":
		iv.Days += int32(n)
	case "hour", "hr", "h":
		iv.Nanoseconds += n * 3600e9
	case "minute", "min", "m":
		iv.Nanoseconds += n * 60e9
	case "second", "sec", "":
		iv.Nanoseconds += n * 1e9
	default:
		return false
	}
	return true
}
