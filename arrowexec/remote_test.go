package arrowexec

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"

	"github.com/medleysql/medley/connectors"
)

// A limit over a filtered scan is offered to the connector with the
// filters; the executor keeps its own Limit whatever the answer, and with
// pushdown off nothing is offered and EXPLAIN says so.
func TestLimitOfferedWithFilters(t *testing.T) {
	for _, sup := range []connectors.FilterSupport{connectors.Unsupported, connectors.Inexact, connectors.Exact} {
		for _, pushdown := range []bool{true, false} {
			t.Run(sup.String(), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
				defer mem.AssertSize(t, 0)
				tbl, res := fixture(mem, sup)
				defer tbl.release()
				b := plan.NewBuilderDefault()
				scan := b.NamedScan([]string{"t"}, namedStruct(t, tbl.sch))
				a := mustT[*expr.FieldReference](t)(b.RootFieldRef(scan, 0))
				ne := mustT[*expr.ScalarFunction](t)(b.ScalarFn(cmpURN, "not_equal", nil, a, i64(2)))
				fetch := mustT[*plan.FetchRel](t)(b.Fetch(scan, 0, 3))
				p := withReadFilter(t, mustT[*plan.Plan](t)(b.Plan(fetch, []string{"a", "b"})), ne)
				opts := Options{Threads: 1, Pushdown: pushdown, Allocator: mem}
				rows, err := runPlan(t, mem, p, res, opts)
				if err != nil {
					t.Fatal(err)
				}
				if want := []string{"1|10", "3|NULL", "4|40"}; !slices.Equal(rows, want) {
					t.Fatalf("got %v want %v", rows, want)
				}
				wantLimit, wantFilters := int64(3), 1
				if !pushdown {
					wantLimit, wantFilters = -1, 0
				}
				if tbl.lastReq.Limit != wantLimit || len(tbl.lastReq.Filters) != wantFilters {
					t.Fatalf("request limit %d filters %d, want %d and %d", tbl.lastReq.Limit, len(tbl.lastReq.Filters), wantLimit, wantFilters)
				}
				got, err := Explain(context.Background(), p, res, opts)
				if err != nil {
					t.Fatal(err)
				}
				want := []string{"Limit: offset=0 count=3"}
				if pushdown {
					want = append(want, "limit 3 applied=false")
				} else {
					want = append(want, "Not pushed down: pushdown is off")
				}
				for _, w := range want {
					if !strings.Contains(got, w) {
						t.Errorf("EXPLAIN lacks %q:\n%s", w, got)
					}
				}
			})
		}
	}
}
