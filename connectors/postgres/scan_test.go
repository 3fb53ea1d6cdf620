package postgres

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
)

// TestReadNumeric checks the decimal128 decoding of binary numerics
// against the math/big one, on values of every shape the server sends
// (random digits, exponents and signs, including overflows and values with
// too many fractional digits).
func TestReadNumeric(t *testing.T) {
	tm := pgtype.NewMap()
	rng := rand.New(rand.NewPCG(1, 2))
	types := [][2]int32{{12, 2}, {15, 2}, {38, 10}, {38, 0}, {5, 5}, {18, 4}, {38, 38}, {1, 0}}
	for i := 0; i < 200000; i++ {
		digits := 1 + rng.IntN(40)
		var s []byte
		for j := 0; j < digits; j++ {
			s = append(s, byte('0'+rng.IntN(10)))
		}
		if rng.IntN(4) == 0 { // trailing zeros, as in 1.50 or 1200
			for j := rng.IntN(12); j > 0; j-- {
				s = append(s, '0')
			}
		}
		n, _ := new(big.Int).SetString(string(s), 10)
		if rng.IntN(2) == 0 {
			n.Neg(n)
		}
		v, err := tm.Encode(oidNumeric, pgtype.BinaryFormatCode, pgtype.Numeric{Int: n, Exp: int32(rng.IntN(50) - 30), Valid: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ty := types[rng.IntN(len(types))]
		got, gerr := readNumeric(v, ty[0], ty[1])
		want, werr := readNumericBig(v, ty[0], ty[1])
		if (gerr == nil) != (werr == nil) || got != want || (gerr != nil && gerr.Error() != werr.Error()) {
			t.Fatalf("%se%d as decimal(%d,%d): %v, %v; want %v, %v", n, 0, ty[0], ty[1], got, gerr, want, werr)
		}
	}
}

func BenchmarkReadNumeric(b *testing.B) {
	v, _ := pgtype.NewMap().Encode(oidNumeric, pgtype.BinaryFormatCode, pgtype.Numeric{Int: big.NewInt(9876543), Exp: -2, Valid: true}, nil)
	b.Run("decimal128", func(b *testing.B) {
		for b.Loop() {
			_, _ = readNumeric(v, 15, 2)
		}
	})
	b.Run("big", func(b *testing.B) {
		for b.Loop() {
			_, _ = readNumericBig(v, 15, 2)
		}
	})
}
