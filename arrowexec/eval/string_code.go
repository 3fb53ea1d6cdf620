package eval

import (
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/sqlerr"
)

// ascii, chr and to_hex: between text and the numbers of code points and
// of their digits, as PostgreSQL in a UTF8 database.

func init() {
	register(buildCodeFn, "ascii", "chr", "to_hex")
}

var codeSigs = map[string][]string{"ascii": {"s"}, "chr": {"i"}, "to_hex": {"i"}}

func buildCodeFn(c *compiler, k *call) (Expr, error) {
	if !matchKinds(k, codeSigs[k.name]) {
		return nil, unsupported(k)
	}
	in := k.args[0].Type()
	n, err := newRowNode(k)
	if err != nil {
		return nil, err
	}
	switch {
	case k.name == "ascii" && isInteger(k.out):
		n.intFn = asciiFn
	case k.name == "chr" && k.out.ID() == arrow.STRING:
		n.strFn = chrFn
	case k.name == "to_hex" && k.out.ID() == arrow.STRING:
		bits := 32 // a NULL's: every row is NULL
		if w, ok := in.(arrow.FixedWidthDataType); ok && in.ID() != arrow.NULL {
			bits = w.BitWidth()
		}
		n.strFn = toHexFn(bits)
	default:
		return nil, unsupported(k)
	}
	return n, nil
}

// asciiFn is the code point of the first character, 0 for ”.
func asciiFn(vs []view, i int) (int64, error) {
	s := vs[0].str(i)
	if len(s) == 0 {
		return 0, nil
	}
	r, _ := utf8.DecodeRune(s)
	return int64(r), nil
}

// chrFn is the character of a code point, with PostgreSQL's errors.
func chrFn(vs []view, i int, dst []byte) ([]byte, error) {
	n := vs[0].int(i)
	switch {
	case n < 0:
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "character number must be positive")
	case n == 0:
		return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "null character not permitted")
	case n > utf8.MaxRune:
		return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "requested character too large for encoding: %d", n)
	case !utf8.ValidRune(rune(n)):
		return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "requested character not valid for encoding: %d", n)
	}
	return utf8.AppendRune(dst, rune(n)), nil
}

// toHexFn writes n in hexadecimal, a negative n as its two's complement
// in bits bits (the argument's type: to_hex(-1) is ffffffff for integer).
func toHexFn(bits int) func(vs []view, i int, dst []byte) ([]byte, error) {
	mask := ^uint64(0)
	if bits < 64 {
		mask = 1<<bits - 1
	}
	return func(vs []view, i int, dst []byte) ([]byte, error) {
		return strconv.AppendUint(dst, uint64(vs[0].int(i))&mask, 16), nil
	}
}
