package bind

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

var textType = types.Text

// finish applies DISTINCT, ORDER BY and LIMIT/OFFSET over a projection and
// drops the columns added only for sorting.
func (b *binder) finish(p *plan.Project, ctx *exprCtx, order sqlparser.OrderBy, limit *sqlparser.Limit, distinct bool) (plan.Node, error) {
	visible := len(p.Cols)
	var keys []plan.SortKey
	for _, o := range order {
		k, err := b.sortKey(p, visible, ctx, o, distinct)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	var n plan.Node = p
	if distinct {
		n = &plan.Distinct{Input: n}
	}
	if len(keys) > 0 {
		n = &plan.Sort{Input: n, Keys: keys}
	}
	n, err := b.limit(n, limit)
	if err != nil {
		return nil, err
	}
	if len(p.Cols) > visible {
		exprs := make([]plan.Expr, visible)
		for i, c := range p.Cols[:visible] {
			exprs[i] = c.Ref()
		}
		n = &plan.Project{Input: n, Exprs: exprs, Cols: p.Cols[:visible:visible]}
	}
	return n, nil
}

// sortKey resolves one ORDER BY item: an output column's ordinal or name,
// or an expression over the query's input (added as a hidden column). The
// first visible columns of p are the output columns.
func (b *binder) sortKey(p *plan.Project, visible int, ctx *exprCtx, o *sqlparser.Order, distinct bool) (plan.SortKey, error) {
	e := o.Expr
	k := plan.SortKey{Desc: o.Direction == sqlparser.DescOrder}
	k.NullsFirst = k.Desc
	if f, ok := e.(*sqlparser.FuncExpr); ok && len(f.Exprs) == 1 {
		switch f.Name.Lowered() {
		case nullsFirstFunc:
			e, k.NullsFirst = f.Exprs[0], true
		case nullsLastFunc:
			e, k.NullsFirst = f.Exprs[0], false
		}
	}
	c, err := b.keyColumn(p, visible, ctx, e, "ORDER BY", distinct)
	k.Expr = c.Ref()
	return k, err
}

// keyColumn resolves an ORDER BY or DISTINCT ON (clause) item to a column
// of p: an output column's (one of the first visible columns of p) ordinal
// or name, or an expression over the query's input, which is added as a
// hidden column unless a column of p computes it already (or fails when
// distinct: SELECT DISTINCT).
func (b *binder) keyColumn(p *plan.Project, visible int, ctx *exprCtx, e sqlparser.Expr, clause string, distinct bool) (plan.Column, error) {
	if c, ok, err := b.outputRef(p.Cols[:visible], e, clause); err != nil || ok {
		return c, err
	}
	if ctx == nil {
		return plan.Column{}, b.errAt(sqlerr.UndefinedColumn, sqlparser.String(e),
			"invalid UNION/INTERSECT/EXCEPT ORDER BY clause").WithDetail("Only result column names can be used, not expressions or functions.")
	}
	cctx := *ctx
	var in plan.Node = p.Input
	cctx.input = &in
	x, err := b.expr(&cctx, e)
	if err != nil {
		return plan.Column{}, err
	}
	if in != p.Input {
		p.Input = in // a subquery in ORDER BY joined onto the input
	}
	key := exprKey(x)
	for i, px := range p.Exprs {
		if exprKey(px) == key {
			return p.Cols[i], nil
		}
	}
	if distinct {
		return plan.Column{}, b.errAt(sqlerr.InvalidColumnReference, sqlparser.String(e),
			"for SELECT DISTINCT, ORDER BY expressions must appear in select list")
	}
	col := b.newCol(defaultName(e), x.Type(), true)
	if r, ok := x.(*plan.ColRef); ok {
		col.ID, col.Name = r.ID, r.Name
	}
	p.Exprs, p.Cols = append(p.Exprs, x), append(p.Cols, col)
	return col, nil
}

// outputRef finds an ordinal or output column name of an ORDER BY or
// DISTINCT ON (clause) item.
func (b *binder) outputRef(cols []plan.Column, e sqlparser.Expr, clause string) (plan.Column, bool, error) {
	switch e := e.(type) {
	case *sqlparser.Literal:
		if e.Type != sqlparser.IntVal {
			return plan.Column{}, false, nil
		}
		i, err := strconv.Atoi(e.Val)
		if err != nil || i < 1 || i > len(cols) {
			return plan.Column{}, false, b.errAt(sqlerr.InvalidColumnReference, e.Val,
				"%s position %s is not in select list", clause, e.Val)
		}
		return cols[i-1], true, nil
	case *sqlparser.ColName:
		if !e.Qualifier.IsEmpty() {
			return plan.Column{}, false, nil
		}
		var found []plan.Column
		for _, c := range cols {
			if c.Name == e.Name.String() && (len(found) == 0 || found[0].ID != c.ID) {
				found = append(found, c)
			}
		}
		if len(found) > 1 {
			return plan.Column{}, false, b.errAt(sqlerr.AmbiguousColumn, e.Name.String(),
				"%s \"%s\" is ambiguous", clause, e.Name.String())
		}
		if len(found) == 1 {
			return found[0], true, nil
		}
	}
	return plan.Column{}, false, nil
}

func (b *binder) limit(n plan.Node, l *sqlparser.Limit) (plan.Node, error) {
	if l == nil {
		return n, nil
	}
	count, err := b.limitValue(l.Rowcount, "LIMIT")
	if err != nil {
		return nil, err
	}
	offset, err := b.limitValue(l.Offset, "OFFSET")
	if err != nil {
		return nil, err
	}
	if offset < 0 {
		offset = 0
	}
	return &plan.Limit{Input: n, Offset: offset, Count: count}, nil
}

func (b *binder) limitValue(e sqlparser.Expr, clause string) (int64, error) {
	if e == nil {
		return -1, nil
	}
	if _, ok := e.(*sqlparser.NullVal); ok {
		return -1, nil
	}
	lit, ok := e.(*sqlparser.Literal)
	if !ok || lit.Type != sqlparser.IntVal {
		return 0, unsupported("%s must be an integer constant", clause)
	}
	v, err := strconv.ParseInt(lit.Val, 10, 64)
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(lit.Val, "-") {
		// Beyond bigint: as good as no limit (the parser writes OFFSET
		// without LIMIT as LIMIT 18446744073709551615); an OFFSET that
		// large skips every row.
		if clause == "LIMIT" {
			return -1, nil
		}
		return math.MaxInt64, nil
	}
	if err != nil || v < 0 {
		return 0, sqlerr.New(sqlerr.InvalidParameterValue, "%s must not be negative", clause)
	}
	return v, nil
}
