package sqlgen

import (
	"encoding/binary"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"
)

// Literal renders a Substrait literal in dialect d.
func Literal(d *Dialect, l expr.Literal) (string, error) {
	s, _, err := literal(d, l)
	return s, err
}

func literal(d *Dialect, l expr.Literal) (string, class, error) {
	switch x := l.(type) {
	case *expr.NullLiteral:
		return "NULL", classOfType(x.GetType()), nil
	case *expr.PrimitiveLiteral[bool]:
		return d.Bool(x.Value), cBool, nil
	case *expr.PrimitiveLiteral[int8]:
		return intLit(int64(x.Value))
	case *expr.PrimitiveLiteral[int16]:
		return intLit(int64(x.Value))
	case *expr.PrimitiveLiteral[int32]:
		return intLit(int64(x.Value))
	case *expr.PrimitiveLiteral[int64]:
		return intLit(x.Value)
	case *expr.PrimitiveLiteral[float32]:
		if d.Float32 == nil {
			return "", 0, unshippable("float4 literals are not compared exactly by %s", d.Name)
		}
		return floatLit(d, float64(x.Value), d.Float32)
	case *expr.PrimitiveLiteral[float64]:
		return floatLit(d, x.Value, d.Float)
	case *expr.PrimitiveLiteral[string]:
		return stringLit(d, x.Value)
	case *expr.PrimitiveLiteral[types.FixedChar]:
		return "", 0, unshippable("type char(n) not comparable remotely")
	case *expr.PrimitiveLiteral[types.Date]:
		return dateLit(d, int64(x.Value))
	case *expr.PrimitiveLiteral[types.Timestamp]:
		return tsLit(d, int64(x.Value), 6, false)
	case *expr.PrimitiveLiteral[types.TimestampTz]:
		return tsLit(d, int64(x.Value), 6, true)
	case *expr.PrimitiveLiteral[types.Time]:
		return timeLit(d, int64(x.Value), 6)
	case *expr.ByteSliceLiteral[[]byte]:
		return d.Bytes(x.Value), cBytes, nil
	case *expr.ProtoLiteral:
		return protoLit(d, x)
	}
	return "", 0, unshippable("literal of type %s not shippable", typeName(l.GetType()))
}

func intLit(v int64) (string, class, error) {
	s := parenNeg(itoa(v))
	if v == math.MinInt64 {
		// -9223372036854775808 parses as an out-of-range positive number
		// in some dialects.
		s = "(-9223372036854775807 - 1)"
	}
	return s, cInt, nil
}

func floatLit(d *Dialect, f float64, render func(float64) string) (string, class, error) {
	if math.IsNaN(f) {
		return "", 0, unshippable("NaN literal: NaN compares differently remotely")
	}
	if math.IsInf(f, 0) {
		if d.FloatNaN { // PostgreSQL knows infinities
			return "'" + map[bool]string{true: "Infinity", false: "-Infinity"}[f > 0] + "'::float8", cFloat, nil
		}
		return "", 0, unshippable("infinite float literal not expressible in %s", d.Name)
	}
	return render(f), cFloat, nil
}

func stringLit(d *Dialect, s string) (string, class, error) {
	if !utf8.ValidString(s) {
		return "", 0, unshippable("string literal is not valid UTF-8")
	}
	if !d.AllowNUL && strings.IndexByte(s, 0) >= 0 {
		return "", 0, unshippable("string literal holds NUL, which %s strings cannot", d.Name)
	}
	return d.String(s), cString, nil
}

func dateLit(d *Dialect, days int64) (string, class, error) {
	if d.Date == nil {
		return "", 0, unshippable("date literals not shipped to %s", d.Name)
	}
	t := time.Unix(days*86400, 0).UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return "", 0, unshippable("date %d days from 1970 out of the remote range", days)
	}
	return d.Date(t.Format("2006-01-02")), cDate, nil
}

// splitSub splits a value of 10^-prec units into seconds and nanoseconds.
func splitSub(v int64, prec int32) (sec, nsec int64, ok bool) {
	if prec < 0 || prec > 9 {
		return 0, 0, false
	}
	unit := int64(math.Pow10(int(prec)))
	sec, sub := v/unit, v%unit
	if sub < 0 {
		sec, sub = sec-1, sub+unit
	}
	nsec = sub * int64(math.Pow10(9-int(prec)))
	return sec, nsec, nsec%1000 == 0 // microseconds at most remotely
}

func tsLit(d *Dialect, v int64, prec int32, tz bool) (string, class, error) {
	render, c := d.Timestamp, cTimestamp
	if tz {
		render, c = d.TimestampTz, cTimestampTz
	}
	if render == nil {
		return "", 0, unshippable("%s literals not shipped to %s", c, d.Name)
	}
	sec, nsec, ok := splitSub(v, prec)
	if !ok {
		return "", 0, unshippable("timestamp literal with nanoseconds: the remote keeps microseconds")
	}
	t := time.Unix(sec, nsec).UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return "", 0, unshippable("timestamp out of the remote range")
	}
	return render(t.Format("2006-01-02 15:04:05.999999")), c, nil
}

func timeLit(d *Dialect, v int64, prec int32) (string, class, error) {
	if d.Time == nil {
		return "", 0, unshippable("time literals not shipped to %s", d.Name)
	}
	sec, nsec, ok := splitSub(v, prec)
	if !ok || sec < 0 || sec >= 86400 {
		return "", 0, unshippable("time literal out of the remote range or precision")
	}
	t := time.Unix(sec, nsec).UTC()
	return d.Time(t.Format("15:04:05.999999")), cTime, nil
}

func protoLit(d *Dialect, x *expr.ProtoLiteral) (string, class, error) {
	switch t := x.Type.(type) {
	case *types.DecimalType:
		b, ok := x.Value.([]byte)
		if !ok || len(b) != 16 {
			return "", 0, unshippable("malformed decimal literal")
		}
		n := decimal128.New(int64(binary.LittleEndian.Uint64(b[8:])), binary.LittleEndian.Uint64(b[:8]))
		s, ok := d.Decimal(n.ToString(t.Scale), t.Precision)
		if !ok {
			return "", 0, unshippable("decimal(%d,%d) literal not exact in %s", t.Precision, t.Scale, d.Name)
		}
		return s, cDecimal, nil
	case *types.VarCharType:
		if s, ok := x.Value.(string); ok {
			return stringLit(d, s)
		}
	case *types.PrecisionTimestampType:
		if v, ok := x.Value.(int64); ok {
			return tsLit(d, v, int32(t.Precision), false)
		}
	case *types.PrecisionTimestampTzType:
		if v, ok := x.Value.(int64); ok {
			return tsLit(d, v, int32(t.Precision), true)
		}
	case *types.PrecisionTimeType:
		if v, ok := x.Value.(int64); ok {
			return timeLit(d, v, int32(t.Precision))
		}
	}
	return "", 0, unshippable("type %s not comparable remotely", typeName(x.Type))
}
