package pred

// Stats is what is known of one column in a chunk of rows (a Parquet row
// group, a file). Min and Max are Values of the column's representation,
// nil when unknown. NullCount and Rows are -1 when unknown.
type Stats struct {
	Min, Max  Value
	NullCount int64
	Rows      int64
	// Float columns may hold NaNs that min/max statistics leave out;
	// pruning then never excludes rows by an upper bound.
	Float bool
}

// StatsOf returns the statistics of a column, ok=false when none are known.
type StatsOf func(col int) (Stats, bool)

// MayMatch reports whether some row of a chunk described by stats might
// satisfy n. false means no row can; true means "maybe".
func MayMatch(n *Node, stats StatsOf) bool {
	switch n.Op {
	case And:
		for _, a := range n.Args {
			if !MayMatch(a, stats) {
				return false
			}
		}
		return true
	case Or:
		for _, a := range n.Args {
			if MayMatch(a, stats) {
				return true
			}
		}
		return false
	case Not:
		if neg := negate(n.Args[0]); neg != nil {
			return MayMatch(neg, stats)
		}
		return true
	}
	st, ok := stats(n.Col)
	if !ok {
		return true
	}
	allNull := st.Rows >= 0 && st.NullCount >= 0 && st.NullCount == st.Rows
	switch n.Op {
	case IsNull:
		return st.NullCount != 0
	case IsNotNull:
		return !allNull
	case In:
		if allNull {
			return false
		}
		for _, v := range n.List {
			if v != nil && cmpMayMatch(Eq, v, st) {
				return true
			}
		}
		return false
	}
	if n.Val == nil || allNull {
		return false // a comparison with NULL, or of NULLs, is never true
	}
	return cmpMayMatch(n.Op, n.Val, st)
}

func cmpMayMatch(op Op, v Value, st Stats) bool {
	if st.Min == nil || st.Max == nil {
		return true
	}
	if st.Float {
		if f, ok := v.(float64); ok && f != f {
			return true // NaN literal: stats say nothing about NaNs
		}
	}
	lo, hi := CompareValues(st.Min, v), CompareValues(st.Max, v)
	switch op {
	case Eq:
		return lo <= 0 && hi >= 0
	case Ne:
		return !(lo == 0 && hi == 0) || st.Float
	case Lt:
		return lo < 0
	case Le:
		return lo <= 0
	case Gt:
		return hi > 0 || st.Float
	default: // Ge
		return hi >= 0 || st.Float
	}
}

// negate returns the tree equivalent to NOT n under three-valued logic, or
// nil when there is none simple enough.
func negate(n *Node) *Node {
	inv := map[Op]Op{Eq: Ne, Ne: Eq, Lt: Ge, Le: Gt, Gt: Le, Ge: Lt, IsNull: IsNotNull, IsNotNull: IsNull}
	if op, ok := inv[n.Op]; ok {
		c := *n
		c.Op = op
		return &c
	}
	switch n.Op {
	case Not:
		return n.Args[0]
	case And, Or:
		out := &Node{Op: And}
		if n.Op == And {
			out.Op = Or
		}
		for _, a := range n.Args {
			neg := negate(a)
			if neg == nil {
				return nil
			}
			out.Args = append(out.Args, neg)
		}
		return out
	}
	return nil
}
