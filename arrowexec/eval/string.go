package eval

import (
	"bytes"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/scalar"

	"github.com/medleysql/medley/sql/sqlerr"
)

// String functions work on UTF-8 characters (code points): lengths,
// positions and substrings count characters as PostgreSQL does in a UTF8
// database. upper and lower use Unicode case mapping.

func init() {
	register(buildConcat, "concat")
	register(buildStringFn, "substring", "upper", "lower", "char_length", "octet_length", "trim", "ltrim", "rtrim",
		"strpos", "starts_with", "ends_with", "contains", "replace", "lpad", "rpad", "left", "right",
		"repeat", "reverse")
	register(buildLike, "like")
}

// kinds of argument a string function takes: s string, i integer.
var stringSigs = map[string][]string{
	"substring": {"si", "sii"}, "upper": {"s"}, "lower": {"s"}, "char_length": {"s"}, "octet_length": {"s"},
	"trim": {"s", "ss"}, "ltrim": {"s", "ss"}, "rtrim": {"s", "ss"}, "strpos": {"ss"},
	"starts_with": {"ss"}, "ends_with": {"ss"}, "contains": {"ss"}, "replace": {"sss"},
	"lpad": {"si", "sis"}, "rpad": {"si", "sis"}, "left": {"si"}, "right": {"si"}, "repeat": {"si"},
	"reverse": {"s"},
}

func matchSig(k *call) bool { return matchKinds(k, stringSigs[k.name]) }

