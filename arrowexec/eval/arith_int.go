package eval

import (
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Integer kernels: the loops compute every row and accumulate an overflow
// flag without branches; only when it is raised is the batch rescanned to
// find a valid row that overflowed (NULL rows carry arbitrary values).

type signed interface {
	~int8 | ~int16 | ~int32 | ~int64
}

func minOf[T signed]() T {
	var one T = 1
	return one << (sizeOf(one)*8 - 1)
}

func intKernel[T signed](op arithOp) binKernel {
	return func(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
		as, bs, bv := operands[T](a, b, bk)
		n := len(as)
		buf, r := allocFixed[T](mem, n)
		var err error
		switch op {
		case opAdd:
			if addInts(as, bs, bv, r) {
				err = checkRows(a, b, out, func(i int) bool { x, y := as[i], pick(bs, bv, i); s := x + y; return (x^s)&(y^s) < 0 })
			}
		case opSub:
			if subInts(as, bs, bv, r) {
				err = checkRows(a, b, out, func(i int) bool { x, y := as[i], pick(bs, bv, i); s := x - y; return (x^y)&(x^s) < 0 })
			}
		case opMul:
			if mulInts(as, bs, bv, r) {
				err = checkRows(a, b, out, func(i int) bool { _, o := mulOvf(as[i], pick(bs, bv, i)); return o })
			}
		case opDiv, opMod:
			err = divInts(op, a, b, as, bs, bv, r, out)
		}
		if err != nil {
			buf.Release()
			return nil, err
		}
		valid, nulls := validity(mem, n, a, b)
		return makeArray(out, n, nulls, valid, buf), nil
	}
}

func pick[T any](bs []T, bv T, i int) T {
	if bs == nil {
		return bv
	}
	return bs[i]
}

// checkRows returns the out-of-range error when a valid row overflowed.
func checkRows(a, b arrow.Array, out arrow.DataType, bad func(int) bool) error {
	if firstBad(a, b, bad) >= 0 {
		return outOfRange(out)
	}
	return nil
}

func addInts[T signed](a, b []T, bv T, r []T) bool {
	var ovf T
	if b == nil {
		for i, x := range a {
			s := x + bv
			ovf |= (x ^ s) & (bv ^ s)
			r[i] = s
		}
		return ovf < 0
	}
	b = b[:len(a)]
	for i, x := range a {
		y := b[i]
		s := x + y
		ovf |= (x ^ s) & (y ^ s)
		r[i] = s
	}
	return ovf < 0
}

func subInts[T signed](a, b []T, bv T, r []T) bool {
	var ovf T
	if b == nil {
		for i, x := range a {
			s := x - bv
			ovf |= (x ^ bv) & (x ^ s)
			r[i] = s
		}
		return ovf < 0
	}
	b = b[:len(a)]
	for i, x := range a {
		y := b[i]
		s := x - y
		ovf |= (x ^ y) & (x ^ s)
		r[i] = s
	}
	return ovf < 0
}

// mulOvf multiplies with overflow detection in T's range.
func mulOvf[T signed](x, y T) (T, bool) {
	if sizeOf(x) < 8 {
		p := int64(x) * int64(y)
		return T(p), int64(T(p)) != p
	}
	hi, lo := bits.Mul64(uint64(x), uint64(y))
	h := int64(hi)
	if x < 0 {
		h -= int64(y)
	}
	if y < 0 {
		h -= int64(x)
	}
	return T(lo), h != int64(lo)>>63
}

func mulInts[T signed](a, b []T, bv T, r []T) bool {
	ovf := false
	if b == nil {
		for i, x := range a {
			p, o := mulOvf(x, bv)
			ovf = ovf || o
			r[i] = p
		}
		return ovf
	}
	b = b[:len(a)]
	for i, x := range a {
		p, o := mulOvf(x, b[i])
		ovf = ovf || o
		r[i] = p
	}
	return ovf
}

// divInts divides truncating toward zero (and takes remainders with the
// dividend's sign); a zero divisor in a valid row is 22012, MIN / -1 is
// 22003.
func divInts[T signed](op arithOp, a, b arrow.Array, as, bs []T, bv T, r []T, out arrow.DataType) error {
	minT := minOf[T]()
	bad := false
	if bs == nil {
		if bv == 0 {
			if a.Len() > 0 && a.NullN() < a.Len() {
				return divByZero()
			}
			bv = 1
		}
		for i, x := range as {
			bad = bad || (x == minT && bv == -1)
			if op == opDiv {
				r[i] = x / bv
			} else {
				r[i] = x % bv
			}
		}
	} else {
		zero := false
		for i, x := range as {
			d := bs[i]
			if d == 0 {
				zero, d = true, 1
			}
			bad = bad || (x == minT && d == -1)
			if op == opDiv {
				r[i] = x / d
			} else {
				r[i] = x % d
			}
		}
		if zero && firstBad(a, b, func(i int) bool { return bs[i] == 0 }) >= 0 {
			return divByZero()
		}
	}
	if bad && op == opDiv {
		return checkRows(a, b, out, func(i int) bool { return as[i] == minT && pick(bs, bv, i) == -1 })
	}
	return nil
}
