package arrowexec

import (
	"math"
	"math/big"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/substrait/ext"
)

var statOut = &arrow.Decimal128Type{Precision: 38, Scale: 16}

// scaled prints v/10^scale.
func scaled(v *big.Int, scale int32) string {
	s := new(big.Int).Abs(v).String()
	if scale > 0 {
		s = strings.Repeat("0", max(0, int(scale)+1-len(s))) + s
		s = s[:len(s)-int(scale)] + "." + s[len(s)-int(scale):]
	}
	if v.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// TestPGVariance: the exact numeric results of PostgreSQL 15 (its text
// output, the scale included).
func TestPGVariance(t *testing.T) {
	cases := []struct {
		vals      []int64 // unscaled
		scale     int32
		pop, sqrt bool
		want      string
	}{
		{[]int64{150, 225, 1000, -310, 555}, 2, false, false, "23.8092500000000000"},
		{[]int64{150, 225, 1000, -310, 555}, 2, true, false, "19.0474000000000000"},
		{[]int64{150, 225, 1000, -310, 555}, 2, false, true, "4.8794723075349039"},
		{[]int64{150, 225, 1000, -310, 555}, 2, true, true, "4.3643327095903218"},
		{[]int64{17366547, 4692918, 19384625, 3215178, 14465920, 5874959, 25200418, 20866075}, 2, false, true, "82978.38039320"},
		{[]int64{17366547, 4692918, 19384625, 3215178, 14465920, 5874959, 25200418, 20866075}, 2, false, false, "6885411612.67817143"},
		{[]int64{1, 2, 3, 7}, 8, false, false, "0.00000000000000069166666666666667"},
		{[]int64{1, 2, 3, 7}, 8, true, true, "0.00000002277608394786074720486407"},
		{[]int64{1, 2}, 0, false, true, "0.70710678118654752440"},
		{[]int64{-9999999999, 9999999999, 1}, 0, false, false, "99999999980000000001"},
		{[]int64{-9999999999, 9999999999, 1}, 0, true, true, "8164965808"},
		{[]int64{5, 5, 5}, 0, false, false, "0"},
	}
	for _, c := range cases {
		sum, sq := new(big.Int), new(big.Int)
		for _, v := range c.vals {
			sum.Add(sum, big.NewInt(v))
			sq.Add(sq, new(big.Int).Mul(big.NewInt(v), big.NewInt(v)))
		}
		r, rs := pgVariance(int64(len(c.vals)), sum, sq, c.scale, c.pop, c.sqrt)
		if got := scaled(r, rs); got != c.want {
			t.Errorf("%v (scale %d, pop %v, sqrt %v): %s, want %s", c.vals, c.scale, c.pop, c.sqrt, got, c.want)
		}
	}
}

// TestWideSums: the fixed-width sums are exact for values of up to 38
// digits.
func TestWideSums(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	lim := new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil)
	var sum i192
	var sq u320
	wantSum, wantSq := new(big.Int), new(big.Int)
	for i := 0; i < 20000; i++ {
		v := new(big.Int).Rand(rng, lim)
		switch i % 4 {
		case 0:
			v.Neg(v)
		case 1:
			v.SetInt64(rng.Int63() - rng.Int63())
		case 2:
			v.Sub(lim, big.NewInt(1)) // the largest magnitude
			if i%8 == 2 {
				v.Neg(v)
			}
		}
		d := decimal128.FromBigInt(v)
		hi, lo := d.HighBits(), d.LowBits()
		sum.add(hi, lo)
		sq.addSquare(abs128(hi, lo))
		wantSum.Add(wantSum, v)
		wantSq.Add(wantSq, new(big.Int).Mul(v, v))
	}
	var got big.Int
	if sum.big(&got).Cmp(wantSum) != 0 {
		t.Errorf("sum %s, want %s", got.String(), wantSum)
	}
	if sq.big(&got).Cmp(wantSq) != 0 {
		t.Errorf("sum of squares %s, want %s", got.String(), wantSq)
	}
}

func TestISqrt(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var z pgNumeric
	for i := 0; i < 5000; i++ {
		x := new(big.Int).Rand(rng, new(big.Int).Lsh(big.NewInt(1), uint(rng.Intn(700))))
		if i%3 == 0 { // squares and their neighbours
			x.Mul(x, x)
			x.Add(x, big.NewInt(int64(rng.Intn(3)-1)))
			x.Abs(x)
		}
		want := new(big.Int).Sqrt(x)
		if got := z.isqrt(x); got.Cmp(want) != 0 {
			t.Fatalf("isqrt(%s) = %s, want %s", x, got, want)
		}
	}
}

