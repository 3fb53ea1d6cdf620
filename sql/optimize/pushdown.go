package optimize

import (
	"github.com/medleysql/medley/sql/plan"
)

// PushDownPredicates moves filter conjuncts as close to the data as they
// can go: through projections (substituting the projected expressions),
// sorts, DISTINCT and set operations, into the inputs of joins (both sides
// of inner joins, the preserved side of outer joins, the inner side's own
// conjuncts of ON conditions), through aggregations when they only read
// grouping keys, and finally into the scans' filters (which the executor
// offers to the connector). A cross join with a condition above it becomes
// an inner join.
var PushDownPredicates = Rule{Name: "push_down_predicates", Apply: func(n plan.Node) plan.Node {
	return pushDown(n, nil)
}}

// withFilter puts the predicates that stay on top of n.
func withFilter(n plan.Node, preds []plan.Expr) plan.Node {
	if len(preds) == 0 {
		return n
	}
	return &plan.Filter{Input: n, Cond: plan.And(preds...)}
}

// split divides preds into those covered by cols and the rest.
func split(preds []plan.Expr, cols plan.ColumnSet) (in, out []plan.Expr) {
	for _, p := range preds {
		if cols.Covers(p) {
			in = append(in, p)
		} else {
			out = append(out, p)
		}
	}
	return in, out
}

func pushDown(n plan.Node, preds []plan.Expr) plan.Node {
	switch x := n.(type) {
	case *plan.Filter:
		return pushDown(x.Input, append(preds, plan.Conjuncts(x.Cond)...))
	case *plan.Scan:
		if len(preds) == 0 {
			return x
		}
		s := *x
		s.Filters = append(append([]plan.Expr(nil), x.Filters...), preds...)
		return &s
	case *plan.Project:
		return pushProject(x, preds)
	case *plan.Join:
		return pushJoin(x, preds)
	case *plan.Aggregate:
		return pushAggregate(x, preds)
	case *plan.Sort, *plan.Distinct:
		return n.WithChildren([]plan.Node{pushDown(n.Children()[0], preds)})
	case *plan.SetOp:
		return pushSetOp(x, preds)
	}
	ch := n.Children()
	if len(ch) > 0 {
		nc := make([]plan.Node, len(ch))
		for i, c := range ch {
			nc[i] = pushDown(c, nil)
		}
		n = n.WithChildren(nc)
	}
	return withFilter(n, preds)
}

func pushProject(p *plan.Project, preds []plan.Expr) plan.Node {
	m := make(map[plan.ColumnID]plan.Expr, len(p.Cols))
	for i, c := range p.Cols {
		m[c.ID] = p.Exprs[i]
	}
	below := make([]plan.Expr, len(preds))
	for i, pr := range preds {
		below[i] = plan.Substitute(pr, m)
	}
	return p.WithChildren([]plan.Node{pushDown(p.Input, below)})
}

func pushJoin(j *plan.Join, preds []plan.Expr) plan.Node {
	lcols, rcols := plan.ColumnsOf(j.Left.Columns()), plan.ColumnsOf(j.Right.Columns())
	cond := plan.Conjuncts(j.Cond)
	var toLeft, toRight, above []plan.Expr
	out := *j
	switch j.Kind {
	case plan.InnerJoin, plan.CrossJoin:
		all := append(append([]plan.Expr(nil), preds...), cond...)
		toLeft, all = split(all, lcols)
		toRight, all = split(all, rcols)
		out.Cond = nil
		out.Kind = plan.CrossJoin
		if len(all) > 0 {
			out.Kind, out.Cond = plan.InnerJoin, plan.And(all...)
		}
	case plan.LeftJoin, plan.SemiJoin, plan.AntiJoin, plan.SingleJoin, plan.MarkJoin:
		toLeft, above = split(preds, lcols)
		var keep []plan.Expr
		toRight, keep = split(cond, rcols)
		out.Cond = condOrTrue(keep)
	case plan.RightJoin:
		toRight, above = split(preds, rcols)
		var keep []plan.Expr
		toLeft, keep = split(cond, lcols)
		out.Cond = condOrTrue(keep)
	default: // FULL: nothing moves
		above = preds
	}
	out.Left = pushDown(j.Left, toLeft)
	out.Right = pushDown(j.Right, toRight)
	return withFilter(&out, above)
}

func condOrTrue(cs []plan.Expr) plan.Expr {
	if len(cs) == 0 {
		return boolLit(true)
	}
	return plan.And(cs...)
}

// pushAggregate pushes predicates over grouping keys below the aggregation.
func pushAggregate(a *plan.Aggregate, preds []plan.Expr) plan.Node {
	m := make(map[plan.ColumnID]plan.Expr, len(a.GroupCols))
	keys := plan.ColumnSet{}
	for i, c := range a.GroupCols {
		m[c.ID] = a.Groups[i]
		keys.Add(c.ID)
	}
	var below, above []plan.Expr
	for _, p := range preds {
		if len(a.Groups) > 0 && keys.Covers(p) {
			below = append(below, plan.Substitute(p, m))
		} else {
			above = append(above, p)
		}
	}
	return withFilter(a.WithChildren([]plan.Node{pushDown(a.Input, below)}), above)
}

// pushSetOp pushes predicates into both operands, translating the set
// operation's columns into each operand's.
func pushSetOp(s *plan.SetOp, preds []plan.Expr) plan.Node {
	sides := []plan.Node{s.Left, s.Right}
	out := make([]plan.Node, 2)
	for i, side := range sides {
		cols := side.Columns()
		m := make(map[plan.ColumnID]plan.Expr, len(cols))
		for j, c := range s.Cols {
			m[c.ID] = cols[j].Ref()
		}
		sp := make([]plan.Expr, len(preds))
		for j, p := range preds {
			sp[j] = plan.Substitute(p, m)
		}
		out[i] = pushDown(side, sp)
	}
	return s.WithChildren(out)
}
