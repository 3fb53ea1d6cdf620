package arrowexec

import (
	"context"
	"fmt"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/arrowexec/eval"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
)

// outBatchRows is the size of batches that materializing operators emit.
const outBatchRows = 64 * 1024

// sortNode is ORDER BY (stable); with limit >= 0 it is a top-N that keeps
// only the best limit rows while it reads.
type sortNode struct {
	child node
	keys  []expr.SortField
	kinds []sortKey
	limit int64
}

func (pl *planner) sort(r *plan.SortRel, limit int64) (node, error) {
	in, err := pl.rel(r.Input())
	if err != nil {
		return nil, err
	}
	n := &sortNode{child: in, keys: r.Sorts(), limit: limit}
	for _, k := range r.Sorts() {
		sk, err := sortKeyOf(k.Kind)
		if err != nil {
			return nil, err
		}
		n.kinds = append(n.kinds, sk)
	}
	return n, nil
}

func (s *sortNode) schema() *arrow.Schema { return s.child.schema() }
func (s *sortNode) children() []node      { return []node{s.child} }

func (s *sortNode) describe() string {
	var ks []string
	for i, k := range s.keys {
		d := "ASC"
		if s.kinds[i].desc {
			d = "DESC"
		}
		n := "NULLS LAST"
		if s.kinds[i].nullsFirst {
			n = "NULLS FIRST"
		}
		ks = append(ks, fmt.Sprintf("%s %s %s", describeExpr(k.Expr), d, n))
	}
	if s.limit >= 0 {
		return fmt.Sprintf("TopN %d: %s", s.limit, joinStrings(ks))
	}
	return "Sort: " + joinStrings(ks)
}

func (s *sortNode) open(ctx context.Context, r *run) (stream, error) {
	evs := make([]evaluator, len(s.keys))
	for i, k := range s.keys {
		ev, err := r.compile(k.Expr, s.child.schema())
		if err != nil {
			return nil, err
		}
		evs[i] = ev
	}
	in, err := r.openNode(ctx, s.child)
	if err != nil {
		return nil, err
	}
	return &sortStream{node: s, in: in, evs: evs, mem: r.alloc(s)}, nil
}

type sortStream struct {
	node *sortNode
	in   stream
	evs  []evaluator
	mem  *opAlloc
	buf  []arrow.RecordBatch // input columns followed by key columns
	rows int64
	out  stream
}

func (s *sortStream) next(ctx context.Context) (arrow.RecordBatch, error) {
	if s.out == nil {
		if err := s.consume(ctx); err != nil {
			return nil, err
		}
		b, err := s.sorted(ctx, s.node.limit, true)
		if err != nil {
			return nil, err
		}
		s.out = b
	}
	return s.out.next(ctx)
}

// consume reads the whole input, keeping key columns beside each batch.
func (s *sortStream) consume(ctx context.Context) error {
	limit := s.node.limit
	for {
		b, err := s.in.next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		wide, err := appendKeys(ctx, s.mem, b, s.evs)
		b.Release()
		if err != nil {
			return err
		}
		s.buf = append(s.buf, wide)
		s.rows += wide.NumRows()
		if limit >= 0 && s.rows >= 2*limit+outBatchRows {
			if err := s.compact(ctx); err != nil {
				return err
			}
		}
	}
	s.in.close()
	return nil
}

// compact keeps only the best limit rows (top-N).
func (s *sortStream) compact(ctx context.Context) error {
	st, err := s.sorted(ctx, s.node.limit, false)
	if err != nil {
		return err
	}
	s.buf = st.(*sliceStream).batches
	s.rows = 0
	for _, b := range s.buf {
		s.rows += b.NumRows()
	}
	return nil
}

// appendKeys returns b's columns followed by the evaluated keys.
func appendKeys(ctx context.Context, mem memory.Allocator, b arrow.RecordBatch, evs []evaluator) (arrow.RecordBatch, error) {
	cols := append([]arrow.Array{}, b.Columns()...)
	fields := append([]arrow.Field{}, b.Schema().Fields()...)
	var owned []arrow.Array
	defer func() { releaseAll(owned) }()
	for i, ev := range evs {
		a, err := ev.Eval(ctx, mem, b)
		if err != nil {
			return nil, err
		}
		owned = append(owned, a)
		cols = append(cols, a)
		fields = append(fields, arrow.Field{Name: fmt.Sprintf("key%d", i), Type: a.DataType(), Nullable: true})
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, b.NumRows()), nil
}

