package files

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/scan"
)

// SourceFunc makes the scan.Source of one partition: the batches of files
// holding the table columns read, in that order, allocated from mem.
type SourceFunc func(files []string, read []int, mem memory.Allocator) scan.Source

// Scan plans a scan of a text file table, partitioned by file (at most
// req.MaxPartitions groups of consecutive files): the filters scan.Reader
// evaluates are Exact, applied while reading; the limit is applied when
// every filter is. kind names the wrapper in EXPLAIN ("csv"); source reads
// a partition's files.
func Scan(kind string, table []string, schema *arrow.Schema, paths []string, req connectors.ScanRequest, source SourceFunc) *connectors.ScanPlan {
	nodes, support := scan.Negotiate(req.Filters, schema, connectors.Exact)
	filters := scan.Accepted(nodes)
	plan := &connectors.ScanPlan{
		Schema:        scan.Project(schema, req.Columns),
		FilterSupport: support,
		LimitApplied:  scan.AllAccepted(nodes) && req.Limit >= 0,
	}
	read := scan.ReadColumns(req.Columns, filters)
	for _, g := range scan.Group(len(paths), req.MaxPartitions) {
		plan.Partitions = append(plan.Partitions, &partition{
			files: paths[g[0]:g[1]], read: read, source: source,
			cfg: scan.Config{ReadCols: read, Filters: filters, OutCols: req.Columns, Schema: plan.Schema, Limit: req.Limit},
		})
	}
	plan.Explain = []string{fmt.Sprintf("%s %s: files: %d, partitions: %d", kind, TableName(table), len(paths), len(plan.Partitions))}
	if s := scan.ExplainFilters("filters", nodes, schema); s != "" {
		plan.Explain = append(plan.Explain, s)
	}
	return plan
}

// partition is a group of a table's files, read in order.
type partition struct {
	files  []string
	read   []int
	source SourceFunc
	cfg    scan.Config
}

// Open reads the partition's files in order.
func (p *partition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg := p.cfg
	cfg.Mem = mem
	cfg.Source = p.source(p.files, p.read, mem)
	return scan.NewReader(ctx, cfg), nil
}
