package eval

import (
	"context"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

func init() {
	register(buildFloatMath, "sqrt", "exp", "ln", "log10", "power", "sign", "cbrt")
	register(buildRounding, "floor", "ceil", "round")
}

var f64Type = arrow.PrimitiveTypes.Float64

// floatMath computes a function in double precision and converts the
// result to the output type (decimal results are therefore exact only to
// about 15 digits; PostgreSQL computes numeric sqrt, exp, ln and power
// exactly).
type floatMath struct {
	args []Expr
	out  arrow.DataType
	fn   func(x, y float64) (float64, error)
}

var mathFns = map[string]func(x, y float64) (float64, error){
	"sqrt": func(x, _ float64) (float64, error) {
		if x < 0 {
			return 0, sqlerr.New("2201F", "cannot take square root of a negative number")
		}
		return math.Sqrt(x), nil
	},
	"cbrt": func(x, _ float64) (float64, error) { return math.Cbrt(x), nil },
	"exp": func(x, _ float64) (float64, error) {
		r := math.Exp(x)
		if math.IsInf(r, 0) && !math.IsInf(x, 0) {
			return 0, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
		}
		return r, nil
	},
	"ln":    logFn(math.Log),
	"log10": logFn(math.Log10),
	"power": func(x, y float64) (float64, error) {
		switch {
		case x == 0 && y < 0:
			return 0, sqlerr.New("2201F", "zero raised to a negative power is undefined")
		case x < 0 && y != math.Trunc(y):
			return 0, sqlerr.New("2201F", "a negative number raised to a non-integer power yields a complex result")
		}
		r := math.Pow(x, y)
		if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
			return 0, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
		}
		return r, nil
	},
	"sign": func(x, _ float64) (float64, error) {
		switch {
		case x > 0:
			return 1, nil
		case x < 0:
			return -1, nil
		}
		return x, nil
	},
}

func logFn(f func(float64) float64) func(x, y float64) (float64, error) {
	return func(x, _ float64) (float64, error) {
		switch {
		case x == 0:
			return 0, sqlerr.New("2201E", "cannot take logarithm of zero")
		case x < 0:
			return 0, sqlerr.New("2201E", "cannot take logarithm of a negative number")
		}
		return f(x), nil
	}
}

func buildFloatMath(c *compiler, k *call) (Expr, error) {
	want := 1
	if k.name == "power" {
		want = 2
	}
	if len(k.args) != want || !isNumeric(k.out) {
		return nil, unsupported(k)
	}
	args := append([]Expr(nil), k.args...)
	for i, a := range args {
		if !isNumeric(a.Type()) && a.Type().ID() != arrow.NULL {
			return nil, unsupported(k)
		}
		x, err := newCast(a, f64Type)
		if err != nil {
			return nil, err
		}
		args[i] = fold(x, a)
	}
	return &floatMath{args: args, out: k.out, fn: mathFns[k.name]}, nil
}

func (n *floatMath) Type() arrow.DataType { return n.out }

func (n *floatMath) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	arrs := make([]arrow.Array, len(n.args))
	defer func() { releaseAll(arrs...) }()
	for i, a := range n.args {
		var err error
		if arrs[i], err = a.Eval(ctx, mem, batch); err != nil {
			return nil, err
		}
	}
	xs := arrow.GetValues[float64](arrs[0].Data(), 1)
	var ys []float64
	var b arrow.Array
	if len(arrs) == 2 {
		b = arrs[1]
		ys = arrow.GetValues[float64](b.Data(), 1)
	}
	var bad error
	r, err := mapRows[float64](mem, arrs[0], b, f64Type, func(i int) (float64, bool) {
		v, err := n.fn(xs[i], pick(ys, 0, i))
		bad = err
		return v, err == nil
	}, func() error { return bad })
	if err != nil || n.out.ID() == arrow.FLOAT64 {
		return r, err
	}
	defer r.Release()
	return castFor(f64Type, n.out)(mem, r, n.out)
}

// rounding is floor, ceil and round (with an optional number of digits).
// Decimals round exactly, half away from zero; floats use floor, ceil and
// rint (half to even), as PostgreSQL. round's option rounding TRUNCATE is
// PostgreSQL's trunc (toward zero), FLOOR and CEILING are floor and ceil
// to the digits; TIE_AWAY_FROM_ZERO (decimals) and TIE_TO_EVEN (floats
// without digits) are the defaults.
type rounding struct {
	x, digits Expr
	name      string // floor, ceil, round or trunc
	out       arrow.DataType
}

// roundingModes are the names round's rounding option selects.
var roundingModes = map[string]string{"": "round", "TRUNCATE": "trunc", "FLOOR": "floor", "CEILING": "ceil"}

