package sqlite

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/scan"
)

// Scan plans one remote SELECT of the wanted columns. Filters the deparser
// renders with SQLite's exact semantics are Exact and go into its WHERE;
// the others are Unsupported and left to the engine. The limit and the
// ordering are pushed when every filter is Exact.
func (t *Table) Scan(ctx context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	q, err := t.deparseSelect(req)
	if err != nil {
		return nil, err
	}
	plan := &connectors.ScanPlan{
		Schema:        scan.Project(t.schema, req.Columns),
		FilterSupport: q.support,
		LimitApplied:  q.limit,
		Ordered:       q.ordered,
	}
	cols := make([]column, len(req.Columns))
	for i, c := range req.Columns {
		cols[i] = t.cols[c]
	}
	plan.Partitions = []connectors.Partition{&partition{t: t, sql: q.sql, cols: cols, schema: plan.Schema}}
	plan.Explain = []string{fmt.Sprintf("sqlite %s: file %s", tableName(t.name), t.conn.path), "Remote SQL: " + q.sql}
	plan.Explain = append(plan.Explain, q.notes...)
	return plan, nil
}

// remoteQuery is a deparsed SELECT.
type remoteQuery struct {
	sql     string
	support []connectors.FilterSupport
	limit   bool // LimitApplied
	ordered bool
	notes   []string // why filters or the ordering were not shipped
}

type partition struct {
	t      *Table
	sql    string
	cols   []column
	schema *arrow.Schema
}

// Open runs the remote SELECT.
func (p *partition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	return openReader(ctx, p.t, p.sql, p.cols, p.schema, mem)
}
