package arrowexec

import (
	"slices"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"
)

func TestWindowFunctions(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "g", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	tbl := &testTable{sch: sch, failAt: -1, batches: []arrow.RecordBatch{
		buildRows(mem, sch, [][]any{{"a", 2}, {"b", 20}, {"a", 1}}),
		buildRows(mem, sch, [][]any{{nil, 5}, {"a", 4}, {"a", 2}, {"b", 10}}),
	}}
	defer tbl.release()
	b := plan.NewBuilderDefault()
	eb := b.GetExprBuilder()
	scan := b.NamedScan([]string{"t"}, namedStruct(t, sch))
	g := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, 0))
	v := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, 1))
	order := expr.SortField{Expr: v, Kind: types.SortAscNullsLast}
	win := func(name string, ordered bool, lower, upper expr.Bound, bt types.BoundsType, args ...expr.Expression) expr.Expression {
		wb := eb.WindowFunc(extensions.ID{URN: arithURN, Name: name}).Phase(types.AggPhaseInitialToResult).Partitions(eb.Expression(g)).Bounds(lower, upper).BoundsType(bt)
		var fa []expr.FuncArgBuilder
		for _, a := range args {
			fa = append(fa, eb.Expression(a))
		}
		wb = wb.Args(fa...)
		if ordered {
			wb = wb.Sort(order)
		}
		return mustT[*expr.WindowFunction](t)(wb.Build())
	}
	proj := mustT[*plan.ProjectRel](t)(b.Project(scan,
		win("row_number", true, nil, nil, types.BoundsTypeRows),
		win("rank", true, nil, nil, types.BoundsTypeRange),
		win("dense_rank", true, nil, nil, types.BoundsTypeRange),
		win("sum", true, expr.Unbounded{}, expr.CurrentRow{}, types.BoundsTypeRange, v),
		win("lag:any", true, nil, nil, types.BoundsTypeRows, v),
		win("sum", false, expr.Unbounded{}, expr.Unbounded{}, types.BoundsTypeRows, v),
		win("sum", true, expr.PrecedingBound(1), expr.CurrentRow{}, types.BoundsTypeRows, v),
	))
	rows, err := runPlan(t, mem, planOf(t, b, proj), resolver{"t": tbl}, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(rows)
	want := []string{
		"NULL|5|1|1|1|5|NULL|5|5",
		"a|1|1|1|1|1|NULL|9|1",
		"a|2|2|2|2|5|1|9|3",
		"a|2|3|2|2|5|2|9|4",
		"a|4|4|4|3|9|2|9|6",
		"b|10|1|1|1|10|NULL|30|10",
		"b|20|2|2|2|30|10|30|30",
	}
	if !slices.Equal(rows, want) {
		t.Fatalf("got  %q\nwant %q", rows, want)
	}
}
