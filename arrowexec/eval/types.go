package eval

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/types"

	sqltypes "github.com/medleysql/medley/sql/types"
)

// arrowType converts a Substrait type to the Arrow type the executor uses
// (sql/types is the one table).
func arrowType(t types.Type) (arrow.DataType, error) {
	dt, _, err := sqltypes.FromSubstrait(t)
	return dt, err
}

var (
	boolType = sqltypes.Boolean
)

// sqlTypeName names an Arrow type as PostgreSQL does, for error messages.
func sqlTypeName(dt arrow.DataType) string {
	if dt.ID() == arrow.INT8 {
		return "smallint"
	}
	return sqltypes.SQLName(dt)
}

func sizeOf[T any](v T) uintptr { return unsafe.Sizeof(v) }

// isInteger reports whether dt is a signed integer type.
func isInteger(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return true
	}
	return false
}

func isFloat(dt arrow.DataType) bool {
	return dt.ID() == arrow.FLOAT32 || dt.ID() == arrow.FLOAT64
}

func isDecimal(dt arrow.DataType) bool { return dt.ID() == arrow.DECIMAL128 }

func isNumeric(dt arrow.DataType) bool { return isInteger(dt) || isFloat(dt) || isDecimal(dt) }

// intRank orders the integer types for widening.
func intRank(dt arrow.DataType) int {
	switch dt.ID() {
	case arrow.INT8:
		return 1
	case arrow.INT16:
		return 2
	case arrow.INT32:
		return 3
	case arrow.INT64:
		return 4
	}
	return 0
}

// decimalOf returns precision and scale of a decimal type, or of the decimal
// an integer type widens to (PostgreSQL: integer → numeric(10,0), etc.).
func decimalOf(dt arrow.DataType) (prec, scale int32) {
	switch dt.ID() {
	case arrow.DECIMAL128:
		d := dt.(*arrow.Decimal128Type)
		return d.Precision, d.Scale
	case arrow.INT8:
		return 3, 0
	case arrow.INT16:
		return 5, 0
	case arrow.INT32:
		return 10, 0
	case arrow.INT64:
		return 19, 0
	}
	return 38, 0
}
