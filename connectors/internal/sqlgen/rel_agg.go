package sqlgen

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"
)

// aggregate deparses an AggregateRel with one grouping set (or none) into
// SELECT keys, aggregates ... GROUP BY keys. The output is the grouping
// keys, then the measures.
func (g *relGen) aggregate(r *plan.AggregateRel) (block, error) {
	in, err := g.rel(r.Input())
	if err != nil {
		return block{}, err
	}
	refs := r.GroupingReferences()
	if len(refs) > 1 {
		return block{}, unshippable("grouping sets (ROLLUP, CUBE) are not shippable")
	}
	var sel, group []string
	var cols []ColumnRef
	if len(refs) == 1 {
		all := r.GroupingExpressions()
		for _, ref := range refs[0] {
			if int(ref) >= len(all) {
				return block{}, fmt.Errorf("sqlgen: grouping reference %d out of range", ref)
			}
			e := all[ref]
			s, err := g.groupKey(in.cols, e)
			if err != nil {
				return block{}, err
			}
			t, err := arrowOf(e)
			if err != nil {
				return block{}, err
			}
			c := g.column(t)
			sel = append(sel, s+" AS "+g.quote(c))
			group = append(group, s)
			cols = append(cols, c)
		}
	}
	for _, m := range r.Measures() {
		s, t, err := g.measure(in.cols, m)
		if err != nil {
			return block{}, err
		}
		c := g.column(t)
		sel = append(sel, s+" AS "+g.quote(c))
		cols = append(cols, c)
	}
	if len(sel) == 0 {
		sel = []string{"NULL AS " + g.quote(g.column(arrow.Null))}
	}
	sql := "SELECT " + strings.Join(sel, ", ") + " FROM " + g.from(in)
	if len(group) > 0 {
		sql += " GROUP BY " + strings.Join(group, ", ")
	}
	return block{sql: sql, cols: cols}, nil
}

// groupKey is a grouping expression, if the remote groups its values as
// the engine does (equality that is byte equality; no floats, whose NaN
// and -0 group differently remotely).
func (g *relGen) groupKey(cols []ColumnRef, e expr.Expression) (string, error) {
	o, err := (&deparser{d: g.d, cols: cols}).operand(e)
	if err != nil {
		return "", err
	}
	if err := groupable("GROUP BY", o); err != nil {
		return "", err
	}
	if o.class == cString {
		return sprintf(g.d.StringEqualCollate, o.sql), nil
	}
	return o.sql, nil
}

func groupable(what string, o operand) error {
	switch {
	case o.class == cOther:
		return unshippable("%s of a value of this type is not shippable", what)
	case o.class == cFloat:
		return unshippable("%s of a float: NaN and -0 group differently remotely", what)
	case o.col != nil && o.col.Padded:
		return unshippable("%s of blank-padded %s: trailing spaces are ignored remotely", what, o.col.Name)
	}
	return nil
}

