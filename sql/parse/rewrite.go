package parse

import (
	"strconv"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// otok is one token of the rewritten text; pos is the byte offset, in the
// query's source, of the token it came from.
type otok struct {
	text  string
	pos   int
	space bool
}

// frameKind tells what opened a nesting level.
type frameKind int

const (
	fParen  frameKind = iota // (
	fCast                    // CAST(
	fFilter                  // FILTER ( WHERE: its ( was dropped
	fCase                    // CASE ... END
)

// closer is text to emit when the expression that opened it ends at depth.
type closer struct {
	depth int
	text  []string
	pos   int
}

// rewriter turns the tokens of a PostgreSQL query into Vitess' dialect.
type rewriter struct {
	src     string
	base    int
	in      []token
	i       int
	out     []otok
	frames  []frameKind
	closers []closer
	// fullJoinDepth is the depth of a FULL JOIN waiting for its ON/USING,
	// -1 if none.
	fullJoinDepth int
	// valuesDepth is the depth of a VALUES list being rewritten, -1 if none.
	valuesDepth int
	params      *paramState
}

func (r *rewriter) errAt(code sqlerr.Code, t token, format string, args ...any) error {
	return sqlerr.At(code, r.base+t.pos+1, format, args...)
}

func (r *rewriter) emit(t token, text string) {
	r.out = append(r.out, otok{text: text, pos: t.pos, space: t.space})
}

// synth emits synthetic tokens attributed to t.
func (r *rewriter) synth(t token, texts ...string) {
	for _, s := range texts {
		r.out = append(r.out, otok{text: s, pos: t.pos, space: true})
	}
}

// insertAt inserts synthetic tokens before out[at].
func (r *rewriter) insertAt(at int, t token, texts ...string) {
	ins := make([]otok, len(texts))
	for k, s := range texts {
		ins[k] = otok{text: s, pos: t.pos, space: true}
	}
	if at < len(r.out) {
		ins[0].space = r.out[at].space
	}
	r.out = append(r.out[:at], append(ins, r.out[at:]...)...)
}

func (r *rewriter) peek(n int) token {
	if r.i+n < len(r.in) {
		return r.in[r.i+n]
	}
	return r.in[len(r.in)-1]
}

// rewrite runs the rewrite over all tokens.
func (r *rewriter) rewrite() error {
	r.fullJoinDepth, r.valuesDepth = -1, -1
	for r.i < len(r.in) {
		t := r.in[r.i]
		if err := r.step(t); err != nil {
			return err
		}
	}
	return nil
}

// stopWords end the right operand of IS DISTINCT FROM.
var stopWords = map[string]bool{"and": true, "or": true, "then": true, "else": true, "end": true,
	"when": true, "from": true, "where": true, "group": true, "having": true, "order": true,
	"limit": true, "offset": true, "union": true, "intersect": true, "except": true, "asc": true,
	"desc": true, "nulls": true, "window": true, "is": true, "on": true, "using": true, "join": true,
	"inner": true, "left": true, "right": true, "full": true, "cross": true, "natural": true,
	"as": true, "fetch": true}

// flushClosers emits the closers of the current depth.
func (r *rewriter) flushClosers() {
	d := len(r.frames)
	for len(r.closers) > 0 && r.closers[len(r.closers)-1].depth >= d {
		c := r.closers[len(r.closers)-1]
		r.closers = r.closers[:len(r.closers)-1]
		for _, s := range c.text {
			r.out = append(r.out, otok{text: s, pos: c.pos, space: true})
		}
	}
}

func (r *rewriter) step(t token) error {
	if r.valuesDepth == len(r.frames) {
		r.valuesItem(t)
	}
	switch t.kind {
	case tEOF:
		r.flushClosers()
		r.i++
		return nil
	case tWord:
		if stopWords[t.text] {
			r.flushClosers()
		}
		return r.word(t)
	case tQIdent:
		r.emit(t, "`"+strings.ReplaceAll(t.text, "`", "``")+"`")
	case tString:
		r.emit(t, quoteString(t.text))
	case tNumber:
		r.emit(t, t.text)
	case tParam:
		if r.params.question > 0 {
			return r.errAt(sqlerr.SyntaxError, t, "cannot mix $n and ? parameters")
		}
		n, err := strconv.Atoi(t.text)
		if err != nil || n < 1 || n > 65535 {
			return r.errAt(sqlerr.SyntaxError, t, "invalid parameter $%s", t.text)
		}
		r.params.dollar = max(r.params.dollar, n)
		r.emit(t, ":v"+t.text)
	case tOp:
		return r.op(t)
	}
	r.i++
	return nil
}

// quoteString returns a string literal Vitess reads as s.
func quoteString(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func (r *rewriter) op(t token) error {
	switch t.text {
	case "(":
		r.frames = append(r.frames, fParen)
		r.emit(t, "(")
	case ")":
		r.flushClosers()
		if len(r.frames) == 0 {
			return r.errAt(sqlerr.SyntaxError, t, `syntax error at or near ")"`)
		}
		r.frames = r.frames[:len(r.frames)-1]
		r.emit(t, ")")
	case ",":
		r.flushClosers()
		r.emit(t, ",")
	case "::":
		return r.colonCast(t)
	case "||":
		r.emit(t, "|")
	case "?":
		if r.params.dollar > 0 {
			return r.errAt(sqlerr.SyntaxError, t, "cannot mix $n and ? parameters")
		}
		r.params.question++
		n, ok := r.params.questionAt[r.base+t.pos]
		if !ok {
			n = r.params.question
		}
		r.emit(t, ":v"+strconv.Itoa(n))
	case "~", "~*", "!~", "!~*":
		return r.errAt(sqlerr.FeatureNotSupported, t, "regular expression operator %s is not supported; use LIKE or ILIKE", t.text)
	case "#", "@", "->", "->>", ":=", "=>", "$", "[", "]", ":", ";", "{", "}", "\\", "<=>":
		return r.errAt(sqlerr.SyntaxError, t, "syntax error at or near %q", t.text)
	default:
		r.emit(t, t.text)
	}
	r.i++
	return nil
}

// colonCast rewrites x::T.
func (r *rewriter) colonCast(t token) error {
	start := r.primaryStart()
	if start < 0 {
		return r.errAt(sqlerr.SyntaxError, t, `syntax error at or near "::"`)
	}
	r.i++
	typ, err := r.typeName(false)
	if err != nil {
		return err
	}
	r.insertAt(start, t, CastFunc, "(")
	r.out[start+1].space = false
	r.synth(t, ",", quoteString(typ), ")")
	return nil
}

// notCallee are words that precede a parenthesized expression without
// being a function name.
var notCallee = map[string]bool{"and": true, "or": true, "not": true, "in": true, "exists": true,
	"select": true, "where": true, "on": true, "when": true, "then": true, "else": true, "by": true,
	"from": true, "as": true, "is": true, "like": true, "regexp": true, "between": true, "all": true,
	"any": true, "some": true, "case": true, "distinct": true, "having": true, "union": true,
	"values": true, "row": true, "using": true, "join": true, "over": true, "end": true}

// primaryStart returns the index in out where the primary expression that
// ends out starts, -1 if out does not end with one.
func (r *rewriter) primaryStart() int {
	k := len(r.out) - 1
	if k < 0 {
		return -1
	}
	switch last := r.out[k].text; {
	case last == ")":
		bal := 0
		for ; k >= 0; k-- {
			switch r.out[k].text {
			case ")":
				bal++
			case "(":
				bal--
			}
			if bal == 0 {
				break
			}
		}
		if k < 0 {
			return -1
		}
		if k > 0 && isWordText(r.out[k-1].text) && !notCallee[r.out[k-1].text] {
			k--
		}
	case last == "(" || last == "," || !isOperand(last):
		return -1
	}
	// identifier chains and typed literals
	for k >= 2 && r.out[k-1].text == "." && (isWordText(r.out[k-2].text) || strings.HasPrefix(r.out[k-2].text, "`")) {
		k -= 2
	}
	if k >= 1 && strings.HasPrefix(r.out[k].text, "'") {
		switch r.out[k-1].text {
		case "date", "time", "timestamp", "interval":
			k--
		}
	}
	return k
}

func isWordText(s string) bool { return s != "" && isIdentStart(s[0]) }

func isOperand(s string) bool {
	c := s[0]
	return isIdentStart(c) || isDigit(c) || c == '\'' || c == '`' || c == ':' || c == '.'
}

// typeName reads a type name (after :: or AS) and returns its normalized
// text. inCast makes it read up to the closing parenthesis.
func (r *rewriter) typeName(inCast bool) (string, error) {
	first := r.peek(0)
	var b strings.Builder
	words := 0
	for {
		t := r.peek(0)
		switch {
		case t.kind == tWord || t.kind == tQIdent:
			if words > 0 && !continuesType(b.String(), t.text) && !inCast {
				return b.String(), nil
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.text)
			words++
		case t.isOp("(") && words > 0:
			mods, err := r.typeMods()
			if err != nil {
				return "", err
			}
			b.WriteString(mods)
			continue
		case t.isOp("[") && r.peek(1).isOp("]"):
			b.WriteString("[]")
			r.i++
		default:
			if words == 0 {
				return "", r.errAt(sqlerr.SyntaxError, first, "syntax error at or near %q; expected a type name", tokenText(r.src, first))
			}
			return b.String(), nil
		}
		r.i++
	}
}

// typeMods reads ( n [, n] ) and returns it as text.
func (r *rewriter) typeMods() (string, error) {
	var b strings.Builder
	for {
		t := r.peek(0)
		r.i++
		switch {
		case t.isOp("(") && b.Len() == 0, t.isOp(","), t.kind == tNumber:
			b.WriteString(t.text)
		case t.isOp(")"):
			b.WriteString(")")
			return b.String(), nil
		case t.isOp("-") && r.peek(0).kind == tNumber:
			b.WriteString("-")
		default:
			return "", r.errAt(sqlerr.SyntaxError, t, "syntax error at or near %q; expected a type modifier", tokenText(r.src, t))
		}
	}
}

// continuesType reports whether word continues the type name so far.
func continuesType(sofar, word string) bool {
	last := sofar[strings.LastIndexAny(sofar, " )")+1:]
	switch {
	case sofar == "double":
		return word == "precision"
	case sofar == "character" || sofar == "char" || sofar == "bit" || sofar == "national character":
		return word == "varying"
	case sofar == "national":
		return word == "character" || word == "char"
	case strings.HasPrefix(sofar, "timestamp") || strings.HasPrefix(sofar, "time"):
		return (word == "with" || word == "without") && !strings.Contains(sofar, " ") ||
			word == "time" && (last == "with" || last == "without") || word == "zone" && last == "time"
	case strings.HasPrefix(sofar, "interval"):
		return intervalUnits[word] || word == "to" && intervalUnits[last] || last == "to" && intervalUnits[word]
	}
	return false
}

func tokenText(src string, t token) string {
	if t.kind == tEOF {
		return ""
	}
	return src[t.pos:t.end]
}
