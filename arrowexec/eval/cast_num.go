package eval

import (
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// mapFixed applies f to every valid value of a (of type F) producing an
// array of type to. f returns false for a value out of the target range; the
// first such valid row fails the cast with errFn's error.
func mapFixed[F, T arrow.FixedWidthType](mem memory.Allocator, a arrow.Array, to arrow.DataType,
	f func(F) (T, bool), errFn func(F) error) (arrow.Array, error) {
	n := a.Len()
	src := arrow.GetValues[F](a.Data(), 1)
	buf, dst := allocFixed[T](mem, n)
	noNulls := a.NullN() == 0
	for i, v := range src {
		r, ok := f(v)
		if !ok && (noNulls || a.IsValid(i)) {
			buf.Release()
			return nil, errFn(v)
		}
		dst[i] = r
	}
	valid, nulls := validity(mem, n, a)
	return makeArray(to, n, nulls, valid, buf), nil
}

// convert is the plain conversion loop for widening casts.
func convert[F, T ordered](mem memory.Allocator, a arrow.Array, to arrow.DataType) arrow.Array {
	n := a.Len()
	src := arrow.GetValues[F](a.Data(), 1)
	buf, dst := allocFixed[T](mem, n)
	for i, v := range src {
		dst[i] = T(v)
	}
	valid, nulls := validity(mem, n, a)
	return makeArray(to, n, nulls, valid, buf)
}

func outOfRange(to arrow.DataType) error {
	return sqlerr.New(sqlerr.NumericValueOutOfRange, "%s out of range", sqlTypeName(to))
}

func numericOverflow(to arrow.DataType) error {
	p, s := decimalOf(to)
	return sqlerr.New(sqlerr.NumericValueOutOfRange, "numeric field overflow").
		WithDetail("A field with precision %d, scale %d must round to an absolute value less than 10^%d.", p, s, p-s)
}

// castNumeric returns the kernel between two numeric types.
func castNumeric(from, to arrow.DataType) castFn {
	switch {
	case isInteger(from) && isInteger(to):
		return intToInt(from, to)
	case isInteger(from) && isFloat(to):
		return instantiate2(from, to)
	case isFloat(from) && isFloat(to):
		return instantiate2(from, to)
	case isFloat(from) && isInteger(to):
		return floatToInt(from, to)
	case isDecimal(to):
		return toDecimal(from)
	case isDecimal(from) && isInteger(to):
		return decimalToInt(to)
	case isDecimal(from) && isFloat(to):
		return decimalToFloat
	}
	return nil
}

// instantiate2 picks the generic instance of mk for the pair of Arrow types.
func instantiate2(from, to arrow.DataType) castFn {
	switch from.ID() {
	case arrow.INT8:
		return pickTo[int8](to)
	case arrow.INT16:
		return pickTo[int16](to)
	case arrow.INT32:
		return pickTo[int32](to)
	case arrow.INT64:
		return pickTo[int64](to)
	case arrow.FLOAT32:
		return pickTo[float32](to)
	case arrow.FLOAT64:
		return pickTo[float64](to)
	}
	return nil
}

func pickTo[F ordered](to arrow.DataType) castFn {
	switch to.ID() {
	case arrow.INT8:
		return convertFnOf[F, int8]()
	case arrow.INT16:
		return convertFnOf[F, int16]()
	case arrow.INT32:
		return convertFnOf[F, int32]()
	case arrow.INT64:
		return convertFnOf[F, int64]()
	case arrow.FLOAT32:
		return convertFnOf[F, float32]()
	case arrow.FLOAT64:
		return convertFnOf[F, float64]()
	}
	return nil
}

func convertFnOf[F, T ordered]() castFn {
	return func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
		if to.ID() == arrow.FLOAT32 && a.DataType().ID() == arrow.FLOAT64 {
			return mapFixed[float64, float32](mem, a, to, func(v float64) (float32, bool) {
				r := float32(v)
				return r, !math.IsInf(float64(r), 0) || math.IsInf(v, 0)
			}, func(float64) error {
				return sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
			})
		}
		return convert[F, T](mem, a, to), nil
	}
}

// intToInt widens without checks and narrows with a range check.
func intToInt(from, to arrow.DataType) castFn {
	if intRank(to) > intRank(from) {
		return instantiate2(from, to)
	}
	return func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
		lo, hi := intBounds(to)
		w := toInt64(mem, a)
		defer w.Release()
		return narrowInt64(mem, w, to, lo, hi)
	}
}

// toInt64 widens an integer array to int64 (a itself, retained, if it is).
func toInt64(mem memory.Allocator, a arrow.Array) arrow.Array {
	switch a.DataType().ID() {
	case arrow.INT8:
		return convert[int8, int64](mem, a, arrow.PrimitiveTypes.Int64)
	case arrow.INT16:
		return convert[int16, int64](mem, a, arrow.PrimitiveTypes.Int64)
	case arrow.INT32:
		return convert[int32, int64](mem, a, arrow.PrimitiveTypes.Int64)
	}
	a.Retain()
	return a
}

