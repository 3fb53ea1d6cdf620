package eval

import (
	"math/big"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// 128-bit decimal arithmetic without allocation for the common cases;
// arrow-go's decimal128 goes through math/big for scaling and rounding.
// Every operation reports overflow of the signed 128-bit range; precision
// limits are checked separately with fitsPrec. Rounding is half away from
// zero, as PostgreSQL's numeric.

var pow10u64 = func() [20]uint64 {
	var p [20]uint64
	p[0] = 1
	for i := 1; i < 20; i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// pow10 returns 10^k as a decimal128 (0 ≤ k ≤ 38).
func pow10(k int32) decimal128.Num { return decimal128.GetScaleMultiplier(int(k)) }

type u128 struct{ hi, lo uint64 }

func absU(a decimal128.Num) (u128, bool) {
	neg := a.HighBits() < 0
	if neg {
		a = a.Negate()
	}
	return u128{uint64(a.HighBits()), a.LowBits()}, neg
}

// fromU returns ±u, false when it does not fit in a signed 128-bit value.
func fromU(u u128, neg bool) (decimal128.Num, bool) {
	if u.hi>>63 != 0 {
		if neg && u.hi == 1<<63 && u.lo == 0 {
			return decimal128.New(int64(u.hi), u.lo), true
		}
		return decimal128.Num{}, false
	}
	n := decimal128.New(int64(u.hi), u.lo)
	if neg {
		n = n.Negate()
	}
	return n, true
}

func add128(a, b decimal128.Num) (decimal128.Num, bool) {
	r := a.Add(b)
	ah, bh, rh := a.HighBits(), b.HighBits(), r.HighBits()
	return r, !((ah < 0) == (bh < 0) && (rh < 0) != (ah < 0))
}

func sub128(a, b decimal128.Num) (decimal128.Num, bool) {
	r := a.Sub(b)
	ah, bh, rh := a.HighBits(), b.HighBits(), r.HighBits()
	return r, !((ah < 0) != (bh < 0) && (rh < 0) != (ah < 0))
}

// mulU64 multiplies u by m.
func mulU64(u u128, m uint64) (u128, bool) {
	h1, lo := bits.Mul64(u.lo, m)
	h2, l2 := bits.Mul64(u.hi, m)
	hi, c := bits.Add64(h1, l2, 0)
	return u128{hi, lo}, h2 == 0 && c == 0
}

// scaleUp returns a·10^k.
func scaleUp(a decimal128.Num, k int32) (decimal128.Num, bool) {
	if k == 0 {
		return a, true
	}
	u, neg := absU(a)
	ok := true
	for k > 0 && ok {
		step := min(k, 19)
		u, ok = mulU64(u, pow10u64[step])
		k -= step
	}
	if !ok {
		return decimal128.Num{}, false
	}
	return fromU(u, neg)
}

// divU64 divides u by d (d > 0), returning quotient and remainder.
func divU64(u u128, d uint64) (u128, uint64) {
	qhi, r := bits.Div64(0, u.hi, d)
	qlo, r := bits.Div64(r, u.lo, d)
	return u128{qhi, qlo}, r
}

// scaleDown returns a/10^k rounded half away from zero.
func scaleDown(a decimal128.Num, k int32) decimal128.Num {
	if k <= 0 {
		return a
	}
	u, neg := absU(a)
	var up bool
	if k <= 19 {
		var r uint64
		u, r = divU64(u, pow10u64[k])
		up = r >= pow10u64[k]/2
	} else {
		u, _ = divU64(u, pow10u64[19])
		var r uint64
		rest := k - 19
		if rest > 19 {
			u, _ = divU64(u, pow10u64[19])
			rest -= 19
		}
		u, r = divU64(u, pow10u64[rest])
		up = r >= pow10u64[rest]/2
	}
	if up {
		var c uint64
		u.lo, c = bits.Add64(u.lo, 1, 0)
		u.hi += c
	}
	n, _ := fromU(u, neg)
	return n
}

// rescaleDec converts a from scale `from` to scale `to`, rounding when the
// scale shrinks.
func rescaleDec(a decimal128.Num, from, to int32) (decimal128.Num, bool) {
	if to >= from {
		return scaleUp(a, to-from)
	}
	return scaleDown(a, from-to), true
}

// fitsPrec reports whether |a| < 10^p.
func fitsPrec(a decimal128.Num, p int32) bool {
	if p >= 38 {
		// 10^38 < 2^127: still needs the check
		p = 38
	}
	u, _ := absU(a)
	m, _ := absU(pow10(p))
	return u.hi < m.hi || (u.hi == m.hi && u.lo < m.lo)
}

// fitsInt64 reports whether a is an int64 and returns it.
func fitsInt64(a decimal128.Num) (int64, bool) {
	lo := int64(a.LowBits())
	return lo, a.HighBits() == lo>>63
}

// bigOf converts a decimal128 to a big.Int (slow path only).
func bigOf(a decimal128.Num) *big.Int { return a.BigInt() }

// decFromBig converts z to a decimal128, false when it does not fit.
func decFromBig(z *big.Int) (decimal128.Num, bool) {
	if z.BitLen() > 127 {
		return decimal128.Num{}, false
	}
	return decimal128.FromBigInt(z), true
}

// bigDivRound returns num/den rounded half away from zero.
func bigDivRound(num, den *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.CmpAbs(den) >= 0 {
		if (num.Sign() < 0) != (den.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

// bigPow10 returns 10^k.
func bigPow10(k int32) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
}
