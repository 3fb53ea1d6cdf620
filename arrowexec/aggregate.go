package arrowexec

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"
)

// measureSpec is one aggregate of an AggregateRel.
type measureSpec struct {
	name     string
	args     []expr.Expression
	distinct bool
	filter   expr.Expression
	out      arrow.DataType
}

// aggNode is a hash aggregate: GROUP BY keys (none: one row, even over no
// input) and measures. DISTINCT is an aggNode without measures.
type aggNode struct {
	child    node
	keys     []expr.Expression
	measures []measureSpec
	out      *arrow.Schema
}

func (pl *planner) aggregate(r *plan.AggregateRel) (node, error) {
	in, err := pl.rel(r.Input())
	if err != nil {
		return nil, err
	}
	refs := r.GroupingReferences()
	if len(refs) > 1 {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "AggregateRel with %d grouping sets (ROLLUP, CUBE, GROUPING SETS) is not supported", len(refs))
	}
	n := &aggNode{child: in}
	var dts []arrow.DataType
	if len(refs) == 1 {
		all := r.GroupingExpressions()
		for _, ref := range refs[0] {
			e := all[ref]
			ev, err := compileExpr(e, in.schema(), pl.opts.Params)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, e)
			dts = append(dts, ev.Type())
		}
	}
	for _, m := range r.Measures() {
		ms, err := measureOf(m)
		if err != nil {
			return nil, err
		}
		n.measures = append(n.measures, ms)
		dts = append(dts, ms.out)
	}
	n.out = schemaOf(nil, dts)
	return n, nil
}

func measureOf(m plan.AggRelMeasure) (measureSpec, error) {
	f := m.Measure()
	out, err := arrowType(f.GetType())
	if err != nil {
		return measureSpec{}, err
	}
	ms := measureSpec{name: f.Name(), filter: m.Filter(), out: out,
		distinct: f.Invocation() == types.AggInvocationDistinct}
	var all []types.FuncArg
	for i := 0; i < f.NArgs(); i++ {
		all = append(all, f.Arg(i))
		if e, ok := f.Arg(i).(expr.Expression); ok {
			ms.args = append(ms.args, e)
		}
	}
	if ms.name, err = standardStat(ms.name, all, f.GetOptions()); err != nil {
		return ms, err
	}
	if len(f.Sorts) > 0 && ms.name != "string_agg" {
		return ms, sqlerr.New(sqlerr.FeatureNotSupported, "ordered aggregate %s is not supported", ms.name)
	}
	return ms, nil
}

func (a *aggNode) schema() *arrow.Schema { return a.out }
func (a *aggNode) children() []node      { return []node{a.child} }

func (a *aggNode) describe() string {
	var ks, ms []string
	for _, k := range a.keys {
		ks = append(ks, describeExpr(k))
	}
	for _, m := range a.measures {
		d := ""
		if m.distinct {
			d = "DISTINCT "
		}
		var args []string
		for _, e := range m.args {
			args = append(args, describeExpr(e))
		}
		ms = append(ms, fmt.Sprintf("%s(%s%s)", m.name, d, joinStrings(args)))
	}
	return fmt.Sprintf("HashAggregate: keys=[%s] aggs=[%s]", joinStrings(ks), joinStrings(ms))
}

// aggMeasure is a measure's run state.
type aggMeasure struct {
	spec   *measureSpec
	args   []evaluator
	filter evaluator
	acc    accumulator
	dist   *hashTable // (group, args) pairs seen, for DISTINCT
	dkeys  keyBatch
	gids   []int32
}

func (a *aggNode) open(ctx context.Context, r *run) (stream, error) {
	s := &aggStream{node: a, mem: r.alloc(a), ht: newHashTable()}
	in := a.child.schema()
	for _, k := range a.keys {
		ev, err := r.compile(k, in)
		if err != nil {
			return nil, err
		}
		s.keys = append(s.keys, ev)
	}
	for i := range a.measures {
		m, err := newAggMeasure(r, &a.measures[i], in)
		if err != nil {
			return nil, err
		}
		s.ms = append(s.ms, m)
	}
	if len(a.keys) == 0 {
		s.groups = 1
		for _, m := range s.ms {
			m.acc.resize(1)
		}
	}
	st, err := r.openNode(ctx, a.child)
	if err != nil {
		return nil, err
	}
	s.in = st
	return s, nil
}

func newAggMeasure(r *run, spec *measureSpec, in *arrow.Schema) (*aggMeasure, error) {
	m := &aggMeasure{spec: spec}
	var argTypes []arrow.DataType
	for _, e := range spec.args {
		ev, err := r.compile(e, in)
		if err != nil {
			return nil, err
		}
		m.args = append(m.args, ev)
		argTypes = append(argTypes, ev.Type())
	}
	if spec.filter != nil {
		ev, err := r.compile(spec.filter, in)
		if err != nil {
			return nil, err
		}
		m.filter = ev
	}
	acc, err := newAccumulator(spec.name, argTypes, spec.out)
	if err != nil {
		return nil, err
	}
	m.acc = acc
	if spec.distinct {
		m.dist = newHashTable()
	}
	return m, nil
}

type aggStream struct {
	node     *aggNode
	mem      *opAlloc
	in       stream
	keys     []evaluator
	ms       []*aggMeasure
	ht       *hashTable
	kb       keyBatch
	gids     []int32
	groups   int
	reserved int64
	emitted  int
	done     bool
}

