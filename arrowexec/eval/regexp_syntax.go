package eval

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/medleysql/medley/sql/sqlerr"
)

// PostgreSQL's advanced regular expressions (AREs) translated to Go's RE2
// syntax, for the subset whose matches RE2 reproduces: literals, ., [...]
// with ranges and the classes of ctype.go, ( ), (?: ), |, the greedy
// quantifiers * + ? {m} {m,} {m,n} (m, n ≤ 255), the anchors ^ $ \A \Z,
// the class escapes \d \s \w \D \S \W and the character-entry escapes
// (\n, \t, \x41, \u00e9, \b is a backspace, \B a backslash ...). The
// translation makes RE2 mean what PostgreSQL means: . matches a newline,
// \w and [[:alpha:]] are Unicode's (C.UTF-8), \d is 0-9, an invalid bound
// ({ not followed by digits) is a literal {. Matching is leftmost-longest
// (regexp.Longest), which is PostgreSQL's for a greedy pattern.
//
// Rejected with 0A000, because RE2 has no equivalent or the match would
// differ: non-greedy quantifiers (PostgreSQL makes a whole pattern
// non-greedy by its first quantifier), back references \1, lookahead and
// lookbehind (?= (?! (?<= (?<!, the word constraints \m \M \y \Y,
// collating elements [.x.] and equivalence classes [=x=], the classes
// punct, graph, print and cntrl, and the options of other syntaxes
// (basic/extended), newline-sensitive matching and expanded syntax.
// PostgreSQL's syntax errors are 2201B.

// errRegexp is PostgreSQL's error for an invalid pattern.
func errRegexp(msg string) error {
	return sqlerr.New("2201B", "invalid regular expression: %s", msg)
}

func errRegexpUnsupported(what string) error {
	return sqlerr.New(sqlerr.FeatureNotSupported, "regular expressions with %s are not supported", what)
}

// reOptions are PostgreSQL's regular-expression flags that matter here.
type reOptions struct {
	global, icase, quote bool
}

// option applies one flag letter of regexp_replace's flags (global says
// whether g is allowed) or of an embedded (?...) option.
func (o *reOptions) option(r rune, global bool) error {
	switch r {
	case 'g':
		if !global {
			return errRegexp("invalid embedded option")
		}
		o.global = true
	case 'i':
		o.icase = true
	case 'c':
		o.icase = false
	case 'q':
		o.quote = true
	case 's', 't': // the defaults: not newline-sensitive, tight syntax
	case 'b', 'e':
		return errRegexpUnsupported("the basic or extended syntax (flags b, e)")
	case 'm', 'n', 'p', 'w':
		return errRegexpUnsupported("newline-sensitive matching (flags m, n, p, w)")
	case 'x':
		return errRegexpUnsupported("the expanded syntax (flag x)")
	default:
		if !global {
			return errRegexp("invalid embedded option")
		}
		return sqlerr.New(sqlerr.InvalidParameterValue, "invalid regular expression option: \"%c\"", r)
	}
	return nil
}

// parseFlags reads regexp_replace's flags.
func parseFlags(flags string) (reOptions, error) {
	var o reOptions
	for _, r := range flags {
		if err := o.option(r, true); err != nil {
			return o, err
		}
	}
	return o, nil
}

// translated is a pattern in RE2 syntax, twice: as it matches from the
// start of the string, and as it matches from a later position, where ^
// and \A cannot match (the searches after the first match of the flag g
// run on the rest of the string).
type translated struct{ first, later string }

// translateARE translates pattern under the options o (the embedded ones
// are applied to o) into RE2.
func translateARE(pattern string, o *reOptions) (translated, error) {
	switch {
	case o.quote:
		q := regexp.QuoteMeta(pattern)
		return o.prefixed(q, q), nil
	case strings.HasPrefix(pattern, "***="):
		q := regexp.QuoteMeta(pattern[4:])
		return o.prefixed(q, q), nil
	case strings.HasPrefix(pattern, "***:"):
		pattern = pattern[4:]
	}
	if strings.HasPrefix(pattern, "(?") && len(pattern) > 2 && isASCIILetter(pattern[2]) {
		end := strings.IndexByte(pattern, ')')
		if end < 0 {
			return translated{}, errRegexp("invalid embedded option")
		}
		for _, r := range pattern[2:end] {
			if err := o.option(r, false); err != nil {
				return translated{}, err
			}
		}
		pattern = pattern[end+1:]
		if o.quote {
			q := regexp.QuoteMeta(pattern)
			return o.prefixed(q, q), nil
		}
	}
	t := &areTranslator{p: pattern}
	if err := t.run(); err != nil {
		return translated{}, err
	}
	return o.prefixed(t.first.String(), t.later.String()), nil
}

