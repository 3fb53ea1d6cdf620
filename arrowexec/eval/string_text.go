package eval

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/sqlerr"
)

// PostgreSQL's text functions that return text: initcap, split_part,
// translate and md5. Characters are UTF-8 code points; initcap's words and
// case mapping are those of the C.UTF-8 ctype (ctype.go).

func init() {
	register(buildTextFn, "initcap", "split_part", "translate", "md5")
}

var textSigs = map[string][]string{
	"initcap": {"s"}, "split_part": {"ssi"}, "translate": {"sss"}, "md5": {"s"},
}

func buildTextFn(c *compiler, k *call) (Expr, error) {
	if !matchKinds(k, textSigs[k.name]) || k.out.ID() != arrow.STRING {
		return nil, unsupported(k)
	}
	n, err := newRowNode(k)
	if err != nil {
		return nil, err
	}
	switch k.name {
	case "initcap":
		n.strFn = initcapFn
	case "split_part":
		n.strFn = splitPartFn
	case "translate":
		n.strFn = translateFn(n.args)
	case "md5":
		n.strFn = md5Fn
	}
	return n, nil
}

// initcapFn upper-cases the first character of each word and lower-cases
// the others; a word is a run of alphanumeric characters (PostgreSQL's
// str_initcap: "o'neil 3am" is "O'Neil 3am").
func initcapFn(vs []view, i int, dst []byte) ([]byte, error) {
	s := vs[0].str(i)
	inWord := false
	for len(s) > 0 {
		if c := s[0]; c < utf8.RuneSelf {
			lc := c | 0x20
			letter := 'a' <= lc && lc <= 'z'
			switch {
			case letter && inWord:
				c = lc
			case letter:
				c = lc - 0x20
			}
			dst = append(dst, c)
			inWord = letter || '0' <= c && c <= '9'
			s = s[1:]
			continue
		}
		r, size := utf8.DecodeRune(s)
		if inWord {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		} else {
			dst = utf8.AppendRune(dst, unicode.ToUpper(r))
		}
		inWord = isAlnumPG(r)
		s = s[size:]
	}
	return dst, nil
}

// splitPartFn is split_part(s, delim, n): fields separated by the
// non-overlapping occurrences of delim, found left to right; n < 0 counts
// from the end. An empty delim makes s the only field.
func splitPartFn(vs []view, i int, dst []byte) ([]byte, error) {
	s, delim, n := vs[0].str(i), vs[1].str(i), vs[2].int(i)
	if n == 0 {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "field position must not be zero")
	}
	if len(s) == 0 {
		return dst, nil
	}
	if len(delim) == 0 {
		if n == 1 || n == -1 {
			return append(dst, s...), nil
		}
		return dst, nil
	}
	if n < 0 {
		n += int64(bytes.Count(s, delim)) + 2 // the fields are Count+1
		if n <= 0 {
			return dst, nil
		}
	}
	for ; n > 1; n-- {
		p := bytes.Index(s, delim)
		if p < 0 {
			return dst, nil
		}
		s = s[p+len(delim):]
	}
	if p := bytes.Index(s, delim); p >= 0 {
		s = s[:p]
	}
	return append(dst, s...), nil
}

// translateFn is translate(s, from, to). With constant from and to the
// mapping is built once.
func translateFn(args []Expr) func(vs []view, i int, dst []byte) ([]byte, error) {
	from, to := asConst(args[1]), asConst(args[2])
	if from != nil && to != nil && !from.null() && !to.null() {
		m := translation([]byte(constString(from)), []byte(constString(to)))
		return func(vs []view, i int, dst []byte) ([]byte, error) {
			return translateWith(m, vs[0].str(i), dst), nil
		}
	}
	return func(vs []view, i int, dst []byte) ([]byte, error) {
		return translateWith(translation(vs[1].str(i), vs[2].str(i)), vs[0].str(i), dst), nil
	}
}

// translation maps each character of from (its first occurrence) to the
// character at the same position in to, or to -1 (removed).
func translation(from, to []byte) map[rune]rune {
	m := make(map[rune]rune, utf8.RuneCount(from))
	for len(from) > 0 {
		r, size := utf8.DecodeRune(from)
		from = from[size:]
		repl := rune(-1)
		if len(to) > 0 {
			var tsize int
			repl, tsize = utf8.DecodeRune(to)
			to = to[tsize:]
		}
		if _, seen := m[r]; !seen {
			m[r] = repl
		}
	}
	return m
}

func translateWith(m map[rune]rune, s, dst []byte) []byte {
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		repl, ok := m[r]
		switch {
		case !ok:
			dst = append(dst, s[:size]...)
		case repl >= 0:
			dst = utf8.AppendRune(dst, repl)
		}
		s = s[size:]
	}
	return dst
}

func md5Fn(vs []view, i int, dst []byte) ([]byte, error) {
	sum := md5.Sum(vs[0].str(i))
	return hex.AppendEncode(dst, sum[:]), nil
}
