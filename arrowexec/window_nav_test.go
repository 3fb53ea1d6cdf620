package arrowexec

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"
)

// navSchema: partition g, ordering o, value v, a per-row integer argument
// k (nth_value's position, lag's offset, ntile's buckets) and a per-row
// default d.
var navSchema = arrow.NewSchema([]arrow.Field{
	{Name: "g", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "o", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "k", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "d", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
}, nil)

// navRows in two batches, rows r0..r6 by d = -1..-7. Sorted by o,
// partition a is r0, r1, r2 (r1 and r2 peers, o = 2, in input order: the
// sort is stable), r3, then r4 (o NULL sorts last); partition b is r5, r6.
var navRows = [][][]any{
	{{"a", 1, 10, 2, -1}, {"a", 2, 20, nil, -2}, {"a", 2, 21, 1, -3}, {"b", 5, 7, 1, -6}},
	{{"a", 3, nil, 3, -4}, {"a", nil, 50, 5, -5}, {"b", 6, 8, 2, -7}},
}

// winSpec is one window function call of a test: partitioned by g and
// ordered by o unless unordered, over the frame lower..upper.
type winSpec struct {
	name         string
	unordered    bool
	lower, upper expr.Bound
	bt           types.BoundsType
	args         []int // columns of navSchema; -1 - i is lits[i]
	lits         []expr.Expression
}

// runWindows runs the calls over rows and returns the results of each row
// joined by '|', the rows in the order of their input columns' text. (The
// scan's batches may arrive in any order; rows that are peers are in one
// batch, so the stable sort keeps them in input order.)
func runWindows(t *testing.T, mem memory.Allocator, sch *arrow.Schema, rows [][][]any, specs ...winSpec) ([]string, error) {
	t.Helper()
	tbl := &testTable{sch: sch, failAt: -1}
	for _, r := range rows {
		tbl.batches = append(tbl.batches, buildRows(mem, sch, r))
	}
	defer tbl.release()
	b := plan.NewBuilderDefault()
	eb := b.GetExprBuilder()
	scan := b.NamedScan([]string{"t"}, namedStruct(t, sch))
	col := func(i int) *expr.FieldReference {
		return mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, int32(i)))
	}
	var exprs []expr.Expression
	for _, s := range specs {
		wb := eb.WindowFunc(extensions.ID{URN: arithURN, Name: s.name}).Phase(types.AggPhaseInitialToResult).
			Bounds(s.lower, s.upper).BoundsType(s.bt)
		if sch.Field(0).Name == "g" {
			wb = wb.Partitions(eb.Expression(col(0)))
		}
		if !s.unordered {
			wb = wb.Sort(expr.SortField{Expr: col(1), Kind: types.SortAscNullsLast})
		}
		var fa []expr.FuncArgBuilder
		for _, a := range s.args {
			if a < 0 {
				fa = append(fa, eb.Expression(s.lits[-1-a]))
			} else {
				fa = append(fa, eb.Expression(col(a)))
			}
		}
		exprs = append(exprs, mustT[*expr.WindowFunction](t)(wb.Args(fa...).Build()))
	}
	// keep only the results: emit the window columns
	proj := mustT[*plan.ProjectRel](t)(b.Project(scan, exprs...))
	out, err := runPlan(t, mem, planOf(t, b, proj), resolver{"t": tbl}, Options{Threads: 2})
	if err != nil {
		return nil, err
	}
	sort.Strings(out)
	for i, r := range out { // drop the input columns
		for c := 0; c < sch.NumFields(); c++ {
			_, r, _ = strings.Cut(r, "|")
		}
		out[i] = r
	}
	return out, nil
}

func i32(v int32) expr.Expression { return expr.NewPrimitiveLiteral(v, false) }

func checkRows(t *testing.T, what string, got []string, err error, want []string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot  %q\nwant %q", what, got, want)
	}
}

// TestWindowValueFunctions: first_value, last_value and nth_value read
// the frame: the default RANGE frame ends at the last peer, ROWS frames
// slide, RANGE from CURRENT ROW starts at the first peer, frames past the
// partition are empty (NULL); NULL values are returned, a NULL position
// gives NULL.
func TestWindowValueFunctions(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rng, rows := types.BoundsTypeRange, types.BoundsTypeRows
	unb, cur := expr.Unbounded{}, expr.CurrentRow{}
	got, err := runWindows(t, mem, navSchema, navRows,
		winSpec{name: "first_value", lower: unb, upper: cur, bt: rng, args: []int{2}},
		winSpec{name: "last_value", lower: unb, upper: cur, bt: rng, args: []int{2}},
		winSpec{name: "nth_value", lower: unb, upper: cur, bt: rng, args: []int{2, -1}, lits: []expr.Expression{i32(2)}},
		winSpec{name: "nth_value", lower: unb, upper: cur, bt: rng, args: []int{2, 3}},
	)
	checkRows(t, "default frame", got, err, []string{
		"10|10|NULL|NULL", "10|21|20|NULL", "10|21|20|10", "10|NULL|20|21",
		"10|50|20|50", "7|7|NULL|7", "7|8|8|8",
	})
	got, err = runWindows(t, mem, navSchema, navRows,
		winSpec{name: "first_value", lower: expr.PrecedingBound(1), upper: expr.FollowingBound(1), bt: rows, args: []int{2}},
		winSpec{name: "last_value", lower: expr.PrecedingBound(1), upper: expr.FollowingBound(1), bt: rows, args: []int{2}},
		winSpec{name: "nth_value", lower: expr.PrecedingBound(1), upper: expr.FollowingBound(1), bt: rows, args: []int{2, -1}, lits: []expr.Expression{i32(2)}},
		winSpec{name: "first_value", lower: expr.FollowingBound(2), upper: expr.FollowingBound(3), bt: rows, args: []int{2}},
	)
	checkRows(t, "ROWS frames", got, err, []string{
		"10|20|20|21", "10|21|20|NULL", "20|NULL|21|50", "21|50|NULL|NULL",
		"NULL|50|50|NULL", "7|8|8|NULL", "7|8|8|NULL",
	})
	got, err = runWindows(t, mem, navSchema, navRows,
		winSpec{name: "first_value", lower: cur, upper: unb, bt: rng, args: []int{2}},
		winSpec{name: "last_value", lower: cur, upper: unb, bt: rng, args: []int{2}},
		winSpec{name: "last_value", lower: unb, upper: unb, bt: rows, args: []int{4}},
		winSpec{name: "nth_value", lower: unb, upper: unb, bt: rows, args: []int{2, -1}, lits: []expr.Expression{i32(5)}},
	)
	checkRows(t, "to UNBOUNDED FOLLOWING", got, err, []string{
		"10|50|-5|50", "20|50|-5|50", "20|50|-5|50", "NULL|50|-5|50",
		"50|50|-5|50", "7|8|-7|NULL", "8|8|-7|NULL",
	})
}

