package arrowexec

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
)

func TestExplain(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	tbl, res := fixture(mem, connectors.Inexact)
	defer tbl.release()
	b := plan.NewBuilderDefault()
	scan := b.NamedScan([]string{"t"}, namedStruct(t, tbl.sch))
	a := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, 0))
	ne := mustT[*expr.ScalarFunction](t)(b.ScalarFn(cmpURN, "not_equal", nil, a, i64(2)))
	agg := buildAgg(t, b, scan, nil, []aggCase{{"n", "count", aggURN, -1, false}})
	p := withReadFilter(t, planOf(t, b, agg), ne)

	opts := Options{Threads: 2, Pushdown: true, Allocator: mem}
	got, err := Explain(context.Background(), p, res, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"HashAggregate: keys=[] aggs=[count()]", "  Recheck: not_equal", "Scan t columns=[0 1]", "filter inexact: not_equal", "test table", "partitions: 3"} {
		if !strings.Contains(got, want) {
			t.Errorf("EXPLAIN lacks %q:\n%s", want, got)
		}
	}
	got, err = ExplainAnalyze(context.Background(), p, res, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"HashAggregate", "(rows=1 batches=1", "(rows=9 batches=3", "(rows=7 batches=3", "peak_memory=", "Execution: time="} {
		if !strings.Contains(got, want) {
			t.Errorf("EXPLAIN ANALYZE lacks %q:\n%s", want, got)
		}
	}
	t.Log("\n" + got)
}
