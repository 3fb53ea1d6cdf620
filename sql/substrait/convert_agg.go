package substrait

import (
	"github.com/substrait-io/substrait-go/v8/expr"
	splan "github.com/substrait-io/substrait-go/v8/plan"
	stypes "github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/types"
)

func (c *converter) aggregate(n *plan.Aggregate) (splan.Rel, error) {
	in, l, err := c.input(n.Input)
	if err != nil {
		return nil, err
	}
	groups, err := c.exprs(n.Groups, l)
	if err != nil {
		return nil, err
	}
	measures := make([]splan.AggRelMeasure, len(n.Aggs))
	for i, a := range n.Aggs {
		args, sig, err := c.args(a.Args, l)
		if err != nil {
			return nil, err
		}
		v, err := pick(index().aggregate[a.Func], a.Func, sig)
		if err != nil {
			return nil, err
		}
		t, err := types.ToSubstrait(a.Typ, a.Func != "count")
		if err != nil {
			return nil, err
		}
		inv := stypes.AggInvocationAll
		if a.Distinct {
			inv = stypes.AggInvocationDistinct
		}
		f, err := expr.NewCustomAggregateFunc(c.reg, v, t, nil, inv, stypes.AggPhaseInitialToResult, nil, args...)
		if err != nil {
			return nil, err
		}
		// substrait-go's custom constructor leaves the function's declaration
		// unset (Name() panics); reading it back from protobuf resolves it
		// from the registry, as a consumer receiving the plan would.
		if f, err = expr.NewAggregateFunctionFromProto(f.ToProto(), l.rec, c.reg); err != nil {
			return nil, err
		}
		var filter expr.Expression
		if a.Filter != nil {
			if filter, err = c.expr(a.Filter, l); err != nil {
				return nil, err
			}
		}
		measures[i] = c.b.Measure(f, filter)
	}
	if len(groups) == 0 {
		return c.b.AggregateExprs(in, measures)
	}
	return c.b.AggregateExprs(in, measures, groups)
}

// distinct is an AggregateRel grouping by every column.
func (c *converter) distinct(n *plan.Distinct) (splan.Rel, error) {
	in, l, err := c.input(n.Input)
	if err != nil {
		return nil, err
	}
	groups := make([]expr.Expression, len(l.cols))
	for i := range l.cols {
		if groups[i], err = expr.NewRootFieldRef(expr.NewStructFieldRef(int32(i)), l.rec); err != nil {
			return nil, err
		}
	}
	return c.b.AggregateExprs(in, nil, groups)
}

func (c *converter) sort(n *plan.Sort) (splan.Rel, error) {
	in, l, err := c.input(n.Input)
	if err != nil {
		return nil, err
	}
	keys, err := c.sortFields(n.Keys, l)
	if err != nil {
		return nil, err
	}
	return c.b.Sort(in, keys...)
}

func (c *converter) setOp(n *plan.SetOp) (splan.Rel, error) {
	left, err := c.rel(n.Left)
	if err != nil {
		return nil, err
	}
	right, err := c.rel(n.Right)
	if err != nil {
		return nil, err
	}
	var op splan.SetOp
	switch {
	case n.Kind == plan.Union && n.All:
		op = splan.SetOpUnionAll
	case n.Kind == plan.Union:
		op = splan.SetOpUnionDistinct
	case n.Kind == plan.Intersect && n.All:
		op = splan.SetOp(8) // SET_OP_INTERSECTION_MULTISET_ALL
	case n.Kind == plan.Intersect:
		op = splan.SetOpIntersectionPrimary
	case n.All:
		op = splan.SetOp(7) // SET_OP_MINUS_PRIMARY_ALL
	default:
		op = splan.SetOpMinusPrimary
	}
	if left, err = c.nullableLike(left, n.Left, right); err != nil {
		return nil, err
	}
	if right, err = c.nullableLike(right, n.Right, left); err != nil {
		return nil, err
	}
	return c.b.Set(op, left, right)
}

// nullableLike returns rel (the relation of node n) with the columns that
// are nullable in other made nullable too (a cast to the same type),
// because substrait-go's SetRel wants its inputs' types equal, nullability
// included: SELECT not_null_col UNION SELECT 3 has i64 and i64?.
func (c *converter) nullableLike(rel splan.Rel, n plan.Node, other splan.Rel) (splan.Rel, error) {
	mine, theirs := rel.RecordType().Types(), other.RecordType().Types()
	if len(mine) != len(theirs) {
		return rel, nil // substrait-go reports the mismatch
	}
	widen := func(i int) bool {
		return mine[i].GetNullability() != stypes.NullabilityNullable && theirs[i].GetNullability() == stypes.NullabilityNullable
	}
	need := false
	for i := range mine {
		need = need || widen(i)
	}
	if !need {
		return rel, nil
	}
	exprs, err := c.columnRefs(n.Columns())
	if err != nil {
		return nil, err
	}
	remap := make([]int32, len(mine))
	for i := range exprs {
		if widen(i) {
			exprs[i] = &expr.Cast{Type: mine[i].WithNullability(stypes.NullabilityNullable), Input: exprs[i],
				FailureBehavior: stypes.BehaviorThrowException}
		}
		remap[i] = int32(len(mine) + i)
	}
	return c.b.ProjectRemap(rel, remap, exprs...)
}

// window is a ProjectRel of WindowFunction expressions: the input's columns
// then one column per function.
func (c *converter) window(n *plan.Window) (splan.Rel, error) {
	in, l, err := c.input(n.Input)
	if err != nil {
		return nil, err
	}
	exprs := make([]expr.Expression, len(n.Funcs))
	for i, f := range n.Funcs {
		if exprs[i], err = c.windowFunc(f, l); err != nil {
			return nil, err
		}
	}
	return c.b.Project(in, exprs...)
}

func (c *converter) windowFunc(f plan.WindowCall, l *layout) (expr.Expression, error) {
	args, sig, err := c.args(f.Args, l)
	if err != nil {
		return nil, err
	}
	v, err := pick(index().window[f.Func], f.Func, sig)
	if err != nil {
		return nil, err
	}
	t, err := types.ToSubstrait(f.Typ, true)
	if err != nil {
		return nil, err
	}
	w, err := expr.NewCustomWindowFunc(c.reg, v, t, nil, stypes.AggInvocationAll, stypes.AggPhaseInitialToResult, args...)
	if err != nil {
		return nil, err
	}
	if w.Partitions, err = c.exprs(f.Partition, l); err != nil {
		return nil, err
	}
	if w.Sorts, err = c.sortFields(f.Order, l); err != nil {
		return nil, err
	}
	w.BoundsType = stypes.BoundsTypeRange
	if f.Frame.Rows {
		w.BoundsType = stypes.BoundsTypeRows
	}
	w.LowerBound, w.UpperBound = bound(f.Frame.Start), bound(f.Frame.End)
	return w, nil
}

func bound(b plan.Bound) expr.Bound {
	switch b.Kind {
	case plan.Preceding:
		return expr.PrecedingBound(b.Offset)
	case plan.CurrentRow:
		return expr.CurrentRow{}
	case plan.Following:
		return expr.FollowingBound(b.Offset)
	}
	return expr.Unbounded{}
}
