// Package substrait turns Medley's logical plan into a Substrait plan
// (substrait-go/v8), following CONVENTIONS.md: the contract with the
// executor. Functions resolve through ext.Collection().
package substrait

import (
	"fmt"

	"github.com/substrait-io/substrait-go/v8/expr"
	splan "github.com/substrait-io/substrait-go/v8/plan"
	stypes "github.com/substrait-io/substrait-go/v8/types"
	proto "github.com/substrait-io/substrait-protobuf/go/substraitpb"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/substrait/ext"
	"github.com/medleysql/medley/sql/types"
)

type converter struct {
	b   splan.Builder
	reg expr.ExtensionRegistry
}

// Convert returns the Substrait plan of a logical plan whose output columns
// are named names.
func Convert(root plan.Node, names []string) (p *splan.Plan, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = sqlerr.New(sqlerr.InternalError, "converting the plan to Substrait: %v", r)
		}
	}()
	b := splan.NewBuilder(ext.Collection())
	c := &converter{b: b, reg: b.GetExprBuilder().Reg}
	rel, err := c.rel(root)
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.InternalError, "converting the plan to Substrait")
	}
	p, err = b.Plan(rel, names)
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.InternalError, "building the Substrait plan")
	}
	return p, nil
}

func (c *converter) rel(n plan.Node) (splan.Rel, error) {
	switch n := n.(type) {
	case *plan.Scan:
		return c.scan(n)
	case *plan.Values:
		return c.values(n)
	case *plan.Filter:
		return c.filter(n)
	case *plan.Project:
		return c.project(n)
	case *plan.Join:
		return c.join(n)
	case *plan.Aggregate:
		return c.aggregate(n)
	case *plan.Distinct:
		return c.distinct(n)
	case *plan.Sort:
		return c.sort(n)
	case *plan.Limit:
		in, err := c.rel(n.Input)
		if err != nil {
			return nil, err
		}
		return c.b.Fetch(in, n.Offset, n.Count)
	case *plan.SetOp:
		return c.setOp(n)
	case *plan.Window:
		return c.window(n)
	}
	return nil, fmt.Errorf("operator %T has no Substrait form", n)
}

// namedStruct is the schema of columns with their names.
func namedStruct(cols []plan.Column) (stypes.NamedStruct, error) {
	ns := stypes.NamedStruct{Struct: stypes.StructType{Nullability: stypes.NullabilityRequired}}
	for _, c := range cols {
		t, err := types.ToSubstrait(c.Type, c.Nullable)
		if err != nil {
			return ns, err
		}
		ns.Names = append(ns.Names, c.Name)
		ns.Struct.Types = append(ns.Struct.Types, t)
	}
	return ns, nil
}

func (c *converter) scan(n *plan.Scan) (splan.Rel, error) {
	schema, err := namedStruct(n.TableCols)
	if err != nil {
		return nil, err
	}
	var rel splan.Rel = c.b.NamedScan([]string{n.Table.Schema, n.Table.Name}, schema)
	if len(n.Filters) > 0 {
		l, err := newLayout(n.TableCols)
		if err != nil {
			return nil, err
		}
		f, err := c.expr(plan.And(n.Filters...), l)
		if err != nil {
			return nil, err
		}
		// substrait-go has no setter for a ReadRel's filter; its expression
		// rewrite sets it (filter first, then best_effort_filter).
		calls := 0
		rel, err = rel.CopyWithExpressionRewrite(func(e expr.Expression) (expr.Expression, error) {
			calls++
			if calls == 1 {
				return f, nil
			}
			return e, nil
		})
		if err != nil {
			return nil, err
		}
	}
	if n.Projection != nil {
		items := make([]*proto.Expression_MaskExpression_StructItem, len(n.Projection))
		for i, p := range n.Projection {
			items[i] = &proto.Expression_MaskExpression_StructItem{Field: int32(p)}
		}
		mask := expr.MaskExpressionFromProto(&proto.Expression_MaskExpression{
			Select: &proto.Expression_MaskExpression_StructSelect{StructItems: items}, MaintainSingularStruct: true})
		rel.(*splan.NamedTableReadRel).SetProjection(mask)
	}
	return rel, nil
}

func (c *converter) values(n *plan.Values) (splan.Rel, error) {
	names := make([]string, len(n.Cols))
	for i, col := range n.Cols {
		names[i] = col.Name
	}
	l, err := newLayout(nil)
	if err != nil {
		return nil, err
	}
	rows := make([]expr.VirtualTableExpressionValue, len(n.Rows))
	for i, r := range n.Rows {
		if rows[i], err = c.exprs(r, l); err != nil {
			return nil, err
		}
	}
	return c.b.VirtualTableFromExpr(names, rows...)
}

