package arrowexec

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
)

// joinKind is a join type the executor runs (Substrait's JoinType).
type joinKind = plan.JoinType

// joinMark is JOIN_TYPE_LEFT_MARK (proto value 11), which substrait-go does
// not name.
const joinMark joinKind = 11

// joinNode is a hash join (keys not empty) or a nested-loop join (no keys)
// with the right input as the build side.
type joinNode struct {
	left, right node
	kind        joinKind
	leftKeys    []expr.Expression // over the left schema
	rightKeys   []expr.Expression // over the right schema
	nullSafe    []bool            // is_not_distinct_from keys
	residual    []expr.Expression // conjuncts over left ++ right
	out         *arrow.Schema
}

func (pl *planner) join(r *plan.JoinRel) (node, error) {
	left, err := pl.rel(r.Left())
	if err != nil {
		return nil, err
	}
	right, err := pl.rel(r.Right())
	if err != nil {
		return nil, err
	}
	n := &joinNode{left: left, right: right, kind: r.Type()}
	switch n.kind {
	case plan.JoinTypeInner, plan.JoinTypeLeft, plan.JoinTypeRight, plan.JoinTypeOuter,
		plan.JoinTypeLeftSemi, plan.JoinTypeLeftAnti, plan.JoinTypeLeftSingle, joinMark:
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "JoinRel of type %s is not supported", n.kind)
	}
	if err := checkExpr(r.Expr(), "JoinRel"); err != nil {
		return nil, err
	}
	if err := n.splitCondition(r.Expr()); err != nil {
		return nil, err
	}
	n.out = joinSchema(left.schema(), right.schema(), n.kind)
	var out node = n
	if f := r.PostJoinFilter(); f != nil {
		out = &pipeNode{child: n, op: &filterOp{cond: f, in: n.out, label: "PostJoinFilter"}}
	}
	return out, nil
}

// joinSchema is the output of a join of kind k.
func joinSchema(l, r *arrow.Schema, k joinKind) *arrow.Schema {
	switch k {
	case plan.JoinTypeLeftSemi, plan.JoinTypeLeftAnti:
		return l
	case joinMark:
		return concatSchemas(l, arrow.NewSchema([]arrow.Field{{Name: "mark", Type: arrow.FixedWidthTypes.Boolean, Nullable: true}}, nil), false, false)
	case plan.JoinTypeLeft, plan.JoinTypeLeftSingle:
		return concatSchemas(l, r, false, true)
	case plan.JoinTypeRight:
		return concatSchemas(l, r, true, false)
	case plan.JoinTypeOuter:
		return concatSchemas(l, r, true, true)
	}
	return concatSchemas(l, r, false, false)
}

// splitCondition takes equal(left, right) conjuncts as hash keys and keeps
// the rest as the residual condition.
func (n *joinNode) splitCondition(cond expr.Expression) error {
	nl := int32(n.left.schema().NumFields())
	var rest []expr.Expression
	for _, c := range conjuncts(cond) {
		l, r, safe, ok := keyPair(c, nl)
		if !ok {
			rest = append(rest, c)
			continue
		}
		rr, err := remapFields(r, func(i int32) int32 { return i - nl })
		if err != nil {
			return err
		}
		n.leftKeys = append(n.leftKeys, l)
		n.rightKeys = append(n.rightKeys, rr)
		n.nullSafe = append(n.nullSafe, safe)
	}
	n.residual = rest
	return nil
}

// keyPair recognizes equal(a, b) / is_not_distinct_from(a, b) where one
// side reads only left columns and the other only right columns.
func keyPair(c expr.Expression, nl int32) (l, r expr.Expression, nullSafe, ok bool) {
	sf, isFn := c.(*expr.ScalarFunction)
	if !isFn || sf.NArgs() != 2 || (sf.Name() != "equal" && sf.Name() != "is_not_distinct_from") {
		return nil, nil, false, false
	}
	a, ok1 := sf.Arg(0).(expr.Expression)
	b, ok2 := sf.Arg(1).(expr.Expression)
	if !ok1 || !ok2 {
		return nil, nil, false, false
	}
	side := func(e expr.Expression) int { // 1 left, 2 right, 3 both, 0 none
		used := map[int32]bool{}
		fieldsUsed(e, used)
		s := 0
		for f := range used {
			if f < nl {
				s |= 1
			} else {
				s |= 2
			}
		}
		return s
	}
	sa, sb := side(a), side(b)
	switch {
	case sa == 1 && sb == 2:
		return a, b, sf.Name() != "equal", true
	case sa == 2 && sb == 1:
		return b, a, sf.Name() != "equal", true
	}
	return nil, nil, false, false
}

func (n *joinNode) schema() *arrow.Schema { return n.out }
func (n *joinNode) children() []node      { return []node{n.left, n.right} }

func (n *joinNode) describe() string {
	kind := joinName(n.kind)
	if len(n.leftKeys) == 0 {
		s := "NestedLoopJoin " + kind
		if len(n.residual) > 0 {
			s += ": " + describeExprs(n.residual)
		}
		return s
	}
	var ks []string
	for i := range n.leftKeys {
		op := "="
		if n.nullSafe[i] {
			op = "IS NOT DISTINCT FROM"
		}
		ks = append(ks, fmt.Sprintf("%s %s %s", describeExpr(n.leftKeys[i]), op, describeExpr(n.rightKeys[i])))
	}
	s := fmt.Sprintf("HashJoin %s: %s", kind, joinStrings(ks))
	if len(n.residual) > 0 {
		s += " residual: " + describeExprs(n.residual)
	}
	return s
}

func joinName(k joinKind) string {
	switch k {
	case plan.JoinTypeInner:
		return "INNER"
	case plan.JoinTypeLeft:
		return "LEFT"
	case plan.JoinTypeRight:
		return "RIGHT"
	case plan.JoinTypeOuter:
		return "FULL"
	case plan.JoinTypeLeftSemi:
		return "SEMI"
	case plan.JoinTypeLeftAnti:
		return "ANTI"
	case plan.JoinTypeLeftSingle:
		return "SINGLE"
	case joinMark:
		return "MARK"
	}
	return k.String()
}

func (pl *planner) cross(r *plan.CrossRel) (node, error) {
	left, err := pl.rel(r.Left())
	if err != nil {
		return nil, err
	}
	right, err := pl.rel(r.Right())
	if err != nil {
		return nil, err
	}
	return &joinNode{left: left, right: right, kind: plan.JoinTypeInner,
		out: concatSchemas(left.schema(), right.schema(), false, false)}, nil
}

func (n *joinNode) open(ctx context.Context, r *run) (stream, error) {
	s := &joinStream{node: n, r: r, mem: r.alloc(n)}
	if err := s.compile(); err != nil {
		return nil, err
	}
	right, err := r.openNode(ctx, n.right)
	if err != nil {
		return nil, err
	}
	s.buildIn = right
	left, err := r.openNode(ctx, n.left)
	if err != nil {
		right.close()
		return nil, err
	}
	s.probeIn = left
	return s, nil
}