func (o *reOptions) prefixed(first, later string) translated {
	flags := "(?s)"
	if o.icase {
		flags = "(?si)"
	}
	return translated{first: flags + first, later: flags + later}
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// neverRE matches nothing: ^ and \A after the start of the string.
const neverRE = `[^\x00-\x{10ffff}]`

// areTranslator writes the two RE2 forms of an ARE.
type areTranslator struct {
	p            string
	i            int
	first, later strings.Builder
	operand      bool // a quantifier may follow
	quantified   bool // the last item was a quantifier
}

func (t *areTranslator) emit(s string) {
	t.first.WriteString(s)
	t.later.WriteString(s)
}

// atom emits an operand.
func (t *areTranslator) atom(s string) {
	t.emit(s)
	t.operand, t.quantified = true, false
}

// constraint emits something a quantifier may not follow (an anchor, a
// group's opening, |).
func (t *areTranslator) constraint(s string) {
	t.emit(s)
	t.operand, t.quantified = false, false
}

func (t *areTranslator) startAnchor() {
	t.first.WriteString(`\A`)
	t.later.WriteString(neverRE)
	t.operand, t.quantified = false, false
}

func (t *areTranslator) run() error {
	depth := 0
	for t.i < len(t.p) {
		c := t.p[t.i]
		switch c {
		case '\\':
			if err := t.escape(); err != nil {
				return err
			}
			continue
		case '[':
			if err := t.bracket(); err != nil {
				return err
			}
			continue
		case '(':
			depth++
			if strings.HasPrefix(t.p[t.i:], "(?:") {
				t.constraint("(?:")
				t.i += 3
				continue
			}
			if strings.HasPrefix(t.p[t.i:], "(?") {
				if rest := t.p[t.i+2:]; strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, "!") ||
					strings.HasPrefix(rest, "<=") || strings.HasPrefix(rest, "<!") {
					return errRegexpUnsupported("lookahead or lookbehind constraints")
				}
				return errRegexp("quantifier operand invalid")
			}
			t.constraint("(")
		case ')':
			if depth == 0 {
				return errRegexp("parentheses () not balanced")
			}
			depth--
			t.atom(")")
		case '|':
			t.constraint("|")
		case '^':
			t.startAnchor()
		case '$':
			t.constraint("$")
		case '.':
			t.atom(".")
		case '*', '+', '?':
			if err := t.quantifier(string(c), 1); err != nil {
				return err
			}
			continue
		case '{':
			bound, n, err := parseBound(t.p[t.i:])
			if err != nil {
				return err
			}
			if n == 0 { // not a bound: a literal {
				t.atom(`\{`)
				break
			}
			if err := t.quantifier(bound, n); err != nil {
				return err
			}
			continue
		default:
			r, size := utf8.DecodeRuneInString(t.p[t.i:])
			t.atom(regexp.QuoteMeta(string(r)))
			t.i += size
			continue
		}
		t.i++
	}
	if depth != 0 {
		return errRegexp("parentheses () not balanced")
	}
	return nil
}

// quantifier emits the quantifier q, n bytes of the pattern.
func (t *areTranslator) quantifier(q string, n int) error {
	if !t.operand || t.quantified {
		return errRegexp("quantifier operand invalid")
	}
	t.i += n
	if t.i < len(t.p) && t.p[t.i] == '?' {
		return errRegexpUnsupported("non-greedy quantifiers")
	}
	t.emit(q)
	t.quantified = true
	return nil
}

// parseBound reads {m}, {m,} or {m,n} at the start of s and returns it
// and its length; n = 0 when s does not start a bound ({ not followed by a
// digit is a literal).
func parseBound(s string) (string, int, error) {
	if len(s) < 2 || s[1] < '0' || s[1] > '9' {
		return "", 0, nil
	}
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return "", 0, errRegexp("braces {} not balanced")
	}
	lo, hi, comma := strings.Cut(s[1:end], ",")
	m, err := strconv.Atoi(lo)
	if err != nil {
		return "", 0, errRegexp("invalid repetition count(s)")
	}
	x := m
	if comma && hi != "" {
		if x, err = strconv.Atoi(hi); err != nil {
			return "", 0, errRegexp("invalid repetition count(s)")
		}
	}
	if m > 255 || x > 255 || x < m {
		return "", 0, errRegexp("invalid repetition count(s)")
	}
	return s[:end+1], end + 1, nil
}

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
