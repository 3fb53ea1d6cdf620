package parse

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/sqlerr"
)

// x [NOT] BETWEEN SYMMETRIC a AND b, which Vitess does not parse, reaches
// Vitess as x [NOT] BETWEEN __medley_symmetric(a) AND b (SymmetricFunc);
// once Vitess has parsed it, expandSymmetric writes it as PostgreSQL does:
// (x BETWEEN a AND b) OR (x BETWEEN b AND a), and for NOT BETWEEN
// (x NOT BETWEEN a AND b) AND (x NOT BETWEEN b AND a). BETWEEN ASYMMETRIC
// is BETWEEN.

// symmetric rewrites the BETWEEN at r.i that SYMMETRIC or ASYMMETRIC
// follows: the lower bound, which ends at the AND of BETWEEN's depth (a
// stop word), is wrapped in SymmetricFunc.
func (r *rewriter) symmetric(t token) {
	r.emit(t, "between")
	if r.peek(1).is("symmetric") {
		r.synth(r.peek(1), SymmetricFunc)
		r.out = append(r.out, otok{text: "(", pos: r.peek(1).pos})
		r.closers = append(r.closers, closer{depth: len(r.frames), text: []string{")"}, pos: r.peek(1).pos})
	}
	r.i += 2
}

// expandSymmetric replaces each BETWEEN whose lower bound is
// SymmetricFunc(a) by its expansion; pos is the query's position, for the
// error of a marker left elsewhere.
func expandSymmetric(ast sqlparser.Statement, pos int) (sqlparser.Statement, error) {
	out := sqlparser.Rewrite(ast, nil, func(c *sqlparser.Cursor) bool {
		if n, ok := c.Node().(*sqlparser.BetweenExpr); ok {
			if a, ok := symmetricBound(n.From); ok {
				c.Replace(symmetricBetween(n.IsBetween, n.Left, a, n.To))
			}
		}
		return true
	})
	stray := false
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if e, ok := n.(sqlparser.Expr); ok {
			if _, ok := symmetricBound(e); ok {
				stray = true
			}
		}
		return !stray, nil
	}, out)
	st, ok := out.(sqlparser.Statement)
	if !ok || stray {
		return nil, sqlerr.At(sqlerr.SyntaxError, pos, "syntax error: malformed BETWEEN SYMMETRIC")
	}
	return st, nil
}

// symmetricBound returns a if e is SymmetricFunc(a).
func symmetricBound(e sqlparser.Expr) (sqlparser.Expr, bool) {
	f, ok := e.(*sqlparser.FuncExpr)
	if !ok || f.Name.Lowered() != SymmetricFunc || !f.Qualifier.IsEmpty() || len(f.Exprs) != 1 {
		return nil, false
	}
	return f.Exprs[0], true
}

// symmetricBetween is x [NOT] BETWEEN SYMMETRIC a AND b in plain BETWEENs.
func symmetricBetween(between bool, x, a, b sqlparser.Expr) sqlparser.Expr {
	one := &sqlparser.BetweenExpr{IsBetween: between, Left: x, From: a, To: b}
	other := &sqlparser.BetweenExpr{IsBetween: between, Left: sqlparser.CloneExpr(x),
		From: sqlparser.CloneExpr(b), To: sqlparser.CloneExpr(a)}
	if between {
		return &sqlparser.OrExpr{Left: one, Right: other}
	}
	return &sqlparser.AndExpr{Left: one, Right: other}
}
