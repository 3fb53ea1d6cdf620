package arrowexec

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
)

// accumulator folds argument rows into per-group states. gids[i] < 0 skips
// row i (filtered out by FILTER (WHERE) or DISTINCT).
type accumulator interface {
	resize(groups int)
	update(gids []int32, args []arrow.Array) error
	// result returns the values of groups [lo, hi) of the output type.
	result(mem memory.Allocator, lo, hi int) (arrow.Array, error)
	memSize() int64
	// copyGroup sets group dst's state to group src's (window frames).
	copyGroup(dst, src int)
}

// newAccumulator picks the implementation of an aggregate function for
// its argument types and declared output type.
func newAccumulator(name string, args []arrow.DataType, out arrow.DataType) (accumulator, error) {
	var in arrow.DataType
	if len(args) > 0 {
		in = args[0]
	}
	switch name {
	case "count":
		return &countAcc{star: len(args) == 0}, nil
	case "sum", "sum0", "avg":
		if in == nil {
			break
		}
		return newSumAcc(name, in, out)
	case "min", "max", "any_value":
		if in == nil {
			break
		}
		return newMinMaxAcc(name, in)
	case "bool_and", "bool_or", "every":
		if in == nil || in.ID() != arrow.BOOL {
			break
		}
		return &boolAcc{and: name != "bool_or"}, nil
	case "string_agg":
		if len(args) != 2 {
			break
		}
		return &stringAggAcc{}, nil
	case "var_samp", "var_pop", "stddev_samp", "stddev_pop", "std_dev", "variance":
		if len(args) != 1 {
			break
		}
		// Substrait's std_dev and variance are the sample statistics
		// unless measureOf mapped them (standardStat).
		name, _ = standardStat(name, nil, nil)
		return newVarAcc(name, in, out)
	}
	return nil, sqlerr.New(sqlerr.UndefinedFunction, "aggregate function %s(%v) is not supported", name, args)
}

// --- count -----------------------------------------------------------------------

type countAcc struct {
	star bool
	n    []int64
}

func (c *countAcc) resize(g int)           { c.n = growI64(c.n, g) }
func (c *countAcc) copyGroup(dst, src int) { c.n[dst] = c.n[src] }
func (c *countAcc) memSize() int64         { return int64(8 * cap(c.n)) }

func (c *countAcc) update(gids []int32, args []arrow.Array) error {
	if c.star || args[0].NullN() == 0 {
		for _, g := range gids {
			if g >= 0 {
				c.n[g]++
			}
		}
		return nil
	}
	a := args[0]
	for i, g := range gids {
		if g >= 0 && a.IsValid(i) {
			c.n[g]++
		}
	}
	return nil
}

func (c *countAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	b.AppendValues(c.n[lo:hi], nil)
	return b.NewArray(), nil
}

func growI64(s []int64, n int) []int64 { return growZero(s, n) }

func growF64(s []float64, n int) []float64 { return growZero(s, n) }

func growBool(s []bool, n int) []bool { return growZero(s, n) }

// growZero extends s to n zero values, doubling its capacity when it must
// grow (append's 1.25x steps copy large group arrays many times).
func growZero[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	if cap(s) < n {
		out := make([]T, len(s), max(n, 2*cap(s)))
		copy(out, s)
		s = out
	}
	old := len(s)
	s = s[:n]
	clear(s[old:])
	return s
}

// --- sum / avg -----------------------------------------------------------------------

// sumAcc sums integers in int64 (overflow is 22003), floats in float64 and
// decimals in decimal128, and converts to the declared output type.
type sumAcc struct {
	avg     bool
	zero    bool // sum0: 0 instead of NULL
	kind    arrow.Type
	inScale int32
	out     arrow.DataType
	ints    []int64
	floats  []float64
	decs    []decimal128.Num
	count   []int64
	scratch []int64
}

func newSumAcc(name string, in, out arrow.DataType) (accumulator, error) {
	s := &sumAcc{avg: name == "avg", zero: name == "sum0", out: out}
	switch {
	case intKeyType(in) && in.ID() != arrow.DATE32 && in.ID() != arrow.DATE64 && in.ID() != arrow.TIMESTAMP:
		s.kind = arrow.INT64
	case in.ID() == arrow.FLOAT32 || in.ID() == arrow.FLOAT64:
		s.kind = arrow.FLOAT64
	case in.ID() == arrow.DECIMAL128:
		s.kind = arrow.DECIMAL128
		s.inScale = in.(*arrow.Decimal128Type).Scale
	default:
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, in)
	}
	switch out.ID() {
	case arrow.INT64, arrow.FLOAT64, arrow.DECIMAL128:
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "%s with result type %s is not supported", name, out)
	}
	return s, nil
}

func (s *sumAcc) resize(g int) {
	s.count = growI64(s.count, g)
	switch s.kind {
	case arrow.INT64:
		s.ints = growI64(s.ints, g)
	case arrow.FLOAT64:
		s.floats = growF64(s.floats, g)
	default:
		s.decs = growZero(s.decs, g)
	}
}