// matchKinds reports whether k's arguments are of the kinds of one of sigs.
func matchKinds(k *call, sigs []string) bool {
	for _, sig := range sigs {
		if len(sig) != len(k.args) {
			continue
		}
		ok := true
		for i, a := range k.args {
			t := a.Type()
			switch sig[i] {
			case 's':
				ok = ok && (t.ID() == arrow.STRING || t.ID() == arrow.NULL)
			case 'i':
				ok = ok && (isInteger(t) || t.ID() == arrow.NULL)
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func buildStringFn(c *compiler, k *call) (Expr, error) {
	if !matchSig(k) {
		return nil, unsupported(k)
	}
	n, err := newRowNode(k)
	if err != nil {
		return nil, err
	}
	switch k.name {
	case "char_length", "octet_length", "strpos":
		if !isInteger(k.out) {
			return nil, unsupported(k)
		}
		n.intFn = intFns[k.name]
	case "starts_with", "ends_with", "contains":
		n.boolF = boolFns[k.name]
	default:
		if k.out.ID() != arrow.STRING {
			return nil, unsupported(k)
		}
		n.strFn = strFns[k.name]
		if k.name == "trim" || k.name == "ltrim" || k.name == "rtrim" {
			n.strFn = trimFn(k.name, len(k.args) == 1)
		}
	}
	return n, nil
}

var intFns = map[string]func(vs []view, i int) (int64, error){
	"char_length":  func(vs []view, i int) (int64, error) { return int64(utf8.RuneCount(vs[0].str(i))), nil },
	"octet_length": func(vs []view, i int) (int64, error) { return int64(len(vs[0].str(i))), nil },
	"strpos": func(vs []view, i int) (int64, error) {
		s := vs[0].str(i)
		p := bytes.Index(s, vs[1].str(i))
		if p < 0 {
			return 0, nil
		}
		return int64(utf8.RuneCount(s[:p])) + 1, nil
	},
}

var boolFns = map[string]func(vs []view, i int) bool{
	"starts_with": func(vs []view, i int) bool { return bytes.HasPrefix(vs[0].str(i), vs[1].str(i)) },
	"ends_with":   func(vs []view, i int) bool { return bytes.HasSuffix(vs[0].str(i), vs[1].str(i)) },
	"contains":    func(vs []view, i int) bool { return bytes.Contains(vs[0].str(i), vs[1].str(i)) },
}

var strFns = map[string]func(vs []view, i int, dst []byte) ([]byte, error){
	"substring": substringFn,
	"upper": func(vs []view, i int, dst []byte) ([]byte, error) {
		return append(dst, bytes.ToUpper(vs[0].str(i))...), nil
	},
	"lower": func(vs []view, i int, dst []byte) ([]byte, error) {
		return append(dst, bytes.ToLower(vs[0].str(i))...), nil
	},
	"replace": func(vs []view, i int, dst []byte) ([]byte, error) {
		s, from := vs[0].str(i), vs[1].str(i)
		if len(from) == 0 {
			return append(dst, s...), nil
		}
		return append(dst, bytes.ReplaceAll(s, from, vs[2].str(i))...), nil
	},
	"lpad": func(vs []view, i int, dst []byte) ([]byte, error) { return pad(vs, i, dst, true), nil },
	"rpad": func(vs []view, i int, dst []byte) ([]byte, error) { return pad(vs, i, dst, false), nil },
	"left": func(vs []view, i int, dst []byte) ([]byte, error) {
		s, n := vs[0].str(i), vs[1].int(i)
		if n < 0 {
			n += int64(utf8.RuneCount(s))
		}
		return append(dst, s[:runeOffset(s, n)]...), nil
	},
	"right": func(vs []view, i int, dst []byte) ([]byte, error) {
		s, n := vs[0].str(i), vs[1].int(i)
		if n == math.MinInt32 {
			// PostgreSQL negates n in 32 bits, which leaves it negative:
			// right(s, -2147483648) is all of s.
			return append(dst, s...), nil
		}
		count := int64(utf8.RuneCount(s))
		if n < 0 {
			n += count
		}
		return append(dst, s[runeOffset(s, max(0, count-n)):]...), nil
	},
	"repeat": func(vs []view, i int, dst []byte) ([]byte, error) {
		s, n := vs[0].str(i), vs[1].int(i)
		if n <= 0 {
			return dst, nil
		}
		if int64(len(s))*n > 1<<30 {
			return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "requested length too large")
		}
		return append(dst, bytes.Repeat(s, int(n))...), nil
	},
	"reverse": func(vs []view, i int, dst []byte) ([]byte, error) {
		s := vs[0].str(i)
		for len(s) > 0 {
			_, size := utf8.DecodeLastRune(s)
			dst = append(dst, s[len(s)-size:]...)
			s = s[:len(s)-size]
		}
		return dst, nil
	},
}

// runeOffset returns the byte offset of the n-th character (clamped).
func runeOffset(s []byte, n int64) int {
	if n <= 0 {
		return 0
	}
	off := 0
	for ; n > 0 && off < len(s); n-- {
		if s[off] < utf8.RuneSelf {
			off++
			continue
		}
		_, size := utf8.DecodeRune(s[off:])
		off += size
	}
	return off
}

// substringFn is PostgreSQL's substring(s FROM start [FOR count]): the
// characters from start (1-based) to start+count-1, clamped to the string.
func substringFn(vs []view, i int, dst []byte) ([]byte, error) {
	s, start := vs[0].str(i), vs[1].int(i)
	end := int64(1) << 62
	if len(vs) == 3 {
		n := vs[2].int(i)
		if n < 0 {
			return nil, sqlerr.New("22011", "negative substring length not allowed")
		}
		end = start + n
	}
	if start < 1 {
		start = 1
	}
	if end <= start {
		return dst, nil
	}
	b := runeOffset(s, start-1)
	e := b + runeOffset(s[b:], end-start)
	return append(dst, s[b:e]...), nil
}

func pad(vs []view, i int, dst []byte, left bool) []byte {
	s, n := vs[0].str(i), vs[1].int(i)
	fill := []byte(" ")
	if len(vs) == 3 {
		fill = vs[2].str(i)
	}
	if n <= 0 {
		return dst
	}
	count := int64(utf8.RuneCount(s))
	if count >= n || len(fill) == 0 {
		return append(dst, s[:runeOffset(s, n)]...)
	}
	if !left {
		dst = append(dst, s...)
	}
	for k, f := int64(0), fill; k < n-count; k++ {
		if len(f) == 0 {
			f = fill
		}
		_, size := utf8.DecodeRune(f)
		dst = append(dst, f[:size]...)
		f = f[size:]
	}
	if left {
		dst = append(dst, s...)
	}
	return dst
}

func trimFn(name string, spaces bool) func(vs []view, i int, dst []byte) ([]byte, error) {
	return func(vs []view, i int, dst []byte) ([]byte, error) {
		s, set := vs[0].str(i), " "
		if !spaces {
			set = string(vs[1].str(i))
		}
		switch name {
		case "ltrim":
			s = bytes.TrimLeft(s, set)
		case "rtrim":
			s = bytes.TrimRight(s, set)
		default:
			s = bytes.Trim(s, set)
		}
		return append(dst, s...), nil
	}
}

// buildConcat is || and concat(): NULL when any argument is NULL (unless
// the IGNORE_NULLS option says otherwise); non-text arguments are cast to
// text first.
func buildConcat(c *compiler, k *call) (Expr, error) {
	if k.out.ID() != arrow.STRING {
		return nil, unsupported(k)
	}
	args := append([]Expr(nil), k.args...)
	for i, a := range args {
		if a.Type().ID() != arrow.STRING {
			x, err := newCast(a, arrow.BinaryTypes.String)
			if err != nil {
				return nil, err
			}
			args[i] = fold(x, a)
		}
	}
	n := &rowNode{name: k.name, args: args, out: k.out}
	n.strFn = func(vs []view, i int, dst []byte) ([]byte, error) {
		for j := range vs {
			dst = append(dst, vs[j].str(i)...)
		}
		return dst, nil
	}
	if strings.EqualFold(k.option("null_handling"), "IGNORE_NULLS") {
		empty := &constNode{dt: arrow.BinaryTypes.String, sc: scalar.NewStringScalar("")}
		for i, a := range args {
			args[i] = &coalesceNode{args: []Expr{a, empty}, out: arrow.BinaryTypes.String}
		}
	}
	return n, nil
}
