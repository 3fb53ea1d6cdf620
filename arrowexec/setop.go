package arrowexec

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/plan"
	proto "github.com/substrait-io/substrait-protobuf/go/substraitpb"
)

// unionAllNode concatenates its inputs, reading them concurrently.
type unionAllNode struct {
	inputs []node
	out    *arrow.Schema
}

// setNode runs the other set operations by counting each distinct row per
// input in one hash table (NULLs compare equal, as SQL set operations do).
type setNode struct {
	inputs []node
	op     proto.SetRel_SetOp
	out    *arrow.Schema
}

func (pl *planner) setOp(r *plan.SetRel) (node, error) {
	var ins []node
	for _, in := range r.Inputs() {
		n, err := pl.rel(in)
		if err != nil {
			return nil, err
		}
		ins = append(ins, n)
	}
	if len(ins) < 2 {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "SetRel needs at least 2 inputs, got %d", len(ins))
	}
	out, err := setSchema(ins)
	if err != nil {
		return nil, err
	}
	op := proto.SetRel_SetOp(r.Op())
	switch op {
	case proto.SetRel_SET_OP_UNION_ALL:
		return &unionAllNode{inputs: ins, out: out}, nil
	case proto.SetRel_SET_OP_UNION_DISTINCT, proto.SetRel_SET_OP_INTERSECTION_PRIMARY,
		proto.SetRel_SET_OP_INTERSECTION_MULTISET, proto.SetRel_SET_OP_INTERSECTION_MULTISET_ALL,
		proto.SetRel_SET_OP_MINUS_PRIMARY, proto.SetRel_SET_OP_MINUS_PRIMARY_ALL, proto.SetRel_SET_OP_MINUS_MULTISET:
		return &setNode{inputs: ins, op: op, out: out}, nil
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "SetRel operation %s is not supported", op)
}

// setSchema checks that the inputs have the same column types; the output
// takes the first input's names and is nullable where any input is.
func setSchema(ins []node) (*arrow.Schema, error) {
	first := ins[0].schema()
	fields := append([]arrow.Field{}, first.Fields()...)
	for k, in := range ins[1:] {
		s := in.schema()
		if s.NumFields() != len(fields) {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "set operation input %d has %d columns, expected %d", k+2, s.NumFields(), len(fields))
		}
		for i, f := range s.Fields() {
			if !arrow.TypeEqual(f.Type, fields[i].Type) {
				return nil, sqlerr.New(sqlerr.DatatypeMismatch, "set operation column %d: %s and %s do not match", i+1, fields[i].Type, f.Type)
			}
			fields[i].Nullable = fields[i].Nullable || f.Nullable
		}
	}
	return arrow.NewSchema(fields, nil), nil
}

func (u *unionAllNode) schema() *arrow.Schema { return u.out }
func (u *unionAllNode) children() []node      { return u.inputs }
func (u *unionAllNode) describe() string      { return "UnionAll" }

func (u *unionAllNode) open(ctx context.Context, r *run) (stream, error) {
	parts := make([]partFn, len(u.inputs))
	for i, in := range u.inputs {
		parts[i] = func(ctx context.Context) (stream, error) {
			s, err := r.openNode(ctx, in)
			if err != nil {
				return nil, err
			}
			return &renameStream{s: s, sch: u.out}, nil
		}
	}
	return r.gather(ctx, parts)
}

// renameStream gives batches the schema sch (same types).
type renameStream struct {
	s   stream
	sch *arrow.Schema
}

func (s *renameStream) next(ctx context.Context) (arrow.RecordBatch, error) {
	b, err := s.s.next(ctx)
	if err != nil || b == nil {
		return nil, err
	}
	defer b.Release()
	return array.NewRecordBatch(s.sch, b.Columns(), b.NumRows()), nil
}

func (s *renameStream) close() { s.s.close() }

func (n *setNode) schema() *arrow.Schema { return n.out }
func (n *setNode) children() []node      { return n.inputs }
func (n *setNode) describe() string      { return fmt.Sprintf("HashSetOp %s", n.op) }

