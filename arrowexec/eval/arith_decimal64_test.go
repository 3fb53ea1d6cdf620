package eval

import (
	"math"
	"math/rand"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// TestDec64MatchesWide checks the int64 fast path against the 128-bit
// path on random operands, including values near the int64 limits.
func TestDec64MatchesWide(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	vals := func() decimal128.Num {
		switch rng.Intn(4) {
		case 0:
			return decimal128.FromI64(rng.Int63n(2000) - 1000)
		case 1:
			return decimal128.FromI64(rng.Int63() - math.MaxInt64/2)
		case 2:
			return decimal128.FromI64(math.MinInt64 + rng.Int63n(3))
		}
		return decimal128.FromI64(rng.Int63n(1e15) - 5e14)
	}
	type tc struct {
		op            arithOp
		s1, s2, s, pr int32
	}
	for _, c := range []tc{{opAdd, 2, 2, 2, 16}, {opSub, 0, 2, 2, 16}, {opSub, 2, 0, 2, 38}, {opAdd, 4, 1, 4, 18},
		{opMul, 2, 2, 4, 31}, {opMul, 4, 2, 6, 38}, {opMul, 0, 0, 0, 10}} {
		d, ok := newDec64(c.op, c.s1, c.s2, c.s, c.pr)
		if !ok {
			t.Fatalf("%+v: no fast path", c)
		}
		wide := [...]decFn{decAdd, decSub, decMul}[c.op]
		for i := 0; i < 20000; i++ {
			a, b := vals(), vals()
			got, ok := d.apply(a, b)
			if !ok {
				continue
			}
			want, st := wide(a, b, c.s1, c.s2, c.s)
			if st != decOK || !fitsPrec(want, c.pr) || got != want {
				t.Fatalf("%+v: %v op %v = %v, want %v (status %d)", c, a, b, got, want, st)
			}
		}
	}
	if _, ok := newDec64(opAdd, 1, 2, 3, 18); ok {
		t.Fatal("add with result scale above both operands has no fast path")
	}
	if _, ok := newDec64(opDiv, 2, 2, 6, 18); ok {
		t.Fatal("division has no fast path")
	}
}
