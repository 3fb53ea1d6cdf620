package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// view gives row access to one argument of a row-wise function: a string
// or integer column, or a constant. Its methods are small and concrete so
// the per-row calls inline.
type view struct {
	arr   arrow.Array
	s     strs
	ints  []int64
	konst bool
	cs    []byte
	ci    int64
	null  bool // a NULL constant
}

func (v *view) str(i int) []byte {
	if v.konst {
		return v.cs
	}
	return v.s.at(i)
}

func (v *view) int(i int) int64 {
	if v.konst {
		return v.ci
	}
	return v.ints[i]
}

func (v *view) valid(i int) bool {
	if v.konst {
		return !v.null
	}
	return v.arr.NullN() == 0 || v.arr.IsValid(i)
}

// rowNode is a function computed row by row over string (and integer)
// arguments: NULL in, NULL out. Integer arguments are converted to int64 at
// compile time. Exactly one of the result functions is set.
type rowNode struct {
	name  string
	args  []Expr
	out   arrow.DataType
	strFn func(vs []view, i int, dst []byte) ([]byte, error)
	intFn func(vs []view, i int) (int64, error)
	boolF func(vs []view, i int) bool
}

func (n *rowNode) Type() arrow.DataType { return n.out }

// views evaluates the arguments; release frees what it holds.
func (n *rowNode) views(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) ([]view, func(), error) {
	vs := make([]view, len(n.args))
	var held []arrow.Array
	release := func() { releaseAll(held...) }
	for j, a := range n.args {
		if k := asConst(a); k != nil {
			vs[j] = view{konst: true, null: k.null()}
			if !k.null() {
				if isInteger(k.dt) {
					vs[j].ci = constInt(k)
				} else {
					vs[j].cs = []byte(constString(k))
				}
			}
			continue
		}
		arr, err := a.Eval(ctx, mem, batch)
		if err != nil {
			release()
			return nil, nil, err
		}
		held = append(held, arr)
		vs[j].arr = arr
		switch arr.DataType().ID() {
		case arrow.STRING, arrow.BINARY:
			vs[j].s = strsOf(arr)
		case arrow.INT64:
			vs[j].ints = arrow.GetValues[int64](arr.Data(), 1)
		}
	}
	return vs, release, nil
}

func (n *rowNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	vs, release, err := n.views(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer release()
	b := array.NewBuilder(mem, n.out)
	defer b.Release()
	b.Reserve(rows)
	var scratch []byte
	for i := 0; i < rows; i++ {
		if !allValid(vs, i) {
			b.AppendNull()
			continue
		}
		switch b := b.(type) {
		case *array.StringBuilder:
			if scratch, err = n.strFn(vs, i, scratch[:0]); err != nil {
				return nil, err
			}
			b.BinaryBuilder.Append(scratch)
		case *array.BooleanBuilder:
			b.Append(n.boolF(vs, i))
		default:
			v, err := n.intFn(vs, i)
			if err != nil {
				return nil, err
			}
			appendInt(b, v)
		}
	}
	return b.NewArray(), nil
}

func allValid(vs []view, i int) bool {
	for j := range vs {
		if !vs[j].valid(i) {
			return false
		}
	}
	return true
}

func appendInt(b array.Builder, v int64) {
	switch b := b.(type) {
	case *array.Int16Builder:
		b.Append(int16(v))
	case *array.Int32Builder:
		b.Append(int32(v))
	case *array.Int64Builder:
		b.Append(v)
	}
}

// constInt returns an integer constant as int64.
func constInt(k *constNode) int64 {
	switch k.dt.ID() {
	case arrow.INT8:
		return int64(constValue[int8](k))
	case arrow.INT16:
		return int64(constValue[int16](k))
	case arrow.INT32:
		return int64(constValue[int32](k))
	}
	return constValue[int64](k)
}

// newRowNode converts integer arguments to int64 and string-like ones to
// text, as the row functions expect.
func newRowNode(k *call) (*rowNode, error) {
	args := append([]Expr(nil), k.args...)
	for i, a := range args {
		t := a.Type()
		var to arrow.DataType
		switch {
		case isInteger(t) && t.ID() != arrow.INT64:
			to = arrow.PrimitiveTypes.Int64
		case t.ID() == arrow.NULL:
			to = arrow.BinaryTypes.String
		}
		if to != nil {
			x, err := newCast(a, to)
			if err != nil {
				return nil, err
			}
			args[i] = fold(x, a)
		}
	}
	return &rowNode{name: k.name, args: args, out: k.out}, nil
}