// TestVarAccumulator feeds two batches (NULLs, skipped rows) to the four
// statistics, ungrouped and grouped.
func TestVarAccumulator(t *testing.T) {
	dec := &arrow.Decimal128Type{Precision: 15, Scale: 2}
	cases := []struct {
		name    string
		in, out arrow.DataType
		batches [][]any
		gids    [][]int32
		want    []string // per function, the groups' values joined by | (Arrow's text: no trailing zeros)
	}{
		{"decimal ungrouped", dec, statOut,
			[][]any{{"1.50", "2.25", nil}, {"10.00", "-3.10", "5.55"}}, [][]int32{{0, 0, 0}, {0, 0, 0}},
			[]string{"23.80925", "19.0474", "4.8794723075349039", "4.3643327095903218"}},
		{"decimal grouped", dec, statOut,
			[][]any{{"1.50", "2.25", "99.99"}, {"10.00", "-3.10", nil}}, [][]int32{{0, 0, -1}, {0, 1, 2}},
			[]string{"22.1458333333333333|(null)|(null)", "14.7638888888888889|0|(null)",
				"4.7059359678318333|(null)|(null)", "3.8423806277995012|0|(null)"}},
		{"integers", arrow.PrimitiveTypes.Int32, statOut,
			[][]any{{int64(1), int64(2)}, {int64(4), nil, int64(7), int64(5)}}, [][]int32{{0, 0}, {0, 0, 0, 0}},
			[]string{"5.7", "4.56", "2.3874672772626644", "2.1354156504062622"}},
		{"floats", arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Float64,
			[][]any{{1.5, 2.25}, {10.0, -3.1, nil, 5.55}}, [][]int32{{0, 0}, {0, 0, 0, 0}},
			[]string{"23.80925", "19.0474", "4.879472307534904", "4.364332709590322"}},
		{"integers as double", arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64,
			[][]any{{int64(1), int64(2), int64(4), int64(7), int64(5)}}, [][]int32{{0, 0, 0, 0, 0}},
			[]string{"5.7", "4.56", "2.3874672772626644", "2.1354156504062622"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			groups := 0
			for _, g := range c.gids {
				groups = max(groups, int(slices.Max(g))+1)
			}
			for fi, name := range []string{"var_samp", "var_pop", "stddev_samp", "stddev_pop"} {
				acc, err := newAccumulator(name, []arrow.DataType{c.in}, c.out)
				if err != nil {
					t.Fatal(err)
				}
				acc.resize(groups)
				for bi, vals := range c.batches {
					a := buildArray(t, mem, c.in, vals)
					err := acc.update(c.gids[bi], []arrow.Array{a})
					a.Release()
					if err != nil {
						t.Fatal(err)
					}
				}
				res, err := acc.result(mem, 0, groups)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for i := 0; i < res.Len(); i++ {
					got = append(got, res.ValueStr(i))
				}
				res.Release()
				if g := strings.Join(got, "|"); g != c.want[fi] {
					t.Errorf("%s: %s, want %s", name, g, c.want[fi])
				}
			}
		})
	}
}

func buildArray(t *testing.T, mem memory.Allocator, dt arrow.DataType, vals []any) arrow.Array {
	t.Helper()
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	for _, v := range vals {
		switch v := v.(type) {
		case nil:
			b.AppendNull()
		case string:
			if err := b.AppendValueFromString(v); err != nil {
				t.Fatal(err)
			}
		case int64:
			switch b := b.(type) {
			case *array.Int32Builder:
				b.Append(int32(v))
			case *array.Int64Builder:
				b.Append(v)
			}
		case float64:
			b.(*array.Float64Builder).Append(v)
		}
	}
	return b.NewArray()
}

