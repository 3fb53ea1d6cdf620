package arrowexec

import (
	"math"
	"math/big"
	"math/bits"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/types"
)

// varAcc computes var_samp, var_pop, stddev_samp and stddev_pop as
// PostgreSQL does. Integers and decimals keep exact sums of the values and
// of their squares, and the result is PostgreSQL's numeric value
// (pgVariance) converted to the output type. Floats use PostgreSQL's
// float8_accum: Youngs-Cramer updates of N, Sx and Sxx in double precision.
type varAcc struct {
	pop, sqrt bool
	exact     bool  // integer or decimal input
	scale     int32 // the decimal input's scale
	out       arrow.DataType
	n         []int64
	sx, sxx   []float64 // floats
	sum       []i192    // exact
	sq        []u320    // exact
	scratch   []int64
}

// varFuncs are the statistical aggregates: whether each is the population
// statistic and whether it is the deviation (the root of the variance).
var varFuncs = map[string]struct{ pop, sqrt bool }{
	"var_samp": {false, false}, "var_pop": {true, false},
	"stddev_samp": {false, true}, "stddev_pop": {true, true},
}

func newVarAcc(name string, in, out arrow.DataType) (accumulator, error) {
	f := varFuncs[name]
	v := &varAcc{pop: f.pop, sqrt: f.sqrt, out: out}
	switch {
	case in.ID() == arrow.INT8 || in.ID() == arrow.INT16 || in.ID() == arrow.INT32 || in.ID() == arrow.INT64,
		in.ID() == arrow.UINT8 || in.ID() == arrow.UINT16 || in.ID() == arrow.UINT32:
		v.exact = true
	case in.ID() == arrow.DECIMAL128:
		v.exact, v.scale = true, in.(*arrow.Decimal128Type).Scale
	case in.ID() == arrow.FLOAT32 || in.ID() == arrow.FLOAT64:
	default:
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, in)
	}
	switch out.ID() {
	case arrow.FLOAT64, arrow.DECIMAL128:
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "%s with result type %s is not supported", name, out)
	}
	return v, nil
}

func (v *varAcc) resize(g int) {
	v.n = growI64(v.n, g)
	if v.exact {
		v.sum, v.sq = growZero(v.sum, g), growZero(v.sq, g)
	} else {
		v.sx, v.sxx = growF64(v.sx, g), growF64(v.sxx, g)
	}
}

func (v *varAcc) copyGroup(dst, src int) {
	v.n[dst] = v.n[src]
	if v.exact {
		v.sum[dst], v.sq[dst] = v.sum[src], v.sq[src]
	} else {
		v.sx[dst], v.sxx[dst] = v.sx[src], v.sxx[src]
	}
}

func (v *varAcc) memSize() int64 {
	return int64(8*cap(v.n) + 8*cap(v.sx) + 8*cap(v.sxx) + 24*cap(v.sum) + 40*cap(v.sq) + 8*cap(v.scratch))
}

func (v *varAcc) update(gids []int32, args []arrow.Array) error {
	a := args[0]
	switch {
	case !v.exact:
		return v.updateFloat(gids, a)
	case a.DataType().ID() == arrow.DECIMAL128:
		v.updateDecimal(gids, a)
	default:
		v.scratch = intValues(a, v.scratch)
		v.updateInt(gids, a, v.scratch)
	}
	return nil
}

// sameGroup reports whether every row goes to one group (the ungrouped
// aggregate): its sums are then kept in locals and added once.
func sameGroup(gids []int32) (int32, bool) {
	if len(gids) == 0 || gids[0] < 0 {
		return 0, false
	}
	for _, g := range gids {
		if g != gids[0] {
			return 0, false
		}
	}
	return gids[0], true
}

