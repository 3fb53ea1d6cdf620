package bind

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// SELECT DISTINCT ON (keys) keeps the first row, in ORDER BY order, of each
// group of rows with equal keys (NULLs equal), as PostgreSQL: a window
// row_number() OVER (PARTITION BY keys ORDER BY the rest of ORDER BY) = 1
// over the projection, then the sort. sql/parse hands the keys over as the
// SELECT list's last item, parse.DistinctOnFunc(keys...).

// splitDistinctOn takes the DISTINCT ON marker off a SELECT list and
// returns the keys; nil when the SELECT has no DISTINCT ON.
func splitDistinctOn(sel []sqlparser.SelectExpr) ([]sqlparser.SelectExpr, []sqlparser.Expr) {
	if len(sel) == 0 {
		return sel, nil
	}
	ae, ok := sel[len(sel)-1].(*sqlparser.AliasedExpr)
	if !ok {
		return sel, nil
	}
	f, ok := ae.Expr.(*sqlparser.FuncExpr)
	if !ok || f.Name.Lowered() != parse.DistinctOnFunc || !f.Qualifier.IsEmpty() {
		return sel, nil
	}
	return sel[:len(sel)-1], f.Exprs
}

// withKeys returns s with the DISTINCT ON keys added to its ORDER BY, for
// finding the aggregate and window calls the keys hold.
func withKeys(s *sqlparser.Select, on []sqlparser.Expr) *sqlparser.Select {
	if len(on) == 0 {
		return s
	}
	out := *s
	out.OrderBy = append(sqlparser.OrderBy(nil), s.OrderBy...)
	for _, e := range on {
		out.OrderBy = append(out.OrderBy, &sqlparser.Order{Expr: e})
	}
	return &out
}

// finishDistinctOn applies DISTINCT ON, ORDER BY and LIMIT/OFFSET over a
// projection and drops the hidden columns (sort keys, DISTINCT ON keys, the
// row number).
func (b *binder) finishDistinctOn(p *plan.Project, ctx *exprCtx, order sqlparser.OrderBy, limit *sqlparser.Limit, on []sqlparser.Expr) (plan.Node, error) {
	visible := len(p.Cols)
	var keys []plan.SortKey
	for _, o := range order {
		k, err := b.sortKey(p, visible, ctx, o, false)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	var part []plan.Column
	seen := map[plan.ColumnID]sqlparser.Expr{}
	for _, e := range on {
		c, err := b.keyColumn(p, visible, ctx, e, "DISTINCT ON", false)
		if err != nil {
			return nil, err
		}
		if _, ok := seen[c.ID]; !ok {
			seen[c.ID] = e
			part = append(part, c)
		}
	}
	keys, err := b.distinctOnOrder(keys, part, seen)
	if err != nil {
		return nil, err
	}
	n := b.firstOfEach(p, part, keys)
	if len(order) > 0 {
		n = &plan.Sort{Input: n, Keys: keys}
	}
	if n, err = b.limit(n, limit); err != nil {
		return nil, err
	}
	exprs := make([]plan.Expr, visible)
	for i, c := range p.Cols[:visible] {
		exprs[i] = c.Ref()
	}
	return &plan.Project{Input: n, Exprs: exprs, Cols: p.Cols[:visible:visible]}, nil
}

// distinctOnOrder checks that the DISTINCT ON keys (part; seen maps each
// key column to its expression) are the leftmost ORDER BY items, in any
// order, and returns the ORDER BY keys followed by the DISTINCT ON keys it
// lacks, as PostgreSQL sorts DISTINCT ON. When ORDER BY leaves a DISTINCT
// ON key out, the error points at that key; when it sorts on a DISTINCT ON
// key after another item, at the key.
func (b *binder) distinctOnOrder(keys []plan.SortKey, part []plan.Column, seen map[plan.ColumnID]sqlparser.Expr) ([]plan.SortKey, error) {
	mismatch := func(e sqlparser.Expr) error {
		return b.errAt(sqlerr.InvalidColumnReference, sqlparser.String(e),
			"SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
	}
	skipped := false
	sorted := map[plan.ColumnID]bool{}
	for _, k := range keys {
		id := k.Expr.(*plan.ColRef).ID
		e, ok := seen[id]
		switch {
		case !ok:
			skipped = true
		case skipped:
			return nil, mismatch(e)
		default:
			sorted[id] = true
		}
	}
	out := keys
	for _, c := range part {
		if sorted[c.ID] {
			continue
		}
		if skipped {
			return nil, mismatch(seen[c.ID])
		}
		out = append(out, plan.SortKey{Expr: c.Ref()})
	}
	return out, nil
}

// firstOfEach keeps the first row, in the order of keys, of each group of
// rows of p equal in the part columns: a Window's row_number() over the
// partition, and a Filter on it.
func (b *binder) firstOfEach(p *plan.Project, part []plan.Column, keys []plan.SortKey) plan.Node {
	call := plan.WindowCall{Func: "row_number", Typ: types.Int8,
		Frame: plan.Frame{Start: plan.Bound{Kind: plan.UnboundedPreceding}, End: plan.Bound{Kind: plan.CurrentRow}}}
	inPart := map[plan.ColumnID]bool{}
	for _, c := range part {
		call.Partition = append(call.Partition, c.Ref())
		inPart[c.ID] = true
	}
	for _, k := range keys {
		if !inPart[k.Expr.(*plan.ColRef).ID] { // constant within a partition
			call.Order = append(call.Order, k)
		}
	}
	if len(call.Order) == 0 {
		call.Frame.End = plan.Bound{Kind: plan.UnboundedFollowing}
	}
	rn := b.newCol("row_number", types.Int8, false)
	w := &plan.Window{Input: p, Funcs: []plan.WindowCall{call}, Cols: []plan.Column{rn}}
	first := plan.NewCall("equal", types.Boolean, rn.Ref(), &plan.Literal{Value: int64(1), Typ: types.Int8})
	return &plan.Filter{Input: w, Cond: first}
}
