// Package pgtext renders Arrow values as PostgreSQL's text output does
// (psql, COPY, the text protocol): t/f booleans, numerics with their scale,
// shortest-exact floats with PostgreSQL's exponent thresholds, ISO dates
// (BC years), "2024-01-02 03:04:05[.ffffff][+hh[:mm]]" timestamps,
// "1 year 2 mons 3 days 04:05:06" intervals, bytea as \x hex, arrays as
// {a,b,NULL} and composites as (a,b,). The CLI, the database/sql driver and
// the tests all print through it, so a value reads the same everywhere.
package pgtext

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Format renders row i of arr as PostgreSQL's text output would; ok is
// false for NULL.
func Format(arr arrow.Array, i int) (s string, ok bool) {
	if arr.IsNull(i) {
		return "", false
	}
	switch a := arr.(type) {
	case *array.Boolean:
		if a.Value(i) {
			return "t", true
		}
		return "f", true
	case *array.String:
		return a.Value(i), true
	case *array.LargeString:
		return a.Value(i), true
	case *array.StringView:
		return a.Value(i), true
	case *array.Int8:
		return strconv.FormatInt(int64(a.Value(i)), 10), true
	case *array.Int16:
		return strconv.FormatInt(int64(a.Value(i)), 10), true
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10), true
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10), true
	case *array.Uint8:
		return strconv.FormatUint(uint64(a.Value(i)), 10), true
	case *array.Uint16:
		return strconv.FormatUint(uint64(a.Value(i)), 10), true
	case *array.Uint32:
		return strconv.FormatUint(uint64(a.Value(i)), 10), true
	case *array.Uint64:
		return strconv.FormatUint(a.Value(i), 10), true
	case *array.Float16:
		return Float(float64(a.Value(i).Float32()), 32), true
	case *array.Float32:
		return Float(float64(a.Value(i)), 32), true
	case *array.Float64:
		return Float(a.Value(i), 64), true
	}
	return formatOther(arr, i), true
}

// formatOther handles the less common types of Format.
func formatOther(arr arrow.Array, i int) string {
	switch a := arr.(type) {
	case *array.Decimal32:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal32Type).Scale)
	case *array.Decimal64:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal64Type).Scale)
	case *array.Decimal128:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Decimal256:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal256Type).Scale)
	case *array.Date32:
		return formatDate(a.Value(i).ToTime())
	case *array.Date64:
		return formatDate(a.Value(i).ToTime())
	case *array.Timestamp:
		return Timestamp(a, i, " ")
	case *array.Time32:
		unit := a.DataType().(*arrow.Time32Type).Unit
		return formatClock(time.Duration(a.Value(i)) * unit.Multiplier())
	case *array.Time64:
		unit := a.DataType().(*arrow.Time64Type).Unit
		return formatClock(time.Duration(a.Value(i)) * unit.Multiplier())
	case *array.Binary:
		return `\x` + hex.EncodeToString(a.Value(i))
	case *array.LargeBinary:
		return `\x` + hex.EncodeToString(a.Value(i))
	case *array.BinaryView:
		return `\x` + hex.EncodeToString(a.Value(i))
	case *array.FixedSizeBinary:
		return `\x` + hex.EncodeToString(a.Value(i))
	case *array.MonthDayNanoInterval:
		v := a.Value(i)
		return formatInterval(int64(v.Months), int64(v.Days), time.Duration(v.Nanoseconds))
	case *array.DayTimeInterval:
		v := a.Value(i)
		return formatInterval(0, int64(v.Days), time.Duration(v.Milliseconds)*time.Millisecond)
	case *array.MonthInterval:
		return formatInterval(int64(a.Value(i)), 0, 0)
	case *array.Duration:
		unit := a.DataType().(*arrow.DurationType).Unit
		return formatInterval(0, 0, time.Duration(a.Value(i))*unit.Multiplier())
	case array.ListLike:
		return formatList(a, i)
	case *array.Struct:
		return formatStruct(a, i)
	case *array.Dictionary:
		s, _ := Format(a.Dictionary(), a.GetValueIndex(i))
		return s
	case array.ExtensionArray:
		if a.ExtensionType().ExtensionName() == "arrow.uuid" {
			if b, ok := a.Storage().(*array.FixedSizeBinary); ok && len(b.Value(i)) == 16 {
				h := hex.EncodeToString(b.Value(i))
				return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
			}
		}
		s, _ := Format(a.Storage(), i)
		return s
	}
	return arr.ValueStr(i)
}

