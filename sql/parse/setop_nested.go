package parse

import (
	"strconv"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/sqlerr"
)

// A set operation with INTERSECT or EXCEPT nested in a query — in
// parentheses (a subquery, a derived table, a WITH query, an operand of
// UNION) or as the source of INSERT — is parsed on its own as a *SetOp, like
// one at the top level of a statement. Vitess reads the placeholder
// `SELECT * FROM __medley_setop_<n>` in its place, and a *SetOpQuery takes
// the placeholder's place in Vitess' tree.

// region is the query toks[start:end] of a nested set operation.
type region struct{ start, end int }

// nestSetOps parses the nested set operations of toks and replaces each by
// its placeholder; the n-th set operation returned is __medley_setop_<n>.
func nestSetOps(src string, base int, toks []token, ps *paramState) ([]token, []*SetOp, error) {
	regions := setOpRegions(toks)
	if len(regions) == 0 {
		return toks, nil, nil
	}
	out := make([]token, 0, len(toks))
	var nested []*SetOp
	prev := 0
	for _, rg := range regions {
		first := toks[rg.start]
		a, b := first.pos, toks[rg.end-1].end
		st, err := parseQueryPart(src[a:b], base+a, ps)
		if err != nil {
			return nil, nil, pastRegion(err, src, base, b, toks[rg.end])
		}
		so, ok := st.(*SetOp)
		if !ok { // queryTokens found no set operation after all
			return nil, nil, sqlerr.At(sqlerr.SyntaxError, base+a+1, "syntax error at or near %q; expected a query", tokenText(src, first))
		}
		nested = append(nested, so)
		out = append(out, toks[prev:rg.start]...)
		out = append(out, selectStarFrom(first, placeholder(len(nested)))...)
		prev = rg.end
	}
	return append(out, toks[prev:]...), nested, nil
}

// pastRegion turns an error at the end of a region's text, which ends at
// offset end of src, into one at the token after the region, next: there
// the input did not end.
func pastRegion(err error, src string, base, end int, next token) error {
	e, ok := err.(*sqlerr.Error)
	if !ok || e.Position != base+end+1 || next.kind == tEOF {
		return err
	}
	rest, ok := strings.CutPrefix(e.Message, "syntax error at end of input")
	if !ok {
		return err
	}
	return sqlerr.At(e.Code, base+next.pos+1, "syntax error at or near %q%s", tokenText(src, next), rest)
}

// setOpRegions returns, in order, the outermost parenthesized queries of
// toks with INTERSECT or EXCEPT at their top level, and the source query of
// an INSERT that has them at its top level.
func setOpRegions(toks []token) []region {
	var open []int
	marked := map[int]bool{} // the ( of a set operation
	for i, t := range toks {
		switch {
		case t.isOp("("):
			open = append(open, i)
		case t.isOp(")"):
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		case len(open) > 0 && (t.is("intersect") || t.is("except")):
			if k := open[len(open)-1]; startsQuery(toks[k+1]) {
				marked[k] = true
			}
		}
	}
	source := insertSource(toks)
	var out []region
	for i := 0; i < len(toks); i++ {
		if i == source {
			return append(out, region{source, len(toks) - 1})
		}
		if marked[i] {
			end := matchParen(toks, i)
			out = append(out, region{i + 1, end})
			i = end
		}
	}
	return out
}

// insertSource returns the index of the source query of an INSERT whose
// source has INTERSECT or EXCEPT at its top level, else -1.
func insertSource(toks []token) int {
	body := 0
	if toks[0].is("with") {
		body = skipWith(toks)
	}
	if body < 0 || !toks[body].is("insert") {
		return -1
	}
	depth, start := 0, -1
	for i := body; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.isOp("("):
			// INSERT INTO t (columns) or INSERT INTO t (query)
			if depth == 0 && start < 0 && startsQuery(toks[i+1]) {
				start = i
			}
			depth++
		case t.isOp(")"):
			depth--
		case depth != 0:
		case start < 0 && startsQuery(t):
			start = i
		case start >= 0 && (t.is("intersect") || t.is("except")):
			return start
		}
	}
	return -1
}

// startsQuery reports whether a query may start with t.
func startsQuery(t token) bool {
	return t.is("select") || t.is("with") || t.is("values") || t.is("table") || t.isOp("(")
}

// placeholder is the table name of the n-th nested set operation.
func placeholder(n int) string { return SetOpTable + "_" + strconv.Itoa(n) }

// selectStarFrom returns the tokens of SELECT * FROM table, attributed to at
// (error positions point there).
func selectStarFrom(at token, table string) []token {
	tok := func(kind tokKind, text string) token {
		return token{kind: kind, text: text, pos: at.pos, end: at.end, space: true}
	}
	out := []token{tok(tWord, "select"), tok(tOp, "*"), tok(tWord, "from"), tok(tWord, table)}
	out[0].space = at.space
	return out
}

// attachSetOps replaces each placeholder SELECT of Vitess' tree by a
// SetOpQuery of its set operation; pos is the query's position, for the
// error of a placeholder Vitess lost.
func attachSetOps(ast sqlparser.Statement, nested []*SetOp, pos int) (sqlparser.Statement, error) {
	if len(nested) == 0 {
		return ast, nil
	}
	seen := make([]bool, len(nested))
	out := sqlparser.Rewrite(ast, nil, func(c *sqlparser.Cursor) bool {
		if sel, ok := c.Node().(*sqlparser.Select); ok {
			if n := placeholderIndex(sel); n > 0 && n <= len(nested) {
				c.Replace(&SetOpQuery{Select: sel, SetOp: nested[n-1]})
				seen[n-1] = true
			}
		}
		return true
	})
	st, ok := out.(sqlparser.Statement)
	for _, s := range seen {
		ok = ok && s
	}
	if !ok {
		return nil, sqlerr.At(sqlerr.InternalError, pos, "malformed set operation")
	}
	return st, nil
}

// placeholderIndex returns n if s is SELECT * FROM __medley_setop_<n> (with
// the WITH, ORDER BY and LIMIT Vitess may have moved onto it), else 0.
func placeholderIndex(s *sqlparser.Select) int {
	if len(s.From) != 1 || s.Where != nil || s.GroupBy != nil || s.Having != nil || s.Distinct ||
		s.SelectExprs == nil || len(s.SelectExprs.Exprs) != 1 {
		return 0
	}
	if star, ok := s.SelectExprs.Exprs[0].(*sqlparser.StarExpr); !ok || !star.TableName.IsEmpty() {
		return 0
	}
	from, ok := s.From[0].(*sqlparser.AliasedTableExpr)
	if !ok || !from.As.IsEmpty() || len(from.Columns) > 0 {
		return 0
	}
	tn, ok := from.Expr.(sqlparser.TableName)
	if !ok || !tn.Qualifier.IsEmpty() {
		return 0
	}
	num, ok := strings.CutPrefix(tn.Name.String(), SetOpTable+"_")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return 0
	}
	return n
}
