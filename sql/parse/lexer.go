package parse

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/medleysql/medley/sql/sqlerr"
)

// tokKind is the kind of a lexical token of PostgreSQL's SQL.
type tokKind int

const (
	tEOF    tokKind = iota
	tWord           // unquoted identifier or keyword; text is lower-cased
	tQIdent         // "quoted" or `backticked` identifier; text is the name
	tString         // '...', E'...', $tag$...$tag$; text is the value
	tNumber         // 1, 1.5, .5, 1e10
	tParam          // $n; text is n
	tOp             // punctuation and operators
)

// token is one lexical token; pos and end are byte offsets in the lexed text.
type token struct {
	kind     tokKind
	text     string
	pos, end int
	space    bool // preceded by whitespace or a comment
}

// is reports whether t is the unquoted word w (lower case).
func (t token) is(w string) bool { return t.kind == tWord && t.text == w }

// isOp reports whether t is the operator or punctuation op.
func (t token) isOp(op string) bool { return t.kind == tOp && t.text == op }

// lexer splits text into tokens.
type lexer struct {
	src  string
	base int // offset of src in the text given to Parse, for errors
	i    int
	toks []token
}

// lex returns the tokens of src, ending with a tEOF token. base is added to
// positions in errors.
func lex(src string, base int) ([]token, error) {
	l := &lexer{src: src, base: base}
	for {
		space, err := l.skipSpace()
		if err != nil {
			return nil, err
		}
		if l.i >= len(src) {
			l.toks = append(l.toks, token{kind: tEOF, pos: len(src), end: len(src), space: space})
			return l.toks, nil
		}
		start := l.i
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		t.pos, t.end, t.space = start, l.i, space
		l.toks = append(l.toks, t)
	}
}

func (l *lexer) errAt(pos int, format string, args ...any) error {
	return sqlerr.At(sqlerr.SyntaxError, l.base+pos+1, format, args...)
}

// skipSpace skips whitespace and comments (nested /* */ as PostgreSQL).
func (l *lexer) skipSpace() (bool, error) {
	space := false
	for l.i < len(l.src) {
		c := l.src[l.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.i++
		case strings.HasPrefix(l.src[l.i:], "--"):
			j := strings.IndexByte(l.src[l.i:], '\n')
			if j < 0 {
				l.i = len(l.src)
			} else {
				l.i += j + 1
			}
		case strings.HasPrefix(l.src[l.i:], "/*"):
			end := skipBlockComment(l.src, l.i)
			if end < 0 {
				return false, l.errAt(l.i, "unterminated /* comment at or near %q", clip(l.src[l.i:]))
			}
			l.i = end
		default:
			return space, nil
		}
		space = true
	}
	return space, nil
}

// skipBlockComment returns the offset after the comment starting at i, or
// -1 if it is not terminated.
func skipBlockComment(s string, i int) int {
	depth := 0
	for j := i; j+1 < len(s); {
		switch {
		case s[j] == '/' && s[j+1] == '*':
			depth++
			j += 2
		case s[j] == '*' && s[j+1] == '/':
			depth--
			j += 2
			if depth == 0 {
				return j
			}
		default:
			j++
		}
	}
	return -1
}

