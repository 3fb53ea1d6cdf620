package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"github.com/substrait-io/substrait-go/v8/expr"
	proto "github.com/substrait-io/substrait-protobuf/go/substraitpb"

	"github.com/medleysql/medley/sql/sqlerr"
)

// constNode is a constant: a literal, a parameter or a folded expression.
// Kernels recognise it and broadcast its value without materialising it.
type constNode struct {
	dt arrow.DataType
	sc scalar.Scalar
}

func (k *constNode) Type() arrow.DataType { return k.dt }

func (k *constNode) Eval(_ context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	return broadcast(k.sc, int(batch.NumRows()), mem)
}

func (k *constNode) null() bool { return !k.sc.IsValid() }

// broadcast makes an array of n copies of sc.
func broadcast(sc scalar.Scalar, n int, mem memory.Allocator) (arrow.Array, error) {
	if !sc.IsValid() {
		return array.MakeArrayOfNull(mem, sc.DataType(), n), nil
	}
	a, err := scalar.MakeArrayFromScalar(sc, n, mem)
	return a, asSQLErr(err)
}

// asConst returns n as a constant, or nil.
func asConst(n Expr) *constNode {
	k, _ := n.(*constNode)
	return k
}

// constValue returns the value of a valid fixed-width constant.
func constValue[T arrow.FixedWidthType](k *constNode) T {
	return arrow.GetData[T](k.sc.(scalar.PrimitiveScalar).Data())[0]
}

// constString returns the value of a valid string or binary constant.
func constString(k *constNode) string {
	if b, ok := k.sc.(scalar.BinaryScalar); ok {
		return string(b.Data())
	}
	return k.sc.String()
}

// ownScalar copies row i of a into a scalar that does not reference a's
// buffers.
func ownScalar(a arrow.Array, i int) (scalar.Scalar, error) {
	if a.IsNull(i) {
		return scalar.MakeNullScalar(a.DataType()), nil
	}
	switch a := a.(type) {
	case *array.String:
		return scalar.NewStringScalar(a.Value(i)), nil
	case *array.Binary:
		return scalar.NewBinaryScalar(memory.NewBufferBytes(append([]byte(nil), a.Value(i)...)), a.DataType()), nil
	}
	sc, err := scalar.GetScalar(a, i)
	return sc, asSQLErr(err)
}

func (c *compiler) param(p *expr.DynamicParameter) (Expr, error) {
	dt, err := arrowType(p.OutputType)
	if err != nil {
		return nil, err
	}
	i := int(p.ParameterReference)
	if i >= len(c.opts.Params) || c.opts.Params[i] == nil {
		return nil, sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $%d", i+1)
	}
	sc := c.opts.Params[i]
	if !arrow.TypeEqual(sc.DataType(), dt) {
		// parameters are sent in their own type; convert like an implicit cast
		k := &constNode{dt: sc.DataType(), sc: sc}
		n, err := newCast(k, dt)
		if err != nil {
			return nil, err
		}
		return fold(n, k), nil
	}
	return &constNode{dt: dt, sc: sc}, nil
}

// literal converts a Substrait literal to a constant.
func literal(l expr.Literal) (Expr, error) {
	dt, err := arrowType(l.GetType())
	if err != nil {
		return nil, err
	}
	if _, ok := l.(*expr.NullLiteral); ok {
		return &constNode{dt: dt, sc: scalar.MakeNullScalar(dt)}, nil
	}
	sc, err := literalScalar(l.ToProtoLiteral(), dt)
	if err != nil {
		return nil, err
	}
	return &constNode{dt: dt, sc: sc}, nil
}