func (v *varAcc) updateInt(gids []int32, a arrow.Array, xs []int64) {
	noNulls := a.NullN() == 0
	if g, ok := sameGroup(gids); ok {
		var r runSums
		for i, x := range xs[:len(gids)] {
			if noNulls || a.IsValid(i) {
				r.add(x)
			}
		}
		r.flush(&v.n[g], &v.sum[g], &v.sq[g])
		return
	}
	for i, g := range gids {
		if g < 0 || !noNulls && a.IsNull(i) {
			continue
		}
		x := xs[i]
		v.n[g]++
		v.sum[g].add(x>>63, uint64(x))
		v.sq[g].addSquare(0, absInt64(x))
	}
}

// runSums are the sums of a run of int64 values kept in registers: the
// sum in 128 bits, the squares in 192 (exact for up to 2^63 values).
type runSums struct {
	n          int64
	s0, s1     uint64
	q0, q1, q2 uint64
}

func (r *runSums) add(x int64) {
	r.n++
	var c uint64
	r.s0, c = bits.Add64(r.s0, uint64(x), 0)
	r.s1 += uint64(x>>63) + c
	m := absInt64(x)
	h, l := bits.Mul64(m, m)
	r.q0, c = bits.Add64(r.q0, l, 0)
	r.q1, c = bits.Add64(r.q1, h, c)
	r.q2 += c
}

func (r *runSums) flush(n *int64, sum *i192, sq *u320) {
	*n += r.n
	sum.add(int64(r.s1), r.s0)
	sq.add192(r.q2, r.q1, r.q0)
}

func absInt64(x int64) uint64 {
	if x < 0 {
		return uint64(-x) // -MinInt64 wraps to 2^63, its magnitude
	}
	return uint64(x)
}

func (v *varAcc) updateDecimal(gids []int32, a arrow.Array) {
	xs := a.(*array.Decimal128).Values()
	noNulls := a.NullN() == 0
	if g, ok := sameGroup(gids); ok {
		// Values of up to 18 digits (int64) are summed in registers.
		var r runSums
		for i, x := range xs[:len(gids)] {
			if !noNulls && a.IsNull(i) {
				continue
			}
			if hi, lo := x.HighBits(), x.LowBits(); hi == int64(lo)>>63 {
				r.add(int64(lo))
			} else {
				v.n[g]++
				v.sum[g].add(hi, lo)
				v.sq[g].addSquare(abs128(hi, lo))
			}
		}
		r.flush(&v.n[g], &v.sum[g], &v.sq[g])
		return
	}
	for i, g := range gids {
		if g < 0 || !noNulls && a.IsNull(i) {
			continue
		}
		hi, lo := xs[i].HighBits(), xs[i].LowBits()
		v.n[g]++
		v.sum[g].add(hi, lo)
		v.sq[g].addSquare(abs128(hi, lo))
	}
}

func (v *varAcc) updateFloat(gids []int32, a arrow.Array) error {
	noNulls := a.NullN() == 0
	for i, g := range gids {
		if g < 0 || !noNulls && a.IsNull(i) {
			continue
		}
		n, sx, sxx, err := youngsCramer(float64(v.n[g]), v.sx[g], v.sxx[g], floatAt(a, i))
		if err != nil {
			return err
		}
		v.n[g], v.sx[g], v.sxx[g] = int64(n), sx, sxx
	}
	return nil
}

// youngsCramer is PostgreSQL's float8_accum: it folds x into (N, Sx, Sxx),
// Sxx being the sum of squared differences from the mean. Finite inputs
// overflowing are error 22003; an infinite or NaN input makes Sxx NaN.
func youngsCramer(n, sx, sxx, x float64) (float64, float64, float64, error) {
	oldN, oldSx := n, sx
	n++
	sx += x
	if oldN > 0 {
		t := x*n - sx
		sxx += t * t / (n * oldN)
		if math.IsInf(sx, 0) || math.IsInf(sxx, 0) {
			if !math.IsInf(oldSx, 0) && !math.IsInf(x, 0) {
				return 0, 0, 0, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
			}
			sxx = math.NaN()
		}
	} else if math.IsNaN(x) || math.IsInf(x, 0) {
		sxx = math.NaN()
	}
	return n, sx, sxx, nil
}

