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

// aggTable is g (string, with NULLs), v (int64, with NULLs), f (float64).
func aggTable(mem memory.Allocator, empty bool) (*testTable, resolver) {
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "g", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	var bs []arrow.RecordBatch
	if !empty {
		bs = []arrow.RecordBatch{
			buildRows(mem, sch, [][]any{{"a", 1, 1.5}, {"b", 2, 2.0}, {nil, 3, nil}, {"a", 1, 0.5}}),
			buildRows(mem, sch, [][]any{{"a", nil, 1.0}, {"b", 5, 3.0}, {nil, nil, 1.0}, {"c", nil, nil}}),
		}
	}
	t := &testTable{sch: sch, batches: bs, failAt: -1}
	return t, resolver{"t": t}
}

type aggCase struct {
	name     string
	fn       string
	urn      string
	arg      int // column, -1 for none
	distinct bool
}

func buildAgg(t *testing.T, b plan.Builder, scan plan.Rel, groupBy []int32, cases []aggCase) *plan.AggregateRel {
	eb := b.GetExprBuilder()
	var ms []plan.AggRelMeasure
	for _, c := range cases {
		fb := eb.AggFunc(extensions.ID{URN: c.urn, Name: c.fn})
		if c.arg >= 0 {
			ref := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, int32(c.arg)))
			fb = fb.Args(eb.Expression(ref))
		}
		if c.distinct {
			fb = fb.Invocation(types.AggInvocationDistinct)
		}
		ms = append(ms, b.Measure(mustT[*expr.AggregateFunction](t)(fb.Build()), nil))
	}
	return mustT[*plan.AggregateRel](t)(b.AggregateColumns(scan, ms, groupBy...))
}

func TestHashAggregate(t *testing.T) {
	cases := []aggCase{
		{"count_star", "count", aggURN, -1, false},
		{"count_v", "count:any", aggURN, 1, false},
		{"sum_v", "sum", arithURN, 1, false},
		{"avg_f", "avg", arithURN, 2, false},
		{"min_v", "min", arithURN, 1, false},
		{"max_v", "max", arithURN, 1, false},
		{"count_distinct_v", "count:any", aggURN, 1, true},
	}
	tests := []struct {
		name    string
		groupBy []int32
		empty   bool
		want    []string
	}{
		{"grouped", []int32{0}, false, []string{
			"NULL|2|1|3|1|3|3|1", "a|3|2|2|1|1|1|1", "b|2|2|7|2.5|2|5|2", "c|1|0|NULL|NULL|NULL|NULL|0"}},
		{"ungrouped", nil, false, []string{"8|5|12|1.5|1|5|4"}},
		{"ungrouped empty", nil, true, []string{"0|0|NULL|NULL|NULL|NULL|0"}},
		{"grouped empty", []int32{0}, true, nil},
		{"int key", []int32{1}, false, []string{
			"1|2|2|2|1|1|1|1", "2|1|1|2|2|2|2|1", "3|1|1|3|NULL|3|3|1", "5|1|1|5|3|5|5|1", "NULL|3|0|NULL|1|NULL|NULL|0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			tbl, res := aggTable(mem, tc.empty)
			defer tbl.release()
			b := plan.NewBuilderDefault()
			scan := b.NamedScan([]string{"t"}, namedStruct(t, tbl.sch))
			agg := buildAgg(t, b, scan, tc.groupBy, cases)
			p := planOf(t, b, agg)
			rows, err := runPlan(t, mem, p, res, Options{Threads: 2})
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(rows)
			if !slices.Equal(rows, tc.want) {
				t.Fatalf("got  %q\nwant %q", rows, tc.want)
			}
		})
	}
}