// clip shortens text quoted in error messages.
func clip(s string) string {
	if len(s) > 40 {
		s = s[:40]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentByte(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' || c == '$' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// multiOps are the operators of more than one character, longest first.
var multiOps = []string{"!~*", "->>", "<=>", "::", "<=", ">=", "<>", "!=", "||", "!~", "~*", "->", ":=", "=>"}

func (l *lexer) next() (token, error) {
	s, i := l.src, l.i
	c := s[i]
	switch {
	case (c == 'e' || c == 'E') && i+1 < len(s) && s[i+1] == '\'':
		l.i++
		v, err := l.quoted('\'', true)
		return token{kind: tString, text: v}, err
	case isIdentStart(c):
		j := i + 1
		for j < len(s) && isIdentByte(s[j]) {
			j++
		}
		l.i = j
		return token{kind: tWord, text: strings.ToLower(s[i:j])}, nil
	case c == '\'':
		v, err := l.quoted('\'', false)
		return token{kind: tString, text: v}, err
	case c == '"' || c == '`':
		v, err := l.quoted(c, false)
		if err == nil && v == "" {
			err = l.errAt(i, "zero-length delimited identifier at or near %q", s[i:l.i])
		}
		return token{kind: tQIdent, text: v}, err
	case c == '$':
		return l.dollar()
	case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
		return l.number(), nil
	}
	for _, op := range multiOps {
		if strings.HasPrefix(s[i:], op) {
			l.i += len(op)
			return token{kind: tOp, text: op}, nil
		}
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	l.i += n
	return token{kind: tOp, text: s[i : i+n]}, nil
}

func (l *lexer) number() token {
	s, j := l.src, l.i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j < len(s) && s[j] == '.' && !strings.HasPrefix(s[j:], "..") {
		j++
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			j = k
		}
	}
	t := token{kind: tNumber, text: s[l.i:j]}
	l.i = j
	return t
}

// quoted reads a string or identifier delimited by q starting at l.i; a
// doubled q stands for one. escapes enables E'...' backslash escapes.
func (l *lexer) quoted(q byte, escapes bool) (string, error) {
	s, start := l.src, l.i
	var b strings.Builder
	for j := start + 1; j < len(s); {
		c := s[j]
		switch {
		case c == q && j+1 < len(s) && s[j+1] == q:
			b.WriteByte(q)
			j += 2
		case c == q:
			l.i = j + 1
			return b.String(), nil
		case c == '\\' && escapes && j+1 < len(s):
			n, err := l.escape(&b, j)
			if err != nil {
				return "", err
			}
			j += n
		default:
			b.WriteByte(c)
			j++
		}
	}
	what := "quoted string"
	if q != '\'' {
		what = "quoted identifier"
	}
	return "", l.errAt(start, "unterminated %s at or near %q", what, clip(s[start:]))
}

// escape decodes the backslash escape at s[j] into b and returns its length.
func (l *lexer) escape(b *strings.Builder, j int) (int, error) {
	s := l.src
	c := s[j+1]
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'x', 'u', 'U', '0', '1', '2', '3', '4', '5', '6', '7':
		base, max, k := 16, 2, j+2
		switch c {
		case 'u':
			max = 4
		case 'U':
			max = 8
		case 'x':
		default:
			base, max, k = 8, 3, j+1
		}
		e := k
		for e < len(s) && e-k < max && strconv.IsPrint(rune(s[e])) && isBaseDigit(s[e], base) {
			e++
		}
		if e == k || (c == 'u' || c == 'U') && e-k != max {
			return 0, l.errAt(j, "invalid Unicode escape at or near %q", s[j:min(e+1, len(s))])
		}
		v, _ := strconv.ParseUint(s[k:e], base, 32)
		if c == 'u' || c == 'U' {
			b.WriteRune(rune(v))
		} else {
			b.WriteByte(byte(v))
		}
		return e - j, nil
	default:
		b.WriteByte(c)
	}
	return 2, nil
}

func isBaseDigit(c byte, base int) bool {
	if base == 8 {
		return c >= '0' && c <= '7'
	}
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// dollar reads $n parameters and $tag$...$tag$ strings.
func (l *lexer) dollar() (token, error) {
	s, i := l.src, l.i
	j := i + 1
	if j < len(s) && isDigit(s[j]) {
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		l.i = j
		return token{kind: tParam, text: s[i+1 : j]}, nil
	}
	tag, ok := dollarTag(s, i)
	if !ok {
		l.i++
		return token{kind: tOp, text: "$"}, nil
	}
	k := strings.Index(s[i+len(tag):], tag)
	if k < 0 {
		return token{}, l.errAt(i, "unterminated dollar-quoted string at or near %q", clip(s[i:]))
	}
	l.i = i + len(tag) + k + len(tag)
	return token{kind: tString, text: s[i+len(tag) : i+len(tag)+k]}, nil
}

// dollarTag returns the $tag$ opening a dollar-quoted string at s[i].
func dollarTag(s string, i int) (string, bool) {
	j := i + 1
	if j < len(s) && isIdentStart(s[j]) {
		for j < len(s) && isIdentByte(s[j]) && s[j] != '$' {
			j++
		}
	}
	if j < len(s) && s[j] == '$' {
		return s[i : j+1], true
	}
	return "", false
}