func (s *sumAcc) copyGroup(dst, src int) {
	s.count[dst] = s.count[src]
	switch s.kind {
	case arrow.INT64:
		s.ints[dst] = s.ints[src]
	case arrow.FLOAT64:
		s.floats[dst] = s.floats[src]
	default:
		s.decs[dst] = s.decs[src]
	}
}

func (s *sumAcc) memSize() int64 {
	return int64(8*cap(s.count) + 8*cap(s.ints) + 8*cap(s.floats) + 16*cap(s.decs))
}

func (s *sumAcc) update(gids []int32, args []arrow.Array) error {
	a := args[0]
	noNulls := a.NullN() == 0
	switch s.kind {
	case arrow.INT64:
		s.scratch = intValues(a, s.scratch)
		v := s.scratch
		for i, g := range gids {
			if g < 0 || (!noNulls && a.IsNull(i)) {
				continue
			}
			x, y := s.ints[g], v[i]
			r := x + y
			if (x > 0 && y > 0 && r < 0) || (x < 0 && y < 0 && r >= 0) {
				return sqlerr.New(sqlerr.NumericValueOutOfRange, "bigint out of range")
			}
			s.ints[g] = r
			s.count[g]++
		}
	case arrow.FLOAT64:
		for i, g := range gids {
			if g < 0 || (!noNulls && a.IsNull(i)) {
				continue
			}
			s.floats[g] += floatAt(a, i)
			s.count[g]++
		}
	default:
		v := a.(*array.Decimal128).Values()
		for i, g := range gids {
			if g < 0 || (!noNulls && a.IsNull(i)) {
				continue
			}
			s.decs[g] = s.decs[g].Add(v[i])
			s.count[g]++
		}
	}
	return nil
}

func floatAt(a arrow.Array, i int) float64 {
	if f, ok := a.(*array.Float64); ok {
		return f.Value(i)
	}
	return float64(a.(*array.Float32).Value(i))
}

func (s *sumAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	b := array.NewBuilder(mem, s.out)
	defer b.Release()
	for g := lo; g < hi; g++ {
		if s.count[g] == 0 && !s.zero {
			b.AppendNull()
			continue
		}
		if err := s.appendOne(b, g); err != nil {
			return nil, err
		}
	}
	return b.NewArray(), nil
}

func (s *sumAcc) appendOne(b array.Builder, g int) error {
	switch ob := b.(type) {
	case *array.Int64Builder:
		if s.kind != arrow.INT64 {
			return sqlerr.New(sqlerr.FeatureNotSupported, "sum of %s as bigint", s.kind)
		}
		if s.avg {
			ob.Append(s.ints[g] / max(s.count[g], 1))
		} else {
			ob.Append(s.ints[g])
		}
	case *array.Float64Builder:
		var f float64
		switch s.kind {
		case arrow.INT64:
			f = float64(s.ints[g])
		case arrow.FLOAT64:
			f = s.floats[g]
		default:
			f = s.decs[g].ToFloat64(s.inScale)
		}
		if s.avg {
			f /= float64(s.count[g])
		}
		ob.Append(f)
	case *array.Decimal128Builder:
		d, err := s.decimalResult(g, ob.Type().(*arrow.Decimal128Type))
		if err != nil {
			return err
		}
		ob.Append(d)
	}
	return nil
}

// decimalResult is group g's sum (or average) at the output's scale,
// rounded half away from zero.
func (s *sumAcc) decimalResult(g int, out *arrow.Decimal128Type) (decimal128.Num, error) {
	var v decimal128.Num
	scale := s.inScale
	switch s.kind {
	case arrow.INT64:
		v, scale = decimal128.FromI64(s.ints[g]), 0
	case arrow.FLOAT64:
		f := s.floats[g]
		if s.avg {
			f /= float64(s.count[g])
		}
		d, err := decimal128.FromFloat64(f, out.Precision, out.Scale)
		if err != nil {
			return d, sqlerr.Wrap(err, sqlerr.NumericValueOutOfRange, "numeric field overflow")
		}
		return d, nil
	default:
		v = s.decs[g]
	}
	if s.avg {
		// scale up by enough digits, divide, then round to the output scale
		extra := out.Scale - scale + 1
		if extra < 0 {
			extra = 0
		}
		if scale+extra > 38 {
			extra = 38 - scale
		}
		q, _ := v.IncreaseScaleBy(extra).Div(decimal128.FromI64(s.count[g]))
		v, scale = q, scale+extra
	}
	switch {
	case out.Scale > scale:
		v = v.IncreaseScaleBy(out.Scale - scale)
	case out.Scale < scale:
		v = v.ReduceScaleBy(scale-out.Scale, true)
	}
	if !v.FitsInPrecision(out.Precision) {
		return v, sqlerr.New(sqlerr.NumericValueOutOfRange, "numeric field overflow")
	}
	return v, nil
}

var _ = math.MaxInt64
