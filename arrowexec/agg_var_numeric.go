package arrowexec

import (
	"math"
	"math/big"
	"math/bits"
	"sync"
)

// Exact sums for var_samp, var_pop, stddev_samp and stddev_pop over
// integers and decimals, and PostgreSQL's numeric result from them.

// i192 is a signed 192-bit integer (two's complement, little-endian
// limbs): the sum of up to 2^63 values below 2^127 in magnitude.
type i192 [3]uint64

// add adds the signed 128-bit hi:lo.
func (a *i192) add(hi int64, lo uint64) {
	var c uint64
	a[0], c = bits.Add64(a[0], lo, 0)
	a[1], c = bits.Add64(a[1], uint64(hi), c)
	a[2], _ = bits.Add64(a[2], uint64(hi>>63), c)
}

func (a *i192) big(z *big.Int) *big.Int {
	neg := a[2]>>63 != 0
	v := *a
	if neg { // two's complement negation
		var c uint64
		v[0], c = bits.Add64(^v[0], 1, 0)
		v[1], c = bits.Add64(^v[1], 0, c)
		v[2], _ = bits.Add64(^v[2], 0, c)
	}
	limbsToBig(z, v[:])
	if neg {
		z.Neg(z)
	}
	return z
}

// u320 is an unsigned 320-bit integer: the sum of up to 2^63 squares of
// values below 2^127.
type u320 [5]uint64

// addSquare adds (hi:lo)², hi:lo an unsigned 128-bit magnitude.
func (a *u320) addSquare(hi, lo uint64) {
	h, l := bits.Mul64(lo, lo)
	var c uint64
	a[0], c = bits.Add64(a[0], l, 0)
	a[1], c = bits.Add64(a[1], h, c)
	if c != 0 {
		a.carry(2)
	}
	if hi == 0 {
		return
	}
	h, l = bits.Mul64(hi, lo) // twice this, at limb 1
	top := h >> 63
	h, l = h<<1|l>>63, l<<1
	a[1], c = bits.Add64(a[1], l, 0)
	a[2], c = bits.Add64(a[2], h, c)
	a[3], c = bits.Add64(a[3], top, c)
	a[4] += c
	h, l = bits.Mul64(hi, hi) // at limb 2
	a[2], c = bits.Add64(a[2], l, 0)
	a[3], c = bits.Add64(a[3], h, c)
	a[4] += c
}

// add192 adds the unsigned 192-bit q2:q1:q0.
func (a *u320) add192(q2, q1, q0 uint64) {
	var c uint64
	a[0], c = bits.Add64(a[0], q0, 0)
	a[1], c = bits.Add64(a[1], q1, c)
	a[2], c = bits.Add64(a[2], q2, c)
	a[3], c = bits.Add64(a[3], 0, c)
	a[4] += c
}

// carry adds 1 at limb i.
func (a *u320) carry(i int) {
	for ; i < len(a); i++ {
		a[i]++
		if a[i] != 0 {
			return
		}
	}
}

func (a *u320) big(z *big.Int) *big.Int { return limbsToBig(z, a[:]) }

func limbsToBig(z *big.Int, limbs []uint64) *big.Int {
	words := z.Bits()[:0] // z's own storage, reused
	for _, l := range limbs {
		if bits.UintSize == 64 {
			words = append(words, big.Word(l))
		} else {
			words = append(words, big.Word(l), big.Word(l>>32))
		}
	}
	return z.SetBits(words)
}

// abs128 is the magnitude of the signed 128-bit hi:lo.
func abs128(hi int64, lo uint64) (uint64, uint64) {
	if hi >= 0 {
		return uint64(hi), lo
	}
	l, c := bits.Add64(^lo, 1, 0)
	h, _ := bits.Add64(^uint64(hi), 0, c)
	return h, l
}

// Constants of PostgreSQL's numeric.c.
const (
	numericMinSigDigits = 16
	numericMaxDisplay   = 1000
	decDigits           = 4 // decimal digits per base-10000 digit
)

// pow10Table holds the powers of ten that usual scales need; bigPow10
// computes larger ones. Callers must not modify the results.
var pow10Table = sync.OnceValue(func() []*big.Int {
	t := make([]*big.Int, 160)
	t[0] = big.NewInt(1)
	ten := big.NewInt(10)
	for i := 1; i < len(t); i++ {
		t[i] = new(big.Int).Mul(t[i-1], ten)
	}
	return t
})

