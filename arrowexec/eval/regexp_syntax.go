package eval

import (
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
