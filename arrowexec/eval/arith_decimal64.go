package eval

import (
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// dec64 is the int64 fast path of decimal +, - and * (as DuckDB keeps
// decimal(18) in int64): when both operands of a row fit in an int64 and
// the exact result does too, it is computed in one or two machine
// operations; other rows take the 128-bit path. The result scale of +
// and - is max(s1, s2) and of * s1+s2 (the compiler's rules), so no
// rounding is ever needed here.
type dec64 struct {
	op     arithOp
	m1, m2 int64 // +, -: 10^(s-s1), 10^(s-s2)
	l1, l2 int64 // +, -: |x| ≤ l1, |y| ≤ l2 keep x·m1 ± y·m2 in range
	lim    int64 // |result| < lim is within the output precision (0: no limit)
}

// newDec64 returns the fast path for op at scales s1, s2 → s and output
// precision prec, false when there is none.
func newDec64(op arithOp, s1, s2, s, prec int32) (dec64, bool) {
	d := dec64{op: op}
	if prec < 19 {
		d.lim = int64(pow10u64[prec])
	}
	switch op {
	case opAdd, opSub:
		if s < s1 || s < s2 || s-s1 > 18 || s-s2 > 18 || (s != s1 && s != s2) {
			return d, false
		}
		d.m1, d.m2 = int64(pow10u64[s-s1]), int64(pow10u64[s-s2])
		d.l1, d.l2 = math.MaxInt64/2/d.m1, math.MaxInt64/2/d.m2
		return d, true
	case opMul:
		return d, s == s1+s2
	}
	return d, false
}

// apply computes one row; ok is false when the row needs the 128-bit path.
func (d *dec64) apply(a, b decimal128.Num) (decimal128.Num, bool) {
	x, y := int64(a.LowBits()), int64(b.LowBits())
	if a.HighBits() != x>>63 || b.HighBits() != y>>63 {
		return decimal128.Num{}, false
	}
	var r int64
	switch d.op {
	case opAdd, opSub:
		if x > d.l1 || x < -d.l1 || y > d.l2 || y < -d.l2 {
			return decimal128.Num{}, false
		}
		if d.op == opAdd {
			r = x*d.m1 + y*d.m2
		} else {
			r = x*d.m1 - y*d.m2
		}
	default:
		hi, lo := bits.Mul64(uabs(x), uabs(y))
		if hi != 0 || lo > math.MaxInt64 {
			return decimal128.Num{}, false
		}
		r = int64(lo)
		if (x < 0) != (y < 0) {
			r = -r
		}
	}
	if d.lim != 0 && (r >= d.lim || r <= -d.lim) {
		return decimal128.Num{}, false // the 128-bit path reports the overflow
	}
	return decimal128.New(r>>63, uint64(r)), true
}