// TestVarFloatSpecials: PostgreSQL's float8_accum: an infinite input makes
// the result NaN, finite inputs overflowing are 22003.
func TestVarFloatSpecials(t *testing.T) {
	var n, sx, sxx float64
	var err error
	for _, x := range []float64{1, math.Inf(1)} {
		if n, sx, sxx, err = youngsCramer(n, sx, sxx, x); err != nil {
			t.Fatal(err)
		}
	}
	if !math.IsNaN(sxx) {
		t.Errorf("Sxx with an infinity: %v, want NaN", sxx)
	}
	n, _, sxx, _ = youngsCramer(0, 0, 0, math.NaN())
	if n != 1 || !math.IsNaN(sxx) {
		t.Errorf("one NaN: N %v Sxx %v", n, sxx)
	}
	n, sx, sxx, _ = youngsCramer(0, 0, 0, 1e308)
	_, _, _, err = youngsCramer(n, sx, sxx, -1e308)
	if c := sqlerr.CodeOf(err); c != sqlerr.NumericValueOutOfRange {
		t.Errorf("overflow: %v, want 22003", err)
	}
}

// TestStatisticsPlan runs the statistics through the hash aggregate
// (grouped, DISTINCT, FILTER-free) and Substrait's standard std_dev with a
// POPULATION distribution, as a client's plan may send them.
func TestStatisticsPlan(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	tbl, res := aggTable(mem, false)
	defer tbl.release()
	b := plan.NewBuilder(ext.Collection())
	eb := b.GetExprBuilder()
	scan := b.NamedScan([]string{"t"}, namedStruct(t, tbl.sch))
	v := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, 1))
	f := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, 2))
	measure := func(id extensions.ID, inv types.AggregationInvocation, args ...expr.FuncArgBuilder) plan.AggRelMeasure {
		fn := mustT[*expr.AggregateFunction](t)(eb.AggFunc(id).Args(args...).Invocation(inv).Build())
		return b.Measure(fn, nil)
	}
	all, dist := types.AggInvocationAll, types.AggInvocationDistinct
	agg := mustT[*plan.AggregateRel](t)(b.AggregateColumns(scan, []plan.AggRelMeasure{
		measure(idOf(ext.URN, "stddev_samp:i64"), all, eb.Expression(v)),
		measure(idOf(ext.URN, "var_pop:i64"), dist, eb.Expression(v)),
		measure(idOf(arithURN, "std_dev:req_fp64"), all, eb.Enum("POPULATION"), eb.Expression(f)),
		measure(idOf(arithURN, "variance:fp64"), all, eb.Expression(f)),
	}, 0))
	rows, err := runPlan(t, mem, planOf(t, b, agg), res, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(rows)
	want := []string{
		"NULL|NULL|0|0|NULL",
		"a|0|0|0.408248290463863|0.25",
		"b|2.1213203435596426|2.25|0.5|0.5",
		"c|NULL|NULL|NULL|NULL",
	}
	if !slices.Equal(rows, want) {
		t.Fatalf("got  %q\nwant %q", rows, want)
	}
}

// TestStatisticsWindow: a running and a sliding frame.
func TestStatisticsWindow(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	sch := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	tbl := &testTable{sch: sch, failAt: -1, batches: []arrow.RecordBatch{
		buildRows(mem, sch, [][]any{{1}, {2}}), buildRows(mem, sch, [][]any{{4}, {nil}, {7}}),
	}}
	defer tbl.release()
	b := plan.NewBuilder(ext.Collection())
	eb := b.GetExprBuilder()
	scan := b.NamedScan([]string{"t"}, namedStruct(t, sch))
	v := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, 0))
	win := func(name string, lower, upper expr.Bound) expr.Expression {
		return mustT[*expr.WindowFunction](t)(eb.WindowFunc(idOf(ext.URN, name)).Phase(types.AggPhaseInitialToResult).
			Args(eb.Expression(v)).Sort(expr.SortField{Expr: v, Kind: types.SortAscNullsLast}).
			Bounds(lower, upper).BoundsType(types.BoundsTypeRows).Build())
	}
	proj := mustT[*plan.ProjectRel](t)(b.Project(scan,
		win("var_samp:i64", expr.Unbounded{}, expr.CurrentRow{}),
		win("stddev_pop:i64", expr.PrecedingBound(1), expr.CurrentRow{})))
	rows, err := runPlan(t, mem, planOf(t, b, proj), resolver{"t": tbl}, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(rows)
	want := []string{
		"1|NULL|0",
		"2|0.5|0.5",
		"4|2.3333333333333333|1",
		"7|7|1.5",
		"NULL|7|0",
	}
	if !slices.Equal(rows, want) {
		t.Fatalf("got  %q\nwant %q", rows, want)
	}
}
