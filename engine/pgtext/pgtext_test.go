package pgtext

import (
	"math"
	"testing"
)

// TestFloat compares with PostgreSQL 15's float4/float8 output.
func TestFloat(t *testing.T) {
	cases := []struct {
		f    float64
		bits int
		want string
	}{
		{1e15, 64, "1e+15"}, {1e14, 64, "100000000000000"}, {123456789012345.6, 64, "123456789012345.6"},
		{float64(float32(123456.789)), 32, "123456.79"}, {1e6, 32, "1e+06"}, {999999, 32, "999999"},
		{0.0001, 64, "0.0001"}, {0.00001, 64, "1e-05"}, {1.5e-5, 64, "1.5e-05"}, {100, 32, "100"},
		{math.NaN(), 64, "NaN"}, {math.Inf(-1), 64, "-Infinity"}, {math.Inf(1), 32, "Infinity"},
		{1, 64, "1"}, {math.Copysign(0, -1), 64, "-0"}, {float64(float32(3.14159)), 32, "3.14159"},
	}
	for _, tc := range cases {
		if got := Float(tc.f, tc.bits); got != tc.want {
			t.Errorf("Float(%v, %d) = %q, want %q", tc.f, tc.bits, got, tc.want)
		}
	}
}