func (n *setNode) open(ctx context.Context, r *run) (stream, error) {
	return &setStream{node: n, r: r, mem: r.alloc(n), ht: newHashTable()}, nil
}

type setStream struct {
	node     *setNode
	r        *run
	mem      *opAlloc
	ht       *hashTable
	counts   [][]int64 // per input, per group
	kb       keyBatch
	out      *sliceStream
	reserved int64
	cur      stream
}

func (s *setStream) next(ctx context.Context) (arrow.RecordBatch, error) {
	if s.out == nil {
		for i, in := range s.node.inputs {
			if err := s.count(ctx, i, in); err != nil {
				return nil, err
			}
		}
		out, err := s.emit(ctx)
		if err != nil {
			return nil, err
		}
		s.out = out
	}
	return s.out.next(ctx)
}

func (s *setStream) count(ctx context.Context, i int, in node) error {
	st, err := s.r.openNode(ctx, in)
	if err != nil {
		return err
	}
	s.cur = st
	defer func() { st.close(); s.cur = nil }()
	s.counts = append(s.counts, nil)
	for {
		b, err := st.next(ctx)
		if err != nil || b == nil {
			return err
		}
		err = encodeKeys(b.Columns(), int(b.NumRows()), &s.kb)
		if err == nil {
			for r := 0; r < int(b.NumRows()); r++ {
				g, _ := s.ht.groupRow(&s.kb, r)
				for k := range s.counts {
					s.counts[k] = growI64(s.counts[k], s.ht.n)
				}
				s.counts[i][g]++
			}
		}
		b.Release()
		if err != nil {
			return err
		}
		size := s.ht.memSize() + s.kb.memSize() + int64(8*len(s.counts)*s.ht.n)
		s.mem.reserve(size - s.reserved)
		s.reserved = size
	}
}

// times is how often group g appears in the result.
func (s *setStream) times(g int) int64 {
	c0 := s.counts[0][g]
	var minO, sumO, anyO int64 = -1, 0, 0
	allO := int64(1)
	for _, c := range s.counts[1:] {
		v := c[g]
		sumO += v
		if v > 0 {
			anyO = 1
		} else {
			allO = 0
		}
		if minO < 0 || v < minO {
			minO = v
		}
	}
	switch s.node.op {
	case proto.SetRel_SET_OP_UNION_DISTINCT:
		return 1
	case proto.SetRel_SET_OP_INTERSECTION_PRIMARY:
		return min(c0, anyO)
	case proto.SetRel_SET_OP_INTERSECTION_MULTISET:
		return min(c0, allO)
	case proto.SetRel_SET_OP_INTERSECTION_MULTISET_ALL:
		return min(c0, minO)
	case proto.SetRel_SET_OP_MINUS_PRIMARY, proto.SetRel_SET_OP_MINUS_MULTISET:
		if c0 > 0 && anyO == 0 {
			return 1
		}
		return 0
	}
	return max(c0-sumO, 0) // MINUS_PRIMARY_ALL
}

func (s *setStream) emit(ctx context.Context) (*sliceStream, error) {
	var rep []int64
	for g := 0; g < s.ht.n; g++ {
		for k := s.times(g); k > 0; k-- {
			rep = append(rep, int64(g))
		}
	}
	if len(rep) == 0 || s.ht.n == 0 {
		return &sliceStream{}, nil
	}
	dts := make([]arrow.DataType, s.node.out.NumFields())
	for i, f := range s.node.out.Fields() {
		dts[i] = f.Type
	}
	keys, err := groupKeys(s.mem, s.ht, dts, 0, s.ht.n)
	if err != nil {
		return nil, err
	}
	all := array.NewRecordBatch(s.node.out, keys, int64(s.ht.n))
	releaseAll(keys)
	defer all.Release()
	return takeChunks(ctx, s.mem, all, rep, len(dts), s.node.out)
}

func (s *setStream) close() {
	if s.cur != nil {
		s.cur.close()
	}
	if s.out != nil {
		s.out.close()
	}
	s.mem.reserve(-s.reserved)
	s.reserved = 0
}
