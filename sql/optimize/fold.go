package optimize

import (
	"github.com/medleysql/medley/sql/plan"
)

// FoldConstants evaluates expressions over constants at compile time:
// arithmetic, comparisons, date ± interval, casts of literals, three-valued
// AND/OR/NOT, IS [NOT] NULL, COALESCE and CASE with constant conditions.
// What would fail at run time (overflow, division by zero) is left alone.
var FoldConstants = Rule{Name: "fold_constants", Apply: func(n plan.Node) plan.Node {
	return mapAllExprs(n, foldExpr)
}}

// mapAllExprs applies fn to every expression of every operator.
func mapAllExprs(n plan.Node, fn func(plan.Expr) plan.Expr) plan.Node {
	return plan.Transform(n, func(x plan.Node) plan.Node {
		return plan.MapExprs(x, fn)
	})
}

func foldExpr(e plan.Expr) plan.Expr {
	return plan.Rewrite(e, foldOne)
}

func foldOne(e plan.Expr) plan.Expr {
	switch x := e.(type) {
	case *plan.Cast:
		if l, ok := lit(x.Input); ok {
			if out, err := plan.CastLiteral(l, x.Typ); err == nil {
				return out
			}
		}
	case *plan.Call:
		if out, ok := foldCall(x); ok {
			return out
		}
	case *plan.Case:
		return foldCase(x)
	}
	return e
}

func foldCall(c *plan.Call) (plan.Expr, bool) {
	switch c.Func {
	case "and", "or":
		return foldLogic(c)
	case "not":
		if l, ok := lit(c.Args[0]); ok {
			if l.Value == nil {
				return l, true
			}
			if b, ok := l.Value.(bool); ok {
				return boolLit(!b), true
			}
		}
		return nil, false
	case "is_null", "is_not_null":
		if l, ok := lit(c.Args[0]); ok {
			return boolLit((l.Value == nil) == (c.Func == "is_null")), true
		}
		return nil, false
	case "coalesce":
		return foldCoalesce(c)
	}
	if len(c.Args) != 2 {
		return nil, false
	}
	a, ok1 := lit(c.Args[0])
	b, ok2 := lit(c.Args[1])
	if !ok1 || !ok2 {
		return nil, false
	}
	if a.Value == nil || b.Value == nil {
		if _, strict := compareResults[c.Func]; strict || c.Func == "add" || c.Func == "subtract" ||
			c.Func == "multiply" || c.Func == "divide" {
			return &plan.Literal{Typ: c.Typ}, true
		}
		return nil, false
	}
	if pred, ok := compareResults[c.Func]; ok {
		if cmp, ok := compare(a, b); ok {
			return boolLit(pred(cmp)), true
		}
		return nil, false
	}
	if out, ok := dateArith(c.Func, a, b, c.Typ); ok {
		return out, true
	}
	if out, ok := arith(c.Func, a, b, c.Typ); ok {
		return out, true
	}
	return nil, false
}

// foldLogic applies Kleene logic to the literal operands of AND / OR.
func foldLogic(c *plan.Call) (plan.Expr, bool) {
	absorbing := c.Func == "or" // TRUE absorbs OR, FALSE absorbs AND
	var rest []plan.Expr
	sawNull, changed := false, false
	for _, a := range c.Args {
		l, ok := lit(a)
		if !ok {
			rest = append(rest, a)
			continue
		}
		changed = true
		switch v := l.Value.(type) {
		case nil:
			sawNull = true
		case bool:
			if v == absorbing {
				return boolLit(absorbing), true
			}
		default:
			return nil, false
		}
	}
	if !changed {
		return nil, false
	}
	if sawNull {
		rest = append(rest, &plan.Literal{Typ: plan.Bool})
	}
	switch len(rest) {
	case 0:
		return boolLit(!absorbing), true
	case 1:
		if sawNull {
			return &plan.Literal{Typ: plan.Bool}, true
		}
		return rest[0], true
	}
	return plan.NewCall(c.Func, c.Typ, rest...), true
}

func foldCoalesce(c *plan.Call) (plan.Expr, bool) {
	var rest []plan.Expr
	for _, a := range c.Args {
		if isNull(a) {
			continue
		}
		rest = append(rest, a)
		if _, ok := lit(a); ok {
			break // a non-NULL constant ends the list
		}
	}
	switch {
	case len(rest) == len(c.Args):
		return nil, false
	case len(rest) == 0:
		return &plan.Literal{Typ: c.Typ}, true
	case len(rest) == 1:
		return rest[0], true
	}
	return plan.NewCall("coalesce", c.Typ, rest...), true
}

func foldCase(c *plan.Case) plan.Expr {
	out := &plan.Case{Else: c.Else, Typ: c.Typ}
	for _, w := range c.Whens {
		l, ok := lit(w.Cond)
		if !ok {
			out.Whens = append(out.Whens, w)
			continue
		}
		if l.Value == true {
			if len(out.Whens) == 0 {
				return w.Then
			}
			out.Else = w.Then
			break
		}
		// FALSE or NULL: the branch is never taken.
	}
	if len(out.Whens) == 0 {
		if out.Else == nil {
			return &plan.Literal{Typ: c.Typ}
		}
		return out.Else
	}
	return out
}
