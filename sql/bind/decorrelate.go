package bind

import (
	"github.com/medleysql/medley/sql/plan"
)

// decorrelate removes a subquery's references to outer columns: the
// correlated conjuncts of its filters are pulled up and returned as preds,
// to become the condition of the join that replaces the subquery. Pulling
// through an Aggregate makes the inner side of each correlated equality a
// grouping key (the classic rewrite of a correlated aggregate subquery).
func (b *binder) decorrelate(n plan.Node) (plan.Node, []plan.Expr, error) {
	inner := produced(n)
	if !correlatedTree(n, inner) {
		return n, nil, nil
	}
	out, preds, err := b.pull(n, inner)
	if err != nil {
		return nil, nil, err
	}
	if correlatedTree(out, inner) {
		return nil, nil, unsupported("this form of correlated subquery is not supported")
	}
	return out, preds, nil
}

// produced returns every column produced inside n.
func produced(n plan.Node) plan.ColumnSet {
	s := plan.ColumnSet{}
	plan.Inspect(n, func(x plan.Node) {
		for _, c := range x.Columns() {
			s.Add(c.ID)
		}
		if sc, ok := x.(*plan.Scan); ok {
			s.Add(plan.ColumnsOf(sc.TableCols).IDs()...)
		}
	})
	return s
}

// correlated reports whether e references a column not in inner.
func correlated(e plan.Expr, inner plan.ColumnSet) bool {
	for id := range plan.Refs(e) {
		if !inner.Has(id) {
			return true
		}
	}
	return false
}

func correlatedTree(n plan.Node, inner plan.ColumnSet) bool {
	found := false
	plan.Inspect(n, func(x plan.Node) {
		for _, e := range plan.NodeExprs(x) {
			found = found || correlated(e, inner)
		}
	})
	return found
}

func (b *binder) pull(n plan.Node, inner plan.ColumnSet) (plan.Node, []plan.Expr, error) {
	switch x := n.(type) {
	case *plan.Filter:
		in, preds, err := b.pull(x.Input, inner)
		if err != nil {
			return nil, nil, err
		}
		var keep []plan.Expr
		for _, c := range plan.Conjuncts(x.Cond) {
			if correlated(c, inner) {
				preds = append(preds, c)
			} else {
				keep = append(keep, c)
			}
		}
		if len(keep) == 0 {
			return in, preds, nil
		}
		return &plan.Filter{Input: in, Cond: plan.And(keep...)}, preds, nil
	case *plan.Project:
		in, preds, err := b.pull(x.Input, inner)
		if err != nil || len(preds) == 0 {
			return x.WithChildren([]plan.Node{in}), preds, err
		}
		p := &plan.Project{Input: in, Exprs: x.Exprs, Cols: x.Cols}
		exposeCols(p, in, preds)
		return p, preds, nil
	case *plan.Aggregate:
		return b.pullAggregate(x, inner)
	case *plan.Sort:
		return b.pull(x.Input, inner)
	case *plan.Distinct:
		in, preds, err := b.pull(x.Input, inner)
		if err != nil || len(preds) == 0 {
			return x.WithChildren([]plan.Node{in}), preds, err
		}
		return &plan.Distinct{Input: exposeAll(in, preds)}, preds, nil
	case *plan.Join:
		if x.Kind != plan.InnerJoin && x.Kind != plan.CrossJoin {
			return n, nil, nil
		}
		l, lp, err := b.pull(x.Left, inner)
		if err != nil {
			return nil, nil, err
		}
		r, rp, err := b.pull(x.Right, inner)
		if err != nil {
			return nil, nil, err
		}
		j := &plan.Join{Kind: x.Kind, Left: l, Right: r, Cond: x.Cond}
		preds := append(lp, rp...)
		if x.Cond != nil {
			var keep []plan.Expr
			for _, c := range plan.Conjuncts(x.Cond) {
				if correlated(c, inner) {
					preds = append(preds, c)
				} else {
					keep = append(keep, c)
				}
			}
			j.Cond = plan.And(keep...)
		}
		return j, preds, nil
	}
	return n, nil, nil
}

// exposeCols makes the inner columns preds reference visible in p's output.
func exposeCols(p *plan.Project, in plan.Node, preds []plan.Expr) {
	have := plan.ColumnsOf(p.Cols)
	for _, c := range in.Columns() {
		if have.Has(c.ID) {
			continue
		}
		for _, pr := range preds {
			if plan.Refs(pr).Has(c.ID) {
				p.Exprs, p.Cols = append(p.Exprs, c.Ref()), append(p.Cols, c)
				have.Add(c.ID)
				break
			}
		}
	}
}

// exposeAll projects n's columns plus nothing else: n already outputs
// every inner column the preds need when it is not a Project.
func exposeAll(n plan.Node, _ []plan.Expr) plan.Node { return n }

// pullAggregate pulls correlated equalities through an Aggregate by adding
// their inner sides as grouping keys.
func (b *binder) pullAggregate(x *plan.Aggregate, inner plan.ColumnSet) (plan.Node, []plan.Expr, error) {
	in, preds, err := b.pull(x.Input, inner)
	if err != nil || len(preds) == 0 {
		return x.WithChildren([]plan.Node{in}), preds, err
	}
	agg := &plan.Aggregate{Input: in, Groups: x.Groups, GroupCols: x.GroupCols, Aggs: x.Aggs, AggCols: x.AggCols}
	have := plan.ColumnsOf(agg.GroupCols)
	inCols := in.Columns()
	for _, p := range preds {
		c, ok := p.(*plan.Call)
		if !ok || c.Func != "equal" && c.Func != "is_not_distinct_from" {
			return nil, nil, unsupported("correlated subquery with aggregation and a non-equality correlation")
		}
		for id := range plan.Refs(p) {
			if !inner.Has(id) || have.Has(id) {
				continue
			}
			for _, col := range inCols {
				if col.ID == id {
					agg.Groups = append(agg.Groups, col.Ref())
					agg.GroupCols = append(agg.GroupCols, col)
					have.Add(id)
				}
			}
		}
	}
	return agg, preds, nil
}
