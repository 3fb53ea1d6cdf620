package csv

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// appendFunc parses a non-NULL text value and appends it to a builder.
type appendFunc func(b array.Builder, s string) error

// Supported reports whether columns of type t can be read from text.
func Supported(t arrow.DataType) bool { return parserFor(t) != nil }

// parserFor returns the strict parser for a column type, nil if the type
// is not supported.
func parserFor(t arrow.DataType) appendFunc {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		bits := t.(arrow.FixedWidthDataType).BitWidth()
		return func(b array.Builder, s string) error {
			v, err := strconv.ParseInt(strings.TrimSpace(s), 10, bits)
			if err != nil {
				return err
			}
			switch bb := b.(type) {
			case *array.Int8Builder:
				bb.Append(int8(v))
			case *array.Int16Builder:
				bb.Append(int16(v))
			case *array.Int32Builder:
				bb.Append(int32(v))
			case *array.Int64Builder:
				bb.Append(v)
			}
			return nil
		}
	case arrow.FLOAT32, arrow.FLOAT64:
		bits := t.(arrow.FixedWidthDataType).BitWidth()
		return func(b array.Builder, s string) error {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), bits)
			if err != nil {
				return err
			}
			if bb, ok := b.(*array.Float32Builder); ok {
				bb.Append(float32(v))
			} else {
				b.(*array.Float64Builder).Append(v)
			}
			return nil
		}
	case arrow.BOOL:
		return func(b array.Builder, s string) error {
			v, err := ParseBool(s)
			if err == nil {
				b.(*array.BooleanBuilder).Append(v)
			}
			return err
		}
	case arrow.STRING:
		return func(b array.Builder, s string) error {
			if !utf8.ValidString(s) {
				return errBadUTF8
			}
			b.(*array.StringBuilder).Append(s)
			return nil
		}
	case arrow.BINARY:
		return func(b array.Builder, s string) error {
			v, err := parseBytea(s)
			if err == nil {
				b.(*array.BinaryBuilder).Append(v)
			}
			return err
		}
	}
	return temporalParser(t)
}

var errBadUTF8 = fmt.Errorf("invalid byte sequence for encoding UTF8")

func temporalParser(t arrow.DataType) appendFunc {
	switch tt := t.(type) {
	case *arrow.Date32Type:
		return func(b array.Builder, s string) error {
			d, err := time.Parse("2006-01-02", strings.TrimSpace(s))
			if err == nil {
				b.(*array.Date32Builder).Append(arrow.Date32FromTime(d))
			}
			return err
		}
	case *arrow.TimestampType:
		return func(b array.Builder, s string) error {
			ts, err := ParseTimestamp(s, tt.TimeZone != "")
			if err != nil {
				return err
			}
			v, err := arrow.TimestampFromTime(ts, tt.Unit)
			if err == nil {
				b.(*array.TimestampBuilder).Append(v)
			}
			return err
		}
	case *arrow.Time64Type:
		return func(b array.Builder, s string) error {
			v, err := arrow.Time64FromString(strings.TrimSpace(s), tt.Unit)
			if err == nil {
				b.(*array.Time64Builder).Append(v)
			}
			return err
		}
	case *arrow.Decimal128Type:
		return func(b array.Builder, s string) error {
			v, err := ParseDecimal(s, tt.Precision, tt.Scale)
			if err == nil {
				b.(*array.Decimal128Builder).Append(v)
			}
			return err
		}
	}
	return nil
}

// ParseBool accepts PostgreSQL's boolean spellings: t, true, y, yes, on, 1
// and f, false, n, no, off, 0, in any case, with surrounding spaces.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "t", "true", "y", "yes", "on", "1":
		return true, nil
	case "f", "false", "n", "no", "off", "0":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean")
}

var tsLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

var tzLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999 MST",
}

// ParseTimestamp parses an ISO timestamp ("2024-01-31 12:00:00.5",
// "T" separator allowed); with tz, an offset or "Z" may follow (values
// without one are UTC).
func ParseTimestamp(s string, tz bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	layouts := tsLayouts
	if tz {
		layouts = append(append([]string(nil), tzLayouts...), tsLayouts...)
	}
	var err error
	for _, l := range layouts {
		var ts time.Time
		if ts, err = time.Parse(l, s); err == nil {
			return ts, nil
		}
	}
	return time.Time{}, err
}

// ParseDecimal parses a decimal number exactly ("-12.5", "1e3"), rounding
// half away from zero to scale; a value that needs more than precision
// digits is an error.
func ParseDecimal(s string, precision, scale int32) (decimal128.Num, error) {
	s = strings.TrimSpace(s)
	r, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsAny(s, "/") || strings.EqualFold(s, "nan") || strings.Contains(strings.ToLower(s), "inf") {
		return decimal128.Num{}, fmt.Errorf("not a number")
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() != 0 {
		twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
		if twice.Cmp(r.Denom()) >= 0 {
			if r.Sign() < 0 {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	n := decimal128.FromBigInt(q)
	if q.BitLen() > 127 || !n.FitsInPrecision(precision) {
		return decimal128.Num{}, fmt.Errorf("numeric field overflow: precision %d, scale %d", precision, scale)
	}
	return n, nil
}

// parseBytea accepts PostgreSQL's hex format ("\x0aff"); other text is
// taken as its bytes.
func parseBytea(s string) ([]byte, error) {
	if !strings.HasPrefix(s, `\x`) {
		return []byte(s), nil
	}
	h := s[2:]
	if len(h)%2 != 0 {
		return nil, fmt.Errorf("invalid hexadecimal data: odd number of digits")
	}
	out := make([]byte, len(h)/2)
	for i := range out {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			return nil, fmt.Errorf("invalid hexadecimal digit")
		}
		out[i] = byte(v)
	}
	return out, nil
}
