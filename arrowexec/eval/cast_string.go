package eval

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// Parsing is strict, as PostgreSQL's input functions: surrounding
// whitespace is allowed, anything else that is not the type's syntax is
// 22P02 (22007 for dates and times) naming the type and the value.

func syntaxErr(to arrow.DataType, s string) error {
	code := sqlerr.InvalidTextRepr
	if isTemporal(to) {
		code = sqlerr.InvalidDatetimeFormat
	}
	return sqlerr.New(code, "invalid input syntax for type %s: %q", sqlTypeName(to), s)
}

// castFromString returns the parsing kernel for a target type, nil when
// there is none.
func castFromString(to arrow.DataType) castFn {
	var parse func(s string, to arrow.DataType) (any, error)
	switch {
	case isInteger(to):
		parse = parseInt
	case isFloat(to):
		parse = parseFloat
	case isDecimal(to):
		parse = func(s string, to arrow.DataType) (any, error) {
			p, sc := decimalOf(to)
			return parseDecimal(s, p, sc)
		}
	case to.ID() == arrow.BOOL:
		parse = parseBool
	case to.ID() == arrow.DATE32:
		parse = parseDate
	case to.ID() == arrow.TIMESTAMP:
		parse = parseTimestamp
	case to.ID() == arrow.TIME64:
		parse = parseTime
	case to.ID() == arrow.BINARY:
		parse = parseBytea
	default:
		return nil
	}
	return func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
		src := a.(*array.String)
		b := array.NewBuilder(mem, to)
		defer b.Release()
		b.Reserve(src.Len())
		for i := 0; i < src.Len(); i++ {
			if src.IsNull(i) {
				b.AppendNull()
				continue
			}
			v, err := parse(src.Value(i), to)
			if err != nil {
				return nil, err
			}
			appendValue(b, v)
		}
		return b.NewArray(), nil
	}
}

func appendValue(b array.Builder, v any) {
	switch b := b.(type) {
	case *array.Int8Builder:
		b.Append(int8(v.(int64)))
	case *array.Int16Builder:
		b.Append(int16(v.(int64)))
	case *array.Int32Builder:
		b.Append(int32(v.(int64)))
	case *array.Int64Builder:
		b.Append(v.(int64))
	case *array.Float32Builder:
		b.Append(float32(v.(float64)))
	case *array.Float64Builder:
		b.Append(v.(float64))
	case *array.Decimal128Builder:
		b.Append(v.(decimal128.Num))
	case *array.BooleanBuilder:
		b.Append(v.(bool))
	case *array.Date32Builder:
		b.Append(arrow.Date32(v.(int64)))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(v.(int64)))
	case *array.Time64Builder:
		b.Append(arrow.Time64(v.(int64)))
	case *array.BinaryBuilder:
		b.Append(v.([]byte))
	}
}

func parseInt(s string, to arrow.DataType) (any, error) {
	t := strings.TrimSpace(s)
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value %q is out of range for type %s", s, sqlTypeName(to))
		}
		return nil, syntaxErr(to, s)
	}
	if lo, hi := intBounds(to); v < lo || v > hi {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value %q is out of range for type %s", s, sqlTypeName(to))
	}
	return v, nil
}

func parseFloat(s string, to arrow.DataType) (any, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "nan":
		return math.NaN(), nil
	case "infinity", "+infinity", "inf", "+inf":
		return math.Inf(1), nil
	case "-infinity", "-inf":
		return math.Inf(-1), nil
	}
	bits := 64
	if to.ID() == arrow.FLOAT32 {
		bits = 32
	}
	if strings.ContainsAny(t, "xXpP_") || strings.HasPrefix(strings.ToLower(strings.TrimLeft(t, "+-")), "in") {
		return nil, syntaxErr(to, s)
	}
	v, err := strconv.ParseFloat(t, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "%q is out of range for type %s", s, sqlTypeName(to))
		}
		return nil, syntaxErr(to, s)
	}
	return v, nil
}

