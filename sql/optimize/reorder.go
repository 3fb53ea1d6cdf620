package optimize

import (
	"slices"

	"github.com/medleysql/medley/sql/plan"
)

// ReorderJoins rebuilds each tree of inner and cross joins greedily from
// the row counts the connectors report: it repeatedly joins the two inputs
// connected by a condition whose join is estimated smallest (a cross join
// only when nothing connects), with the smaller input on the build (right)
// side. The FROM clause's order therefore does not matter: TPC-H's
// `FROM part, supplier, partsupp, ...` never builds a cross product. Where
// the column order changes, a projection restores it.
var ReorderJoins = Rule{Name: "reorder_joins", Apply: reorder}

func isInner(n plan.Node) (*plan.Join, bool) {
	j, ok := n.(*plan.Join)
	return j, ok && (j.Kind == plan.InnerJoin || j.Kind == plan.CrossJoin)
}

func reorder(n plan.Node) plan.Node {
	j, ok := isInner(n)
	if !ok {
		ch := n.Children()
		if len(ch) == 0 {
			return n
		}
		nc := make([]plan.Node, len(ch))
		for i, c := range ch {
			nc[i] = reorder(c)
		}
		return n.WithChildren(nc)
	}
	var leaves []plan.Node
	var preds []plan.Expr
	flattenJoins(j, &leaves, &preds)
	for i, l := range leaves {
		leaves[i] = reorder(l)
	}
	out := greedyJoin(leaves, preds)
	return restoreOrder(out, n.Columns())
}

// flattenJoins collects the inputs and conditions of a tree of inner joins.
func flattenJoins(n plan.Node, leaves *[]plan.Node, preds *[]plan.Expr) {
	j, ok := isInner(n)
	if !ok {
		*leaves = append(*leaves, n)
		return
	}
	flattenJoins(j.Left, leaves, preds)
	flattenJoins(j.Right, leaves, preds)
	if j.Cond != nil {
		*preds = append(*preds, plan.Conjuncts(j.Cond)...)
	}
}

type component struct {
	node plan.Node
	cols plan.ColumnSet
	rows float64
}

func newComponent(n plan.Node) component {
	return component{node: n, cols: plan.ColumnsOf(n.Columns()), rows: plan.EstimateRows(n)}
}

func union(a, b plan.ColumnSet) plan.ColumnSet {
	out := plan.ColumnSet{}
	for id := range a {
		out.Add(id)
	}
	for id := range b {
		out.Add(id)
	}
	return out
}

// joinConds returns the conditions that become evaluable when a and b are
// joined (covered by both together but by neither alone).
func joinConds(preds []plan.Expr, a, b plan.ColumnSet) (conds, rest []plan.Expr) {
	both := union(a, b)
	for _, p := range preds {
		if both.Covers(p) && !a.Covers(p) && !b.Covers(p) {
			conds = append(conds, p)
		} else {
			rest = append(rest, p)
		}
	}
	return conds, rest
}

// joinOf joins two components, the larger one probing the smaller's hash
// table.
func joinOf(a, b component, conds []plan.Expr) component {
	if b.rows > a.rows {
		a, b = b, a
	}
	j := &plan.Join{Kind: plan.CrossJoin, Left: a.node, Right: b.node}
	if len(conds) > 0 {
		j.Kind, j.Cond = plan.InnerJoin, plan.And(conds...)
	}
	return component{node: j, cols: union(a.cols, b.cols), rows: plan.EstimateRows(j)}
}

func greedyJoin(leaves []plan.Node, preds []plan.Expr) plan.Node {
	comps := make([]component, len(leaves))
	for i, l := range leaves {
		comps[i] = newComponent(l)
	}
	for len(comps) > 1 {
		bi, bj, best := -1, -1, component{}
		for i := range comps {
			for j := i + 1; j < len(comps); j++ {
				conds, _ := joinConds(preds, comps[i].cols, comps[j].cols)
				if len(conds) == 0 {
					continue
				}
				c := joinOf(comps[i], comps[j], conds)
				if bi < 0 || c.rows < best.rows {
					bi, bj, best = i, j, c
				}
			}
		}
		if bi < 0 { // nothing connects: cross join the two smallest
			slices.SortStableFunc(comps, func(a, b component) int { return compareRows(a.rows, b.rows) })
			bi, bj = 0, 1
			best = joinOf(comps[0], comps[1], nil)
		}
		_, preds = joinConds(preds, comps[bi].cols, comps[bj].cols)
		comps[bi] = best
		comps = slices.Delete(comps, bj, bj+1)
	}
	out := comps[0].node
	if len(preds) > 0 { // conditions over one leaf only (not pushed down)
		out = &plan.Filter{Input: out, Cond: plan.And(preds...)}
	}
	return out
}

func compareRows(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// restoreOrder projects n's columns into the order of want when they differ.
func restoreOrder(n plan.Node, want []plan.Column) plan.Node {
	got := n.Columns()
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		same = got[i].ID == want[i].ID
	}
	if same {
		return n
	}
	exprs := make([]plan.Expr, len(want))
	byID := map[plan.ColumnID]plan.Column{}
	for _, c := range got {
		byID[c.ID] = c
	}
	cols := make([]plan.Column, len(want))
	for i, c := range want {
		cols[i] = byID[c.ID]
		exprs[i] = cols[i].Ref()
	}
	return &plan.Project{Input: n, Exprs: exprs, Cols: cols}
}
