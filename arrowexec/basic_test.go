package arrowexec

import (
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"
)

// fixture is table "t"(a, b) in 3 partitions, with NULLs.
func fixture(mem memory.Allocator, support connectors.FilterSupport) (*testTable, resolver) {
	names := []string{"a", "b"}
	bs := []arrow.RecordBatch{
		buildInts(mem, names, [][]any{{1, 10}, {2, 20}, {3, nil}}),
		buildInts(mem, names, [][]any{{4, 40}, {nil, 50}}),
		buildInts(mem, names, [][]any{{6, 60}, {7, 70}, {8, 80}, {9, 90}}),
	}
	t := &testTable{sch: bs[0].Schema(), batches: bs, support: support, failAt: -1}
	return t, resolver{"t": t}
}

func (t *testTable) release() {
	for _, b := range t.batches {
		b.Release()
	}
}

func i64(v int64) expr.Literal { return expr.NewPrimitiveLiteral(v, false) }

func TestScanFilterProject(t *testing.T) {
	for _, sup := range []connectors.FilterSupport{connectors.Unsupported, connectors.Inexact, connectors.Exact} {
		for _, pushdown := range []bool{false, true} {
			t.Run(sup.String(), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
				defer mem.AssertSize(t, 0)
				tbl, res := fixture(mem, sup)
				defer tbl.release()
				b := plan.NewBuilderDefault()
				scan := b.NamedScan([]string{"t"}, namedStruct(t, tbl.sch))
				a := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, 0))
				gt := mustT[*expr.ScalarFunction](t)(b.ScalarFn(cmpURN, "not_equal", nil, a, i64(2)))
				filt := mustT[*plan.FilterRel](t)(b.Filter(scan, gt))
				bref := mustT[*expr.FieldReference](t)(b.RootFieldRef(filt, 1))
				sum := mustT[*expr.ScalarFunction](t)(b.ScalarFn(arithURN, "add", nil, bref, i64(1)))
				proj := mustT[*plan.ProjectRel](t)(b.ProjectRemap(filt, []int32{2, 0}, sum))
				sort := mustT[*plan.SortRel](t)(b.Sort(proj, expr.SortField{Expr: mustT[*expr.FieldReference](t)(b.RootFieldRef(proj, 1)), Kind: types.SortDescNullsFirst}))
				p := mustT[*plan.Plan](t)(b.Plan(sort, []string{"b1", "a"}))
				rows, err := runPlan(t, mem, p, res, Options{Threads: 3, Pushdown: pushdown})
				if err != nil {
					t.Fatal(err)
				}
				want := []string{"91|9", "81|8", "71|7", "61|6", "41|4", "NULL|3", "11|1"}
				if !slices.Equal(rows, want) {
					t.Fatalf("got %v want %v", rows, want)
				}
			})
		}
	}
}

func TestReadRelFilterPushdown(t *testing.T) {
	for _, sup := range []connectors.FilterSupport{connectors.Unsupported, connectors.Inexact, connectors.Exact} {
		t.Run(sup.String(), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			tbl, res := fixture(mem, sup)
			defer tbl.release()
			b := plan.NewBuilderDefault()
			scan := b.NamedScan([]string{"t"}, namedStruct(t, tbl.sch))
			a := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, 0))
			bb := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, 1))
			c1 := mustT[*expr.ScalarFunction](t)(b.ScalarFn(cmpURN, "not_equal", nil, a, i64(6)))
			c2 := mustT[*expr.ScalarFunction](t)(b.ScalarFn(cmpURN, "not_equal", nil, bb, i64(10)))
			and := mustT[*expr.ScalarFunction](t)(b.ScalarFn(boolURN, "and", nil, c1, c2))
			// project only b: the filter's column a is read and dropped.
			scan.SetProjection(expr.MaskExpressionFromProto(maskOf(1)))
			fetch := mustT[*plan.FetchRel](t)(b.Fetch(scan, 1, 10))
			// substrait-go types a ReadRel by its base schema, ignoring the mask.
			p := withReadFilter(t, mustT[*plan.Plan](t)(b.Plan(fetch, []string{"a", "b"})), and)
			rows, err := runPlan(t, mem, p, res, Options{Threads: 1, Pushdown: true})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"40", "70", "80", "90"}
			if !slices.Equal(rows, want) {
				t.Fatalf("got %v want %v", rows, want)
			}
			if len(tbl.lastReq.Filters) != 2 || !slices.Equal(tbl.lastReq.Columns, []int{1, 0}) {
				t.Fatalf("request %+v", tbl.lastReq)
			}
		})
	}
}

func TestValuesAndErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	b := plan.NewBuilderDefault()
	vt := mustT[*plan.VirtualTableReadRel](t)(b.VirtualTableFromExpr([]string{"x", "y"},
		expr.VirtualTableExpressionValue{i64(1), expr.NewPrimitiveLiteral("one", false)},
		expr.VirtualTableExpressionValue{i64(2), expr.NewPrimitiveLiteral("two", false)}))
	p := mustT[*plan.Plan](t)(b.Plan(vt, []string{"x", "y"}))
	rows, err := runPlan(t, mem, p, resolver{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows, []string{"1|one", "2|two"}) {
		t.Fatalf("got %v", rows)
	}
	// unknown table
	scan := b.NamedScan([]string{"nope"}, types.NamedStruct{Names: []string{"a"}, Struct: types.StructType{Types: []types.Type{&types.Int64Type{}}}})
	p = mustT[*plan.Plan](t)(b.Plan(scan, []string{"a"}))
	if _, err := runPlan(t, mem, p, resolver{}, Options{}); !sqlerr.Is(err, sqlerr.UndefinedTable) {
		t.Fatalf("got %v", err)
	}
}
