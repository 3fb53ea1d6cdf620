package arrowexec

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
)

// planner turns Substrait relations into physical nodes.
type planner struct {
	ctx    context.Context
	tables TableResolver
	opts   Options
	// remoteReason is why the enclosing pushdown candidate stays local
	// (remote.go).
	remoteReason string
}

// buildPlan is the Substrait consumer: the plan's one root relation as a
// node tree whose output columns carry the root's names.
func buildPlan(ctx context.Context, p *plan.Plan, tables TableResolver, opts Options) (node, error) {
	if p == nil {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "no plan")
	}
	roots := p.GetRoots()
	if len(roots) != 1 {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "plan has %d root relations, expected 1", len(roots))
	}
	pl := &planner{ctx: ctx, tables: tables, opts: opts}
	n, err := pl.rel(roots[0].Input())
	if err != nil {
		return nil, err
	}
	return renameNode(n, roots[0].Names()), nil
}

// rel builds the node of one relation: in its source when a source takes
// the whole subtree (remote.go), else locally.
func (pl *planner) rel(r plan.Rel) (node, error) {
	return pl.relRemoteOr(r, pl.relLocal)
}

// relLocal builds the node of one relation and applies its emit mapping.
func (pl *planner) relLocal(r plan.Rel) (node, error) {
	n, emitted, err := pl.relDirect(r)
	if err != nil {
		return nil, err
	}
	if m := r.OutputMapping(); m != nil && !emitted {
		for _, c := range m {
			if c < 0 || int(c) >= n.schema().NumFields() {
				return nil, sqlerr.New(sqlerr.InvalidColumnReference, "%s: emit column %d out of range", relName(r), c)
			}
		}
		n = &pipeNode{child: n, op: newEmitOp(n.schema(), m)}
	}
	return n, nil
}

// relDirect builds r's node; emitted reports that the node already applied
// r's emit mapping.
func (pl *planner) relDirect(r plan.Rel) (n node, emitted bool, err error) {
	switch r := r.(type) {
	case *plan.NamedTableReadRel:
		n, err = pl.namedScan(pl.ctx, r, -1)
	case *plan.VirtualTableReadRel:
		n, err = pl.values(r)
	case *plan.FilterRel:
		n, err = pl.filter(r)
	case *plan.ProjectRel:
		return pl.project(r)
	case *plan.FetchRel:
		n, err = pl.fetch(r)
	case *plan.SortRel:
		n, err = pl.sort(r, -1)
	case *plan.AggregateRel:
		n, err = pl.aggregate(r)
	case *plan.JoinRel:
		n, err = pl.join(r)
	case *plan.CrossRel:
		n, err = pl.cross(r)
	case *plan.SetRel:
		n, err = pl.setOp(r)
	default:
		err = sqlerr.New(sqlerr.FeatureNotSupported, "relation %s is not supported by the executor", relName(r))
	}
	return n, false, err
}

// relName names a relation type for errors, e.g. "ExtensionLeafRel".
func relName(r plan.Rel) string {
	s := fmt.Sprintf("%T", r)
	if i := len("*plan."); len(s) > i && s[:i] == "*plan." {
		return s[i:]
	}
	return s
}

func (pl *planner) filter(r *plan.FilterRel) (node, error) {
	in, err := pl.rel(r.Input())
	if err != nil {
		return nil, err
	}
	if err := checkExpr(r.Condition(), "FilterRel"); err != nil {
		return nil, err
	}
	return &pipeNode{child: in, op: &filterOp{cond: r.Condition(), in: in.schema(), label: "Filter"}}, nil
}

func (pl *planner) project(r *plan.ProjectRel) (node, bool, error) {
	in, err := pl.rel(r.Input())
	if err != nil {
		return nil, false, err
	}
	exprs := r.Expressions()
	for _, e := range exprs {
		if err := checkExpr(e, "ProjectRel"); err != nil {
			return nil, false, err
		}
	}
	if hasWindow(exprs) {
		n, err := pl.window(in, exprs)
		return n, false, err
	}
	pr := &run{params: pl.opts.Params}
	op, err := newProjectOp(pr, in.schema(), exprs, r.OutputMapping())
	if err != nil {
		return nil, false, err
	}
	return &pipeNode{child: in, op: op}, true, nil
}

func (pl *planner) fetch(r *plan.FetchRel) (node, error) {
	if r.Offset() < 0 {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "OFFSET must not be negative")
	}
	limit := int64(-1)
	if r.Count() >= 0 {
		limit = r.Offset() + r.Count()
	}
	var in node
	var err error
	switch c := r.Input().(type) {
	case *plan.SortRel:
		if c.OutputMapping() == nil && limit >= 0 {
			in, err = pl.sort(c, limit) // top-N
			break
		}
		in, err = pl.rel(c)
	case *plan.NamedTableReadRel:
		if c.OutputMapping() == nil {
			in, err = pl.namedScan(pl.ctx, c, limit)
			break
		}
		in, err = pl.rel(c)
	default:
		in, err = pl.rel(c)
	}
	if err != nil {
		return nil, err
	}
	return &fetchNode{child: in, offset: r.Offset(), count: r.Count()}, nil
}

// checkExpr rejects expressions the executor never runs: subqueries (the
// compiler decorrelates them; clients may send them).
func checkExpr(e expr.Expression, where string) error {
	var bad error
	var visit expr.VisitFunc
	visit = func(x expr.Expression) expr.Expression {
		switch x.(type) {
		case *plan.ScalarSubquery, *plan.InPredicateSubquery, *plan.SetPredicateSubquery, *plan.SetComparisonSubquery:
			bad = sqlerr.New(sqlerr.FeatureNotSupported, "%s: subquery expressions are not supported; decorrelate them into joins", where)
			return x
		}
		return x.Visit(visit)
	}
	visit(e)
	return bad
}

// renameNode gives the output columns the root's names.
func renameNode(n node, names []string) node {
	sch := n.schema()
	if len(names) != sch.NumFields() {
		return n
	}
	fields := make([]arrow.Field, sch.NumFields())
	for i, f := range sch.Fields() {
		f.Name = names[i]
		fields[i] = f
	}
	cols := make([]int32, len(fields))
	for i := range cols {
		cols[i] = int32(i)
	}
	op := newEmitOp(sch, cols)
	op.out = arrow.NewSchema(fields, nil)
	return &pipeNode{child: n, op: &renameOp{emitOp: op}}
}

// renameOp is an emit that only renames; EXPLAIN omits it.
type renameOp struct{ *emitOp }

func (r *renameOp) describe() string { return "Output" }