// TestWindowLagLead (lag and lead by their compound names: they have
// several signatures): offsets per row (NULL gives NULL, not the default;
// negative goes the other way), defaults per row or constant.
func TestWindowLagLead(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rows := types.BoundsTypeRows
	got, err := runWindows(t, mem, navSchema, navRows,
		winSpec{name: "lag:any", bt: rows, args: []int{2}},
		winSpec{name: "lag:any_i32_any", bt: rows, args: []int{2, 3, 4}},
		winSpec{name: "lead:any_i32", bt: rows, args: []int{2, -1}, lits: []expr.Expression{i32(-1)}},
		winSpec{name: "lead:any_i32_any", bt: rows, args: []int{2, -1, -2}, lits: []expr.Expression{i32(2), expr.NewPrimitiveLiteral(int64(0), false)}},
		winSpec{name: "lag:any_i32", bt: rows, args: []int{2, -1}, lits: []expr.Expression{expr.NewNullLiteral(&types.Int32Type{Nullability: types.NullabilityNullable})}},
	)
	checkRows(t, "lag/lead", got, err, []string{
		"NULL|-1|NULL|21|NULL", "10|NULL|10|NULL|NULL", "20|20|20|50|NULL", "21|10|21|0|NULL",
		"NULL|-5|NULL|0|NULL", "NULL|-6|NULL|0|NULL", "7|-7|7|0|NULL",
	})
}

// TestWindowDistribution: ntile reads its argument at the first row of
// the partition where it is not NULL (rows before are NULL) and counts
// buckets from there, as PostgreSQL; percent_rank and cume_dist are the
// same for peers and double precision.
func TestWindowDistribution(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "x", Type: arrow.PrimitiveTypes.Int64},
		{Name: "o", Type: arrow.PrimitiveTypes.Int64},
		{Name: "k", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	}, nil)
	data := [][][]any{{{1, 0, nil}, {2, 0, nil}, {3, 1, 2}, {4, 1, 0}, {5, 1, 7}}, {{6, 2, nil}, {7, 2, 1}, {8, 2, 1}}}
	rng := types.BoundsTypeRange
	got, err := runWindows(t, mem, sch, data,
		winSpec{name: "ntile", bt: rng, args: []int{2}},
		winSpec{name: "ntile", bt: rng, args: []int{-1}, lits: []expr.Expression{i32(3)}},
		winSpec{name: "percent_rank", bt: rng},
		winSpec{name: "cume_dist", bt: rng},
		winSpec{name: "cume_dist", unordered: true, bt: types.BoundsTypeRows}, // the builder wants RANGE ordered
	)
	checkRows(t, "ntile, percent_rank, cume_dist", got, err, []string{
		"NULL|1|0|0.25|1", "NULL|1|0|0.25|1", "1|1|0.2857142857142857|0.625|1", "1|2|0.2857142857142857|0.625|1",
		"1|2|0.2857142857142857|0.625|1", "1|2|0.7142857142857143|1|1", "2|3|0.7142857142857143|1|1", "2|3|0.7142857142857143|1|1",
	})
}

// TestWindowArgumentErrors: ntile's bucket count and nth_value's position
// must be positive (22014, 22016).
func TestWindowArgumentErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	cases := []struct {
		spec winSpec
		code sqlerr.Code
	}{
		{winSpec{name: "ntile", bt: types.BoundsTypeRange, args: []int{-1}, lits: []expr.Expression{i32(0)}}, "22014"},
		{winSpec{name: "ntile", bt: types.BoundsTypeRange, args: []int{-1}, lits: []expr.Expression{i32(-3)}}, "22014"},
		{winSpec{name: "nth_value", bt: types.BoundsTypeRange, args: []int{2, -1}, lits: []expr.Expression{i32(0)}}, "22016"},
	}
	for _, c := range cases {
		_, err := runWindows(t, mem, navSchema, navRows, c.spec)
		var se *sqlerr.Error
		if !errors.As(err, &se) || se.Code != c.code {
			t.Errorf("%s: got %v, want %s", c.spec.name, err, c.code)
		}
	}
}