func literalScalar(p *proto.Expression_Literal, dt arrow.DataType) (scalar.Scalar, error) {
	switch v := p.LiteralType.(type) {
	case *proto.Expression_Literal_Null:
		return scalar.MakeNullScalar(dt), nil
	case *proto.Expression_Literal_Boolean:
		return scalar.NewBooleanScalar(v.Boolean), nil
	case *proto.Expression_Literal_I8:
		return scalar.NewInt8Scalar(int8(v.I8)), nil
	case *proto.Expression_Literal_I16:
		return scalar.NewInt16Scalar(int16(v.I16)), nil
	case *proto.Expression_Literal_I32:
		return scalar.NewInt32Scalar(v.I32), nil
	case *proto.Expression_Literal_I64:
		return scalar.NewInt64Scalar(v.I64), nil
	case *proto.Expression_Literal_Fp32:
		return scalar.NewFloat32Scalar(v.Fp32), nil
	case *proto.Expression_Literal_Fp64:
		return scalar.NewFloat64Scalar(v.Fp64), nil
	case *proto.Expression_Literal_String_:
		return scalar.NewStringScalar(v.String_), nil
	case *proto.Expression_Literal_VarChar_:
		return scalar.NewStringScalar(v.VarChar.GetValue()), nil
	case *proto.Expression_Literal_FixedChar:
		return scalar.NewStringScalar(v.FixedChar), nil
	case *proto.Expression_Literal_Binary:
		return scalar.NewBinaryScalar(memory.NewBufferBytes(v.Binary), dt), nil
	case *proto.Expression_Literal_FixedBinary:
		return scalar.NewBinaryScalar(memory.NewBufferBytes(v.FixedBinary), dt), nil
	case *proto.Expression_Literal_Uuid:
		return scalar.NewFixedSizeBinaryScalar(memory.NewBufferBytes(v.Uuid), dt), nil
	case *proto.Expression_Literal_Date:
		return scalar.NewDate32Scalar(arrow.Date32(v.Date)), nil
	case *proto.Expression_Literal_Time:
		return scalar.NewTime64Scalar(arrow.Time64(v.Time), dt), nil
	case *proto.Expression_Literal_Timestamp:
		return scalar.NewTimestampScalar(arrow.Timestamp(v.Timestamp), dt), nil
	case *proto.Expression_Literal_TimestampTz:
		return scalar.NewTimestampScalar(arrow.Timestamp(v.TimestampTz), dt), nil
	case *proto.Expression_Literal_PrecisionTimestamp_:
		ts := rescaleTime(v.PrecisionTimestamp.GetValue(), v.PrecisionTimestamp.GetPrecision(), dt)
		return scalar.NewTimestampScalar(arrow.Timestamp(ts), dt), nil
	case *proto.Expression_Literal_PrecisionTimestampTz:
		ts := rescaleTime(v.PrecisionTimestampTz.GetValue(), v.PrecisionTimestampTz.GetPrecision(), dt)
		return scalar.NewTimestampScalar(arrow.Timestamp(ts), dt), nil
	case *proto.Expression_Literal_PrecisionTime_:
		t := rescaleTime(v.PrecisionTime.GetValue(), v.PrecisionTime.GetPrecision(), arrow.FixedWidthTypes.Time64us)
		return scalar.NewTime64Scalar(arrow.Time64(t), dt), nil
	case *proto.Expression_Literal_Decimal_:
		return decimalLiteral(v.Decimal, dt)
	case *proto.Expression_Literal_IntervalYearToMonth_:
		return intervalScalar(yearMonth(v.IntervalYearToMonth), 0, 0), nil
	case *proto.Expression_Literal_IntervalDayToSecond_:
		d, ns := daySecond(v.IntervalDayToSecond)
		return intervalScalar(0, d, ns), nil
	case *proto.Expression_Literal_IntervalCompound_:
		m := yearMonth(v.IntervalCompound.GetIntervalYearToMonth())
		d, ns := daySecond(v.IntervalCompound.GetIntervalDayToSecond())
		return intervalScalar(m, d, ns), nil
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "literal %T is not supported by the executor", p.LiteralType)
}

func decimalLiteral(d *proto.Expression_Literal_Decimal, dt arrow.DataType) (scalar.Scalar, error) {
	b := d.GetValue()
	if len(b) != 16 {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "decimal literal has %d bytes, want 16", len(b))
	}
	lo := uint64(0)
	hi := uint64(0)
	for i := 7; i >= 0; i-- {
		lo = lo<<8 | uint64(b[i])
		hi = hi<<8 | uint64(b[i+8])
	}
	n := decimal128.New(int64(hi), lo)
	if dd, ok := dt.(*arrow.Decimal128Type); ok && dd.Scale != d.GetScale() {
		var err error
		if n, err = n.Rescale(d.GetScale(), dd.Scale); err != nil {
			return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "numeric field overflow")
		}
	}
	return scalar.NewDecimal128Scalar(n, dt), nil
}

func yearMonth(v *proto.Expression_Literal_IntervalYearToMonth) int32 {
	if v == nil {
		return 0
	}
	return v.GetYears()*12 + v.GetMonths()
}

func daySecond(v *proto.Expression_Literal_IntervalDayToSecond) (int32, int64) {
	if v == nil {
		return 0, 0
	}
	prec := int32(6)
	if _, ok := v.PrecisionMode.(*proto.Expression_Literal_IntervalDayToSecond_Precision); ok {
		prec = v.GetPrecision()
	}
	sub := v.GetSubseconds()
	for p := prec; p < 9; p++ {
		sub *= 10
	}
	for p := prec; p > 9; p-- {
		sub /= 10
	}
	return v.GetDays(), int64(v.GetSeconds())*1e9 + sub
}

func intervalScalar(months, days int32, nanos int64) scalar.Scalar {
	return scalar.NewMonthDayNanoIntervalScalar(arrow.MonthDayNanoInterval{Months: months, Days: days, Nanoseconds: nanos})
}

// rescaleTime converts a value with prec fractional second digits to the
// unit of dt.
func rescaleTime(v int64, prec int32, dt arrow.DataType) int64 {
	want := int32(6)
	switch t := dt.(type) {
	case *arrow.TimestampType:
		want = unitDigits(t.Unit)
	case *arrow.Time64Type:
		want = unitDigits(t.Unit)
	}
	for ; prec < want; prec++ {
		v *= 10
	}
	for ; prec > want; prec-- {
		v /= 10
	}
	return v
}

func unitDigits(u arrow.TimeUnit) int32 {
	return [...]int32{0, 3, 6, 9}[u]
}
