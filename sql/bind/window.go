package bind

import (
	"strconv"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// winCtx maps window function calls (by their SQL) to their columns.
type winCtx struct {
	funcs map[string]plan.Column
}

// isWindow reports whether e is a window function call.
func isWindow(e sqlparser.SQLNode) bool {
	return overOf(e) != nil
}

func overOf(e sqlparser.SQLNode) *sqlparser.OverClause {
	if _, _, over, ok := statAgg(e); ok {
		return over
	}
	switch e := e.(type) {
	case *sqlparser.ArgumentLessWindowExpr:
		return orEmpty(e.OverClause)
	case *sqlparser.LagLeadExpr:
		return orEmpty(e.OverClause)
	case *sqlparser.FirstOrLastValueExpr:
		return orEmpty(e.OverClause)
	case *sqlparser.NTHValueExpr:
		return orEmpty(e.OverClause)
	case *sqlparser.NtileExpr:
		return orEmpty(e.OverClause)
	case *sqlparser.Count:
		return e.OverClause
	case *sqlparser.CountStar:
		return e.OverClause
	case *sqlparser.Sum:
		return e.OverClause
	case *sqlparser.Avg:
		return e.OverClause
	case *sqlparser.Min:
		return e.OverClause
	case *sqlparser.Max:
		return e.OverClause
	}
	return nil
}

func orEmpty(o *sqlparser.OverClause) *sqlparser.OverClause {
	if o == nil {
		return &sqlparser.OverClause{}
	}
	return o
}

func needsWindow(sel []sqlparser.SelectExpr, order sqlparser.OrderBy) bool {
	for _, se := range sel {
		if len(collect(se, isWindow, nil)) > 0 {
			return true
		}
	}
	return len(collect(order, isWindow, nil)) > 0
}

// windows computes the window functions of the SELECT list and ORDER BY.
func (b *binder) windows(n plan.Node, ctx *exprCtx, s *sqlparser.Select, sel []sqlparser.SelectExpr) (plan.Node, *exprCtx, error) {
	var calls []sqlparser.Expr
	for _, se := range sel {
		calls = collect(se, isWindow, calls)
	}
	calls = collect(s.OrderBy, isWindow, calls)
	w := &plan.Window{Input: n}
	wc := &winCtx{funcs: map[string]plan.Column{}}
	argCtx := *ctx
	argCtx.clause = "window function calls"
	for _, c := range calls {
		key := sqlparser.String(c)
		if _, ok := wc.funcs[key]; ok {
			continue
		}
		call, err := b.windowCall(&argCtx, c, s.Windows)
		if err != nil {
			return nil, nil, err
		}
		col := b.newCol(defaultName(c), call.Typ, true)
		w.Funcs, w.Cols = append(w.Funcs, call), append(w.Cols, col)
		wc.funcs[key] = col
	}
	out := *ctx
	out.win = wc
	return w, &out, nil
}

// stripOver returns a copy of an aggregate call without its OVER clause.
func stripOver(e sqlparser.Expr) sqlparser.Expr {
	if s, ok := stripStatOver(e); ok {
		return s
	}
	switch e := e.(type) {
	case *sqlparser.Count:
		c := *e
		c.OverClause = nil
		return &c
	case *sqlparser.CountStar:
		return &sqlparser.CountStar{}
	case *sqlparser.Sum:
		c := *e
		c.OverClause = nil
		return &c
	case *sqlparser.Avg:
		c := *e
		c.OverClause = nil
		return &c
	case *sqlparser.Min:
		c := *e
		c.OverClause = nil
		return &c
	case *sqlparser.Max:
		c := *e
		c.OverClause = nil
		return &c
	}
	return e
}

func (b *binder) windowSpec(ctx *exprCtx, call *plan.WindowCall, over *sqlparser.OverClause, named sqlparser.NamedWindows) error {
	spec := over.WindowSpec
	if !over.WindowName.IsEmpty() {
		spec = findWindow(named, over.WindowName.String())
		if spec == nil {
			return b.errAt(sqlerr.UndefinedObject, over.WindowName.String(), "window \"%s\" does not exist", over.WindowName.String())
		}
	}
	if spec == nil {
		spec = &sqlparser.WindowSpecification{}
	}
	var err error
	if call.Partition, err = b.exprs(ctx, spec.PartitionClause); err != nil {
		return err
	}
	for _, o := range spec.OrderClause {
		k := plan.SortKey{Desc: o.Direction == sqlparser.DescOrder}
		k.NullsFirst = k.Desc
		e := o.Expr
		if f, ok := e.(*sqlparser.FuncExpr); ok && len(f.Exprs) == 1 {
			switch f.Name.Lowered() {
			case nullsFirstFunc:
				e, k.NullsFirst = f.Exprs[0], true
			case nullsLastFunc:
				e, k.NullsFirst = f.Exprs[0], false
			}
		}
		if k.Expr, err = b.expr(ctx, e); err != nil {
			return err
		}
		call.Order = append(call.Order, k)
	}
	call.Frame = plan.Frame{Start: plan.Bound{Kind: plan.UnboundedPreceding}, End: plan.Bound{Kind: plan.CurrentRow}}
	if len(call.Order) == 0 {
		call.Frame.End = plan.Bound{Kind: plan.UnboundedFollowing}
	}
	if f := spec.FrameClause; f != nil {
		call.Frame.Rows = f.Unit == sqlparser.FrameRowsType
		if call.Frame.Start, err = b.bound(f.Start); err != nil {
			return err
		}
		call.Frame.End = plan.Bound{Kind: plan.CurrentRow}
		if f.End != nil {
			if call.Frame.End, err = b.bound(f.End); err != nil {
				return err
			}
		}
		return checkFrame(call.Frame, f.End == nil)
	}
	return nil
}

// checkFrame rejects the frames PostgreSQL's grammar rejects (42P20); a
// frame that is merely empty for some rows (ROWS BETWEEN 2 FOLLOWING AND 1
// FOLLOWING) is allowed.
func checkFrame(f plan.Frame, single bool) error {
	start, end := f.Start.Kind, f.End.Kind
	msg := ""
	switch {
	case start == plan.UnboundedFollowing:
		msg = "frame start cannot be UNBOUNDED FOLLOWING"
	case single && start == plan.Following:
		msg = "frame starting from following row cannot end with current row"
	case end == plan.UnboundedPreceding:
		msg = "frame end cannot be UNBOUNDED PRECEDING"
	case start == plan.CurrentRow && end == plan.Preceding:
		msg = "frame starting from current row cannot have preceding rows"
	case start == plan.Following && (end == plan.Preceding || end == plan.CurrentRow):
		msg = "frame starting from following row cannot have preceding rows"
	default:
		return nil
	}
	return sqlerr.New(sqlerr.WindowingError, "%s", msg)
}

func findWindow(named sqlparser.NamedWindows, name string) *sqlparser.WindowSpecification {
	for _, nw := range named {
		for _, d := range nw.Windows {
			if d.Name.String() == name {
				return d.WindowSpec
			}
		}
	}
	return nil
}

func (b *binder) bound(p *sqlparser.FramePoint) (plan.Bound, error) {
	switch p.Type {
	case sqlparser.CurrentRowType:
		return plan.Bound{Kind: plan.CurrentRow}, nil
	case sqlparser.UnboundedPrecedingType:
		return plan.Bound{Kind: plan.UnboundedPreceding}, nil
	case sqlparser.UnboundedFollowingType:
		return plan.Bound{Kind: plan.UnboundedFollowing}, nil
	}
	lit, ok := p.Expr.(*sqlparser.Literal)
	if !ok || lit.Type != sqlparser.IntVal {
		return plan.Bound{}, unsupported("window frame offsets must be integer constants")
	}
	v, err := strconv.ParseInt(lit.Val, 10, 64)
	if err != nil || v < 0 {
		return plan.Bound{}, sqlerr.New(sqlerr.InvalidParameterValue, "frame offset must not be negative")
	}
	kind := plan.Preceding
	if p.Type == sqlparser.ExprFollowingType {
		kind = plan.Following
	}
	return plan.Bound{Kind: kind, Offset: v}, nil
}
