package memory

import (
	"context"
	"fmt"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/pred"
	"github.com/medleysql/medley/connectors/internal/scan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// chunk is one immutable batch of a table. The table holds one reference
// to rec while the chunk is live; once merged into a bigger chunk, into
// and offset say where its rows went.
type chunk struct {
	rec    arrow.RecordBatch // nil once merged or dropped
	rows   int64
	into   *chunk
	offset int64
}

// table is the data of one memory table; mu guards chunks and every chunk's
// fields.
type table struct {
	name    []string
	schema  *arrow.Schema
	mem     memory.Allocator
	mu      sync.RWMutex
	chunks  []*chunk
	dropped bool
}

func (t *table) drop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.chunks {
		if c.rec != nil {
			c.rec.Release()
			c.rec = nil
		}
	}
	t.chunks = nil
	t.dropped = true
}

// snapshot returns the current chunk list.
func (t *table) snapshot() []*chunk {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.chunks
}

// resolve returns a retained batch holding c's rows, following merges;
// t.mu must be held.
func resolve(c *chunk) (arrow.RecordBatch, error) {
	off, rows := int64(0), c.rows
	for c.rec == nil && c.into != nil {
		off += c.offset
		c = c.into
	}
	if c.rec == nil {
		return nil, fmt.Errorf("dropped")
	}
	if off == 0 && c.rows == rows {
		c.rec.Retain()
		return c.rec, nil
	}
	return c.rec.NewSlice(off, off+rows), nil
}

// Table is a memory table as a scannable, writable foreign table.
type Table struct{ t *table }

var (
	_ connectors.Table    = (*Table)(nil)
	_ connectors.Inserter = (*Table)(nil)
)

// Schema is the table's schema.
func (m *Table) Schema() *arrow.Schema { return m.t.schema }

// Statistics returns the exact row count and per-column null counts.
func (m *Table) Statistics(ctx context.Context) (connectors.Statistics, error) {
	t := m.t
	t.mu.RLock()
	defer t.mu.RUnlock()
	st := connectors.Statistics{Columns: make([]connectors.ColumnStatistics, t.schema.NumFields())}
	for i := range st.Columns {
		st.Columns[i].DistinctCount = -1
	}
	for _, c := range t.chunks {
		st.RowCount += c.rows
		for i, col := range c.rec.Columns() {
			st.Columns[i].NullCount += int64(col.NullN())
		}
	}
	return st, nil
}

// Scan plans a scan over the chunks that exist now. Filters it understands
// are Exact; the limit is applied when all are.
func (m *Table) Scan(ctx context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	t := m.t
	nodes, support := scan.Negotiate(req.Filters, t.schema, connectors.Exact)
	chunks := t.snapshot()
	plan := &connectors.ScanPlan{
		Schema:        scan.Project(t.schema, req.Columns),
		FilterSupport: support,
		LimitApplied:  scan.AllAccepted(nodes) && req.Limit >= 0,
	}
	filters := scan.Accepted(nodes)
	for _, g := range scan.Group(len(chunks), req.MaxPartitions) {
		plan.Partitions = append(plan.Partitions, &partition{t: t, chunks: chunks[g[0]:g[1]], filters: filters, req: req, schema: plan.Schema})
	}
	if len(plan.Partitions) == 0 {
		plan.Partitions = []connectors.Partition{&partition{t: t, filters: filters, req: req, schema: plan.Schema}}
	}
	plan.Explain = []string{fmt.Sprintf("memory table %s: %d chunks, %d partitions", key(t.name), len(chunks), len(plan.Partitions))}
	if s := scan.ExplainFilters("filters", nodes, t.schema); s != "" {
		plan.Explain = append(plan.Explain, s)
	}
	return plan, nil
}

type partition struct {
	t       *table
	chunks  []*chunk
	filters []*pred.Node
	req     connectors.ScanRequest
	schema  *arrow.Schema
}

// Open retains the partition's chunks and reads them.
func (p *partition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.t.mu.RLock()
	recs := make([]arrow.RecordBatch, 0, len(p.chunks))
	for _, c := range p.chunks {
		r, err := resolve(c)
		if err != nil {
			p.t.mu.RUnlock()
			for _, r := range recs {
				r.Release()
			}
			return nil, sqlerr.New(sqlerr.UndefinedTable, "memory table %q was dropped during the scan", key(p.t.name))
		}
		recs = append(recs, r)
	}
	p.t.mu.RUnlock()
	all := make([]int, p.t.schema.NumFields())
	for i := range all {
		all[i] = i
	}
	return scan.NewReader(ctx, scan.Config{
		Source: &source{recs: recs}, ReadCols: all, Filters: p.filters,
		OutCols: p.req.Columns, Schema: p.schema, Limit: p.req.Limit, Mem: mem,
	}), nil
}

// source hands out retained batches one by one.
type source struct{ recs []arrow.RecordBatch }

func (s *source) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if len(s.recs) == 0 {
		return nil, nil
	}
	r := s.recs[0]
	s.recs = s.recs[1:]
	return r, nil
}

func (s *source) Close() error {
	for _, r := range s.recs {
		r.Release()
	}
	s.recs = nil
	return nil
}
