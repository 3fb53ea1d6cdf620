package types

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// Normalize maps any Arrow type a source may produce to the table's type that
// holds its values, for connectors: int8/uint8 → int16, uint16 → int32,
// uint32 → int64, uint64 → numeric(20,0), float16 → real, large/view strings
// → text, large/view/fixed-size binaries → bytea (fixed_size_binary(16) too:
// only the uuid extension type means uuid), date64 → date, any time or
// timestamp unit → microseconds (a timestamp's zone, if any, becomes UTC),
// interval kinds → interval, decimal32/64 → decimal128, decimal256 with
// precision ≤ 38 → decimal128, dictionaries → their value type. ok is false
// when the type has no SQL counterpart (lists, structs, maps, wider decimals).
func Normalize(t arrow.DataType) (out arrow.DataType, ok bool) {
	if t == nil {
		return nil, false
	}
	switch t.ID() {
	case arrow.NULL, arrow.BOOL, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.STRING, arrow.BINARY, arrow.DATE32:
		return t, true
	case arrow.INT8, arrow.UINT8:
		return Int2, true
	case arrow.UINT16:
		return Int4, true
	case arrow.UINT32:
		return Int8, true
	case arrow.UINT64:
		return Decimal(20, 0), true
	case arrow.FLOAT16:
		return Float4, true
	case arrow.LARGE_STRING, arrow.STRING_VIEW:
		return Text, true
	case arrow.LARGE_BINARY, arrow.BINARY_VIEW, arrow.FIXED_SIZE_BINARY:
		return Bytea, true
	case arrow.DATE64:
		return Date, true
	case arrow.TIME32, arrow.TIME64:
		return Time, true
	case arrow.TIMESTAMP:
		if t.(*arrow.TimestampType).TimeZone != "" {
			return TimestampTZ, true
		}
		return Timestamp, true
	case arrow.INTERVAL_MONTHS, arrow.INTERVAL_DAY_TIME, arrow.INTERVAL_MONTH_DAY_NANO, arrow.DURATION:
		return Interval, true
	case arrow.DECIMAL32, arrow.DECIMAL64, arrow.DECIMAL128, arrow.DECIMAL256:
		d := t.(arrow.DecimalType)
		if d.GetPrecision() > MaxPrecision || d.GetScale() < 0 || d.GetScale() > d.GetPrecision() {
			return nil, false
		}
		return Decimal(d.GetPrecision(), d.GetScale()), true
	case arrow.DICTIONARY:
		return Normalize(t.(*arrow.DictionaryType).ValueType)
	case arrow.EXTENSION:
		if isUUID(t) {
			return UUID, true
		}
		return Normalize(t.(arrow.ExtensionType).StorageType())
	}
	return nil, false
}
