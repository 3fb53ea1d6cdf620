package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

func init() {
	register(buildLogic, "and", "or", "xor", "and_not")
	register(buildNot, "not")
}

type logicOp int

const (
	logicAnd logicOp = iota
	logicOr
	logicXor
	logicAndNot
)

// logicNode is AND / OR (Kleene, variadic), XOR and AND NOT.
type logicNode struct {
	op   logicOp
	args []Expr
}

func buildLogic(c *compiler, k *call) (Expr, error) {
	for _, a := range k.args {
		if a.Type().ID() != arrow.BOOL && a.Type().ID() != arrow.NULL {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "argument of %s must be type boolean, not type %s",
				k.name, sqlTypeName(a.Type()))
		}
	}
	op := map[string]logicOp{"and": logicAnd, "or": logicOr, "xor": logicXor, "and_not": logicAndNot}[k.name]
	if len(k.args) == 0 || (op >= logicXor && len(k.args) != 2) {
		return nil, unsupported(k)
	}
	if len(k.args) == 1 {
		return k.args[0], nil
	}
	return &logicNode{op: op, args: k.args}, nil
}

func (n *logicNode) Type() arrow.DataType { return boolType }

// boolBits is a boolean array as value and validity bitmaps at offset 0
// (validity nil when all valid).
type boolBits struct {
	val, valid []byte
	bufs       []*memory.Buffer
}

func (b *boolBits) release() {
	for _, x := range b.bufs {
		x.Release()
	}
}

// bitsOf copies a boolean array's bitmaps to offset 0.
func bitsOf(mem memory.Allocator, a arrow.Array) boolBits {
	n, off := a.Len(), a.Data().Offset()
	vb, val := allocBits(mem, n)
	if a.Len() > 0 {
		bitutil.CopyBitmap(a.Data().Buffers()[1].Bytes(), off, n, val, 0)
	}
	out := boolBits{val: val, bufs: []*memory.Buffer{vb}}
	if a.NullN() > 0 {
		mb, m := allocBits(mem, n)
		bitutil.CopyBitmap(a.NullBitmapBytes(), off, n, m, 0)
		out.valid = m
		out.bufs = append(out.bufs, mb)
	} else if a.DataType().ID() == arrow.NULL {
		mb, m := allocBits(mem, n)
		out.valid = m
		out.bufs = append(out.bufs, mb)
	}
	return out
}

func (n *logicNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	acc, err := n.evalBits(ctx, mem, batch, n.args[0])
	if err != nil {
		return nil, err
	}
	defer acc.release()
	for _, e := range n.args[1:] {
		b, err := n.evalBits(ctx, mem, batch, e)
		if err != nil {
			return nil, err
		}
		combine(n.op, &acc, b, mem)
		b.release()
	}
	vb := acc.bufs[0]
	vb.Retain()
	if acc.valid == nil {
		return makeArray(boolType, rows, 0, nil, vb), nil
	}
	mb := acc.bufs[1]
	mb.Retain()
	nulls := rows - bitutil.CountSetBits(acc.valid, 0, rows)
	return makeArray(boolType, rows, nulls, mb, vb), nil
}

func (n *logicNode) evalBits(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch, e Expr) (boolBits, error) {
	a, err := e.Eval(ctx, mem, batch)
	if err != nil {
		return boolBits{}, err
	}
	defer a.Release()
	return bitsOf(mem, a), nil
}

// combine folds b into acc (both at offset 0). Values under NULL validity
// are arbitrary, so every formula masks them.
func combine(op logicOp, acc *boolBits, b boolBits, mem memory.Allocator) {
	if acc.valid == nil && b.valid == nil {
		for i := range acc.val {
			switch op {
			case logicAnd:
				acc.val[i] &= b.val[i]
			case logicOr:
				acc.val[i] |= b.val[i]
			case logicXor:
				acc.val[i] ^= b.val[i]
			case logicAndNot:
				acc.val[i] &^= b.val[i]
			}
		}
		return
	}
	if acc.valid == nil {
		mb, m := allocSetBits(mem, len(acc.val)*8)
		acc.valid = m
		acc.bufs = append(acc.bufs, mb)
	}
	for i := range acc.val {
		v1, m1 := acc.val[i], acc.valid[i]
		v2, m2 := b.val[i], byte(0xff)
		if b.valid != nil {
			m2 = b.valid[i]
		}
		if op == logicAndNot {
			v2 = ^v2
		}
		switch op {
		case logicAnd, logicAndNot:
			f := (m1 &^ v1) | (m2 &^ v2) // known false
			acc.val[i] = v1 & v2 & m1 & m2
			acc.valid[i] = f | (m1 & m2)
		case logicOr:
			t := (m1 & v1) | (m2 & v2) // known true
			acc.val[i] = t
			acc.valid[i] = t | (m1 & m2)
		case logicXor:
			acc.val[i] = v1 ^ v2
			acc.valid[i] = m1 & m2
		}
	}
}

// notNode is NOT: NULL stays NULL.
type notNode struct{ in Expr }

func buildNot(c *compiler, k *call) (Expr, error) {
	if len(k.args) != 1 || (k.args[0].Type().ID() != arrow.BOOL && k.args[0].Type().ID() != arrow.NULL) {
		return nil, unsupported(k)
	}
	return &notNode{in: k.args[0]}, nil
}

func (n *notNode) Type() arrow.DataType { return boolType }

func (n *notNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	a, err := n.in.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	buf, bits := allocBits(mem, rows)
	if rows > 0 && a.DataType().ID() == arrow.BOOL {
		bitutil.InvertBitmap(a.Data().Buffers()[1].Bytes(), a.Data().Offset(), rows, bits, 0)
	}
	valid, nulls := validity(mem, rows, a)
	if a.DataType().ID() == arrow.NULL {
		valid, nulls = allocNoneValid(mem, rows)
	}
	return makeArray(boolType, rows, nulls, valid, buf), nil
}

func allocNoneValid(mem memory.Allocator, n int) (*memory.Buffer, int) {
	b, _ := allocBits(mem, n)
	return b, n
}
