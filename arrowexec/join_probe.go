package arrowexec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/arrowexec/eval"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/plan"
)

const (
	joinKindRight = plan.JoinTypeRight
	joinKindOuter = plan.JoinTypeOuter
)

// pairBuf holds candidate (probe row, build row) pairs of one chunk.
type pairBuf struct {
	probe, build []int32
}

func (p *pairBuf) memSize() int64 { return int64(4 * (cap(p.probe) + cap(p.build))) }

func (s *joinStream) next(ctx context.Context) (arrow.RecordBatch, error) {
	if !s.built {
		if err := s.readBuild(ctx); err != nil {
			return nil, err
		}
		s.built = true
		if s.nBuild == 0 && (s.node.kind == plan.JoinTypeInner || s.node.kind == plan.JoinTypeLeftSemi || s.node.kind == joinKindRight) {
			s.probeEOF, s.tailDone = true, true // nothing can match: do not read the probe side
			s.probeIn.close()
		}
	}
	for {
		if s.cur == nil {
			if s.probeEOF {
				return s.unmatchedBuild(ctx)
			}
			b, err := s.probeIn.next(ctx)
			if err != nil {
				return nil, err
			}
			if b == nil {
				s.probeEOF, s.pos = true, 0
				s.probeIn.close()
				continue
			}
			if err := s.startBatch(ctx, b); err != nil {
				return nil, err
			}
		}
		out, err := s.joinChunk(ctx)
		if s.pos >= int(s.cur.NumRows()) {
			s.cur.Release()
			s.cur = nil
		}
		if err != nil || out != nil {
			return out, err
		}
	}
}

func (s *joinStream) startBatch(ctx context.Context, b arrow.RecordBatch) error {
	s.cur, s.pos, s.blocked = b, 0, nil
	if len(s.lkeys) == 0 {
		return nil
	}
	keys, err := evalAll(ctx, s.mem, s.lkeys, b)
	if err != nil {
		return err
	}
	defer releaseAll(keys)
	s.blocked = blockedRows(keys, s.node.nullSafe, int(b.NumRows()))
	return encodeKeys(keys, int(b.NumRows()), &s.curKeys)
}

// candidates collects the pairs of probe rows from s.pos on, stopping at a
// row boundary once a batch's worth is collected; it returns the end row.
func (s *joinStream) candidates() int {
	s.pairs.probe, s.pairs.build = s.pairs.probe[:0], s.pairs.build[:0]
	n := int(s.cur.NumRows())
	i := s.pos
	k := &s.curKeys
	have, prev, pg := false, int64(0), int32(0) // int keys: the row before's key and group
	for ; i < n && len(s.pairs.probe) < outBatchRows; i++ {
		if len(s.lkeys) == 0 { // nested loop: every build row
			for j := 0; j < s.nBuild; j++ {
				s.pairs.probe = append(s.pairs.probe, int32(i))
				s.pairs.build = append(s.pairs.build, int32(j))
			}
			continue
		}
		if s.nBuild == 0 || (s.blocked != nil && s.blocked[i]) {
			continue
		}
		var g int32
		if k.isInt && !k.anyNull[i] {
			if v := k.ints[i]; have && v == prev {
				g = pg
			} else {
				g = s.ht.findInt(k.hashes[i], v)
				have, prev, pg = true, v, g
			}
		} else {
			g = s.ht.findGroup(k, i)
		}
		if g < 0 {
			continue
		}
		for j := s.head[g]; j >= 0; j = s.nextRow[j] {
			s.pairs.probe = append(s.pairs.probe, int32(i))
			s.pairs.build = append(s.pairs.build, j)
		}
	}
	return i
}

// joinChunk joins the next chunk of the current probe batch.
func (s *joinStream) joinChunk(ctx context.Context) (arrow.RecordBatch, error) {
	lo := s.pos
	hi := s.candidates()
	s.pos = hi
	s.account()
	var sawNull []bool
	if len(s.resid) > 0 && len(s.pairs.probe) > 0 {
		var err error
		if sawNull, err = s.filterPairs(ctx, lo, hi); err != nil {
			return nil, err
		}
	}
	cnt := make([]int32, hi-lo)
	for _, p := range s.pairs.probe {
		cnt[int(p)-lo]++
	}
	if s.matched != nil {
		for _, b := range s.pairs.build {
			s.matched[b] = true
		}
	}
	return s.assemble(ctx, lo, hi, cnt, sawNull)
}

