package substrait

import (
	"fmt"
	"sort"

	"github.com/substrait-io/substrait-go/v8/expr"
	stypes "github.com/substrait-io/substrait-go/v8/types"
	proto "github.com/substrait-io/substrait-protobuf/go/substraitpb"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/types"
)

// layout maps the columns of a relation's output to field positions.
type layout struct {
	cols []plan.Column
	pos  map[plan.ColumnID]int
	rec  *stypes.RecordType
}

func newLayout(cols []plan.Column) (*layout, error) {
	l := &layout{cols: cols, pos: make(map[plan.ColumnID]int, len(cols))}
	ts := make([]stypes.Type, len(cols))
	for i, c := range cols {
		if _, ok := l.pos[c.ID]; !ok {
			l.pos[c.ID] = i
		}
		t, err := types.ToSubstrait(c.Type, c.Nullable)
		if err != nil {
			return nil, err
		}
		ts[i] = t
	}
	l.rec = stypes.NewRecordTypeFromTypes(ts)
	return l, nil
}

func (c *converter) expr(e plan.Expr, l *layout) (expr.Expression, error) {
	switch e := e.(type) {
	case *plan.ColRef:
		i, ok := l.pos[e.ID]
		if !ok {
			return nil, fmt.Errorf("column %s (#%d) is not in the input", e.Name, e.ID)
		}
		return expr.NewRootFieldRef(expr.NewStructFieldRef(int32(i)), l.rec)
	case *plan.Literal:
		return c.literal(e)
	case *plan.Param:
		t, err := types.ToSubstrait(e.Typ, true)
		if err != nil {
			return nil, err
		}
		return &expr.DynamicParameter{OutputType: t, ParameterReference: uint32(e.Index)}, nil
	case *plan.Call:
		return c.call(e, l)
	case *plan.Cast:
		in, err := c.expr(e.Input, l)
		if err != nil {
			return nil, err
		}
		t, err := types.ToSubstrait(e.Typ, true)
		if err != nil {
			return nil, err
		}
		return &expr.Cast{Type: t, Input: in, FailureBehavior: stypes.BehaviorThrowException}, nil
	case *plan.Case:
		return c.caseExpr(e, l)
	case *plan.InList:
		v, err := c.expr(e.Input, l)
		if err != nil {
			return nil, err
		}
		opts, err := c.exprs(e.List, l)
		if err != nil {
			return nil, err
		}
		return &expr.SingularOrList{Value: v, Options: opts}, nil
	}
	return nil, fmt.Errorf("expression %s has no Substrait form", e)
}

func (c *converter) exprs(es []plan.Expr, l *layout) ([]expr.Expression, error) {
	out := make([]expr.Expression, len(es))
	for i, e := range es {
		x, err := c.expr(e, l)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

// args converts function arguments; enums become enum arguments and have a
// nil type in the returned signature.
func (c *converter) args(es []plan.Expr, l *layout) ([]stypes.FuncArg, []stypes.Type, error) {
	args := make([]stypes.FuncArg, len(es))
	sig := make([]stypes.Type, len(es))
	for i, e := range es {
		if en, ok := e.(*plan.Enum); ok {
			args[i] = stypes.Enum(en.Value)
			continue
		}
		x, err := c.expr(e, l)
		if err != nil {
			return nil, nil, err
		}
		args[i], sig[i] = x, x.GetType()
	}
	return args, sig, nil
}

func options(m map[string]string) []*stypes.FunctionOption {
	if len(m) == 0 {
		return nil
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]*stypes.FunctionOption, len(names))
	for i, k := range names {
		out[i] = &stypes.FunctionOption{Name: k, Preference: []string{m[k]}}
	}
	return out
}

func (c *converter) call(e *plan.Call, l *layout) (expr.Expression, error) {
	args, sig, err := c.args(e.Args, l)
	if err != nil {
		return nil, err
	}
	v, err := pick(index().scalar[e.Func], e.Func, sig)
	if err != nil {
		return nil, err
	}
	t, err := types.ToSubstrait(e.Typ, true)
	if err != nil {
		return nil, err
	}
	return expr.NewCustomScalarFunc(c.reg, v, t, options(e.Options), args...)
}

// caseExpr builds an IfThen through its protobuf form (substrait-go's
// constructor insists on identical nullability of the branches).
func (c *converter) caseExpr(e *plan.Case, l *layout) (expr.Expression, error) {
	p := &proto.Expression_IfThen{}
	for _, w := range e.Whens {
		cond, err := c.expr(w.Cond, l)
		if err != nil {
			return nil, err
		}
		then, err := c.expr(w.Then, l)
		if err != nil {
			return nil, err
		}
		p.Ifs = append(p.Ifs, &proto.Expression_IfThen_IfClause{If: cond.ToProto(), Then: then.ToProto()})
	}
	var els plan.Expr = &plan.Literal{Typ: e.Typ}
	if e.Else != nil {
		els = e.Else
	}
	x, err := c.expr(els, l)
	if err != nil {
		return nil, err
	}
	p.Else = x.ToProto()
	return expr.ExprFromProto(&proto.Expression{RexType: &proto.Expression_IfThen_{IfThen: p}}, l.rec, c.reg)
}

func sortKind(k plan.SortKey) stypes.SortDirection {
	switch {
	case !k.Desc && !k.NullsFirst:
		return stypes.SortAscNullsLast
	case !k.Desc:
		return stypes.SortAscNullsFirst
	case k.NullsFirst:
		return stypes.SortDescNullsFirst
	}
	return stypes.SortDescNullsLast
}

func (c *converter) sortFields(keys []plan.SortKey, l *layout) ([]expr.SortField, error) {
	out := make([]expr.SortField, len(keys))
	for i, k := range keys {
		x, err := c.expr(k.Expr, l)
		if err != nil {
			return nil, err
		}
		out[i] = expr.SortField{Expr: x, Kind: sortKind(k)}
	}
	return out, nil
}
