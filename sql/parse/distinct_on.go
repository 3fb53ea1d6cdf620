package parse

import "github.com/medleysql/medley/sql/sqlerr"

// SELECT DISTINCT ON (e, ...) list ..., which Vitess does not parse, reaches
// Vitess as SELECT list, __medley_distinct_on(e, ...) ...: the DISTINCT ON
// expressions become the last item of the SELECT list (a first item would
// not let a * follow it), and the binder takes them out again.

// moveDistinctOn moves the DISTINCT ON list of every SELECT of toks to the
// end of that SELECT's list, as DistinctOnFunc(e, ...). The moved tokens
// keep their positions, so errors still point into the text as written.
func moveDistinctOn(src string, base int, toks []token) ([]token, error) {
	for i := 0; i+3 < len(toks); i++ {
		if !toks[i].is("select") || !toks[i+1].is("distinct") || !toks[i+2].is("on") || !toks[i+3].isOp("(") {
			continue
		}
		open := i + 3
		closing := matchParen(toks, open)
		if toks[closing].kind == tEOF {
			continue // Vitess reports the unbalanced parenthesis
		}
		end := selectListEnd(toks, closing+1)
		if end == closing+1 {
			if t := toks[end]; t.kind != tEOF {
				return nil, sqlerr.At(sqlerr.SyntaxError, base+t.pos+1, "syntax error at or near %q; expected a select list", tokenText(src, t))
			}
			return nil, sqlerr.At(sqlerr.SyntaxError, base+len(src)+1, "syntax error at end of input; expected a select list")
		}
		distinct := toks[i+1]
		marker := []token{
			{kind: tOp, text: ",", pos: distinct.pos, end: distinct.end},
			{kind: tWord, text: DistinctOnFunc, pos: distinct.pos, end: distinct.end, space: true},
		}
		out := make([]token, 0, len(toks))
		out = append(out, toks[:i+1]...)
		out = append(out, toks[closing+1:end]...)
		out = append(out, marker...)
		out = append(out, toks[open:closing+1]...)
		out = append(out, toks[end:]...)
		out[i+1].space = true
		toks = out
	}
	return toks, nil
}

// selectListEnd returns the index of the token that ends the SELECT list
// starting at toks[from]: the first clause keyword, set operator or
// unbalanced ) at its depth, or the end.
func selectListEnd(toks []token, from int) int {
	depth := 0
	for i := from; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tEOF:
			return i
		case t.isOp("("):
			depth++
		case t.isOp(")"):
			if depth == 0 {
				return i
			}
			depth--
		case depth > 0:
		case t.is("from") && toks[i-1].is("distinct"): // IS [NOT] DISTINCT FROM
		case t.is("group") && toks[i-1].is("within"):
		case t.isOp(";") || selectListEnders[t.text] && t.kind == tWord:
			return i
		}
	}
	return len(toks) - 1
}

// selectListEnders are the words that end a SELECT list.
var selectListEnders = map[string]bool{"from": true, "into": true, "where": true, "group": true,
	"having": true, "window": true, "order": true, "limit": true, "offset": true, "fetch": true,
	"for": true, "union": true, "intersect": true, "except": true}
