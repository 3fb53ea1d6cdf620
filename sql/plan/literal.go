package plan

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

func (e *Literal) String() string {
	if e.Value == nil {
		return "NULL"
	}
	switch v := e.Value.(type) {
	case bool:
		if v {
			return "true"
		}
		return "false"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case []byte:
		return "'\\x" + hex.EncodeToString(v) + "'"
	case decimal128.Num:
		scale := int32(0)
		if d, ok := e.Typ.(*arrow.Decimal128Type); ok {
			scale = d.Scale
		}
		return v.ToString(scale)
	case arrow.Date32:
		return "DATE '" + v.FormattedString() + "'"
	case arrow.Timestamp:
		text := time.UnixMicro(int64(v)).UTC().Format("2006-01-02 15:04:05.999999")
		if t, ok := e.Typ.(*arrow.TimestampType); ok && t.TimeZone != "" {
			return "TIMESTAMPTZ '" + text + "+00'"
		}
		return "TIMESTAMP '" + text + "'"
	case arrow.Time64:
		return "TIME '" + v.FormattedString(arrow.Microsecond) + "'"
	case arrow.MonthDayNanoInterval:
		return "INTERVAL '" + IntervalString(v) + "'"
	}
	return fmt.Sprint(e.Value)
}

// IntervalString renders an interval as PostgreSQL does ("1 year 2 mons 3 days").
func IntervalString(v arrow.MonthDayNanoInterval) string {
	var parts []string
	if y := v.Months / 12; y != 0 {
		parts = append(parts, plural(int64(y), "year"))
	}
	if m := v.Months % 12; m != 0 {
		parts = append(parts, plural(int64(m), "mon"))
	}
	if v.Days != 0 {
		parts = append(parts, plural(int64(v.Days), "day"))
	}
	if v.Nanoseconds != 0 || len(parts) == 0 {
		d := time.Duration(v.Nanoseconds)
		parts = append(parts, fmt.Sprintf("%02d:%02d:%02d", int64(d.Hours()), int64(d.Minutes())%60, int64(d.Seconds())%60))
	}
	return strings.Join(parts, " ")
}

func plural(n int64, unit string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// TypeString renders an Arrow type with its SQL name (PostgreSQL's).
func TypeString(t arrow.DataType) string {
	switch t := t.(type) {
	case *arrow.BooleanType:
		return "boolean"
	case *arrow.Int16Type:
		return "smallint"
	case *arrow.Int32Type:
		return "integer"
	case *arrow.Int64Type:
		return "bigint"
	case *arrow.Float32Type:
		return "real"
	case *arrow.Float64Type:
		return "double precision"
	case *arrow.Decimal128Type:
		return fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale)
	case *arrow.StringType, *arrow.LargeStringType:
		return "text"
	case *arrow.BinaryType:
		return "bytea"
	case *arrow.Date32Type:
		return "date"
	case *arrow.Time64Type:
		return "time"
	case *arrow.TimestampType:
		if t.TimeZone != "" {
			return "timestamp with time zone"
		}
		return "timestamp"
	case *arrow.MonthDayNanoIntervalType:
		return "interval"
	case *arrow.NullType:
		return "unknown"
	case *arrow.FixedSizeBinaryType:
		if t.ByteWidth == 16 {
			return "uuid"
		}
	}
	return t.String()
}
