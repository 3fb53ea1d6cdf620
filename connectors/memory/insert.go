package memory

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
)

const (
	// chunkRows is the size chunks are merged up to.
	chunkRows = 64 * 1024
	// mergeAfter is how many small chunks trigger a merge.
	mergeAfter = 32
)

// Insert appends every batch of rows atomically: the data is first copied
// (into the Conn's allocator, as the table's types, with missing columns
// NULL) and appended only when all of it is ready. A column named in rows
// that the table lacks is 42703, a type that does not cast is 42804, a
// NULL in a NOT NULL column 23502.
func (m *Table) Insert(ctx context.Context, rows array.RecordReader) (int64, error) {
	t := m.t
	idx, err := t.mapColumns(rows.Schema())
	if err != nil {
		return 0, err
	}
	var built []arrow.RecordBatch
	release := func() {
		for _, b := range built {
			b.Release()
		}
	}
	var n int64
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			release()
			return 0, err
		}
		b, err := t.convert(ctx, rows.RecordBatch(), idx)
		if err != nil {
			release()
			return 0, err
		}
		if b.NumRows() == 0 {
			b.Release()
			continue
		}
		n += b.NumRows()
		built = append(built, b)
	}
	if err := rows.Err(); err != nil {
		release()
		return 0, err
	}
	if err := t.appendChunks(built); err != nil {
		release()
		return 0, err
	}
	return n, nil
}

// mapColumns maps each table column to its index in in, -1 when absent.
func (t *table) mapColumns(in *arrow.Schema) ([]int, error) {
	idx := make([]int, t.schema.NumFields())
	for i := range idx {
		idx[i] = -1
	}
	for j, f := range in.Fields() {
		cols := t.schema.FieldIndices(f.Name)
		if len(cols) == 0 {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q of memory table %q does not exist", f.Name, key(t.name))
		}
		idx[cols[0]] = j
	}
	return idx, nil
}

// convert copies one input batch into a full-width batch of the table.
func (t *table) convert(ctx context.Context, in arrow.RecordBatch, idx []int) (arrow.RecordBatch, error) {
	n := int(in.NumRows())
	cols := make([]arrow.Array, len(idx))
	release := func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}
	for i, j := range idx {
		f := t.schema.Field(i)
		var err error
		if j < 0 {
			cols[i] = array.MakeArrayOfNull(t.mem, f.Type, n)
		} else {
			cols[i], err = copyAs(ctx, in.Column(j), f.Type, t.mem)
			if err != nil {
				release()
				return nil, sqlerr.Wrap(err, sqlerr.DatatypeMismatch, "column %q of memory table %q is of type %s", f.Name, key(t.name), f.Type)
			}
		}
		if !f.Nullable && cols[i].NullN() > 0 {
			release()
			return nil, sqlerr.New(sqlerr.NotNullViolation, "null value in column %q of memory table %q violates not-null constraint", f.Name, key(t.name))
		}
	}
	b := array.NewRecordBatch(t.schema, cols, int64(n))
	release()
	return b, nil
}

// copyAs copies a into mem as type dt, casting safely when the types differ.
func copyAs(ctx context.Context, a arrow.Array, dt arrow.DataType, mem memory.Allocator) (arrow.Array, error) {
	if arrow.TypeEqual(a.DataType(), dt) {
		return array.Concatenate([]arrow.Array{a}, mem)
	}
	ec := compute.DefaultExecCtx()
	ec.NumParallel = 1
	cctx := compute.SetExecCtx(compute.WithAllocator(ctx, mem), ec)
	return compute.CastArray(cctx, a, compute.SafeCastOptions(dt))
}

// appendChunks makes built part of the table (taking over the references),
// merging small chunks when they pile up.
func (t *table) appendChunks(built []arrow.RecordBatch) error {
	if len(built) == 0 {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dropped {
		return sqlerr.New(sqlerr.UndefinedTable, "memory table %q was dropped", key(t.name))
	}
	next := make([]*chunk, len(t.chunks), len(t.chunks)+len(built))
	copy(next, t.chunks)
	for _, b := range built {
		next = append(next, &chunk{rec: b, rows: b.NumRows()})
	}
	t.chunks = mergeSmall(next, t.mem)
	return nil
}

// mergeSmall merges runs of small chunks at the end of chunks into chunks of
// up to chunkRows rows once there are mergeAfter of them. Merged chunks
// keep forwarding pointers for scans planned before.
func mergeSmall(chunks []*chunk, mem memory.Allocator) []*chunk {
	start := len(chunks)
	for start > 0 && chunks[start-1].rows < chunkRows/4 {
		start--
	}
	if len(chunks)-start < mergeAfter {
		return chunks
	}
	out := chunks[:start:start]
	for i := start; i < len(chunks); {
		j, rows := i, int64(0)
		for j < len(chunks) && rows+chunks[j].rows <= chunkRows {
			rows += chunks[j].rows
			j++
		}
		if j == i {
			j++
		}
		out = append(out, mergeRun(chunks[i:j], mem)...)
		i = j
	}
	return out
}

func mergeRun(run []*chunk, mem memory.Allocator) []*chunk {
	if len(run) == 1 {
		return run
	}
	recs := make([]arrow.RecordBatch, len(run))
	for i, c := range run {
		recs[i] = c.rec
	}
	merged, err := concatBatches(recs, mem)
	if err != nil {
		return run // cannot happen for identical schemas; keep the run unmerged
	}
	m := &chunk{rec: merged, rows: merged.NumRows()}
	off := int64(0)
	for _, c := range run {
		c.rec.Release()
		c.rec, c.into, c.offset = nil, m, off
		off += c.rows
	}
	return []*chunk{m}
}

func concatBatches(recs []arrow.RecordBatch, mem memory.Allocator) (arrow.RecordBatch, error) {
	schema := recs[0].Schema()
	cols := make([]arrow.Array, schema.NumFields())
	var rows int64
	for _, r := range recs {
		rows += r.NumRows()
	}
	for i := range cols {
		parts := make([]arrow.Array, len(recs))
		for j, r := range recs {
			parts[j] = r.Column(i)
		}
		c, err := array.Concatenate(parts, mem)
		if err != nil {
			for _, c := range cols[:i] {
				c.Release()
			}
			return nil, err
		}
		cols[i] = c
	}
	b := array.NewRecordBatch(schema, cols, rows)
	for _, c := range cols {
		c.Release()
	}
	return b, nil
}
