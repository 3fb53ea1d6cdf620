package parse

import "github.com/medleysql/medley/sql/sqlerr"

// setOperand is one operand of a set operation, with the operator before it.
type setOperand struct {
	stmt Statement
	op   SetOpKind
	all  bool
}

// buildSetOp parses a query with INTERSECT or EXCEPT at its top level:
// toks[body:] is the query after its WITH clause, ops the indexes of its
// set operators.
func buildSetOp(src string, base int, toks []token, body int, ops []int, ps *paramState) (Statement, error) {
	last := len(toks) - 1 // EOF
	tail := tailStart(toks, ops[len(ops)-1])
	kinds := map[string]SetOpKind{"union": SetUnion, "intersect": SetIntersect, "except": SetExcept}
	var operands []setOperand
	for k := 0; k <= len(ops); k++ {
		start, end := body, tail
		var so setOperand
		if k > 0 {
			so.op = kinds[toks[ops[k-1]].text]
			start = ops[k-1] + 1
			if toks[start].is("all") {
				so.all = true
				start++
			} else if toks[start].is("distinct") {
				start++
			}
		}
		if k < len(ops) {
			end = ops[k]
		}
		stmt, err := parseOperand(src, base, toks, start, end, ps)
		if err != nil {
			return nil, err
		}
		so.stmt = stmt
		operands = append(operands, so)
	}
	root := combine(operands, src, base)
	if body > 0 || tail < last {
		// [WITH ...] SELECT * FROM __medley_setop [ORDER BY ...] [LIMIT ...]
		in := append(append(toks[:body:body], selectStarFrom(toks[body], SetOpTable)...), toks[tail:]...)
		q, err := vitessQuery(src, base, in, ps)
		if err != nil {
			return nil, err
		}
		root.Tail = q
	}
	return root, nil
}

// tailStart returns the index of the ORDER BY, LIMIT, OFFSET or FETCH at
// depth 0 after the last set operator, or the EOF index.
func tailStart(toks []token, from int) int {
	depth := 0
	for i := from; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tEOF:
			return i
		case t.isOp("("):
			depth++
		case t.isOp(")"):
			depth--
		case depth == 0 && (t.is("order") && toks[i+1].is("by") || t.is("limit") || t.is("offset") || t.is("fetch")):
			return i
		}
	}
	return len(toks) - 1
}

// parseOperand parses toks[start:end] as a query; a fully parenthesized
// operand is parsed inside its parentheses.
func parseOperand(src string, base int, toks []token, start, end int, ps *paramState) (Statement, error) {
	if start >= end {
		if t := toks[start]; t.kind == tEOF {
			return nil, sqlerr.At(sqlerr.SyntaxError, base+t.pos+1, "syntax error at end of input; expected a query")
		}
		return nil, sqlerr.At(sqlerr.SyntaxError, base+toks[start].pos+1, "syntax error at or near %q; expected a query", tokenText(src, toks[start]))
	}
	for toks[start].isOp("(") && matchParen(toks, start) == end-1 {
		start, end = start+1, end-1
	}
	a, b := toks[start].pos, toks[end-1].end
	return parseQueryPart(src[a:b], base+a, ps)
}

// combine builds the tree: INTERSECT first, then UNION and EXCEPT from the
// left.
func combine(ops []setOperand, src string, base int) *SetOp {
	// fold INTERSECT runs into single operands
	var level []setOperand
	for _, so := range ops {
		if so.op == SetIntersect && len(level) > 0 {
			prev := &level[len(level)-1]
			prev.stmt = &SetOp{Node: Node{Source: src, Pos: base + 1}, Op: SetIntersect, All: so.all, Left: prev.stmt, Right: so.stmt}
			continue
		}
		level = append(level, so)
	}
	acc := level[0].stmt
	for _, so := range level[1:] {
		acc = &SetOp{Node: Node{Source: src, Pos: base + 1}, Op: so.op, All: so.all, Left: acc, Right: so.stmt}
	}
	if s, ok := acc.(*SetOp); ok {
		return s
	}
	return &SetOp{Node: Node{Source: src, Pos: base + 1}, Op: SetUnion, Left: acc}
}