// parseDecimal parses [sign]digits[.digits][e[sign]digits] and rounds it
// half away from zero to scale; more than prec digits is 22003.
func parseDecimal(s string, prec, scale int32) (decimal128.Num, error) {
	to := &arrow.Decimal128Type{Precision: prec, Scale: scale}
	t := strings.TrimSpace(s)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	mant, exp := t, 0
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		e, err := strconv.Atoi(t[i+1:])
		if err != nil || e > 1000 || e < -1000 {
			return decimal128.Num{}, syntaxErr(to, s)
		}
		mant, exp = t[:i], e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return decimal128.Num{}, syntaxErr(to, s)
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	fs := len(frac) - exp // value = digits × 10^-fs
	roundUp := false
	if drop := fs - int(scale); drop > 0 {
		if drop > len(digits) {
			digits = ""
		} else {
			roundUp = digits[len(digits)-drop] >= '5'
			digits = digits[:len(digits)-drop]
		}
	} else if digits != "" {
		digits += strings.Repeat("0", -drop)
	}
	if len(digits) > 38 {
		return decimal128.Num{}, numericOverflow(to)
	}
	var u u128
	for i := 0; i < len(digits); i++ {
		u, _ = mulU64(u, 10)
		u.lo += uint64(digits[i] - '0')
		if u.lo < uint64(digits[i]-'0') {
			u.hi++
		}
	}
	if roundUp {
		u.lo++
		if u.lo == 0 {
			u.hi++
		}
	}
	n, ok := fromU(u, neg)
	if !ok || !fitsPrec(n, prec) {
		return decimal128.Num{}, numericOverflow(to)
	}
	return n, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseBool accepts PostgreSQL's spellings: any unique prefix of true,
// false, yes, no, and on, off, 1, 0, case-insensitively.
func parseBool(s string, to arrow.DataType) (any, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "1", "on":
		return true, nil
	case "0", "of", "off":
		return false, nil
	}
	if t != "" {
		for _, w := range []string{"true", "yes"} {
			if strings.HasPrefix(w, t) {
				return true, nil
			}
		}
		for _, w := range []string{"false", "no"} {
			if strings.HasPrefix(w, t) {
				return false, nil
			}
		}
	}
	return nil, syntaxErr(to, s)
}

// parseDate accepts ISO dates (YYYY-MM-DD).
func parseDate(s string, to arrow.DataType) (any, error) {
	t := strings.TrimSpace(s)
	d, err := time.Parse("2006-01-02", t)
	if err != nil {
		return nil, datetimeErr(err, to, s)
	}
	return floorDiv(d.Unix(), 86400), nil
}

// parseTimestamp accepts ISO timestamps with a space or T, optional
// fractional seconds and an optional zone offset: converted to UTC for
// timestamp with time zone, ignored for timestamp without (as PostgreSQL).
func parseTimestamp(s string, to arrow.DataType) (any, error) {
	t := strings.TrimSpace(s)
	layouts := []string{"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999Z07",
		"2006-01-02 15:04:05.999999999", "2006-01-02 15:04", "2006-01-02"}
	norm := strings.Replace(t, "T", " ", 1)
	var err error
	for _, l := range layouts {
		var v time.Time
		if v, err = time.Parse(l, norm); err == nil {
			if to.(*arrow.TimestampType).TimeZone == "" {
				v = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
			}
			unit := to.(*arrow.TimestampType).Unit
			us := v.Unix()*1e6 + int64(v.Nanosecond()/1000)
			return fromMicros(us, unit), nil
		}
	}
	return nil, datetimeErr(err, to, s)
}

func parseTime(s string, to arrow.DataType) (any, error) {
	t := strings.TrimSpace(s)
	var err error
	for _, l := range []string{"15:04:05.999999999", "15:04"} {
		var v time.Time
		if v, err = time.Parse(l, t); err == nil {
			us := int64(v.Hour())*3600e6 + int64(v.Minute())*60e6 + int64(v.Second())*1e6 + int64(v.Nanosecond()/1000)
			return fromMicros(us, to.(*arrow.Time64Type).Unit), nil
		}
	}
	return nil, datetimeErr(err, to, s)
}

func datetimeErr(err error, to arrow.DataType, s string) error {
	if pe, ok := err.(*time.ParseError); ok && strings.Contains(pe.Message, "out of range") {
		return sqlerr.New(sqlerr.DatetimeFieldOverflow, "date/time field value out of range: %q", s)
	}
	return syntaxErr(to, s)
}

func fromMicros(us int64, unit arrow.TimeUnit) int64 {
	switch unit {
	case arrow.Second:
		return floorDiv(us, 1e6)
	case arrow.Millisecond:
		return floorDiv(us, 1e3)
	case arrow.Nanosecond:
		return us * 1e3
	}
	return us
}

// parseBytea reads PostgreSQL's bytea input: the hex format (\x then pairs
// of hex digits, white space between pairs allowed) or the escape format
// (\\ for a backslash, \ooo for an octal byte, other bytes as they are).
func parseBytea(s string, _ arrow.DataType) (any, error) {
	bad := func() error {
		return sqlerr.New(sqlerr.InvalidTextRepr, "invalid input syntax for type bytea")
	}
	if strings.HasPrefix(s, `\x`) {
		out := make([]byte, 0, (len(s)-2)/2)
		h := s[2:]
		for i := 0; i < len(h); {
			if c := h[i]; c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			if i+1 >= len(h) {
				return nil, sqlerr.New(sqlerr.InvalidTextRepr, "invalid hexadecimal data: odd number of digits")
			}
			v, err := strconv.ParseUint(h[i:i+2], 16, 8)
			if err != nil {
				return nil, sqlerr.New(sqlerr.InvalidTextRepr, "invalid hexadecimal digit: %q", h[i:i+2])
			}
			out = append(out, byte(v))
			i += 2
		}
		return out, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) && s[i+1] <= '3':
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
		default:
			return nil, bad()
		}
	}
	return out, nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
