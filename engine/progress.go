package engine

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
)

// scanCounter counts what the scans of one table fetched in one statement,
// for Result.Progress. The executor reads tables through countedTable, so
// counting needs nothing of arrowexec.
type scanCounter struct {
	name        string
	rows, bytes atomic.Int64
}

// progressSet holds a statement's counters, in the order tables were first
// scanned.
type progressSet struct {
	mu       sync.Mutex
	counters []*scanCounter
}

func (p *progressSet) counter(names []string) *scanCounter {
	c := &scanCounter{name: strings.Join(names, ".")}
	p.mu.Lock()
	p.counters = append(p.counters, c)
	p.mu.Unlock()
	return c
}

// snapshot returns the counts so far, one entry per table (scans of the
// same table are summed). Safe to call while the statement runs.
func (p *progressSet) snapshot() Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out Progress
	at := map[string]int{}
	for _, c := range p.counters {
		i, ok := at[c.name]
		if !ok {
			i = len(out.Sources)
			at[c.name] = i
			out.Sources = append(out.Sources, SourceProgress{Name: c.name})
		}
		out.Sources[i].Rows += c.rows.Load()
		out.Sources[i].Bytes += c.bytes.Load()
	}
	return out
}

// countedTable is a connector table whose scans count their batches.
type countedTable struct {
	connectors.Table
	c *scanCounter
}

// Unwrap returns the connector's own table (connectors.TableWrapper), for
// whole-subtree pushdown, which needs to know the table's Conn.
func (t *countedTable) Unwrap() connectors.Table { return t.Table }

func (t *countedTable) Scan(ctx context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	sp, err := t.Table.Scan(ctx, req)
	if err != nil || sp == nil {
		return sp, err
	}
	out := *sp
	out.Partitions = make([]connectors.Partition, len(sp.Partitions))
	for i, p := range sp.Partitions {
		out.Partitions[i] = &countedPartition{Partition: p, c: t.c}
	}
	return &out, nil
}

type countedPartition struct {
	connectors.Partition
	c *scanCounter
}

func (p *countedPartition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	r, err := p.Partition.Open(ctx, mem)
	if err != nil {
		return nil, err
	}
	return &countedReader{RecordReader: r, c: p.c}, nil
}

type countedReader struct {
	array.RecordReader
	c *scanCounter
}

func (r *countedReader) Next() bool {
	if !r.RecordReader.Next() {
		return false
	}
	b := r.RecordReader.RecordBatch()
	r.c.rows.Add(b.NumRows())
	r.c.bytes.Add(recordBytes(b))
	return true
}

// recordBytes is the size of a batch's buffers.
func recordBytes(b arrow.RecordBatch) int64 {
	var n int64
	for _, c := range b.Columns() {
		n += dataBytes(c.Data())
	}
	return n
}

func dataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, buf := range d.Buffers() {
		if buf != nil {
			n += int64(buf.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	return n
}
