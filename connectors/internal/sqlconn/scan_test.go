package sqlconn

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
)

func TestScanPlan(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64}, {Name: "b", Type: arrow.BinaryTypes.String}}, nil)
	res := sqlgen.Result{
		SQL:     "SELECT NULL FROM t",
		Support: []connectors.FilterSupport{connectors.Exact, connectors.Unsupported},
		Reasons: []sqlgen.Reason{{Filter: 1, Text: "function upper"}}, OrderReason: "a filter is not shipped",
	}
	req := connectors.ScanRequest{Columns: []int{1}, Limit: 5, Order: []connectors.SortKey{{Column: 1}}}
	var got *arrow.Schema
	plan := ScanPlan("test public.t: server s", "SELECT b FROM t", res, req, schema, func(s *arrow.Schema) connectors.Partition {
		got = s
		return &relPart{sql: "SELECT b FROM t"}
	})
	want := "[test public.t: server s Remote SQL: SELECT b FROM t filter 2 not shipped: function upper ordering not shipped: a filter is not shipped]"
	if fmt.Sprint(plan.Explain) != want || len(plan.Partitions) != 1 || got != plan.Schema || plan.Schema.NumFields() != 1 ||
		plan.Schema.Field(0).Name != "b" || plan.LimitApplied || plan.Ordered || len(plan.FilterSupport) != 2 {
		t.Errorf("plan %+v", plan)
	}
	res.Reasons, res.Ordered, res.LimitApplied = nil, true, true
	plan = ScanPlan("h", "q", res, req, schema, func(*arrow.Schema) connectors.Partition { return &relPart{} })
	if fmt.Sprint(plan.Explain) != "[h Remote SQL: q]" || !plan.Ordered || !plan.LimitApplied {
		t.Errorf("plan %+v", plan)
	}
	if _, err := plan.Partitions[0].Open(context.Background(), nil); err == nil {
		t.Error("the test partition opened")
	}
}
