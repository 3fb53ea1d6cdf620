package sqlconn

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/scan"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
)

// ScanPlan is the plan of a scan read by one remote SELECT, sql, of the
// filters, limit and ordering sqlgen.Select answered in res (sql may be
// res.SQL with the wrapper's own select list). Its schema is schema
// projected on req.Columns; its EXPLAIN is header (the table and where it
// lives), "Remote SQL: sql" and why filters or the ordering were not
// shipped. part is the partition reading sql into the projected schema.
func ScanPlan(header, sql string, res sqlgen.Result, req connectors.ScanRequest, schema *arrow.Schema, part func(*arrow.Schema) connectors.Partition) *connectors.ScanPlan {
	plan := &connectors.ScanPlan{
		Schema:        scan.Project(schema, req.Columns),
		FilterSupport: res.Support,
		LimitApplied:  res.LimitApplied,
		Ordered:       res.Ordered,
	}
	plan.Partitions = []connectors.Partition{part(plan.Schema)}
	plan.Explain = []string{header, "Remote SQL: " + sql}
	for _, r := range res.Reasons {
		plan.Explain = append(plan.Explain, r.String())
	}
	if len(req.Order) > 0 && !res.Ordered && res.OrderReason != "" {
		plan.Explain = append(plan.Explain, "ordering not shipped: "+res.OrderReason)
	}
	return plan
}