func (c *converter) filter(n *plan.Filter) (splan.Rel, error) {
	in, l, err := c.input(n.Input)
	if err != nil {
		return nil, err
	}
	cond, err := c.expr(n.Cond, l)
	if err != nil {
		return nil, err
	}
	return c.b.Filter(in, cond)
}

// input converts a child and returns its layout.
func (c *converter) input(n plan.Node) (splan.Rel, *layout, error) {
	rel, err := c.rel(n)
	if err != nil {
		return nil, nil, err
	}
	l, err := newLayout(n.Columns())
	return rel, l, err
}

// project emits input columns directly and computes the rest.
func (c *converter) project(n *plan.Project) (splan.Rel, error) {
	in, l, err := c.input(n.Input)
	if err != nil {
		return nil, err
	}
	var exprs []expr.Expression
	remap := make([]int32, len(n.Exprs))
	for i, e := range n.Exprs {
		if r, ok := e.(*plan.ColRef); ok {
			if p, ok := l.pos[r.ID]; ok {
				remap[i] = int32(p)
				continue
			}
		}
		x, err := c.expr(e, l)
		if err != nil {
			return nil, err
		}
		remap[i] = int32(len(l.cols) + len(exprs))
		exprs = append(exprs, x)
	}
	if len(exprs) == 0 {
		// ProjectRel needs an expression; compute a constant nobody emits.
		t, _ := c.literal(&plan.Literal{Value: true, Typ: plan.Bool})
		exprs = append(exprs, t)
	}
	return c.b.ProjectRemap(in, remap, exprs...)
}

var joinTypes = map[plan.JoinKind]splan.JoinType{
	plan.InnerJoin: splan.JoinTypeInner, plan.LeftJoin: splan.JoinTypeLeft, plan.RightJoin: splan.JoinTypeRight,
	plan.FullJoin: splan.JoinTypeOuter, plan.SemiJoin: splan.JoinTypeLeftSemi, plan.AntiJoin: splan.JoinTypeLeftAnti,
	plan.SingleJoin: splan.JoinTypeLeftSingle, plan.MarkJoin: proto.JoinRel_JOIN_TYPE_LEFT_MARK,
}

func (c *converter) join(n *plan.Join) (splan.Rel, error) {
	left, err := c.rel(n.Left)
	if err != nil {
		return nil, err
	}
	right, err := c.rel(n.Right)
	if err != nil {
		return nil, err
	}
	if n.Kind == plan.CrossJoin {
		return c.b.Cross(left, right)
	}
	l, err := newLayout(append(append([]plan.Column(nil), n.Left.Columns()...), n.Right.Columns()...))
	if err != nil {
		return nil, err
	}
	var cond plan.Expr = &plan.Literal{Value: true, Typ: plan.Bool}
	if n.Cond != nil {
		cond = n.Cond
	}
	x, err := c.expr(cond, l)
	if err != nil {
		return nil, err
	}
	j, err := c.b.Join(left, right, x, joinTypes[n.Kind])
	if err != nil || n.Kind != plan.MarkJoin {
		return j, err
	}
	return c.markOutput(j, n)
}

// markOutput gives a LEFT_MARK join the record type substrait-go v8 does not
// know (it has none: a Project over it could not emit its columns): a
// Project of references to each output column (the left's, then the mark),
// emitting fields 0..n-1. Substrait-go reads those as the expressions, the
// executor as the join's own fields; both are the same values.
func (c *converter) markOutput(j splan.Rel, n *plan.Join) (splan.Rel, error) {
	exprs, err := c.columnRefs(n.Columns())
	if err != nil {
		return nil, err
	}
	remap := make([]int32, len(exprs))
	for i := range remap {
		remap[i] = int32(i)
	}
	return c.b.ProjectRemap(j, remap, exprs...)
}

// columnRefs are field references to each of cols, the output columns of
// a relation, in order.
func (c *converter) columnRefs(cols []plan.Column) ([]expr.Expression, error) {
	l, err := newLayout(cols)
	if err != nil {
		return nil, err
	}
	refs := make([]expr.Expression, len(cols))
	for i, col := range cols {
		if refs[i], err = c.expr(col.Ref(), l); err != nil {
			return nil, err
		}
	}
	return refs, nil
}
