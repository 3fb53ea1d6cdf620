package eval

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The escapes and bracket expressions of PostgreSQL's regular
// expressions, in RE2 syntax (see regexp_syntax.go).

// escape translates the escape at t.i outside a bracket expression.
func (t *areTranslator) escape() error {
	if t.i+1 >= len(t.p) {
		return errRegexp("invalid escape \\ sequence")
	}
	c := t.p[t.i+1]
	switch c {
	case 'd':
		t.atom(`[0-9]`)
	case 'D':
		t.atom(`[^0-9]`)
	case 's', 'w':
		t.atom("[" + classBodies[classOfEscape(c)]() + "]")
	case 'S', 'W':
		t.atom("[^" + classBodies[classOfEscape(c|0x20)]() + "]")
	case 'A':
		t.startAnchor()
	case 'Z':
		t.constraint(`\z`)
	case 'm', 'M', 'y', 'Y':
		return errRegexpUnsupported("word constraints (\\m, \\M, \\y, \\Y)")
	default:
		if '1' <= c && c <= '9' {
			return errRegexpUnsupported("back references")
		}
		r, n, err := charEscape(t.p[t.i:])
		if err != nil {
			return err
		}
		t.atom(fmt.Sprintf(`\x{%x}`, r))
		t.i += n
		return nil
	}
	t.i += 2
	return nil
}

func classOfEscape(c byte) string {
	if c == 's' {
		return "space"
	}
	return "word"
}

// charEscape reads a character-entry escape (\n, \x41, \u00e9, \cA, \0,
// \. ...) at the start of s: the character and the escape's length.
func charEscape(s string) (rune, int, error) {
	bad := errRegexp("invalid escape \\ sequence")
	c := s[1]
	switch c {
	case 'a':
		return 0x07, 2, nil
	case 'b':
		return 0x08, 2, nil
	case 'B':
		return '\\', 2, nil
	case 'e':
		return 0x1b, 2, nil
	case 'f':
		return 0x0c, 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case 't':
		return '\t', 2, nil
	case 'v':
		return 0x0b, 2, nil
	case 'c':
		if len(s) < 3 {
			return 0, 0, bad
		}
		return rune(s[2] & 0x1f), 3, nil
	case 'x', 'u', 'U':
		most := map[byte]int{'x': 8, 'u': 4, 'U': 8}[c]
		n := 2
		for n < len(s) && n-2 < most && isHexDigit(s[n]) {
			n++
		}
		if n == 2 || c != 'x' && n-2 != most {
			return 0, 0, bad
		}
		v, _ := strconv.ParseUint(s[2:n], 16, 32)
		if v > utf8.MaxRune {
			return 0, 0, bad
		}
		return rune(v), n, nil
	case '0':
		n := 2
		for n < len(s) && n < 4 && '0' <= s[n] && s[n] <= '7' {
			n++
		}
		v, _ := strconv.ParseUint("0"+s[2:n], 8, 32)
		return rune(v), n, nil
	}
	r, size := utf8.DecodeRuneInString(s[1:])
	if r < utf8.RuneSelf && (isASCIILetter(byte(r)) || '0' <= r && r <= '9') {
		return 0, 0, bad
	}
	return r, 1 + size, nil
}

func isHexDigit(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f' }

// unsupportedClasses are PostgreSQL's classes whose glibc definitions are
// not reproduced.
var unsupportedClasses = map[string]bool{"punct": true, "graph": true, "print": true, "cntrl": true}

// bracket translates the bracket expression at t.i.
func (t *areTranslator) bracket() error {
	p, i := t.p, t.i+1
	var b strings.Builder
	b.WriteByte('[')
	if i < len(p) && p[i] == '^' {
		b.WriteByte('^')
		i++
	}
	unbalanced := errRegexp("brackets [] not balanced")
	for first := true; ; first = false {
		if i >= len(p) {
			return unbalanced
		}
		c := p[i]
		switch {
		case c == ']' && !first:
			b.WriteByte(']')
			t.i = i + 1
			t.atom(b.String())
			return nil
		case c == '[' && i+1 < len(p) && strings.IndexByte(":.=", p[i+1]) >= 0:
			kind := p[i+1]
			end := strings.Index(p[i+2:], string(kind)+"]")
			if end < 0 {
				return unbalanced
			}
			if kind != ':' {
				return errRegexpUnsupported("collating elements or equivalence classes ([. .], [= =])")
			}
			name := p[i+2 : i+2+end]
			body, ok := classBodies[name]
			switch {
			case strings.HasPrefix(name, "^"):
				return errRegexp("invalid character class")
			case unsupportedClasses[name]:
				return errRegexpUnsupported("the class [:" + name + ":]")
			case !ok:
				return errRegexp("invalid character class")
			}
			b.WriteString(body())
			i += end + 4
		case c == '\\':
			if i+1 >= len(p) {
				return unbalanced
			}
			switch e := p[i+1]; e {
			case 'd':
				b.WriteString("0-9")
			case 'D':
				b.WriteString(`\D`) // RE2's: not 0-9
			case 's', 'w':
				b.WriteString(classBodies[classOfEscape(e)]())
			case 'S', 'W':
				b.WriteString(classBodies["^"+classOfEscape(e|0x20)]())
			default:
				r, n, err := charEscape(p[i:])
				if err != nil {
					return err
				}
				fmt.Fprintf(&b, `\x{%x}`, r)
				i += n
				continue
			}
			i += 2
		default:
			r, size := utf8.DecodeRuneInString(p[i:])
			if r < utf8.RuneSelf && strings.ContainsRune(`\]^[`, r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
			i += size
		}
	}
}