// sorted sorts the buffer and returns a stream of its first limit rows
// (all when limit < 0); strip drops the key columns.
func (s *sortStream) sorted(ctx context.Context, limit int64, strip bool) (stream, error) {
	buf := s.buf
	s.buf = nil
	defer func() {
		for _, b := range buf {
			b.Release()
		}
	}()
	if len(buf) == 0 {
		return &sliceStream{}, nil
	}
	whole, err := concatBatches(s.mem, buf)
	if err != nil {
		return nil, err
	}
	defer whole.Release()
	n := int(whole.NumRows())
	nIn := int(whole.NumCols()) - len(s.evs)
	perm := make([]int64, n)
	s.mem.reserve(int64(8 * n))
	defer s.mem.reserve(-int64(8 * n))
	for i := range perm {
		perm[i] = int64(i)
	}
	cmps := make([]cmpFunc, len(s.evs))
	for k := range s.evs {
		c, err := keyCmp(whole.Column(nIn+k), s.node.kinds[k])
		if err != nil {
			return nil, err
		}
		cmps[k] = c
	}
	sort.SliceStable(perm, func(a, b int) bool {
		i, j := int(perm[a]), int(perm[b])
		for _, c := range cmps {
			if r := c(i, j); r != 0 {
				return r < 0
			}
		}
		return false
	})
	if limit >= 0 && int64(len(perm)) > limit {
		perm = perm[:limit]
	}
	cols := int(whole.NumCols())
	sch := whole.Schema()
	if strip {
		cols = nIn
		sch = s.node.child.schema()
	}
	return takeChunks(ctx, s.mem, whole, perm, cols, sch)
}

// takeChunks gathers rows perm of the first cols columns of b into batches
// of at most outBatchRows rows.
func takeChunks(ctx context.Context, mem memory.Allocator, b arrow.RecordBatch, perm []int64, cols int, sch *arrow.Schema) (*sliceStream, error) {
	out := &sliceStream{}
	for lo := 0; lo < len(perm); lo += outBatchRows {
		hi := min(lo+outBatchRows, len(perm))
		idx := array.NewInt64Data(array.NewData(arrow.PrimitiveTypes.Int64, hi-lo,
			[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int64Traits.CastToBytes(perm[lo:hi]))}, nil, 0, 0))
		arrs := make([]arrow.Array, cols)
		for c := 0; c < cols; c++ {
			a, err := eval.Take(ctx, mem, b.Column(c), idx)
			if err != nil {
				idx.Release()
				releaseAll(arrs)
				out.close()
				return nil, err
			}
			arrs[c] = a
		}
		idx.Release()
		out.batches = append(out.batches, array.NewRecordBatch(sch, arrs, int64(hi-lo)))
		releaseAll(arrs)
	}
	return out, nil
}

// concatBatches concatenates batches of one schema into one batch.
func concatBatches(mem memory.Allocator, bs []arrow.RecordBatch) (arrow.RecordBatch, error) {
	if len(bs) == 1 {
		bs[0].Retain()
		return bs[0], nil
	}
	sch := bs[0].Schema()
	var rows int64
	for _, b := range bs {
		rows += b.NumRows()
	}
	cols := make([]arrow.Array, sch.NumFields())
	parts := make([]arrow.Array, len(bs))
	for c := range cols {
		for i, b := range bs {
			parts[i] = b.Column(c)
		}
		a, err := array.Concatenate(parts, mem)
		if err != nil {
			releaseAll(cols)
			return nil, err
		}
		cols[c] = a
	}
	out := array.NewRecordBatch(sch, cols, rows)
	releaseAll(cols)
	return out, nil
}

func (s *sortStream) close() {
	s.in.close()
	for _, b := range s.buf {
		b.Release()
	}
	s.buf = nil
	if s.out != nil {
		s.out.close()
	}
}
