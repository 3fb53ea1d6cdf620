package optimize

import (
	"github.com/medleysql/medley/sql/plan"
)

// ChooseBuildSides puts the smaller input of each outer join on the right,
// the side the executor builds its hash table from: LEFT JOIN becomes RIGHT
// JOIN with its inputs swapped (and vice versa), FULL JOIN swaps its inputs,
// when the estimates say the right input is the larger one. A projection
// restores the column order. Inner joins are ordered by ReorderJoins;
// semi, anti, mark and single joins keep their sides (their right input is
// the subquery).
var ChooseBuildSides = Rule{Name: "choose_build_sides", Apply: func(n plan.Node) plan.Node {
	return plan.Transform(n, func(x plan.Node) plan.Node {
		j, ok := x.(*plan.Join)
		if !ok {
			return x
		}
		swapped := map[plan.JoinKind]plan.JoinKind{
			plan.LeftJoin: plan.RightJoin, plan.RightJoin: plan.LeftJoin, plan.FullJoin: plan.FullJoin,
		}
		kind, ok := swapped[j.Kind]
		if !ok || plan.EstimateRows(j.Right) <= plan.EstimateRows(j.Left) {
			return x
		}
		out := *j
		out.Kind, out.Left, out.Right = kind, j.Right, j.Left
		return restoreOrder(&out, j.Columns())
	})
}}
