package json

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/files"
	"github.com/medleysql/medley/connectors/internal/scan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Table is a foreign table over NDJSON files.
type Table struct {
	name   []string
	schema *arrow.Schema
	remote []string // by column: the object key
	files  []string
}

var _ connectors.Table = (*Table)(nil)

// Supported reports whether a column of type t can be read from JSON.
func Supported(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
		arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.DATE32, arrow.TIMESTAMP, arrow.TIME64, arrow.DECIMAL128:
		return true
	}
	return false
}

// Table resolves the table's files and checks its column types; it reads
// no data.
func (c *Conn) Table(ctx context.Context, d connectors.TableDesc) (connectors.Table, error) {
	paths, err := files.Resolve(d.Name, c.dir, d.Options["filename"], Extensions...)
	if err != nil {
		return nil, err
	}
	t := &Table{name: d.Name, schema: d.Schema(), files: paths}
	for _, cd := range d.Columns {
		if !Supported(cd.Type) {
			return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "foreign table %q: column %q has type %s, which json files cannot hold",
				files.TableName(d.Name), cd.Name, cd.Type)
		}
		key := cd.Name
		if n, ok := cd.Options["column_name"]; ok {
			key = n
		}
		t.remote = append(t.remote, key)
	}
	return t, nil
}

// Schema is the declared schema.
func (t *Table) Schema() *arrow.Schema { return t.schema }

// Statistics are unknown for JSON files.
func (t *Table) Statistics(ctx context.Context) (connectors.Statistics, error) {
	return connectors.UnknownStatistics, nil
}

// Scan plans a scan partitioned by file; understood filters are Exact.
func (t *Table) Scan(ctx context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	nodes, support := scan.Negotiate(req.Filters, t.schema, connectors.Exact)
	filters := scan.Accepted(nodes)
	plan := &connectors.ScanPlan{
		Schema:        scan.Project(t.schema, req.Columns),
		FilterSupport: support,
		LimitApplied:  scan.AllAccepted(nodes) && req.Limit >= 0,
	}
	read := scan.ReadColumns(req.Columns, filters)
	for _, g := range scan.Group(len(t.files), req.MaxPartitions) {
		plan.Partitions = append(plan.Partitions, &partition{
			t: t, files: t.files[g[0]:g[1]], read: read,
			cfg: scan.Config{ReadCols: read, Filters: filters, OutCols: req.Columns, Schema: plan.Schema, Limit: req.Limit},
		})
	}
	plan.Explain = []string{fmt.Sprintf("json %s: files: %d, partitions: %d", files.TableName(t.name), len(t.files), len(plan.Partitions))}
	if s := scan.ExplainFilters("filters", nodes, t.schema); s != "" {
		plan.Explain = append(plan.Explain, s)
	}
	return plan, nil
}

type partition struct {
	t     *Table
	files []string
	read  []int
	cfg   scan.Config
}

// Open reads the partition's files in order.
func (p *partition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, len(p.read))
	for i, c := range p.read {
		f := p.t.schema.Field(c)
		fields[i] = arrow.Field{Name: p.t.remote[c], Type: f.Type, Nullable: true}
	}
	cfg := p.cfg
	cfg.Mem = mem
	cfg.Source = &source{t: p.t, files: p.files, mem: mem, schema: arrow.NewSchema(fields, nil)}
	return scan.NewReader(ctx, cfg), nil
}