func bigPow10(n int32) *big.Int {
	if t := pow10Table(); int(n) < len(t) {
		return t[n]
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// numDigits is the number of decimal digits of v > 0.
func numDigits(v *big.Int) int32 {
	d := int32(float64(v.BitLen()) * 0.30102999566398120) // log10(2)
	for d > 0 && v.Cmp(bigPow10(d-1)) < 0 {
		d--
	}
	for v.Cmp(bigPow10(d)) >= 0 {
		d++
	}
	return d
}

// nbaseWeight is the weight of v/10^scale (v > 0) in PostgreSQL's base
// 10000 (the power of 10000 of its first digit) and that first digit.
func (z *pgNumeric) nbaseWeight(v *big.Int, scale int32) (int32, int64) {
	e := numDigits(v) - 1 - scale // floor(log10(value))
	w := e / decDigits
	if e < 0 && e%decDigits != 0 {
		w--
	}
	first := &z.w
	if x := scale + decDigits*w; x >= 0 {
		first.Quo(v, bigPow10(x))
	} else {
		first.Mul(v, bigPow10(-x))
	}
	return w, first.Int64()
}

// selectDivScale is PostgreSQL's select_div_scale for num/10^numScale
// divided by the integer den (both > 0): at least 16 significant digits,
// at least the operands' display scales.
func (z *pgNumeric) selectDivScale(num *big.Int, numScale int32, den *big.Int) int32 {
	w1, f1 := z.nbaseWeight(num, numScale)
	w2, f2 := z.nbaseWeight(den, 0)
	q := w1 - w2
	if f1 <= f2 {
		q--
	}
	rs := numericMinSigDigits - q*decDigits
	rs = max(rs, numScale, 0)
	return min(rs, numericMaxDisplay)
}

// pgNumeric holds the big integers of pgVariance, reused from group to
// group.
type pgNumeric struct {
	n, num, den, q, r, t, rem, w big.Int
}

var bigOne = big.NewInt(1)

// pgVariance is PostgreSQL's numeric_stddev_internal for n > 0 values
// (n > 1 for the sample statistics) whose unscaled sum and sum of squares
// are sum (at scale s) and sq (at scale 2s): the variance
// (n*sq - sum²) / (n*(n-1)) (or / n² for the population), rounded half up
// at select_div_scale's scale, and for the deviation the square root of
// that, rounded at the same scale. It returns the unscaled result (valid
// until the next call) and its scale; a numerator that is not positive is
// 0 at scale 0.
func (z *pgNumeric) pgVariance(n int64, sum, sq *big.Int, s int32, pop, sqrt bool) (*big.Int, int32) {
	z.n.SetInt64(n)
	z.num.Mul(&z.n, sq)
	z.num.Sub(&z.num, z.t.Mul(sum, sum))
	if z.num.Sign() <= 0 {
		return z.q.SetInt64(0), 0
	}
	if pop {
		z.den.Mul(&z.n, &z.n)
	} else {
		z.den.Mul(&z.n, z.t.SetInt64(n-1))
	}
	rs := z.selectDivScale(&z.num, 2*s, &z.den)
	z.num.Mul(&z.num, bigPow10(rs-2*s))
	q := z.divRoundHalfUp(&z.q, &z.num, &z.den)
	if !sqrt {
		return q, rs
	}
	x := z.num.Mul(q, bigPow10(rs)) // sqrt(q/10^rs)*10^rs = sqrt(q*10^rs)
	r := z.isqrt(x)
	// round half up: up when (r+1/2)² <= x, that is (2r+1)² <= 4x
	t := z.t.Lsh(r, 1)
	t.Add(t, bigOne)
	t.Mul(t, t)
	if t.Cmp(x.Lsh(x, 2)) <= 0 {
		r.Add(r, bigOne)
	}
	return r, rs
}

// isqrt sets z.r to floor(sqrt(x)), x >= 0, as big.Int.Sqrt does (Newton's
// iteration from above) but from a double's estimate and without
// allocating once z's integers have grown.
func (z *pgNumeric) isqrt(x *big.Int) *big.Int {
	r, t := &z.r, &z.t
	if x.Sign() == 0 {
		return r.SetInt64(0)
	}
	shift := uint(max(0, x.BitLen()-104)) &^ 1
	t.Rsh(x, shift) // at most 105 bits
	lost := uint(max(0, t.BitLen()-64))
	f := math.Ldexp(float64(t.Rsh(t, lost).Uint64()), int(lost))
	g := uint64(math.Sqrt(f)) + 2 // above the root of x>>shift
	r.SetUint64(g).Lsh(r, shift/2)
	for {
		t.Quo(x, r) // t = (r + x/r) / 2
		t.Add(t, r).Rsh(t, 1)
		if t.Cmp(r) >= 0 {
			return r
		}
		r.Set(t)
	}
}

// pgVariance is pgNumeric.pgVariance with fresh integers.
func pgVariance(n int64, sum, sq *big.Int, s int32, pop, sqrt bool) (*big.Int, int32) {
	return new(pgNumeric).pgVariance(n, sum, sq, s, pop, sqrt)
}

// divRoundHalfUp sets q to num/den rounded half up (num >= 0, den > 0).
// q must not be num or den.
func (z *pgNumeric) divRoundHalfUp(q, num, den *big.Int) *big.Int {
	r := &z.rem
	q.QuoRem(num, den, r)
	if r.Lsh(r, 1).Cmp(den) >= 0 {
		q.Add(q, bigOne)
	}
	return q
}

// rescaleHalfUp returns v >= 0 at scale from at scale to, rounding half
// up (away from zero); v may be modified.
func (z *pgNumeric) rescaleHalfUp(v *big.Int, from, to int32) *big.Int {
	switch {
	case to > from:
		return v.Mul(v, bigPow10(to-from))
	case to < from:
		return z.divRoundHalfUp(&z.t, v, bigPow10(from-to))
	}
	return v
}
