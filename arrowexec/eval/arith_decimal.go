package eval

import (
	"math/big"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Decimal arithmetic produces exactly the output type the compiler chose
// (PostgreSQL's precision and scale rules live there): the exact result is
// rounded half away from zero to the output scale and must fit the output
// precision (else 22003). Operands keep their own scales; integers are
// decimals of scale 0.

type decStatus uint8

const (
	decOK decStatus = iota
	decOverflow
	decDivZero
)

// decFn computes one row at the operand scales s1, s2 and output scale s.
type decFn func(a, b decimal128.Num, s1, s2, s int32) (decimal128.Num, decStatus)

func buildDecimalArith(k *call, op arithOp) (Expr, error) {
	l, r := k.args[0], k.args[1]
	var err error
	for _, x := range []*Expr{&l, &r} {
		if isInteger((*x).Type()) || (*x).Type().ID() == arrow.NULL {
			p, _ := decimalOf((*x).Type())
			if *x, err = newCast(*x, &arrow.Decimal128Type{Precision: p}); err != nil {
				return nil, err
			}
			*x = fold(*x, *x)
		}
	}
	if !isDecimal(l.Type()) || !isDecimal(r.Type()) {
		return nil, unsupported(k)
	}
	fn := [...]decFn{decAdd, decSub, decMul, decDiv, decMod}[op]
	n := &arithNode{l: l, r: r, out: k.out, kernel: decimalKernel(fn, op, false), commut: op == opAdd || op == opMul}
	if op == opSub {
		// constant - column (1 - l_discount) without materializing the constant
		n.rev = decimalKernel(func(a, b decimal128.Num, s1, s2, s int32) (decimal128.Num, decStatus) {
			return decSub(b, a, s2, s1, s)
		}, op, true)
	}
	return n, nil
}

// decimalKernel applies fn row by row, through the int64 fast path where
// it holds. rev: the constant bk is the left operand (bk op a).
func decimalKernel(fn decFn, op arithOp, rev bool) binKernel {
	return func(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
		_, s1 := decimalOf(a.DataType())
		_, s2 := decimalOf(bk.typeOr(b))
		prec, s := decimalOf(out)
		var fast dec64
		var hasFast bool
		if rev {
			fast, hasFast = newDec64(op, s2, s1, s, prec)
		} else {
			fast, hasFast = newDec64(op, s1, s2, s, prec)
		}
		as, bs, bv := operands[decimal128.Num](a, b, bk)
		n := len(as)
		valid, nulls := validity(mem, n, a, b)
		vb := validBits(valid)
		buf, r := allocFixed[decimal128.Num](mem, n)
		for i, x := range as {
			if vb != nil && vb[i>>3]&(1<<(i&7)) == 0 {
				r[i] = decimal128.Num{}
				continue
			}
			y := bv
			if bs != nil {
				y = bs[i]
			}
			if hasFast {
				var v decimal128.Num
				var ok bool
				if rev {
					v, ok = fast.apply(y, x)
				} else {
					v, ok = fast.apply(x, y)
				}
				if ok {
					r[i] = v
					continue
				}
			}
			v, st := fn(x, y, s1, s2, s)
			if st == decOK && !fitsPrec(v, prec) {
				st = decOverflow
			}
			if st != decOK {
				buf.Release()
				if valid != nil {
					valid.Release()
				}
				if st == decDivZero {
					return nil, divByZero()
				}
				return nil, numericOverflow(out)
			}
			r[i] = v
		}
		return makeArray(out, n, nulls, valid, buf), nil
	}
}

// typeOr returns the constant's type, or the array's when k is nil.
func (k *constNode) typeOr(a arrow.Array) arrow.DataType {
	if k != nil {
		return k.dt
	}
	return a.DataType()
}

func decAdd(a, b decimal128.Num, s1, s2, s int32) (decimal128.Num, decStatus) {
	if s >= s1 && s >= s2 {
		x, ok1 := scaleUp(a, s-s1)
		y, ok2 := scaleUp(b, s-s2)
		r, ok3 := add128(x, y)
		if ok1 && ok2 && ok3 {
			return r, decOK
		}
	}
	m := max(s1, s2)
	z := new(big.Int).Add(bigScaled(a, m-s1), bigScaled(b, m-s2))
	return bigResult(z, m, s)
}

func decSub(a, b decimal128.Num, s1, s2, s int32) (decimal128.Num, decStatus) {
	return decAdd(a, b.Negate(), s1, s2, s)
}

func decMul(a, b decimal128.Num, s1, s2, s int32) (decimal128.Num, decStatus) {
	x, ok1 := fitsInt64(a)
	y, ok2 := fitsInt64(b)
	if ok1 && ok2 {
		ux, uy := uabs(x), uabs(y)
		hi, lo := bits.Mul64(ux, uy)
		if p, ok := fromU(u128{hi, lo}, (x < 0) != (y < 0)); ok {
			if k := s1 + s2 - s; k >= 0 {
				return scaleDown(p, k), decOK
			}
			if r, ok := scaleUp(p, s-s1-s2); ok {
				return r, decOK
			}
			return decimal128.Num{}, decOverflow
		}
	}
	z := new(big.Int).Mul(bigOf(a), bigOf(b))
	return bigResult(z, s1+s2, s)
}

func decDiv(a, b decimal128.Num, s1, s2, s int32) (decimal128.Num, decStatus) {
	if b == (decimal128.Num{}) {
		return decimal128.Num{}, decDivZero
	}
	e := s - s1 + s2 // a·10^e / b has scale s
	if y, ok := fitsInt64(b); ok && e >= 0 {
		if num, ok := scaleUp(a, e); ok {
			u, neg := absU(num)
			d := uabs(y)
			if u.hi < d { // quotient fits in 64 bits
				q, r := bits.Div64(u.hi, u.lo, d)
				if r >= d-r {
					q++
				}
				res, _ := fromU(u128{0, q}, neg != (y < 0))
				return res, decOK
			}
		}
	}
	num, den := bigOf(a), bigOf(b)
	if e >= 0 {
		num.Mul(num, bigPow10(e))
	} else {
		den.Mul(den, bigPow10(-e))
	}
	if r, ok := decFromBig(bigDivRound(num, den)); ok {
		return r, decOK
	}
	return decimal128.Num{}, decOverflow
}

func decMod(a, b decimal128.Num, s1, s2, s int32) (decimal128.Num, decStatus) {
	if b == (decimal128.Num{}) {
		return decimal128.Num{}, decDivZero
	}
	m := max(s1, s2)
	z := new(big.Int).Rem(bigScaled(a, m-s1), bigScaled(b, m-s2))
	return bigResult(z, m, s)
}

func uabs(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

func bigScaled(a decimal128.Num, k int32) *big.Int {
	z := bigOf(a)
	if k > 0 {
		z.Mul(z, bigPow10(k))
	}
	return z
}

// bigResult converts z at scale from to scale to, rounding.
func bigResult(z *big.Int, from, to int32) (decimal128.Num, decStatus) {
	if to < from {
		z = bigDivRound(z, bigPow10(from-to))
	} else if to > from {
		z.Mul(z, bigPow10(to-from))
	}
	r, ok := decFromBig(z)
	if !ok {
		return r, decOverflow
	}
	return r, decOK
}
