package pred

import (
	"encoding/binary"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"
)

// literal kinds before conversion to a column's representation.
type litKind int

const (
	kInt litKind = iota
	kFloat
	kString
	kBytes
	kBool
	kDecimal
	kDate      // days since the epoch
	kTimestamp // in units of 10^-prec seconds
	kTime
)

type lit struct {
	kind  litKind
	i     int64
	f     float64
	s     string
	b     bool
	dec   decimal128.Num
	scale int32 // decimal scale, or time precision (digits of sub-seconds)
}

// ConvertLiteral converts a Substrait literal to the physical representation
// of a column of type t (see Value). A NULL literal converts to nil.
func ConvertLiteral(l expr.Literal, t arrow.DataType) (Value, error) {
	if _, ok := l.(*expr.NullLiteral); ok {
		return nil, nil
	}
	v, err := decode(l)
	if err != nil {
		return nil, err
	}
	out, ok := convert(v, t)
	if !ok {
		return nil, unsupported("literal %s against a column of type %s", l, t)
	}
	return out, nil
}

func decode(l expr.Literal) (lit, error) {
	switch x := l.(type) {
	case *expr.PrimitiveLiteral[bool]:
		return lit{kind: kBool, b: x.Value}, nil
	case *expr.PrimitiveLiteral[int8]:
		return lit{kind: kInt, i: int64(x.Value)}, nil
	case *expr.PrimitiveLiteral[int16]:
		return lit{kind: kInt, i: int64(x.Value)}, nil
	case *expr.PrimitiveLiteral[int32]:
		return lit{kind: kInt, i: int64(x.Value)}, nil
	case *expr.PrimitiveLiteral[int64]:
		return lit{kind: kInt, i: x.Value}, nil
	case *expr.PrimitiveLiteral[float32]:
		return lit{kind: kFloat, f: float64(x.Value)}, nil
	case *expr.PrimitiveLiteral[float64]:
		return lit{kind: kFloat, f: x.Value}, nil
	case *expr.PrimitiveLiteral[string]:
		return lit{kind: kString, s: x.Value}, nil
	case *expr.PrimitiveLiteral[types.FixedChar]:
		return lit{kind: kString, s: string(x.Value)}, nil
	case *expr.PrimitiveLiteral[types.Date]:
		return lit{kind: kDate, i: int64(x.Value)}, nil
	case *expr.PrimitiveLiteral[types.Timestamp]:
		return lit{kind: kTimestamp, i: int64(x.Value), scale: 6}, nil
	case *expr.PrimitiveLiteral[types.Time]:
		return lit{kind: kTime, i: int64(x.Value), scale: 6}, nil
	case *expr.ByteSliceLiteral[[]byte]:
		return lit{kind: kBytes, s: string(x.Value)}, nil
	case *expr.ProtoLiteral:
		return decodeProto(x)
	}
	return lit{}, unsupported("literal %s", l)
}

func decodeProto(x *expr.ProtoLiteral) (lit, error) {
	switch t := x.Type.(type) {
	case *types.DecimalType:
		b, ok := x.Value.([]byte)
		if !ok || len(b) != 16 {
			return lit{}, unsupported("decimal literal %s", x)
		}
		lo := binary.LittleEndian.Uint64(b[:8])
		hi := int64(binary.LittleEndian.Uint64(b[8:]))
		return lit{kind: kDecimal, dec: decimal128.New(hi, lo), scale: t.Scale}, nil
	case *types.VarCharType:
		if s, ok := x.Value.(string); ok {
			return lit{kind: kString, s: s}, nil
		}
	case *types.PrecisionTimestampType:
		if i, ok := x.Value.(int64); ok {
			return lit{kind: kTimestamp, i: i, scale: int32(t.Precision)}, nil
		}
	case *types.PrecisionTimeType:
		if i, ok := x.Value.(int64); ok {
			return lit{kind: kTime, i: i, scale: int32(t.Precision)}, nil
		}
	}
	return lit{}, unsupported("literal %s", x)
}

func convert(v lit, t arrow.DataType) (Value, bool) {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32:
		return toInt(v)
	case arrow.FLOAT32, arrow.FLOAT64:
		return toFloat(v)
	case arrow.DECIMAL128:
		return toDecimal(v, t.(*arrow.Decimal128Type).Scale)
	case arrow.STRING, arrow.LARGE_STRING:
		return v.s, v.kind == kString
	case arrow.BINARY, arrow.LARGE_BINARY:
		return v.s, v.kind == kBytes || v.kind == kString
	case arrow.BOOL:
		return v.b, v.kind == kBool
	case arrow.DATE32:
		return v.i, v.kind == kDate
	case arrow.DATE64:
		return v.i * 86400000, v.kind == kDate
	case arrow.TIMESTAMP:
		if v.kind != kTimestamp {
			return nil, false
		}
		return rescaleTime(v.i, v.scale, t.(*arrow.TimestampType).Unit)
	case arrow.TIME32, arrow.TIME64:
		if v.kind != kTime {
			return nil, false
		}
		return rescaleTime(v.i, v.scale, t.(arrow.TemporalWithUnit).TimeUnit())
	}
	return nil, false
}

func toInt(v lit) (Value, bool) {
	switch v.kind {
	case kInt:
		return v.i, true
	case kFloat:
		if v.f == math.Trunc(v.f) && math.Abs(v.f) < 1<<62 {
			return int64(v.f), true
		}
	case kDecimal:
		n, err := v.dec.Rescale(v.scale, 0)
		if err == nil && n.FitsInPrecision(18) {
			return int64(n.LowBits()), true
		}
	}
	return nil, false
}

func toFloat(v lit) (Value, bool) {
	switch v.kind {
	case kInt:
		return float64(v.i), true
	case kFloat:
		return v.f, true
	case kDecimal:
		return v.dec.ToFloat64(v.scale), true
	}
	return nil, false
}

func toDecimal(v lit, scale int32) (Value, bool) {
	switch v.kind {
	case kInt:
		n, err := decimal128.FromI64(v.i).Rescale(0, scale)
		return n, err == nil
	case kDecimal:
		n, err := v.dec.Rescale(v.scale, scale)
		return n, err == nil
	}
	return nil, false
}

// rescaleTime converts a value of 10^-prec seconds to unit, exactly or not
// at all.
func rescaleTime(i int64, prec int32, unit arrow.TimeUnit) (Value, bool) {
	want := int32(unit) * 3 // Second=0, Milli=1, Micro=2, Nano=3
	for prec < want {
		if i > math.MaxInt64/10 || i < math.MinInt64/10 {
			return nil, false
		}
		i *= 10
		prec++
	}
	for prec > want {
		if i%10 != 0 {
			return nil, false
		}
		i /= 10
		prec--
	}
	return i, true
}
