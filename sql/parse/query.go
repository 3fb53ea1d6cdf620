package parse

import (
	"regexp"
	"strconv"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/sqlerr"
)

// vitess is the one Vitess parser (it holds only configuration).
var vitess = sqlparser.NewTestParser()

// paramState counts a statement's parameters across its parts.
type paramState struct {
	question int // ? markers so far
	dollar   int // highest $n
	// questionAt numbers the statement's ? markers left to right, by their
	// offset in the text given to Parse: the parts of a statement are not
	// rewritten in the order of their text.
	questionAt map[int]int
}

func (s *paramState) count() int { return max(s.question, s.dollar) }

// numberQuestions numbers the ? markers of toks, lexed at offset base.
func (s *paramState) numberQuestions(toks []token, base int) {
	s.questionAt = map[int]int{}
	for _, t := range toks {
		if t.isOp("?") {
			s.questionAt[base+t.pos] = len(s.questionAt) + 1
		}
	}
}

func parseParam(text string) (int, bool) {
	n, err := strconv.Atoi(text)
	return n, err == nil && n >= 1 && n <= 65535
}

// parseQuery parses a query statement whose text is src, at offset base of
// the text given to Parse.
func parseQuery(src string, base int) (Statement, error) {
	toks, err := lex(src, base)
	if err != nil {
		return nil, err
	}
	ps := &paramState{}
	ps.numberQuestions(toks, base)
	st, err := queryTokens(src, base, toks, ps)
	if err != nil {
		return nil, err
	}
	switch s := st.(type) {
	case *SetOp:
		s.Params = ps.count()
	case *Query:
		s.Params = ps.count()
	}
	return st, nil
}

// parseQueryPart parses a part of a statement (a set operation's operand, a
// nested set operation) whose text is src, at offset base.
func parseQueryPart(src string, base int, ps *paramState) (Statement, error) {
	toks, err := lex(src, base)
	if err != nil {
		return nil, err
	}
	return queryTokens(src, base, toks, ps)
}

// queryTokens parses the query lexed as toks: a *SetOp if it has INTERSECT
// or EXCEPT at its top level, else a *Query.
func queryTokens(src string, base int, toks []token, ps *paramState) (Statement, error) {
	body := 0
	if toks[0].is("with") {
		body = skipWith(toks)
	}
	if body >= 0 && !toks[body].is("insert") {
		ops := topSetOps(toks, body)
		for _, k := range ops {
			if !toks[k].is("union") {
				return buildSetOp(src, base, toks, body, ops, ps)
			}
		}
	}
	return vitessQuery(src, base, toks, ps)
}

// vitessQuery rewrites the tokens and parses the result with Vitess: the
// nested set operations with INTERSECT or EXCEPT are parsed first, Vitess
// gets placeholders for them, and SetOpQuery nodes take the placeholders'
// places in its tree.
func vitessQuery(src string, base int, toks []token, ps *paramState) (*Query, error) {
	toks, nested, err := nestSetOps(src, base, toks, ps)
	if err != nil {
		return nil, err
	}
	if toks, err = moveDistinctOn(src, base, toks); err != nil {
		return nil, err
	}
	r := &rewriter{src: src, base: base, in: toks, params: ps}
	if err := r.rewrite(); err != nil {
		return nil, err
	}
	text, starts := render(r.out)
	ast, err := vitess.Parse(text)
	if err != nil {
		return nil, vitessError(err, src, base, toks, r.out, starts, len(text))
	}
	switch ast.(type) {
	case *sqlparser.Select, *sqlparser.Union, *sqlparser.Insert, *sqlparser.Update,
		*sqlparser.Delete, *sqlparser.ValuesStatement:
	default:
		return nil, sqlerr.At(sqlerr.SyntaxError, base+1, "syntax error: not a query")
	}
	if ast, err = expandSymmetric(ast, base+toks[0].pos+1); err != nil {
		return nil, err
	}
	if ast, err = attachSetOps(ast, nested, base+toks[0].pos+1); err != nil {
		return nil, err
	}
	return &Query{Node: Node{Source: src, Pos: base + toks[0].pos + 1}, Rewritten: text, AST: ast, Params: ps.count()}, nil
}

