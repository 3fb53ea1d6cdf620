package optimize

import (
	"github.com/medleysql/medley/sql/plan"
)

// PushDownLimits moves a LIMIT towards the scans, where the executor offers
// it to the connector: below projections (which keep the row count), into
// both operands of UNION ALL and into the preserved side of a LEFT JOIN
// (each keeps its own limit of offset+count rows; the original LIMIT stays
// on top). A limit directly over a sort is left there: the executor runs it
// as a top-N.
var PushDownLimits = Rule{Name: "push_down_limits", Apply: func(n plan.Node) plan.Node {
	return plan.TransformDown(n, func(x plan.Node) plan.Node {
		l, ok := x.(*plan.Limit)
		if !ok || l.Count < 0 {
			return x
		}
		return pushLimit(l)
	})
}}

func pushLimit(l *plan.Limit) plan.Node {
	switch in := l.Input.(type) {
	case *plan.Project:
		inner := *l
		inner.Input = in.Input
		out := *in
		out.Input = pushLimit(&inner)
		return &out
	case *plan.SetOp:
		if in.Kind != plan.Union || !in.All {
			return l
		}
		out := *in
		out.Left = limitOf(in.Left, l.Offset+l.Count)
		out.Right = limitOf(in.Right, l.Offset+l.Count)
		return &plan.Limit{Input: &out, Offset: l.Offset, Count: l.Count}
	case *plan.Join:
		if in.Kind != plan.LeftJoin {
			return l
		}
		out := *in
		out.Left = limitOf(in.Left, l.Offset+l.Count)
		return &plan.Limit{Input: &out, Offset: l.Offset, Count: l.Count}
	}
	return l
}

// limitOf puts LIMIT count over n unless n already returns at most count rows.
func limitOf(n plan.Node, count int64) plan.Node {
	if l, ok := n.(*plan.Limit); ok && l.Count >= 0 && l.Count <= count && l.Offset == 0 {
		return n
	}
	return pushLimit(&plan.Limit{Input: n, Offset: 0, Count: count})
}
