// Package dectext reads decimal numbers written as text (the MySQL and
// SQLite wrappers' drivers return them so) exactly into decimal128.
package dectext

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// ErrRange is returned for a value that does not fit the precision.
var ErrRange = fmt.Errorf("decimal out of range")

// Parse parses a decimal number exactly (sign, digits, an optional
// fraction and exponent) into a decimal128 of precision p and scale s,
// rounding digits beyond the scale half away from zero.
func Parse(text string, p, s int32) (decimal128.Num, error) {
	neg := false
	if text != "" && (text[0] == '-' || text[0] == '+') {
		neg = text[0] == '-'
		text = text[1:]
	}
	mant, exp := text, 0
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		e, err := strconv.Atoi(text[i+1:])
		if err != nil || e > 1000 || e < -1000 {
			return decimal128.Num{}, fmt.Errorf("bad exponent")
		}
		mant, exp = text[:i], e
	}
	ip, fp, _ := strings.Cut(mant, ".")
	digits := ip + fp
	if digits == "" || strings.Trim(digits, "0123456789") != "" || strings.Contains(fp, ".") {
		return decimal128.Num{}, fmt.Errorf("not a number")
	}
	// cut is where the scaled integer's digits end within digits.
	cut := len(ip) + exp + int(s)
	var whole string
	round := false
	switch {
	case cut <= 0:
		whole, round = "", cut == 0 && digits[0] >= '5'
	case cut >= len(digits):
		whole = digits + strings.Repeat("0", cut-len(digits))
	default:
		whole, round = digits[:cut], digits[cut] >= '5'
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > int(p) {
		return decimal128.Num{}, ErrRange
	}
	var n decimal128.Num
	ten := decimal128.FromI64(10)
	for i := 0; i < len(whole); i++ {
		n = n.Mul(ten).Add(decimal128.FromI64(int64(whole[i] - '0')))
	}
	if round {
		n = n.Add(decimal128.FromI64(1))
		if !n.FitsInPrecision(p) {
			return decimal128.Num{}, ErrRange
		}
	}
	if neg {
		n = n.Negate()
	}
	return n, nil
}
