package engine

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// FormatValue returns the value at row i of a as PostgreSQL's text output
// prints it (psql, COPY, the text protocol), and whether it is NULL.
// Booleans are t/f, numerics keep their scale, timestamps use a space
// between date and time, intervals are PostgreSQL's "1 year 2 mons 3 days
// 04:05:06", bytea is hex ("\x0a0b").
func FormatValue(a arrow.Array, i int) (string, bool) {
	if a.IsNull(i) {
		return "", true
	}
	switch a := a.(type) {
	case *array.Boolean:
		if a.Value(i) {
			return "t", false
		}
		return "f", false
	case *array.Int8:
		return strconv.FormatInt(int64(a.Value(i)), 10), false
	case *array.Int16:
		return strconv.FormatInt(int64(a.Value(i)), 10), false
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10), false
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10), false
	case *array.Uint8:
		return strconv.FormatUint(uint64(a.Value(i)), 10), false
	case *array.Uint16:
		return strconv.FormatUint(uint64(a.Value(i)), 10), false
	case *array.Uint32:
		return strconv.FormatUint(uint64(a.Value(i)), 10), false
	case *array.Uint64:
		return strconv.FormatUint(a.Value(i), 10), false
	case *array.Float32:
		return formatFloat(float64(a.Value(i)), 32), false
	case *array.Float64:
		return formatFloat(a.Value(i), 64), false
	case *array.Decimal128:
		return FormatDecimal(a.Value(i), a.DataType().(*arrow.Decimal128Type).Scale), false
	case *array.String:
		return a.Value(i), false
	case *array.LargeString:
		return a.Value(i), false
	case *array.StringView:
		return a.Value(i), false
	case *array.Binary:
		return `\x` + hex.EncodeToString(a.Value(i)), false
	case *array.LargeBinary:
		return `\x` + hex.EncodeToString(a.Value(i)), false
	case *array.FixedSizeBinary:
		if a.DataType().(*arrow.FixedSizeBinaryType).ByteWidth == 16 {
			return formatUUID(a.Value(i)), false
		}
		return `\x` + hex.EncodeToString(a.Value(i)), false
	case *array.Date32:
		return a.Value(i).ToTime().Format("2006-01-02"), false
	case *array.Date64:
		return a.Value(i).ToTime().Format("2006-01-02"), false
	case *array.Time64:
		unit := a.DataType().(*arrow.Time64Type).Unit
		return formatClock(a.Value(i).ToTime(unit)), false
	case *array.Time32:
		unit := a.DataType().(*arrow.Time32Type).Unit
		return formatClock(a.Value(i).ToTime(unit)), false
	case *array.Timestamp:
		typ := a.DataType().(*arrow.TimestampType)
		t := a.Value(i).ToTime(typ.Unit)
		s := t.Format("2006-01-02 ") + formatClock(t)
		if typ.TimeZone != "" {
			s += "+00"
		}
		return s, false
	case *array.MonthDayNanoInterval:
		v := a.Value(i)
		return FormatInterval(v.Months, v.Days, v.Nanoseconds), false
	case *array.DayTimeInterval:
		v := a.Value(i)
		return FormatInterval(0, v.Days, int64(v.Milliseconds)*1e6), false
	case *array.MonthInterval:
		return FormatInterval(int32(a.Value(i)), 0, 0), false
	}
	if ext, ok := a.(array.ExtensionArray); ok {
		return FormatValue(ext.Storage(), i)
	}
	return a.ValueStr(i), false
}

func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

// FormatDecimal prints a decimal128 with exactly scale fractional digits.
func FormatDecimal(v decimal128.Num, scale int32) string {
	neg := v.Sign() < 0
	if neg {
		v = v.Negate()
	}
	digits := v.BigInt().String()
	if scale > 0 {
		if pad := int(scale) + 1 - len(digits); pad > 0 {
			digits = strings.Repeat("0", pad) + digits
		}
		cut := len(digits) - int(scale)
		digits = digits[:cut] + "." + digits[cut:]
	} else if scale < 0 {
		digits += strings.Repeat("0", int(-scale))
	}
	if neg {
		return "-" + digits
	}
	return digits
}

func formatClock(t time.Time) string {
	s := t.Format("15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		frac := strings.TrimRight(fmt.Sprintf("%06d", us), "0")
		s += "." + frac
	}
	return s
}

// FormatInterval prints an interval as PostgreSQL's default IntervalStyle
// (postgres): "1 year 2 mons 3 days 04:05:06".
func FormatInterval(months, days int32, nanos int64) string {
	var parts []string
	unit := func(n int64, one, many string) {
		if n == 0 {
			return
		}
		if n == 1 || n == -1 {
			parts = append(parts, fmt.Sprintf("%d %s", n, one))
		} else {
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	unit(int64(months/12), "year", "years")
	unit(int64(months%12), "mon", "mons")
	unit(int64(days), "day", "days")
	if nanos != 0 || len(parts) == 0 {
		sign := ""
		if nanos < 0 {
			sign = "-"
			nanos = -nanos
		}
		us := nanos / 1000
		h, m, s, frac := us/3600e6, us/60e6%60, us/1e6%60, us%1e6
		clock := fmt.Sprintf("%s%02d:%02d:%02d", sign, h, m, s)
		if frac != 0 {
			clock += "." + strings.TrimRight(fmt.Sprintf("%06d", frac), "0")
		}
		parts = append(parts, clock)
	}
	return strings.Join(parts, " ")
}

func formatUUID(b []byte) string {
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
