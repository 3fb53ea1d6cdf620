package optimize

import (
	"github.com/medleysql/medley/sql/plan"
)

// SimplifyOuterJoins turns an outer join into an inner (or one-sided) join
// when a filter directly above it rejects the rows the outer join would
// pad with NULLs: WHERE r.x = 5 over a LEFT JOIN makes it an INNER JOIN.
var SimplifyOuterJoins = Rule{Name: "simplify_outer_joins", Apply: func(n plan.Node) plan.Node {
	return plan.Transform(n, func(x plan.Node) plan.Node {
		f, ok := x.(*plan.Filter)
		if !ok {
			return x
		}
		j, ok := f.Input.(*plan.Join)
		if !ok {
			return x
		}
		left := rejectsNulls(f.Cond, plan.ColumnsOf(j.Left.Columns()))
		right := rejectsNulls(f.Cond, plan.ColumnsOf(j.Right.Columns()))
		kind := j.Kind
		switch {
		case kind == plan.LeftJoin && right, kind == plan.RightJoin && left,
			kind == plan.FullJoin && left && right:
			kind = plan.InnerJoin
		case kind == plan.FullJoin && left:
			kind = plan.LeftJoin
		case kind == plan.FullJoin && right:
			kind = plan.RightJoin
		default:
			return x
		}
		nj := *j
		nj.Kind = kind
		return &plan.Filter{Input: &nj, Cond: f.Cond}
	})
}}

// strict are the functions that return NULL when any argument is NULL.
var strict = map[string]bool{
	"equal": true, "not_equal": true, "lt": true, "lte": true, "gt": true, "gte": true,
	"add": true, "subtract": true, "multiply": true, "divide": true, "modulus": true, "negate": true,
	"like": true, "not": true, "substring": true, "upper": true, "lower": true, "extract": true,
	"char_length": true, "trim": true, "ltrim": true, "rtrim": true, "abs": true, "round": true,
}

// rejectsNulls reports whether the predicate p is never TRUE when every
// column of cols is NULL.
func rejectsNulls(p plan.Expr, cols plan.ColumnSet) bool {
	if nullOnNull(p, cols) {
		return true
	}
	c, ok := p.(*plan.Call)
	if !ok {
		return false
	}
	switch c.Func {
	case "and":
		for _, a := range c.Args {
			if rejectsNulls(a, cols) {
				return true
			}
		}
	case "or":
		for _, a := range c.Args {
			if !rejectsNulls(a, cols) {
				return false
			}
		}
		return len(c.Args) > 0
	case "is_not_null":
		return nullOnNull(c.Args[0], cols)
	case "is_true":
		return rejectsNulls(c.Args[0], cols)
	}
	return false
}

// nullOnNull reports whether e is NULL when every column of cols is NULL.
func nullOnNull(e plan.Expr, cols plan.ColumnSet) bool {
	switch x := e.(type) {
	case *plan.ColRef:
		return cols.Has(x.ID)
	case *plan.Cast:
		return nullOnNull(x.Input, cols)
	case *plan.InList:
		return nullOnNull(x.Input, cols)
	case *plan.Call:
		if strict[x.Func] {
			for _, a := range x.Args {
				if nullOnNull(a, cols) {
					return true
				}
			}
		}
	}
	return false
}