// filterPairs keeps the pairs whose residual condition is true; sawNull
// marks probe rows for which it was NULL on some pair.
func (s *joinStream) filterPairs(ctx context.Context, lo, hi int) ([]bool, error) {
	pi, bi := s.pairs.probe, s.pairs.build
	joined, err := s.gather(ctx, pi, bi, nil, concatSchemas(s.node.left.schema(), s.node.right.schema(), true, true))
	if err != nil {
		return nil, err
	}
	defer joined.Release()
	pass := make([]bool, len(pi))
	isNull := make([]bool, len(pi))
	for i := range pass {
		pass[i] = true
	}
	for _, ev := range s.resid {
		m, err := ev.Eval(ctx, s.mem, joined)
		if err != nil {
			return nil, err
		}
		bm := m.(*array.Boolean)
		for i := range pass {
			switch {
			case bm.IsNull(i):
				isNull[i] = true
				pass[i] = false
			case !bm.Value(i):
				pass[i] = false
				isNull[i] = false
			}
		}
		m.Release()
	}
	sawNull := make([]bool, hi-lo)
	k := 0
	for i := range pi {
		if isNull[i] {
			sawNull[int(pi[i])-lo] = true
		}
		if pass[i] {
			pi[k], bi[k] = pi[i], bi[i]
			k++
		}
	}
	s.pairs.probe, s.pairs.build = pi[:k], bi[:k]
	return sawNull, nil
}

// gather builds a batch of probe rows pi and build rows bi (bValid false:
// NULLs); a nil schema means the probe columns only.
func (s *joinStream) gather(ctx context.Context, pi, bi []int32, bValid []bool, sch *arrow.Schema) (arrow.RecordBatch, error) {
	cols, err := takeCols(ctx, s.mem, s.cur, pi, nil)
	if err != nil {
		return nil, err
	}
	defer releaseAll(cols)
	all := cols
	if sch != nil && bi != nil {
		var right []arrow.Array
		if s.nBuild == 0 {
			right = nullCols(s.mem, s.node.right.schema(), len(bi))
		} else if right, err = takeCols(ctx, s.mem, s.build, bi, bValid); err != nil {
			return nil, err
		}
		defer releaseAll(right)
		all = append(append([]arrow.Array{}, cols...), right...)
	}
	if sch == nil {
		sch = s.node.left.schema()
	}
	return array.NewRecordBatch(sch, all, int64(len(pi))), nil
}

// takeCols gathers rows idx (valid false: NULL) of every column of b.
func takeCols(ctx context.Context, mem memory.Allocator, b arrow.RecordBatch, idx []int32, valid []bool) ([]arrow.Array, error) {
	ib := array.NewInt32Builder(mem)
	ib.AppendValues(idx, valid)
	ia := ib.NewArray()
	ib.Release()
	defer ia.Release()
	out := make([]arrow.Array, b.NumCols())
	for c := range out {
		a, err := eval.Take(ctx, mem, b.Column(c), ia)
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		out[c] = a
	}
	return out, nil
}

func nullCols(mem memory.Allocator, sch *arrow.Schema, n int) []arrow.Array {
	out := make([]arrow.Array, sch.NumFields())
	for i, f := range sch.Fields() {
		out[i] = array.MakeArrayOfNull(mem, f.Type, n)
	}
	return out
}

