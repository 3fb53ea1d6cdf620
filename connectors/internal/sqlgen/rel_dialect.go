package sqlgen

import (
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
)

// Relation-deparser differences between dialects. A connector deparses
// whole relations (sqlgen.Rel) with a dialect of its own, made by RelDialect
// from the one its scans use, so that the extra caution below does not
// change what its scans ship.

// RelOptions are the semantics of a remote that the relation deparser
// must guard against, beyond those of Dialect's scan fields. The zero
// value is PostgreSQL's: none.
type RelOptions struct {
	// NoFullJoin: the remote has no FULL [OUTER] JOIN (MySQL, MariaDB).
	NoFullJoin bool
	// DivZeroNull: the remote's division and modulus by zero give NULL
	// where the engine fails the query (22012); they are shipped only with
	// a constant divisor other than 0 and -1 (x / -1 overflows for the
	// smallest integer).
	DivZeroNull bool
	// WideIntArith: the remote computes integer arithmetic in 64 bits, so
	// that a 16- or 32-bit sum that overflows in the engine (22003) gives
	// a value remotely; only 64-bit integer +, -, * and negation are
	// shipped (and division, guarded as DivZeroNull says).
	WideIntArith bool
	// IntOverflowReal: a 64-bit integer overflow turns the value into a
	// REAL remotely (SQLite) where the engine fails the query; no integer
	// +, -, * or negation is shipped.
	IntOverflowReal bool
	// ResultCast names the type an output column of the remote query is
	// cast to, as Dialect.CastType does, or "" for no cast: the connector
	// then reads the remote value into the plan's type itself and checks
	// its range (MySQL's CAST(... AS SIGNED) clips out-of-range values
	// silently). Nil: Dialect.CastType.
	ResultCast func(class string, precision, scale int32) string
}

// RelDialect returns a copy of d for the relation deparser, with o.
func RelDialect(d *Dialect, o RelOptions) *Dialect {
	c := *d
	c.rel = o
	return &c
}

// resultCast is the dialect's cast of output columns.
func (d *Dialect) resultCast(class string, p, s int32) string {
	if d.rel.ResultCast != nil {
		return d.rel.ResultCast(class, p, s)
	}
	if d.CastType == nil {
		return ""
	}
	return d.CastType(class, p, s)
}

// guardRel checks every expression of r against the dialect's
// RelOptions; nil at once for a dialect without any (PostgreSQL).
func guardRel(d *Dialect, r plan.Rel) error {
	o := d.rel
	if !o.NoFullJoin && !o.DivZeroNull && !o.WideIntArith && !o.IntOverflowReal {
		return nil
	}
	var exprs []expr.Expression
	switch x := r.(type) {
	case *plan.NamedTableReadRel:
		if f := x.Filter(); f != nil {
			exprs = append(exprs, f)
		}
	case *plan.FilterRel:
		exprs = append(exprs, x.Condition())
	case *plan.ProjectRel:
		exprs = append(exprs, x.Expressions()...)
	case *plan.JoinRel:
		if o.NoFullJoin && x.Type() == plan.JoinTypeOuter {
			return unshippable("FULL JOIN is not shippable: %s has none", d.Name)
		}
		exprs = append(exprs, x.Expr(), x.PostJoinFilter())
	case *plan.SortRel:
		for _, sf := range x.Sorts() {
			exprs = append(exprs, sf.Expr)
		}
	case *plan.AggregateRel:
		exprs = append(exprs, x.GroupingExpressions()...)
		for _, m := range x.Measures() {
			exprs = append(exprs, m.Filter())
			f := m.Measure()
			for i := 0; i < f.NArgs(); i++ {
				if a, ok := f.Arg(i).(expr.Expression); ok {
					exprs = append(exprs, a)
				}
			}
		}
	}
	for _, e := range exprs {
		if e == nil {
			continue
		}
		if err := guardExpr(d, e); err != nil {
			return err
		}
	}
	for _, in := range r.GetInputs() {
		if err := guardRel(d, in); err != nil {
			return err
		}
	}
	return nil
}

// guardExpr checks the arithmetic in e.
func guardExpr(d *Dialect, e expr.Expression) error {
	var err error
	var visit expr.VisitFunc
	visit = func(x expr.Expression) expr.Expression {
		if err != nil {
			return x
		}
		if f, ok := x.(*expr.ScalarFunction); ok {
			if err = guardArith(d, f); err != nil {
				return x
			}
		}
		return x.Visit(visit)
	}
	visit(e)
	return err
}

// guardArith checks one arithmetic function against the RelOptions.
func guardArith(d *Dialect, f *expr.ScalarFunction) error {
	o := d.rel
	name := f.Name()
	switch name {
	case "add", "subtract", "multiply", "divide", "modulus", "negate":
	default:
		return nil
	}
	// A division by a constant other than 0 and -1 cannot overflow.
	if classOfType(f.GetType()) == cInt && name != "divide" && name != "modulus" {
		switch width := intWidth(f.GetType()); {
		case o.IntOverflowReal:
			return unshippable("integer %s: %s turns an overflow into a REAL where the engine fails", name, d.Name)
		case o.WideIntArith && width != 8:
			return unshippable("%d-byte integer %s: %s computes it in 64 bits and does not fail on overflow as the engine does", width, name, d.Name)
		}
	}
	if (name == "divide" || name == "modulus") && o.DivZeroNull {
		ok := false
		if f.NArgs() == 2 {
			switch v := f.Arg(1).(type) {
			case *expr.PrimitiveLiteral[int8]:
				ok = v.Value != 0 && v.Value != -1
			case *expr.PrimitiveLiteral[int16]:
				ok = v.Value != 0 && v.Value != -1
			case *expr.PrimitiveLiteral[int32]:
				ok = v.Value != 0 && v.Value != -1
			case *expr.PrimitiveLiteral[int64]:
				ok = v.Value != 0 && v.Value != -1
			case *expr.PrimitiveLiteral[float64]:
				ok = v.Value != 0
			}
		}
		if !ok {
			return unshippable("%s by a value that may be 0: %s gives NULL where the engine fails", name, d.Name)
		}
	}
	return nil
}
