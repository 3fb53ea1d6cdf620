package substrait

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/substrait-io/substrait-go/v8/expr"
	stypes "github.com/substrait-io/substrait-go/v8/types"
	proto "github.com/substrait-io/substrait-protobuf/go/substraitpb"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/types"
)

// literal converts a plan literal (nullable, as every value the compiler
// produces) through its protobuf form.
func (c *converter) literal(l *plan.Literal) (expr.Expression, error) {
	st, err := types.ToSubstrait(l.Typ, true)
	if err != nil {
		return nil, err
	}
	if ts, ok := timestampValue(l); ok {
		// Built directly: substrait-go's literal-from-protobuf refuses
		// timestamps before 1970 (it returns no expression at all).
		if tt, _ := l.Typ.(*arrow.TimestampType); tt != nil && tt.TimeZone != "" {
			return expr.NewPrecisionTimestampTzLiteral(ts, stypes.PrecisionMicroSeconds, stypes.NullabilityNullable), nil
		}
		return expr.NewPrecisionTimestampLiteral(ts, stypes.PrecisionMicroSeconds, stypes.NullabilityNullable), nil
	}
	lit := &proto.Expression_Literal{Nullable: true}
	if l.Value == nil {
		lit.LiteralType = &proto.Expression_Literal_Null{Null: stypes.TypeToProto(st)}
	} else if err = setLiteral(lit, l.Value, l.Typ); err != nil {
		return nil, err
	}
	return expr.ExprFromProto(&proto.Expression{RexType: &proto.Expression_Literal_{Literal: lit}}, nil, c.reg)
}

// timestampValue is a timestamp literal's microseconds since 1970 (the
// folder's timestamp arithmetic yields plain int64s).
func timestampValue(l *plan.Literal) (int64, bool) {
	if l.Value == nil || l.Typ.ID() != arrow.TIMESTAMP {
		return 0, false
	}
	switch v := l.Value.(type) {
	case arrow.Timestamp:
		return int64(v), true
	case int64:
		return v, true
	}
	return 0, false
}

func setLiteral(lit *proto.Expression_Literal, v any, t arrow.DataType) error {
	switch v := v.(type) {
	case bool:
		lit.LiteralType = &proto.Expression_Literal_Boolean{Boolean: v}
		return nil
	case int64:
		switch t.ID() {
		case arrow.DATE32:
			return setLiteral(lit, arrow.Date32(v), t)
		case arrow.TIME64:
			return setLiteral(lit, arrow.Time64(v), t)
		case arrow.INT16:
			lit.LiteralType = &proto.Expression_Literal_I16{I16: int32(v)}
			return nil
		case arrow.INT32:
			lit.LiteralType = &proto.Expression_Literal_I32{I32: int32(v)}
			return nil
		}
		lit.LiteralType = &proto.Expression_Literal_I64{I64: v}
		return nil
	case float64:
		if t.ID() == arrow.FLOAT32 {
			lit.LiteralType = &proto.Expression_Literal_Fp32{Fp32: float32(v)}
			return nil
		}
		lit.LiteralType = &proto.Expression_Literal_Fp64{Fp64: v}
		return nil
	case string:
		lit.LiteralType = &proto.Expression_Literal_String_{String_: v}
		return nil
	case []byte:
		lit.LiteralType = &proto.Expression_Literal_Binary{Binary: v}
		return nil
	case decimal128.Num:
		d := t.(*arrow.Decimal128Type)
		b := make([]byte, 16)
		binary.LittleEndian.PutUint64(b[:8], v.LowBits())
		binary.LittleEndian.PutUint64(b[8:], uint64(v.HighBits()))
		lit.LiteralType = &proto.Expression_Literal_Decimal_{Decimal: &proto.Expression_Literal_Decimal{
			Value: b, Precision: d.Precision, Scale: d.Scale}}
		return nil
	case arrow.Date32:
		lit.LiteralType = &proto.Expression_Literal_Date{Date: int32(v)}
		return nil
	case arrow.Timestamp:
		ts := &proto.Expression_Literal_PrecisionTimestamp{Precision: 6, Value: int64(v)}
		if tt, ok := t.(*arrow.TimestampType); ok && tt.TimeZone != "" {
			lit.LiteralType = &proto.Expression_Literal_PrecisionTimestampTz{PrecisionTimestampTz: ts}
			return nil
		}
		lit.LiteralType = &proto.Expression_Literal_PrecisionTimestamp_{PrecisionTimestamp: ts}
		return nil
	case arrow.Time64:
		lit.LiteralType = &proto.Expression_Literal_PrecisionTime_{PrecisionTime: &proto.Expression_Literal_PrecisionTime{
			Precision: 6, Value: int64(v)}}
		return nil
	case arrow.MonthDayNanoInterval:
		const sec = int64(1e9)
		lit.LiteralType = &proto.Expression_Literal_IntervalCompound_{IntervalCompound: &proto.Expression_Literal_IntervalCompound{
			IntervalYearToMonth: &proto.Expression_Literal_IntervalYearToMonth{Years: v.Months / 12, Months: v.Months % 12},
			IntervalDayToSecond: &proto.Expression_Literal_IntervalDayToSecond{
				Days: v.Days, Seconds: int32(v.Nanoseconds / sec),
				PrecisionMode: &proto.Expression_Literal_IntervalDayToSecond_Precision{Precision: 9},
				Subseconds:    v.Nanoseconds % sec,
			}}}
		return nil
	}
	return fmt.Errorf("literal %v of type %s has no Substrait form", v, t)
}