func (s *aggStream) next(ctx context.Context) (arrow.RecordBatch, error) {
	if !s.done {
		if err := s.consume(ctx); err != nil {
			return nil, err
		}
		s.done = true
	}
	if s.emitted >= s.groups {
		return nil, nil
	}
	lo, hi := s.emitted, min(s.emitted+outBatchRows, s.groups)
	s.emitted = hi
	return s.output(lo, hi)
}

func (s *aggStream) consume(ctx context.Context) error {
	for {
		b, err := s.in.next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			s.in.close()
			return nil
		}
		err = s.add(ctx, b)
		b.Release()
		if err != nil {
			return err
		}
	}
}

// add folds one batch into the groups.
func (s *aggStream) add(ctx context.Context, b arrow.RecordBatch) error {
	n := int(b.NumRows())
	if cap(s.gids) < n {
		s.gids = make([]int32, n)
	}
	s.gids = s.gids[:n]
	if len(s.keys) > 0 {
		if err := s.groupIDs(ctx, b); err != nil {
			return err
		}
	} else {
		clear(s.gids)
	}
	for _, m := range s.ms {
		if err := m.update(ctx, s.mem, b, s.gids, s.groups); err != nil {
			return err
		}
	}
	size := s.ht.memSize() + s.kb.memSize()
	for _, m := range s.ms {
		size += m.acc.memSize()
		if m.dist != nil {
			size += m.dist.memSize() + m.dkeys.memSize()
		}
	}
	s.mem.reserve(size - s.reserved)
	s.reserved = size
	return nil
}

func (s *aggStream) groupIDs(ctx context.Context, b arrow.RecordBatch) error {
	cols := make([]arrow.Array, len(s.keys))
	defer releaseAll(cols)
	for i, k := range s.keys {
		a, err := k.Eval(ctx, s.mem, b)
		if err != nil {
			return err
		}
		cols[i] = a
	}
	if err := encodeKeys(cols, len(s.gids), &s.kb); err != nil {
		return err
	}
	if s.kb.isInt {
		s.intGroupIDs()
	} else {
		for i := range s.gids {
			g, _ := s.ht.groupRow(&s.kb, i)
			s.gids[i] = g
		}
	}
	s.groups = s.ht.n
	return nil
}

// intGroupIDs assigns the groups of an int-keyed batch. A row with the key
// of the row before it (input clustered by the key, as lineitem by
// l_orderkey) reuses its group without a probe.
func (s *aggStream) intGroupIDs() {
	k := &s.kb
	ints, hashes, nulls := k.ints[:len(s.gids)], k.hashes[:len(s.gids)], k.anyNull[:len(s.gids)]
	have, prev, pg := false, int64(0), int32(0)
	for i := range s.gids {
		if nulls[i] {
			g, _ := s.ht.groupRow(k, i)
			s.gids[i] = g
			have = false
			continue
		}
		v := ints[i]
		if !have || v != prev {
			pg, _ = s.ht.insertInt(hashes[i], v)
			have, prev = true, v
		}
		s.gids[i] = pg
	}
}

func (m *aggMeasure) update(ctx context.Context, mem memory.Allocator, b arrow.RecordBatch, gids []int32, groups int) error {
	m.acc.resize(groups)
	args := make([]arrow.Array, len(m.args))
	defer releaseAll(args)
	for i, ev := range m.args {
		a, err := ev.Eval(ctx, mem, b)
		if err != nil {
			return err
		}
		args[i] = a
	}
	if m.filter == nil && m.dist == nil {
		return m.acc.update(gids, args)
	}
	m.gids = append(m.gids[:0], gids...)
	if m.filter != nil {
		mask, err := m.filter.Eval(ctx, mem, b)
		if err != nil {
			return err
		}
		bm := mask.(*array.Boolean)
		for i := range m.gids {
			if !bm.IsValid(i) || !bm.Value(i) {
				m.gids[i] = -1
			}
		}
		mask.Release()
	}
	if m.dist != nil {
		if err := m.dedupe(args); err != nil {
			return err
		}
	}
	return m.acc.update(m.gids, args)
}

// dedupe drops rows whose (group, arguments) were seen before.
func (m *aggMeasure) dedupe(args []arrow.Array) error {
	g := array.NewInt32Data(array.NewData(arrow.PrimitiveTypes.Int32, len(m.gids),
		[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(m.gids))}, nil, 0, 0))
	defer g.Release()
	if err := encodeKeys(append([]arrow.Array{g}, args...), len(m.gids), &m.dkeys); err != nil {
		return err
	}
	for i, gid := range m.gids {
		if gid < 0 {
			continue
		}
		if _, isNew := m.dist.insertRow(&m.dkeys, i); !isNew {
			m.gids[i] = -1
		}
	}
	return nil
}

func (s *aggStream) output(lo, hi int) (arrow.RecordBatch, error) {
	var cols []arrow.Array
	if len(s.keys) > 0 {
		dts := make([]arrow.DataType, len(s.keys))
		for i, k := range s.keys {
			dts[i] = k.Type()
		}
		kc, err := groupKeys(s.mem, s.ht, dts, lo, hi)
		if err != nil {
			return nil, err
		}
		cols = kc
	}
	for _, m := range s.ms {
		a, err := m.acc.result(s.mem, lo, hi)
		if err != nil {
			releaseAll(cols)
			return nil, err
		}
		cols = append(cols, a)
	}
	defer releaseAll(cols)
	return array.NewRecordBatch(s.node.out, cols, int64(hi-lo)), nil
}

func (s *aggStream) close() {
	s.in.close()
	s.mem.reserve(-s.reserved)
	s.reserved = 0
	s.ht = newHashTable()
	s.ms = nil
}