func intBounds(dt arrow.DataType) (int64, int64) {
	switch dt.ID() {
	case arrow.INT8:
		return math.MinInt8, math.MaxInt8
	case arrow.INT16:
		return math.MinInt16, math.MaxInt16
	case arrow.INT32:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// narrowInt64 converts an int64 array to a narrower integer type.
func narrowInt64(mem memory.Allocator, a arrow.Array, to arrow.DataType, lo, hi int64) (arrow.Array, error) {
	errFn := func(int64) error { return outOfRange(to) }
	switch to.ID() {
	case arrow.INT8:
		return mapFixed(mem, a, to, func(v int64) (int8, bool) { return int8(v), v >= lo && v <= hi }, errFn)
	case arrow.INT16:
		return mapFixed(mem, a, to, func(v int64) (int16, bool) { return int16(v), v >= lo && v <= hi }, errFn)
	case arrow.INT32:
		return mapFixed(mem, a, to, func(v int64) (int32, bool) { return int32(v), v >= lo && v <= hi }, errFn)
	}
	a.Retain()
	return a, nil
}

// floatToInt rounds half to even (PostgreSQL uses rint) and checks range.
func floatToInt(from, to arrow.DataType) castFn {
	return func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
		f64 := a
		if from.ID() == arrow.FLOAT32 {
			f64 = convert[float32, float64](mem, a, arrow.PrimitiveTypes.Float64)
			defer f64.Release()
		}
		lo, hi := intBounds(to)
		w, err := mapFixed(mem, f64, arrow.PrimitiveTypes.Int64, func(v float64) (int64, bool) {
			r := math.RoundToEven(v)
			return int64(r), r >= float64(lo) && r < -float64(lo) && r <= float64(hi)+0.5
		}, func(float64) error { return outOfRange(to) })
		if err != nil {
			return nil, err
		}
		defer w.Release()
		return narrowInt64(mem, w, to, lo, hi)
	}
}

// toDecimal converts integers, floats and decimals to a decimal type.
func toDecimal(from arrow.DataType) castFn {
	return func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
		prec, scale := decimalOf(to)
		overflow := func(decimal128.Num) error { return numericOverflow(to) }
		switch {
		case isInteger(from):
			w := toInt64(mem, a)
			defer w.Release()
			return mapFixed(mem, w, to, func(v int64) (decimal128.Num, bool) {
				r, ok := scaleUp(decimal128.FromI64(v), scale)
				return r, ok && fitsPrec(r, prec)
			}, func(int64) error { return numericOverflow(to) })
		case isDecimal(from):
			_, fs := decimalOf(from)
			return mapFixed(mem, a, to, func(v decimal128.Num) (decimal128.Num, bool) {
				r, ok := rescaleDec(v, fs, scale)
				return r, ok && fitsPrec(r, prec)
			}, overflow)
		}
		f64 := a
		if from.ID() == arrow.FLOAT32 {
			f64 = convert[float32, float64](mem, a, arrow.PrimitiveTypes.Float64)
			defer f64.Release()
		}
		var bad error
		out, err := mapFixed(mem, f64, to, func(v float64) (decimal128.Num, bool) {
			r, err := floatToDecimal(v, prec, scale)
			if err != nil {
				bad = err
			}
			return r, err == nil
		}, func(float64) error { return bad })
		return out, err
	}
}

// floatToDecimal converts as PostgreSQL does: through the value printed with
// 15 significant digits, then rounded to the scale.
func floatToDecimal(v float64, prec, scale int32) (decimal128.Num, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return decimal128.Num{}, sqlerr.New(sqlerr.NumericValueOutOfRange, "cannot convert %s to numeric", formatFloat(v, 64))
	}
	s := strconv.FormatFloat(v, 'e', 14, 64)
	r, err := parseDecimal(s, prec, scale)
	if err != nil {
		return decimal128.Num{}, err
	}
	return r, nil
}

func decimalToInt(to arrow.DataType) castFn {
	return func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
		_, s := decimalOf(a.DataType())
		lo, hi := intBounds(to)
		w, err := mapFixed(mem, a, arrow.PrimitiveTypes.Int64, func(v decimal128.Num) (int64, bool) {
			i, ok := fitsInt64(scaleDown(v, s))
			return i, ok && i >= lo && i <= hi
		}, func(decimal128.Num) error { return outOfRange(to) })
		if err != nil {
			return nil, err
		}
		defer w.Release()
		return narrowInt64(mem, w, to, lo, hi)
	}
}

func decimalToFloat(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
	_, s := decimalOf(a.DataType())
	f64, err := mapFixed(mem, a, arrow.PrimitiveTypes.Float64, func(v decimal128.Num) (float64, bool) {
		return decToFloat(v, s), true
	}, nil)
	if err != nil || to.ID() == arrow.FLOAT64 {
		return f64, err
	}
	defer f64.Release()
	return convertFnOf[float64, float32]()(mem, f64, to)
}

// decToFloat is correctly rounded: exact operands and one division when the
// unscaled value has at most 53 bits, else through the decimal text.
func decToFloat(v decimal128.Num, scale int32) float64 {
	if i, ok := fitsInt64(v); ok && i > -(1<<53) && i < 1<<53 && scale <= 22 {
		return float64(i) / math.Pow10(int(scale))
	}
	f, _ := strconv.ParseFloat(formatDecimal(v, scale), 64)
	return f
}

func castBoolToInt(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
	b := a.(*array.Boolean)
	n := b.Len()
	buf, dst := allocFixed[int64](mem, n)
	for i := 0; i < n; i++ {
		dst[i] = int64(b2i(b.Value(i)))
	}
	valid, nulls := validity(mem, n, a)
	w := makeArray(arrow.PrimitiveTypes.Int64, n, nulls, valid, buf)
	defer w.Release()
	return narrowInt64(mem, w, to, math.MinInt64, math.MaxInt64)
}

func castIntToBool(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
	w := toInt64(mem, a)
	defer w.Release()
	src := arrow.GetValues[int64](w.Data(), 1)
	buf, bits := allocBits(mem, len(src))
	for i, v := range src {
		if v != 0 {
			bits[i>>3] |= 1 << (i & 7)
		}
	}
	valid, nulls := validity(mem, len(src), a)
	return makeArray(boolType, len(src), nulls, valid, buf), nil
}

func broadcastNull(mem memory.Allocator, dt arrow.DataType, n int) arrow.Array {
	return array.MakeArrayOfNull(mem, dt, n)
}
