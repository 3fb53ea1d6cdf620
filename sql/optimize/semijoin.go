package optimize

import (
	"github.com/medleysql/medley/sql/plan"
)

// PushDownSemiJoins moves a semi or anti join (EXISTS, IN, NOT EXISTS
// after decorrelation) below the inner joins of its left input, onto the
// input whose columns its condition reads: (A ⋈ B) ⋉ S = (A ⋉ S) ⋈ B. The
// subquery then filters A before A is joined, and ReorderJoins sees the
// smaller input (TPC-H Q18: the 57 large orders filter orders, not the
// join of all of lineitem with orders and customer). It moves only when A
// is estimated smaller than A ⋈ B, so that it probes fewer rows (in TPC-H
// Q21 the join with one nation's suppliers shrinks lineitem first).
var PushDownSemiJoins = Rule{Name: "push_down_semi_joins", Apply: func(n plan.Node) plan.Node {
	return plan.Transform(n, func(x plan.Node) plan.Node {
		if j, ok := x.(*plan.Join); ok {
			return pushSemi(j)
		}
		return x
	})
}}

func pushSemi(j *plan.Join) plan.Node {
	if (j.Kind != plan.SemiJoin && j.Kind != plan.AntiJoin) || j.Cond == nil {
		return j
	}
	in, ok := isInner(j.Left)
	if !ok {
		return j
	}
	right := plan.ColumnsOf(j.Right.Columns())
	reads := plan.ColumnSet{}
	for id := range plan.Refs(j.Cond) {
		if !right.Has(id) {
			reads.Add(id)
		}
	}
	covered := func(n plan.Node) bool {
		cols := plan.ColumnsOf(n.Columns())
		for id := range reads {
			if !cols.Has(id) {
				return false
			}
		}
		return true
	}
	out := *in
	rows := plan.EstimateRows(in)
	smaller := func(n plan.Node) bool { return plan.EstimateRows(n) < rows }
	switch {
	case covered(in.Left) && smaller(in.Left):
		s := *j
		s.Left = in.Left
		out.Left = pushSemi(&s)
	case covered(in.Right) && smaller(in.Right):
		s := *j
		s.Left = in.Right
		out.Right = pushSemi(&s)
	default:
		return j
	}
	return &out
}