func buildRounding(c *compiler, k *call) (Expr, error) {
	if len(k.args) < 1 || len(k.args) > 2 || (len(k.args) == 2 && k.name != "round") {
		return nil, unsupported(k)
	}
	name := k.name
	if k.name == "round" {
		mode, ok := k.option("rounding"), false
		switch {
		case mode == "TIE_AWAY_FROM_ZERO" && isDecimal(k.out):
			name, ok = "round", true
		case mode == "TIE_TO_EVEN" && !isDecimal(k.out) && len(k.args) == 1:
			name, ok = "round", true
		default:
			name, ok = roundingModes[mode]
		}
		if !ok {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "round with rounding %s is not supported", mode)
		}
	}
	n := &rounding{x: k.args[0], name: name, out: k.out}
	if len(k.args) == 2 {
		if !isInteger(k.args[1].Type()) {
			return nil, unsupported(k)
		}
		d, err := newCast(k.args[1], arrow.PrimitiveTypes.Int64)
		if err != nil {
			return nil, err
		}
		n.digits = fold(d, k.args[1])
	}
	switch {
	case isDecimal(n.x.Type()):
	case isInteger(n.x.Type()) && isDecimal(k.out):
		p, _ := decimalOf(n.x.Type())
		n.x = mustCast(n.x, &arrow.Decimal128Type{Precision: p})
	case isNumeric(n.x.Type()):
		n.x = mustCast(n.x, f64Type)
	default:
		return nil, unsupported(k)
	}
	if n.x == nil || !isNumeric(k.out) {
		return nil, unsupported(k)
	}
	return n, nil
}

func (n *rounding) Type() arrow.DataType { return n.out }

func (n *rounding) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := n.x.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	var d arrow.Array
	var ds []int64
	if n.digits != nil {
		if d, err = n.digits.Eval(ctx, mem, batch); err != nil {
			return nil, err
		}
		defer d.Release()
		ds = arrow.GetValues[int64](d.Data(), 1)
	}
	var r arrow.Array
	if isDecimal(a.DataType()) {
		r, err = n.roundDecimal(mem, a, d, ds)
	} else {
		xs := arrow.GetValues[float64](a.Data(), 1)
		r, err = mapRows[float64](mem, a, d, f64Type, func(i int) (float64, bool) {
			return roundFloat(n.name, xs[i], pick(ds, 0, i)), true
		}, nil)
	}
	if err != nil || arrow.TypeEqual(r.DataType(), n.out) {
		return r, err
	}
	defer r.Release()
	fn := castFor(r.DataType(), n.out)
	if fn == nil {
		return nil, sqlerr.New(sqlerr.CannotCoerce, "cannot cast type %s to %s", sqlTypeName(r.DataType()), sqlTypeName(n.out))
	}
	return fn(mem, r, n.out)
}

func roundFloat(name string, x float64, digits int64) float64 {
	f := math.RoundToEven
	switch name {
	case "floor":
		f = math.Floor
	case "ceil":
		f = math.Ceil
	case "trunc":
		f = math.Trunc
	case "round":
		if digits != 0 {
			f = math.Round
		}
	}
	if digits == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return f(x)
	}
	p := math.Pow10(int(digits))
	return f(x*p) / p
}

// roundDecimal rounds exactly and returns a decimal(38, rs), rs being the
// result's natural scale (the digits kept when they are a constant, 0 for
// floor and ceil); the caller converts it to the output type.
func (n *rounding) roundDecimal(mem memory.Allocator, a, d arrow.Array, ds []int64) (arrow.Array, error) {
	_, s := decimalOf(a.DataType())
	rs := s
	switch k := asConst(n.digits); {
	case n.digits == nil:
		rs = 0
	case k != nil && !k.null():
		rs = int32(max(0, min(int64(s), constValue[int64](k))))
	}
	xs := arrow.GetValues[decimal128.Num](a.Data(), 1)
	dt := &arrow.Decimal128Type{Precision: 38, Scale: rs}
	return mapRows[decimal128.Num](mem, a, d, dt, func(i int) (decimal128.Num, bool) {
		keep := int64(0)
		if ds != nil {
			keep = ds[i]
		}
		k := int32(max(0, min(int64(s)+39, int64(s)-keep)))
		if k > 38 {
			return decimal128.Num{}, true
		}
		q := xs[i]
		switch {
		case k == 0:
		case n.name == "round":
			q = scaleDown(q, k)
		case n.name == "trunc":
			q = floorCeil(q, k, q.Sign() < 0)
		default:
			q = floorCeil(q, k, n.name == "ceil")
		}
		r, ok := scaleUp(q, rs-(s-k))
		return r, ok && fitsPrec(r, 38)
	}, func() error { return numericOverflow(dt) })
}

// floorCeil divides by 10^k rounding toward -inf (or +inf for ceil).
func floorCeil(x decimal128.Num, k int32, ceil bool) decimal128.Num {
	t := scaleDown(x, k) // rounded half away; fix up to floor/ceil
	back, _ := scaleUp(t, k)
	c := decCmp(back, x)
	switch {
	case ceil && c < 0:
		t, _ = add128(t, decimal128.FromI64(1))
	case !ceil && c > 0:
		t, _ = sub128(t, decimal128.FromI64(1))
	}
	return t
}