// render joins the rewritten tokens, keeping the source's spacing, and
// returns each token's offset in the result.
func render(out []otok) (string, []int) {
	var b strings.Builder
	starts := make([]int, len(out))
	for k, o := range out {
		prev := ""
		if k > 0 {
			prev = out[k-1].text
		}
		tight := o.text == "," || o.text == ")" || prev == "(" || o.text == "(" && (prev == "row" || strings.HasPrefix(prev, "__medley_"))
		if b.Len() > 0 && (o.space && !tight || glued(b.String()[b.Len()-1], o.text[0])) {
			b.WriteByte(' ')
		}
		starts[k] = b.Len()
		b.WriteString(o.text)
	}
	return b.String(), starts
}

// glued reports whether two adjacent characters would fuse into one token.
func glued(a, b byte) bool {
	word := func(c byte) bool { return isIdentByte(c) || c == '\'' || c == '`' }
	return word(a) && word(b) || a == '-' && b == '-' || a == '/' && b == '*' || a == '<' && b == '='
}

var vitessPos = regexp.MustCompile(`at position (\d+)`)

// vitessError maps a Vitess syntax error back to the source text.
func vitessError(err error, src string, base int, toks []token, out []otok, starts []int, n int) error {
	m := vitessPos.FindStringSubmatch(err.Error())
	if m == nil {
		return sqlerr.At(sqlerr.SyntaxError, base+1, "syntax error: %s", strings.TrimPrefix(err.Error(), "Code: INVALID_ARGUMENT\n"))
	}
	pos, _ := strconv.Atoi(m[1])
	// Vitess reports the offset just after the token it could not take.
	at := pos - 2
	if at >= n || len(out) == 0 || !strings.Contains(err.Error(), " near '") {
		return sqlerr.At(sqlerr.SyntaxError, base+len(src)+1, "syntax error at end of input")
	}
	k := len(starts) - 1
	for k > 0 && starts[k] > at {
		k--
	}
	orig := out[k].pos
	end := orig
	for _, t := range toks {
		if t.pos == orig {
			end = t.end
			break
		}
	}
	if end <= orig {
		return sqlerr.At(sqlerr.SyntaxError, base+orig+1, "syntax error at end of input")
	}
	return sqlerr.At(sqlerr.SyntaxError, base+orig+1, "syntax error at or near %q", src[orig:end])
}

// skipWith returns the index of the token after a WITH clause that starts
// toks, -1 if it cannot tell.
func skipWith(toks []token) int {
	// at is toks[i], or the final EOF token past the end (an unbalanced
	// parenthesis makes matchParen return the EOF's index).
	at := func(i int) token {
		if i < len(toks) {
			return toks[i]
		}
		return toks[len(toks)-1]
	}
	i := 1
	if at(i).is("recursive") {
		i++
	}
	for {
		if k := at(i).kind; k != tWord && k != tQIdent {
			return -1
		}
		i++
		if at(i).isOp("(") {
			i = matchParen(toks, i) + 1
		}
		if !at(i).is("as") {
			return -1
		}
		i++
		if at(i).is("not") {
			i++
		}
		if at(i).is("materialized") {
			i++
		}
		if !at(i).isOp("(") {
			return -1
		}
		i = matchParen(toks, i) + 1
		if !at(i).isOp(",") {
			if i >= len(toks) {
				return -1
			}
			return i
		}
		i++
	}
}

func matchParen(toks []token, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		switch {
		case toks[i].kind == tEOF:
			return i
		case toks[i].isOp("("):
			depth++
		case toks[i].isOp(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(toks) - 1
}

// topSetOps returns the indexes of UNION, INTERSECT and EXCEPT at depth 0
// from toks[from].
func topSetOps(toks []token, from int) []int {
	var ops []int
	depth := 0
	for i := from; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.isOp("("):
			depth++
		case t.isOp(")"):
			depth--
		case depth == 0 && (t.is("union") || t.is("intersect") || t.is("except")):
			ops = append(ops, i)
		}
	}
	return ops
}
