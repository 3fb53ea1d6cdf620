package types

import (
	"github.com/apache/arrow-go/v18/arrow"
	stypes "github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/sqlerr"
)

// nullability converts a Go bool to Substrait's nullability.
func nullability(nullable bool) stypes.Nullability {
	if nullable {
		return stypes.NullabilityNullable
	}
	return stypes.NullabilityRequired
}

// ToSubstrait returns the Substrait type of an Arrow type of the table (see
// the package comment). Other Arrow types are error 0A000; pass them through
// Normalize first.
func ToSubstrait(t arrow.DataType, nullable bool) (stypes.Type, error) {
	n := nullability(nullable)
	if t == nil {
		return nil, sqlerr.New(sqlerr.InternalError, "no type given")
	}
	switch t.ID() {
	case arrow.BOOL:
		return &stypes.BooleanType{Nullability: n}, nil
	case arrow.INT16:
		return &stypes.Int16Type{Nullability: n}, nil
	case arrow.INT32:
		return &stypes.Int32Type{Nullability: n}, nil
	case arrow.INT64:
		return &stypes.Int64Type{Nullability: n}, nil
	case arrow.FLOAT32:
		return &stypes.Float32Type{Nullability: n}, nil
	case arrow.FLOAT64:
		return &stypes.Float64Type{Nullability: n}, nil
	case arrow.DECIMAL128:
		d := t.(*arrow.Decimal128Type)
		return &stypes.DecimalType{Nullability: n, Precision: d.Precision, Scale: d.Scale}, nil
	case arrow.STRING:
		return &stypes.StringType{Nullability: n}, nil
	case arrow.BINARY:
		return &stypes.BinaryType{Nullability: n}, nil
	case arrow.DATE32:
		return &stypes.DateType{Nullability: n}, nil
	case arrow.TIME64:
		if t.(*arrow.Time64Type).Unit == arrow.Microsecond {
			return &stypes.PrecisionTimeType{Nullability: n, Precision: stypes.PrecisionMicroSeconds}, nil
		}
	case arrow.TIMESTAMP:
		ts := t.(*arrow.TimestampType)
		if ts.Unit != arrow.Microsecond {
			break
		}
		if ts.TimeZone != "" {
			tz := stypes.NewPrecisionTimestampTzType(stypes.PrecisionMicroSeconds)
			return tz.WithNullability(n), nil
		}
		return &stypes.PrecisionTimestampType{Nullability: n, Precision: stypes.PrecisionMicroSeconds}, nil
	case arrow.INTERVAL_MONTH_DAY_NANO:
		return stypes.NewIntervalCompoundType().WithPrecision(stypes.PrecisionNanoSeconds).WithNullability(n), nil
	case arrow.EXTENSION:
		if isUUID(t) {
			return &stypes.UUIDType{Nullability: n}, nil
		}
	case arrow.NULL:
		// An untyped NULL has no Substrait type of its own; PostgreSQL
		// resolves unknown to text when nothing else decides.
		return &stypes.StringType{Nullability: stypes.NullabilityNullable}, nil
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "type %s has no Substrait mapping", t)
}

// FromSubstrait returns the Arrow type and nullability of a Substrait type.
// Besides the types ToSubstrait produces it accepts their older or wider
// spellings (timestamp, timestamp_tz, time, precision_* of any precision,
// interval_day, interval_year, varchar<n>, fixedchar<n>, i8), mapping them to
// the table's types.
func FromSubstrait(t stypes.Type) (arrow.DataType, bool, error) {
	if t == nil {
		return nil, false, sqlerr.New(sqlerr.InternalError, "no Substrait type given")
	}
	nullable := t.GetNullability() != stypes.NullabilityRequired
	switch s := t.(type) {
	case *stypes.BooleanType:
		return Boolean, nullable, nil
	case *stypes.Int8Type, *stypes.Int16Type:
		return Int2, nullable, nil
	case *stypes.Int32Type:
		return Int4, nullable, nil
	case *stypes.Int64Type:
		return Int8, nullable, nil
	case *stypes.Float32Type:
		return Float4, nullable, nil
	case *stypes.Float64Type:
		return Float8, nullable, nil
	case *stypes.DecimalType:
		if s.Precision < 1 || s.Precision > MaxPrecision || s.Scale < 0 || s.Scale > s.Precision {
			return nil, false, sqlerr.New(sqlerr.FeatureNotSupported, "Substrait type %s is not supported", t)
		}
		return Decimal(s.Precision, s.Scale), nullable, nil
	case *stypes.StringType, *stypes.VarCharType, *stypes.FixedCharType:
		return Text, nullable, nil
	case *stypes.BinaryType:
		return Bytea, nullable, nil
	case *stypes.DateType:
		return Date, nullable, nil
	case *stypes.TimeType, *stypes.PrecisionTimeType:
		return Time, nullable, nil
	case *stypes.TimestampType, *stypes.PrecisionTimestampType:
		return Timestamp, nullable, nil
	case *stypes.TimestampTzType, *stypes.PrecisionTimestampTzType:
		return TimestampTZ, nullable, nil
	case stypes.IntervalCompoundType, *stypes.IntervalCompoundType,
		*stypes.IntervalDayType, *stypes.IntervalYearType:
		return Interval, nullable, nil
	case *stypes.UUIDType:
		return UUID, nullable, nil
	}
	return nil, false, sqlerr.New(sqlerr.FeatureNotSupported, "Substrait type %s is not supported", t)
}
