package optimize

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/plan"
)

// SimplifyPredicates rewrites boolean expressions into simpler equivalents
// (under SQL's three-valued logic): NOT NOT x → x; NOT (a = b) → a <> b;
// duplicate AND/OR operands are dropped; (A AND B) OR (A AND C) →
// A AND (B OR C), which lets the join condition A of such an OR (TPC-H Q19)
// become a hash key; CAST(date AS timestamp) compared with a timestamp
// literal at midnight becomes a date comparison the source can evaluate.
// Filters that became TRUE are removed.
var SimplifyPredicates = Rule{Name: "simplify_predicates", Apply: func(n plan.Node) plan.Node {
	n = mapAllExprs(n, func(e plan.Expr) plan.Expr { return plan.Rewrite(e, simplifyOne) })
	return plan.Transform(n, func(x plan.Node) plan.Node {
		if f, ok := x.(*plan.Filter); ok {
			if l, ok := lit(f.Cond); ok && l.Value == true {
				return f.Input
			}
		}
		return x
	})
}}

var negated = map[string]string{
	"equal": "not_equal", "not_equal": "equal", "lt": "gte", "gte": "lt", "gt": "lte", "lte": "gt",
	"is_null": "is_not_null", "is_not_null": "is_null",
}

var flipped = map[string]string{"equal": "equal", "not_equal": "not_equal", "lt": "gt", "gt": "lt", "lte": "gte", "gte": "lte"}

func simplifyOne(e plan.Expr) plan.Expr {
	c, ok := e.(*plan.Call)
	if !ok {
		return e
	}
	switch c.Func {
	case "not":
		if in, ok := c.Args[0].(*plan.Call); ok {
			if in.Func == "not" {
				return in.Args[0]
			}
			if neg, ok := negated[in.Func]; ok {
				return plan.NewCall(neg, in.Typ, in.Args...)
			}
		}
	case "and", "or":
		args := dedupe(flatten(c.Func, c.Args))
		if len(args) == 1 {
			return args[0]
		}
		if c.Func == "or" {
			return factorOr(args)
		}
		return plan.NewCall(c.Func, c.Typ, args...)
	default:
		if _, ok := flipped[c.Func]; ok {
			return dateCompare(c)
		}
	}
	return e
}

// flatten merges nested calls of the same associative function.
func flatten(fn string, args []plan.Expr) []plan.Expr {
	var out []plan.Expr
	for _, a := range args {
		if c, ok := a.(*plan.Call); ok && c.Func == fn {
			out = append(out, flatten(fn, c.Args)...)
		} else {
			out = append(out, a)
		}
	}
	return out
}

func dedupe(args []plan.Expr) []plan.Expr {
	seen := map[string]bool{}
	var out []plan.Expr
	for _, a := range args {
		k := plan.Key(a)
		if !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out
}

// factorOr pulls the conjuncts common to every operand out of an OR.
func factorOr(args []plan.Expr) plan.Expr {
	common := map[string]plan.Expr{}
	var order []string
	for i, a := range args {
		here := map[string]bool{}
		for _, c := range plan.Conjuncts(a) {
			k := plan.Key(c)
			here[k] = true
			if i == 0 {
				common[k] = c
				order = append(order, k)
			}
		}
		for k := range common {
			if !here[k] {
				delete(common, k)
			}
		}
	}
	if len(common) == 0 {
		return plan.NewCall("or", plan.Bool, args...)
	}
	var rest []plan.Expr
	for _, a := range args {
		var keep []plan.Expr
		for _, c := range plan.Conjuncts(a) {
			if _, ok := common[plan.Key(c)]; !ok {
				keep = append(keep, c)
			}
		}
		if len(keep) == 0 {
			rest = nil // one operand is just the common part: the OR is TRUE
			break
		}
		rest = append(rest, plan.And(keep...))
	}
	var out []plan.Expr
	for _, k := range order {
		if c, ok := common[k]; ok {
			out = append(out, c)
		}
	}
	if len(rest) > 0 {
		out = append(out, plan.NewCall("or", plan.Bool, dedupe(rest)...))
	}
	return plan.And(out...)
}

// dateCompare turns CAST(d AS timestamp) op TIMESTAMP 'x 00:00:00' into
// d op DATE 'x'.
func dateCompare(c *plan.Call) plan.Expr {
	fn, castSide, litSide := c.Func, c.Args[0], c.Args[1]
	if _, ok := lit(castSide); ok {
		fn, castSide, litSide = flipped[c.Func], c.Args[1], c.Args[0]
	}
	cast, ok := castSide.(*plan.Cast)
	l, ok2 := lit(litSide)
	if !ok || !ok2 || cast.Typ.ID() != arrow.TIMESTAMP || cast.Input.Type().ID() != arrow.DATE32 {
		return c
	}
	if tt, ok := cast.Typ.(*arrow.TimestampType); !ok || tt.TimeZone != "" {
		return c
	}
	ts, ok := l.Value.(arrow.Timestamp)
	if !ok {
		return c
	}
	t := time.UnixMicro(int64(ts)).UTC()
	if !t.Equal(t.Truncate(24 * time.Hour)) {
		return c
	}
	d := &plan.Literal{Value: arrow.Date32FromTime(t), Typ: cast.Input.Type()}
	return plan.NewCall(fn, c.Typ, cast.Input, d)
}