func (v *varAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	b := array.NewBuilder(mem, v.out)
	defer b.Release()
	var sum, sq big.Int
	var z pgNumeric
	for g := lo; g < hi; g++ {
		n := v.n[g]
		if n == 0 || n == 1 && !v.pop {
			b.AppendNull()
			continue
		}
		if !v.exact {
			r := v.sxx[g] / float64(n-1)
			if v.pop {
				r = v.sxx[g] / float64(n)
			}
			if v.sqrt {
				r = math.Sqrt(r)
			}
			if err := appendFloatResult(b, r); err != nil {
				return nil, err
			}
			continue
		}
		r, rs := z.pgVariance(n, v.sum[g].big(&sum), v.sq[g].big(&sq), v.scale, v.pop, v.sqrt)
		if err := z.appendNumericResult(b, r, rs); err != nil {
			return nil, err
		}
	}
	return b.NewArray(), nil
}

func appendFloatResult(b array.Builder, r float64) error {
	switch b := b.(type) {
	case *array.Float64Builder:
		b.Append(r)
	case *array.Decimal128Builder:
		dt := b.Type().(*arrow.Decimal128Type)
		d, err := decimal128.FromFloat64(r, dt.Precision, dt.Scale)
		if err != nil {
			return sqlerr.Wrap(err, sqlerr.NumericValueOutOfRange, "numeric field overflow")
		}
		b.Append(d)
	}
	return nil
}

// appendNumericResult appends r/10^rs (r >= 0) as the builder's type: a
// decimal rounded half away from zero to its scale (22003 when it does not
// fit), or the nearest double.
func (z *pgNumeric) appendNumericResult(b array.Builder, r *big.Int, rs int32) error {
	switch b := b.(type) {
	case *array.Float64Builder:
		f, _ := new(big.Rat).SetFrac(r, bigPow10(rs)).Float64()
		b.Append(f)
	case *array.Decimal128Builder:
		dt := b.Type().(*arrow.Decimal128Type)
		r = z.rescaleHalfUp(r, rs, dt.Scale)
		if r.Cmp(bigPow10(dt.Precision)) >= 0 {
			return sqlerr.New(sqlerr.NumericValueOutOfRange, "numeric field overflow").
				WithDetail("A field with precision %d, scale %d must round to an absolute value less than 10^%d.",
					dt.Precision, dt.Scale, dt.Precision-dt.Scale)
		}
		b.Append(decimal128.FromBigInt(r))
	}
	return nil
}

// standardStat maps Substrait's standard std_dev and variance (a client's
// plan) to the PostgreSQL-named functions: the distribution is an enum
// argument or the option of that name, SAMPLE by default. Other names are
// returned unchanged.
func standardStat(name string, args []types.FuncArg, options []*types.FunctionOption) (string, error) {
	if name != "std_dev" && name != "variance" {
		return name, nil
	}
	dist := "SAMPLE"
	for _, o := range options {
		if o.Name == "distribution" && len(o.Preference) > 0 {
			dist = o.Preference[0]
		}
	}
	for _, a := range args {
		if e, ok := a.(types.Enum); ok {
			dist = string(e)
		}
	}
	pop := false
	switch strings.ToUpper(dist) {
	case "SAMPLE":
	case "POPULATION":
		pop = true
	default:
		return "", sqlerr.New(sqlerr.FeatureNotSupported, "%s with distribution %s is not supported", name, dist)
	}
	switch {
	case name == "std_dev" && pop:
		return "stddev_pop", nil
	case name == "std_dev":
		return "stddev_samp", nil
	case pop:
		return "var_pop", nil
	}
	return "var_samp", nil
}
