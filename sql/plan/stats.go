package plan

import "math"

// DefaultRows is the row count assumed for a table whose source does not
// report one.
const DefaultRows = 1000

// EstimateRows estimates the number of rows an operator returns, from the
// sources' row counts and fixed selectivities (equality 0.1, other
// predicates 1/3), as the optimizer's cost model.
func EstimateRows(n Node) float64 {
	switch n := n.(type) {
	case *Scan:
		rows := float64(n.Table.Rows)
		if rows < 0 {
			rows = DefaultRows
		}
		for _, f := range n.Filters {
			rows *= Selectivity(f)
		}
		return atLeastOne(rows)
	case *Values:
		return float64(len(n.Rows))
	case *Filter:
		return atLeastOne(EstimateRows(n.Input) * Selectivity(n.Cond))
	case *Join:
		return joinRows(n)
	case *Aggregate:
		if len(n.Groups) == 0 {
			return 1
		}
		in := EstimateRows(n.Input)
		return atLeastOne(math.Min(in, math.Max(1, in*math.Pow(0.1, float64(len(n.Groups))))*10))
	case *Limit:
		in := math.Max(0, EstimateRows(n.Input)-float64(n.Offset))
		if n.Count >= 0 {
			return math.Min(in, float64(n.Count))
		}
		return in
	case *SetOp:
		l, r := EstimateRows(n.Left), EstimateRows(n.Right)
		switch n.Kind {
		case Union:
			return l + r
		case Intersect:
			return math.Min(l, r)
		}
		return l
	case *Distinct:
		return atLeastOne(EstimateRows(n.Input) * 0.5)
	}
	ch := n.Children()
	if len(ch) == 1 {
		return EstimateRows(ch[0])
	}
	return 1
}

func atLeastOne(r float64) float64 { return math.Max(1, math.Round(r)) }

func joinRows(n *Join) float64 {
	l, r := EstimateRows(n.Left), EstimateRows(n.Right)
	switch n.Kind {
	case SemiJoin, AntiJoin:
		return atLeastOne(l * 0.5)
	case MarkJoin, SingleJoin:
		return l
	case CrossJoin:
		return l * r
	}
	rows := l * r
	equi := false
	for _, c := range Conjuncts(n.Cond) {
		if isEquality(c) && !equi {
			rows = equiJoinRows(c.(*Call), n, l, r)
			equi = true
			continue
		}
		rows *= Selectivity(c)
	}
	switch n.Kind {
	case LeftJoin:
		rows = math.Max(rows, l)
	case RightJoin:
		rows = math.Max(rows, r)
	case FullJoin:
		rows = math.Max(rows, l+r)
	}
	return atLeastOne(rows)
}

// equiJoinRows estimates the rows of a join on a = b: |L|·|R| / max(ndv(a),
// ndv(b)), each side's distinct count capped by its rows. Without distinct
// counts the join is taken for a key/foreign-key join, which returns the
// larger side's rows.
func equiJoinRows(eq *Call, n *Join, l, r float64) float64 {
	a, b := eq.Args[0].(*ColRef), eq.Args[1].(*ColRef)
	da, db := distinctOf(n.Left, a.ID, b.ID), distinctOf(n.Right, a.ID, b.ID)
	if da <= 0 && db <= 0 {
		return math.Max(l, r)
	}
	if da <= 0 {
		da = l
	}
	if db <= 0 {
		db = r
	}
	return l * r / math.Max(math.Min(da, l), math.Min(db, r))
}

// distinctOf returns the distinct count of whichever of ids n outputs, 0
// when unknown.
func distinctOf(n Node, ids ...ColumnID) float64 {
	for _, c := range n.Columns() {
		for _, id := range ids {
			if c.ID == id {
				return float64(c.Distinct)
			}
		}
	}
	return 0
}

func isEquality(e Expr) bool {
	c, ok := e.(*Call)
	if !ok || (c.Func != "equal" && c.Func != "is_not_distinct_from") {
		return false
	}
	_, l := c.Args[0].(*ColRef)
	_, r := c.Args[1].(*ColRef)
	return l && r
}

// Selectivity estimates the fraction of rows a predicate keeps.
func Selectivity(e Expr) float64 {
	c, ok := e.(*Call)
	if !ok {
		if _, ok := e.(*InList); ok {
			return 0.2
		}
		return 1.0 / 3
	}
	switch c.Func {
	case "and":
		s := 1.0
		for _, a := range c.Args {
			s *= Selectivity(a)
		}
		return s
	case "or":
		s := 0.0
		for _, a := range c.Args {
			s += Selectivity(a)
		}
		return math.Min(1, s)
	case "equal", "is_not_distinct_from":
		return 0.1
	case "not_equal", "is_not_null":
		return 0.9
	case "is_null":
		return 0.1
	case "like":
		return 0.25
	}
	return 1.0 / 3
}