// assemble builds the chunk's output for the join kind from the matched
// pairs and the per-row match counts.
func (s *joinStream) assemble(ctx context.Context, lo, hi int, cnt []int32, sawNull []bool) (arrow.RecordBatch, error) {
	pi, bi := s.pairs.probe, s.pairs.build
	var rows []int32
	switch s.node.kind {
	case plan.JoinTypeInner, joinKindRight:
		if len(pi) == 0 {
			return nil, nil
		}
		return s.gather(ctx, pi, bi, nil, s.node.out)
	case plan.JoinTypeLeft, joinKindOuter:
		valid := make([]bool, len(pi), len(pi)+hi-lo)
		for i := range valid {
			valid[i] = true
		}
		for r := lo; r < hi; r++ {
			if cnt[r-lo] == 0 {
				pi = append(pi, int32(r))
				bi = append(bi, 0)
				valid = append(valid, false)
			}
		}
		s.pairs.probe, s.pairs.build = pi, bi
		if len(pi) == 0 {
			return nil, nil
		}
		return s.gather(ctx, pi, bi, valid, s.node.out)
	case plan.JoinTypeLeftSemi, plan.JoinTypeLeftAnti:
		semi := s.node.kind == plan.JoinTypeLeftSemi
		for r := lo; r < hi; r++ {
			if (cnt[r-lo] > 0) == semi {
				rows = append(rows, int32(r))
			}
		}
		if len(rows) == 0 {
			return nil, nil
		}
		return s.gather(ctx, rows, nil, nil, nil)
	case plan.JoinTypeLeftSingle:
		return s.single(ctx, lo, hi, cnt)
	}
	return s.mark(ctx, lo, hi, cnt, sawNull)
}

// single is LEFT_SINGLE: every probe row with its one match or NULLs.
func (s *joinStream) single(ctx context.Context, lo, hi int, cnt []int32) (arrow.RecordBatch, error) {
	match := make([]int32, hi-lo)
	valid := make([]bool, hi-lo)
	for i, p := range s.pairs.probe {
		r := int(p) - lo
		if cnt[r] > 1 {
			return nil, sqlerr.New(sqlerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
		}
		match[r], valid[r] = s.pairs.build[i], true
	}
	rows := make([]int32, hi-lo)
	for r := range rows {
		rows[r] = int32(lo + r)
	}
	return s.gather(ctx, rows, match, valid, s.node.out)
}

// mark is LEFT_MARK: every probe row and whether it matched (NULL when it
// did not but a comparison was NULL).
func (s *joinStream) mark(ctx context.Context, lo, hi int, cnt []int32, sawNull []bool) (arrow.RecordBatch, error) {
	rows := make([]int32, hi-lo)
	mb := array.NewBooleanBuilder(s.mem)
	defer mb.Release()
	hasKeys := len(s.lkeys) > 0
	for r := range rows {
		rows[r] = int32(lo + r)
		switch {
		case cnt[r] > 0:
			mb.Append(true)
		case sawNull != nil && sawNull[r],
			hasKeys && s.nBuild > 0 && (s.buildHasNull || (s.blocked != nil && s.blocked[lo+r])):
			mb.AppendNull()
		default:
			mb.Append(false)
		}
	}
	left, err := s.gather(ctx, rows, nil, nil, nil)
	if err != nil {
		return nil, err
	}
	defer left.Release()
	m := mb.NewArray()
	defer m.Release()
	cols := append(append([]arrow.Array{}, left.Columns()...), m)
	return array.NewRecordBatch(s.node.out, cols, int64(len(rows))), nil
}

// unmatchedBuild emits, after the probe side, the build rows no probe row
// matched with NULL probe columns (RIGHT and FULL joins).
func (s *joinStream) unmatchedBuild(ctx context.Context) (arrow.RecordBatch, error) {
	if s.tailDone || s.matched == nil {
		return nil, nil
	}
	var rows []int32
	for ; s.pos < len(s.matched) && len(rows) < outBatchRows; s.pos++ {
		if !s.matched[s.pos] {
			rows = append(rows, int32(s.pos))
		}
	}
	if s.pos >= len(s.matched) {
		s.tailDone = true
	}
	if len(rows) == 0 {
		return nil, nil // only when tailDone: the loop stops at a full batch
	}
	left := nullCols(s.mem, s.node.left.schema(), len(rows))
	defer releaseAll(left)
	right, err := takeCols(ctx, s.mem, s.build, rows, nil)
	if err != nil {
		return nil, err
	}
	defer releaseAll(right)
	return array.NewRecordBatch(s.node.out, append(left, right...), int64(len(rows))), nil
}
