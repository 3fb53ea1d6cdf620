package sqlgen

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/types"
)

// class is what the deparser needs to know of a value's type.
type class int

const (
	cOther class = iota
	cNull        // a NULL literal of unknown type
	cInt
	cFloat
	cDecimal
	cString
	cBytes
	cBool
	cDate
	cTime
	cTimestamp
	cTimestampTz
)

func (c class) String() string {
	return [...]string{"other", "null", "integer", "float", "decimal", "string", "bytes", "boolean",
		"date", "time", "timestamp", "timestamptz"}[c]
}

func (c class) numeric() bool { return c == cInt || c == cFloat || c == cDecimal }

// compatible reports whether values of the classes compare remotely as
// they do in the engine.
func compatible(a, b class) bool {
	if a == cNull || b == cNull {
		return a != cOther && b != cOther
	}
	return a == b || (a.numeric() && b.numeric())
}

func classOfArrow(t arrow.DataType) class {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32:
		return cInt
	case arrow.FLOAT32, arrow.FLOAT64:
		return cFloat
	case arrow.DECIMAL128:
		return cDecimal
	case arrow.STRING, arrow.LARGE_STRING:
		return cString
	case arrow.BINARY, arrow.LARGE_BINARY:
		return cBytes
	case arrow.BOOL:
		return cBool
	case arrow.DATE32, arrow.DATE64:
		return cDate
	case arrow.TIME32, arrow.TIME64:
		return cTime
	case arrow.TIMESTAMP:
		if t.(*arrow.TimestampType).TimeZone != "" {
			return cTimestampTz
		}
		return cTimestamp
	}
	return cOther
}

func classOfType(t types.Type) class {
	switch t.(type) {
	case *types.Int8Type, *types.Int16Type, *types.Int32Type, *types.Int64Type:
		return cInt
	case *types.Float32Type, *types.Float64Type:
		return cFloat
	case *types.DecimalType:
		return cDecimal
	case *types.StringType, *types.VarCharType:
		return cString
	case *types.BinaryType:
		return cBytes
	case *types.BooleanType:
		return cBool
	case *types.DateType:
		return cDate
	case *types.TimeType, *types.PrecisionTimeType:
		return cTime
	case *types.TimestampType, *types.PrecisionTimestampType:
		return cTimestamp
	case *types.TimestampTzType, *types.PrecisionTimestampTzType:
		return cTimestampTz
	}
	return cOther
}

// castClass names a cast target for Dialect.CastType.
func castClass(t types.Type) (name string, p, s int32) {
	switch x := t.(type) {
	case *types.Int16Type:
		return "int2", 0, 0
	case *types.Int32Type:
		return "int4", 0, 0
	case *types.Int64Type:
		return "int8", 0, 0
	case *types.Float32Type:
		return "float4", 0, 0
	case *types.Float64Type:
		return "float8", 0, 0
	case *types.DecimalType:
		return "decimal", x.Precision, x.Scale
	}
	return "", 0, 0
}

// intWidth is the byte width of an integer type, 0 for others.
func intWidth(t types.Type) int {
	switch t.(type) {
	case *types.Int8Type:
		return 1
	case *types.Int16Type:
		return 2
	case *types.Int32Type:
		return 4
	case *types.Int64Type:
		return 8
	}
	return 0
}

func arrowIntWidth(t arrow.DataType) int {
	switch t.ID() {
	case arrow.INT8, arrow.UINT8:
		return 1
	case arrow.INT16:
		return 2
	case arrow.INT32:
		return 4
	case arrow.INT64:
		return 8
	}
	return 0
}

// typeName is t's SQL name for messages.
func typeName(t types.Type) string {
	switch x := t.(type) {
	case nil:
		return "unknown"
	case *types.IntervalYearType, *types.IntervalDayType, *types.IntervalCompoundType:
		return "interval"
	case *types.Int16Type:
		return "smallint"
	case *types.Int32Type:
		return "integer"
	case *types.Int64Type:
		return "bigint"
	case *types.Float32Type:
		return "real"
	case *types.Float64Type:
		return "double precision"
	case *types.DecimalType:
		return "numeric(" + itoa(int64(x.Precision)) + "," + itoa(int64(x.Scale)) + ")"
	case *types.StringType, *types.VarCharType, *types.FixedCharType:
		return "text"
	case *types.BooleanType:
		return "boolean"
	}
	return t.ShortString()
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// Unshippable is the error of an expression that is not sent to the
// remote server; Reason is what EXPLAIN shows.
type Unshippable struct{ Reason string }

func (e *Unshippable) Error() string { return e.Reason }

func unshippable(format string, args ...any) error {
	return &Unshippable{Reason: fmt.Sprintf(format, args...)}
}

func sprintf(format, s string) string { return fmt.Sprintf(format, s) }
