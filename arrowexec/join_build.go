package arrowexec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// joinStream is one run of a joinNode: it reads the whole build (right)
// side into one batch and a hash table, then streams the probe (left) side.
type joinStream struct {
	node    *joinNode
	r       *run
	mem     *opAlloc
	lkeys   []evaluator
	rkeys   []evaluator
	resid   []evaluator
	buildIn stream
	probeIn stream

	built        bool
	build        arrow.RecordBatch // all build rows, nil when none
	nBuild       int
	ht           *hashTable
	head, tail   []int32 // per group: first and last build row
	nextRow      []int32 // per build row: next row of its group, -1 at the end
	buildHasNull bool    // some build row has a NULL (non-null-safe) key
	matched      []bool  // build rows matched (RIGHT, FULL)
	reserved     int64

	cur      arrow.RecordBatch // probe batch being joined
	curKeys  keyBatch
	blocked  []bool // probe rows with a NULL (non-null-safe) key
	pos      int
	probeEOF bool
	tailDone bool
	pairs    pairBuf
}

func (s *joinStream) compile() error {
	n := s.node
	for _, e := range n.leftKeys {
		ev, err := s.r.compile(e, n.left.schema())
		if err != nil {
			return err
		}
		s.lkeys = append(s.lkeys, ev)
	}
	for _, e := range n.rightKeys {
		ev, err := s.r.compile(e, n.right.schema())
		if err != nil {
			return err
		}
		s.rkeys = append(s.rkeys, ev)
	}
	joined := concatSchemas(n.left.schema(), n.right.schema(), true, true)
	for _, e := range n.residual {
		ev, err := s.r.compile(e, joined)
		if err != nil {
			return err
		}
		s.resid = append(s.resid, ev)
	}
	return nil
}

// readBuild materializes the build side and indexes it.
func (s *joinStream) readBuild(ctx context.Context) error {
	var bs []arrow.RecordBatch
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	for {
		b, err := s.buildIn.next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		bs = append(bs, b)
	}
	s.buildIn.close()
	if len(bs) == 0 {
		return nil
	}
	all, err := concatBatches(s.mem, bs)
	if err != nil {
		return err
	}
	s.build = all
	s.nBuild = int(all.NumRows())
	if len(s.rkeys) > 0 {
		if err := s.index(ctx); err != nil {
			return err
		}
	}
	if k := s.node.kind; k == joinKindRight || k == joinKindOuter {
		s.matched = make([]bool, s.nBuild)
	}
	s.account()
	return nil
}

// index builds the hash table over the build keys.
func (s *joinStream) index(ctx context.Context) error {
	keys, err := evalAll(ctx, s.mem, s.rkeys, s.build)
	if err != nil {
		return err
	}
	defer releaseAll(keys)
	var kb keyBatch
	if err := encodeKeys(keys, s.nBuild, &kb); err != nil {
		return err
	}
	blocked := blockedRows(keys, s.node.nullSafe, s.nBuild)
	s.ht = newHashTable()
	if kb.isInt {
		s.ht.reserveInt(keyRuns(&kb))
		s.head = make([]int32, 0, len(s.ht.islots)/2)
		s.tail = make([]int32, 0, len(s.ht.islots)/2)
	}
	s.nextRow = make([]int32, s.nBuild)
	have, prev, pg := false, int64(0), int32(0) // int keys: the row before's key and group
	for i := 0; i < s.nBuild; i++ {
		s.nextRow[i] = -1
		if blocked != nil && blocked[i] {
			s.buildHasNull = true
			have = false
			continue
		}
		if kb.isInt && !kb.anyNull[i] {
			if v := kb.ints[i]; have && v == prev {
				s.nextRow[s.tail[pg]] = int32(i)
				s.tail[pg] = int32(i)
				continue
			}
			have, prev = true, kb.ints[i]
		} else {
			have = false
		}
		g, isNew := s.ht.groupRow(&kb, i)
		pg = g
		if isNew {
			s.head = append(s.head, int32(i))
			s.tail = append(s.tail, int32(i))
			continue
		}
		s.nextRow[s.tail[g]] = int32(i)
		s.tail[g] = int32(i)
	}
	return nil
}

// keyRuns counts the rows of an int key batch whose key differs from the
// row before: a bound on the distinct keys, close to it when the input is
// clustered by the key or the keys are unique.
func keyRuns(k *keyBatch) int {
	n := 0
	for i, v := range k.ints[:k.n] {
		if i == 0 || v != k.ints[i-1] {
			n++
		}
	}
	return n
}

// blockedRows marks rows with a NULL in a key that is not null-safe (nil
// when there is none).
func blockedRows(keys []arrow.Array, nullSafe []bool, n int) []bool {
	var out []bool
	for c, k := range keys {
		if nullSafe[c] || k.NullN() == 0 {
			continue
		}
		if out == nil {
			out = make([]bool, n)
		}
		for i := 0; i < n; i++ {
			if k.IsNull(i) {
				out[i] = true
			}
		}
	}
	return out
}

func (s *joinStream) account() {
	size := int64(4*(cap(s.head)+cap(s.tail)+cap(s.nextRow)) + cap(s.matched))
	if s.ht != nil {
		size += s.ht.memSize()
	}
	size += s.curKeys.memSize() + s.pairs.memSize()
	s.mem.reserve(size - s.reserved)
	s.reserved = size
}

func evalAll(ctx context.Context, mem *opAlloc, evs []evaluator, b arrow.RecordBatch) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(evs))
	for i, ev := range evs {
		a, err := ev.Eval(ctx, mem, b)
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func (s *joinStream) close() {
	s.buildIn.close()
	s.probeIn.close()
	if s.build != nil {
		s.build.Release()
		s.build = nil
	}
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	s.ht, s.head, s.tail, s.nextRow, s.matched = nil, nil, nil, nil, nil
	s.mem.reserve(-s.reserved)
	s.reserved = 0
}

var _ = array.NewInt64Builder
