package mysql

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/substrait-io/substrait-go/v8/expr"
)

// TestRemoteSQL pins the remote SQL of every conformance filter, of
// orderings and limits, as postgres_fdw's tests pin "Remote SQL".
func TestRemoteSQL(t *testing.T) {
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	m.Exec(t, db, stdDDL)
	c := connectTo(t, m)
	d := conntest.Fixture{Table: map[string]string{"dbname": db, "table_name": "std"}}.Desc()
	tbl, err := c.Table(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	b := conntest.NewBuilder()
	var out strings.Builder
	show := func(name string, req connectors.ScanRequest) {
		plan, err := tbl.Scan(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fmt.Fprintf(&out, "-- %s\n", name)
		for _, l := range plan.Explain[1:] {
			fmt.Fprintf(&out, "%s\n", l)
		}
		for i, s := range plan.FilterSupport {
			fmt.Fprintf(&out, "   filter %d: %s\n", i+1, s)
		}
		fmt.Fprintf(&out, "   limit applied: %v, ordered: %v\n", plan.LimitApplied, plan.Ordered)
	}
	for _, fc := range conntest.FilterCases() {
		show(fc.Name, connectors.ScanRequest{Columns: []int{conntest.ColID}, Filters: []expr.Expression{fc.Build(b)}, Limit: -1})
	}
	show("all columns", connectors.ScanRequest{Columns: []int{0, 1, 2, 3, 4, 5, 6}, Limit: -1})
	show("zero columns", connectors.ScanRequest{Columns: []int{}, Limit: -1})
	show("limit", connectors.ScanRequest{Columns: []int{conntest.ColID}, Limit: 10})
	show("order by s desc nulls first, id, limit", connectors.ScanRequest{Columns: []int{conntest.ColS, conntest.ColID}, Limit: 5,
		Order: []connectors.SortKey{{Column: conntest.ColS, Descending: true, NullsFirst: true}, {Column: conntest.ColID}}})
	show("limit with an exact computed filter", connectors.ScanRequest{Columns: []int{conntest.ColID},
		Filters: []expr.Expression{conntest.FilterCases()[len(conntest.FilterCases())-1].Build(b)}, Limit: 10})
	golden(t, "remote_sql.golden", strings.ReplaceAll(out.String(), db, "DB"))
}