// measure deparses one aggregate, cast to the type the engine expects.
func (g *relGen) measure(cols []ColumnRef, m plan.AggRelMeasure) (string, arrow.DataType, error) {
	f := m.Measure()
	name := f.Name()
	t, _, err := arrowOfType(f.GetType())
	if err != nil {
		return "", nil, err
	}
	// FILTER (WHERE cond) is written as CASE WHEN cond THEN arg END, which
	// every dialect accepts: the aggregates shipped ignore NULLs.
	filter := ""
	if f := m.Filter(); f != nil && !isTrueLiteral(f) {
		w, err := Where(g.d, cols, f)
		if err != nil {
			return "", nil, err
		}
		filter = w
	}
	if len(f.Sorts) > 0 {
		return "", nil, unshippable("ordered aggregate %s is not shippable", name)
	}
	distinct := f.Invocation() == types.AggInvocationDistinct
	var args []operand
	for i := 0; i < f.NArgs(); i++ {
		a, ok := f.Arg(i).(expr.Expression)
		if !ok {
			return "", nil, unshippable("aggregate %s with a non-value argument is not shippable", name)
		}
		o, err := (&deparser{d: g.d, cols: cols}).operand(a)
		if err != nil {
			return "", nil, err
		}
		if filter != "" {
			o.sql = "CASE WHEN " + filter + " THEN " + o.sql + " END"
		}
		args = append(args, o)
	}
	dist := ""
	if distinct {
		dist = "DISTINCT "
		for i, a := range args {
			if err := groupable("DISTINCT", a); err != nil {
				return "", nil, err
			}
			if a.class == cString {
				// DISTINCT compares as GROUP BY does: by byte.
				args[i].sql = sprintf(g.d.StringEqualCollate, a.sql)
			}
		}
	}
	switch {
	case name == "count" && len(args) == 0:
		if distinct {
			return "", nil, unshippable("count(DISTINCT *) is not shippable")
		}
		if filter != "" {
			return g.cast("count(CASE WHEN "+filter+" THEN 1 END)", t), t, nil
		}
		return g.cast("count(*)", t), t, nil
	case name == "count" && len(args) == 1:
		if args[0].class == cOther {
			return "", nil, unshippable("count of a value of this type is not shippable")
		}
		return g.cast("count("+dist+args[0].sql+")", t), t, nil
	case len(args) != 1:
		return "", nil, unshippable("aggregate %s with %d arguments is not shippable", name, len(args))
	}
	a := args[0]
	switch name {
	case "sum", "avg":
		if !a.class.numeric() {
			return "", nil, unshippable("%s of type %s is not shippable", name, a.class)
		}
		if a.class == cDecimal && !g.d.DecimalArith {
			return "", nil, unshippable("%s of decimal is not exact in %s", name, g.d.Name)
		}
		if name == "avg" && a.class == cInt && t.ID() == arrow.FLOAT64 {
			// The engine divides the exact sum, converted once, by the count.
			return "(CAST(sum(" + dist + a.sql + ") AS " + g.d.CastType("float8", 0, 0) + ") / NULLIF(count(" + dist + a.sql + "), 0))", t, nil
		}
		if name == "avg" && (a.class != cFloat || t.ID() != arrow.FLOAT64) {
			return "", nil, unshippable("avg of %s: the remote result's rounding differs", a.class)
		}
		return g.cast(name+"("+dist+a.sql+")", t), t, nil
	case "min", "max":
		switch {
		case a.class == cFloat && g.d.FloatNaN:
			return "", nil, unshippable("%s of a float: NaN orders differently remotely", name)
		case a.class == cString && a.col != nil && a.col.Padded:
			return "", nil, unshippable("%s of blank-padded %s not shippable", name, a.col.Name)
		case a.class == cString:
			return name + "(" + sprintf(g.d.StringCollate, a.sql) + ")", t, nil
		case a.class == cBool, a.class == cOther, a.class == cBytes:
			return "", nil, unshippable("%s of type %s is not shippable", name, a.class)
		}
		return g.cast(name+"("+a.sql+")", t), t, nil
	case "var_samp", "var_pop", "stddev_samp", "stddev_pop":
		at, err := arrowOf(f.Arg(0).(expr.Expression))
		if err != nil {
			return "", nil, err
		}
		s, err := g.statistic(name, dist, a, at, t)
		return s, t, err
	}
	return "", nil, unshippable("aggregate function %s is not shippable", name)
}

// statistic ships var_samp, var_pop, stddev_samp and stddev_pop only to
// PostgreSQL and only over integers and decimals, whose result the engine
// computes as PostgreSQL's numeric does (exact sums, select_div_scale's
// scale, rounding; converted to the declared type as a cast rounds). The
// argument is cast to the engine's type of it, so that the remote values
// have the engine's scale (it sets the result's scale), whatever the
// remote column's declared type (checked against PostgreSQL 15). Floats
// stay local: the rounding of the Youngs-Cramer updates depends on the
// order of the rows.
func (g *relGen) statistic(name, dist string, a operand, arg, out arrow.DataType) (string, error) {
	if g.d.Name != PostgreSQL.Name {
		return "", unshippable("%s is not computed as the engine does in %s", name, g.d.Name)
	}
	if a.class != cInt && a.class != cDecimal || out.ID() != arrow.DECIMAL128 {
		return "", unshippable("%s of %s: the remote result's rounding differs", name, a.class)
	}
	in, res := g.exactType(arg), g.exactType(out)
	if in == "" || res == "" {
		return "", unshippable("%s of %s is not shippable", name, arg)
	}
	return "CAST(" + name + "(" + dist + "CAST(" + a.sql + " AS " + in + ")) AS " + res + ")", nil
}

// exactType is the remote name of an integer or decimal type, "" when the
// dialect has none.
func (g *relGen) exactType(t arrow.DataType) string {
	if g.d.CastType == nil {
		return ""
	}
	switch t := t.(type) {
	case *arrow.Int16Type:
		return g.d.CastType("int2", 0, 0)
	case *arrow.Int32Type:
		return g.d.CastType("int4", 0, 0)
	case *arrow.Int64Type:
		return g.d.CastType("int8", 0, 0)
	case *arrow.Decimal128Type:
		return g.d.CastType("decimal", t.Precision, t.Scale)
	}
	return ""
}

func arrowOfType(t types.Type) (arrow.DataType, bool, error) {
	if t == nil {
		return nil, false, unshippable("aggregate without a type")
	}
	at, n, err := sqlFromSubstrait(t)
	if err != nil {
		return nil, false, unshippable("value of type %s is not shippable", t)
	}
	return at, n, nil
}