// Float prints a float as PostgreSQL does (shortest exact digits,
// exponent form outside 1e-4 .. 1e15 for float8 and 1e6 for float4).
func Float(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	limit := 15
	if bits == 32 {
		limit = 6
	}
	e := strconv.FormatFloat(f, 'e', -1, bits)
	mant, exp, _ := strings.Cut(e, "e")
	x, _ := strconv.Atoi(exp)
	if x < -4 || x >= limit {
		return mant + "e" + exp
	}
	return strconv.FormatFloat(f, 'f', -1, bits)
}

func formatDate(t time.Time) string {
	y := t.Year()
	if y <= 0 {
		return fmt.Sprintf("%04d-%02d-%02d BC", 1-y, t.Month(), t.Day())
	}
	return t.Format("2006-01-02")
}

// Timestamp prints "2024-01-02 03:04:05[.fff][+hh[:mm]]"; sep is " " for
// text and "T" for JSON (as PostgreSQL's to_json does).
func Timestamp(a *array.Timestamp, i int, sep string) string {
	typ := a.DataType().(*arrow.TimestampType)
	t := a.Value(i).ToTime(typ.Unit)
	zone := ""
	if typ.TimeZone != "" {
		if loc, err := typ.GetZone(); err == nil && loc != nil {
			t = t.In(loc)
		}
		_, off := t.Zone()
		zone = formatOffset(off, sep == "T")
	}
	clock := formatClock(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
		time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond()))
	return formatDate(t) + sep + clock + zone
}

// formatOffset prints a UTC offset: "+05:30", "+00"; full is "+00:00"
// (JSON).
func formatOffset(off int, full bool) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := fmt.Sprintf("%s%02d", sign, off/3600)
	if m := off % 3600 / 60; m != 0 || full {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}

// formatClock prints a time of day "hh:mm:ss[.ffffff]" without trailing zeros
// in the fraction.
func formatClock(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	h := int64(d / time.Hour)
	m := int64(d % time.Hour / time.Minute)
	s := int64(d % time.Minute / time.Second)
	frac := int64(d % time.Second)
	out := fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	if frac != 0 {
		out += strings.TrimRight(fmt.Sprintf(".%09d", frac), "0")
	}
	if neg {
		out = "-" + out
	}
	return out
}

// formatInterval prints an interval in PostgreSQL's default "postgres" style:
// "1 year 2 mons 3 days 04:05:06".
func formatInterval(months, days int64, d time.Duration) string {
	var parts []string
	plural := func(n int64, unit, units string) {
		if n == 1 {
			parts = append(parts, fmt.Sprintf("%d %s", n, unit))
		} else {
			parts = append(parts, fmt.Sprintf("%d %s", n, units))
		}
	}
	if y := months / 12; y != 0 {
		plural(y, "year", "years")
	}
	if m := months % 12; m != 0 {
		plural(m, "mon", "mons")
	}
	if days != 0 {
		plural(days, "day", "days")
	}
	if d != 0 || len(parts) == 0 {
		parts = append(parts, formatClock(d))
	}
	return strings.Join(parts, " ")
}

// formatList prints an array as PostgreSQL's {a,b,NULL} literal.
func formatList(a array.ListLike, i int) string {
	start, end := a.ValueOffsets(i)
	vals := a.ListValues()
	var b strings.Builder
	b.WriteByte('{')
	for j := start; j < end; j++ {
		if j > start {
			b.WriteByte(',')
		}
		s, ok := Format(vals, int(j))
		if !ok {
			b.WriteString("NULL")
			continue
		}
		b.WriteString(quoteElement(s, ",{}"))
	}
	b.WriteByte('}')
	return b.String()
}

// formatStruct prints a composite as PostgreSQL's (a,b,) literal (NULL is
// an empty field).
func formatStruct(a *array.Struct, i int) string {
	var b strings.Builder
	b.WriteByte('(')
	for f := 0; f < a.NumField(); f++ {
		if f > 0 {
			b.WriteByte(',')
		}
		if s, ok := Format(a.Field(f), i); ok {
			b.WriteString(quoteElement(s, ",()"))
		}
	}
	b.WriteByte(')')
	return b.String()
}

// quoteElement double-quotes an array or composite element when it is empty
// or holds a delimiter, a quote, a backslash or white space.
func quoteElement(s, special string) string {
	if s != "" && !strings.ContainsAny(s, special+"\"\\ \t\n\r") && !strings.EqualFold(s, "NULL") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}
