package types

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/sqlerr"
)

// kind is a type of the table without its modifiers.
type kind int

const (
	kOther kind = iota
	kNull
	kBool
	kInt2
	kInt4
	kInt8
	kNumeric
	kFloat4
	kFloat8
	kText
	kBytea
	kDate
	kTime
	kTimestamp
	kTimestampTZ
	kInterval
	kUUID
)

func kindOf(t arrow.DataType) kind {
	if t == nil {
		return kOther
	}
	switch t.ID() {
	case arrow.NULL:
		return kNull
	case arrow.BOOL:
		return kBool
	case arrow.INT16:
		return kInt2
	case arrow.INT32:
		return kInt4
	case arrow.INT64:
		return kInt8
	case arrow.DECIMAL128:
		return kNumeric
	case arrow.FLOAT32:
		return kFloat4
	case arrow.FLOAT64:
		return kFloat8
	case arrow.STRING:
		return kText
	case arrow.BINARY:
		return kBytea
	case arrow.DATE32:
		return kDate
	case arrow.TIME64:
		return kTime
	case arrow.TIMESTAMP:
		if t.(*arrow.TimestampType).TimeZone != "" {
			return kTimestampTZ
		}
		return kTimestamp
	case arrow.INTERVAL_MONTH_DAY_NANO:
		return kInterval
	case arrow.EXTENSION:
		if isUUID(t) {
			return kUUID
		}
	}
	return kOther
}

func isNumericKind(k kind) bool { return k >= kInt2 && k <= kFloat8 }
func isIntKind(k kind) bool     { return k >= kInt2 && k <= kInt8 }
func isDateTimeKind(k kind) bool {
	return k == kDate || k == kTimestamp || k == kTimestampTZ
}

// IsNumeric reports whether t is an integer, decimal or floating-point type.
func IsNumeric(t arrow.DataType) bool { return isNumericKind(kindOf(t)) }

// IsInteger reports whether t is int2, int4 or int8.
func IsInteger(t arrow.DataType) bool { return isIntKind(kindOf(t)) }

// intDigits is how many decimal digits an integer kind needs.
func intDigits(k kind) int32 {
	switch k {
	case kInt2:
		return 5
	case kInt4:
		return 10
	}
	return 19
}

// asDecimal returns the decimal that holds every value of an integer or
// decimal type.
func asDecimal(t arrow.DataType) *arrow.Decimal128Type {
	if d, ok := t.(*arrow.Decimal128Type); ok {
		return d
	}
	return &arrow.Decimal128Type{Precision: intDigits(kindOf(t))}
}

// fitDecimal returns a decimal with intPart integer digits and scale
// fraction digits, capped at MaxPrecision: when both do not fit, the scale
// shrinks to what is left, but not below min(scale, 6), and then the integer
// digits give way (values beyond them overflow at run time with 22003).
func fitDecimal(intPart, scale int32) *arrow.Decimal128Type {
	return fitDecimalKeep(intPart, scale, min(scale, 6))
}

// fitDecimalKeep is fitDecimal keeping at least keep fraction digits.
func fitDecimalKeep(intPart, scale, keep int32) *arrow.Decimal128Type {
	if intPart < 1 && scale == 0 {
		intPart = 1
	}
	if intPart+scale <= MaxPrecision {
		return &arrow.Decimal128Type{Precision: intPart + scale, Scale: scale}
	}
	s := max(MaxPrecision-intPart, keep)
	return &arrow.Decimal128Type{Precision: MaxPrecision, Scale: min(s, MaxPrecision)}
}

// Common returns the type two operands are promoted to for UNION, CASE,
// COALESCE, IN lists and comparisons, as PostgreSQL resolves them: NULL takes
// the other type; numbers promote along int2 < int4 < int8 < numeric < real <
// double precision (decimals widen to hold both sides); date < timestamp <
// timestamp with time zone; time < interval. Anything else must be the same
// type, or it is error 42804 "types X and Y cannot be matched".
func Common(a, b arrow.DataType) (arrow.DataType, error) {
	ka, kb := kindOf(a), kindOf(b)
	switch {
	case ka == kOther || kb == kOther:
		if a != nil && b != nil && arrow.TypeEqual(a, b) {
			return a, nil
		}
	case ka == kNull:
		return b, nil
	case kb == kNull:
		return a, nil
	case ka == kNumeric && kb == kNumeric,
		ka == kNumeric && isIntKind(kb), isIntKind(ka) && kb == kNumeric:
		da, db := asDecimal(a), asDecimal(b)
		return fitDecimal(max(da.Precision-da.Scale, db.Precision-db.Scale), max(da.Scale, db.Scale)), nil
	case isNumericKind(ka) && isNumericKind(kb):
		if ka >= kb {
			return a, nil
		}
		return b, nil
	case ka == kb:
		return a, nil
	case isDateTimeKind(ka) && isDateTimeKind(kb):
		if ka >= kb {
			return a, nil
		}
		return b, nil
	case ka == kTime && kb == kInterval, ka == kInterval && kb == kTime:
		return Interval, nil
	}
	return nil, sqlerr.New(sqlerr.DatatypeMismatch, "types %s and %s cannot be matched", SQLName(a), SQLName(b))
}

// ImplicitCast reports whether PostgreSQL converts a value of type from to
// type to without being asked (an implicit cast): NULL to anything, a type to
// itself (decimals to any decimal), numbers up the promotion order, date to
// timestamp[tz], timestamp to timestamptz, time to interval.
func ImplicitCast(from, to arrow.DataType) bool {
	kf, kt := kindOf(from), kindOf(to)
	switch {
	case kf == kNull:
		return true
	case kf == kOther || kt == kOther:
		return from != nil && to != nil && arrow.TypeEqual(from, to)
	case kf == kt:
		return true
	case isNumericKind(kf) && isNumericKind(kt):
		return kf < kt
	case isDateTimeKind(kf) && isDateTimeKind(kt):
		return kf < kt
	}
	return kf == kTime && kt == kInterval
}

// AssignmentCast reports whether PostgreSQL converts a value of type from
// to a column of type to on INSERT or UPDATE (an assignment cast): the
// implicit casts, every number to every number, anything to text, and
// between the date/time types.
func AssignmentCast(from, to arrow.DataType) bool {
	if ImplicitCast(from, to) {
		return true
	}
	kf, kt := kindOf(from), kindOf(to)
	switch {
	case kf == kOther || kt == kOther:
		return false
	case kt == kText:
		return true
	case isNumericKind(kf) && isNumericKind(kt):
		return true
	case isDateTimeKind(kf) && isDateTimeKind(kt):
		return true
	}
	return false
}

// CanCast reports whether CAST(x AS to) is allowed for x of type from:
// the implicit casts, every number to every number, any type to and from
// text (PostgreSQL's I/O conversion casts), integers to and from boolean, and
// between the date/time types (timestamp to date or time, timestamptz to
// timestamp, interval to time).
func CanCast(from, to arrow.DataType) bool {
	if ImplicitCast(from, to) {
		return true
	}
	kf, kt := kindOf(from), kindOf(to)
	switch {
	case kf == kOther || kt == kOther:
		return false
	case kf == kText || kt == kText:
		return true
	case isNumericKind(kf) && isNumericKind(kt):
		return true
	case isIntKind(kf) && kt == kBool, kf == kBool && isIntKind(kt):
		return true
	case isDateTimeKind(kf) && isDateTimeKind(kt):
		return true
	case (kf == kTimestamp || kf == kTimestampTZ) && kt == kTime:
		return true
	case kf == kInterval && kt == kTime:
		return true
	}
	return false
}
