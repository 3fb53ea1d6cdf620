package sqlgen

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
)

// ColumnRef is one column of the remote table, by index of the table's
// schema (the index Substrait field references use).
type ColumnRef struct {
	Name string         // the remote column name
	Type arrow.DataType // the column's Arrow type
	// Padded marks a blank-padded column (PostgreSQL char(n)): the remote
	// ignores trailing spaces in comparisons, the engine does not, so
	// comparisons of it are not shipped.
	Padded bool
}

// Where deparses one boolean expression, for a WHERE clause (also of
// UPDATE and DELETE). The error is an *Unshippable when the expression
// cannot be sent with the same meaning.
func Where(d *Dialect, cols []ColumnRef, e expr.Expression) (string, error) {
	s, c, err := (&deparser{d: d, cols: cols}).expr(e)
	if err != nil {
		return "", err
	}
	if c != cBool && c != cNull {
		return "", unshippable("filter of type %s is not boolean", c)
	}
	return s, nil
}

// Expr deparses a scalar expression (e.g. the value of UPDATE ... SET).
func Expr(d *Dialect, cols []ColumnRef, e expr.Expression) (string, error) {
	s, _, err := (&deparser{d: d, cols: cols}).expr(e)
	return s, err
}

type deparser struct {
	d    *Dialect
	cols []ColumnRef
}

type operand struct {
	sql   string
	class class
	lit   bool // a literal
	col   *ColumnRef
}

func (p *deparser) operand(e expr.Expression) (operand, error) {
	s, c, err := p.expr(e)
	o := operand{sql: s, class: c}
	switch x := e.(type) {
	case expr.Literal:
		o.lit = true
	case *expr.FieldReference:
		if i, ok := fieldIndex(x); ok && i < len(p.cols) {
			o.col = &p.cols[i]
		}
	}
	return o, err
}

func fieldIndex(f *expr.FieldReference) (int, bool) {
	if f.Root != expr.RootReference {
		return 0, false
	}
	seg, ok := f.Reference.(*expr.StructFieldRef)
	if !ok || seg.Child != nil || seg.Field < 0 {
		return 0, false
	}
	return int(seg.Field), true
}

func (p *deparser) expr(e expr.Expression) (string, class, error) {
	switch x := e.(type) {
	case *expr.FieldReference:
		i, ok := fieldIndex(x)
		if !ok || i >= len(p.cols) {
			return "", 0, unshippable("field reference %s is not a column of the table", x)
		}
		c := p.cols[i]
		q, err := p.d.QuoteIdent(c.Name)
		if err != nil {
			return "", 0, unshippable("%v", err)
		}
		return q, classOfArrow(c.Type), nil
	case expr.Literal:
		return literal(p.d, x)
	case *expr.ScalarFunction:
		return p.function(x)
	case *expr.SingularOrList:
		return p.in(x)
	case *expr.Cast:
		return p.cast(x)
	case nil:
		return "", 0, unshippable("empty expression")
	}
	return "", 0, unshippable("expression %s is not shippable", e)
}

func (p *deparser) args(f *expr.ScalarFunction) ([]operand, error) {
	out := make([]operand, f.NArgs())
	for i := range out {
		a, ok := f.Arg(i).(expr.Expression)
		if !ok {
			return nil, unshippable("function %s with a non-value argument is not shippable", f.Name())
		}
		o, err := p.operand(a)
		if err != nil {
			return nil, err
		}
		out[i] = o
	}
	return out, nil
}

var cmpSQL = map[string]string{"equal": "=", "not_equal": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}

var arithSQL = map[string]string{"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "modulus": "%"}

func (p *deparser) function(f *expr.ScalarFunction) (string, class, error) {
	name := f.Name()
	_, isCmp := cmpSQL[name]
	_, isArith := arithSQL[name]
	known := isCmp || isArith
	switch name {
	case "is_null", "is_not_null", "is_distinct_from", "is_not_distinct_from", "and", "or", "not", "negate", "like",
		"is_true", "is_not_true", "is_false", "is_not_false":
		known = true
	}
	if !known {
		return "", 0, unshippable("function %s is not shippable", name)
	}
	args, err := p.args(f)
	if err != nil {
		return "", 0, err
	}
	arity := func(n int) error {
		if len(args) != n {
			return unshippable("function %s with %d arguments is not shippable", name, len(args))
		}
		return nil
	}
	switch {
	case isCmp:
		if err := arity(2); err != nil {
			return "", 0, err
		}
		s, err := p.compare(name, args[0], args[1])
		return s, cBool, err
	case isArith:
		if err := arity(2); err != nil {
			return "", 0, err
		}
		return p.arith(name, args[0], args[1], classOfType(f.GetType()))
	}
	switch name {
	case "is_null", "is_not_null":
		if err := arity(1); err != nil {
			return "", 0, err
		}
		return "(" + args[0].sql + map[string]string{"is_null": " IS NULL)", "is_not_null": " IS NOT NULL)"}[name], cBool, nil
	case "is_true", "is_not_true", "is_false", "is_not_false":
		if err := arity(1); err != nil {
			return "", 0, err
		}
		if args[0].class != cBool && args[0].class != cNull {
			return "", 0, unshippable("%s of a %s operand", name, args[0].class)
		}
		return "(" + args[0].sql + " IS " + strings.ToUpper(strings.ReplaceAll(strings.TrimPrefix(name, "is_"), "_", " ")) + ")", cBool, nil
	case "is_distinct_from", "is_not_distinct_from":
		if err := arity(2); err != nil {
			return "", 0, err
		}
		if err := p.comparable(name, args[0], args[1], false); err != nil {
			return "", 0, err
		}
		if p.d.FloatNaN && (args[0].class == cFloat || args[1].class == cFloat) && !(args[0].lit || args[1].lit) {
			return "", 0, unshippable("%s of floats: NaN compares differently remotely", name)
		}
		format := p.d.DistinctFrom
		if name == "is_not_distinct_from" {
			format = p.d.NotDistinctFrom
		}
		l := args[0].sql
		if args[0].class == cString {
			l = fmt.Sprintf(p.d.StringEqualCollate, l)
		}
		return fmt.Sprintf(format, l, args[1].sql), cBool, nil
	case "and", "or":
		if len(args) == 0 {
			return "", 0, unshippable("%s without arguments", name)
		}
		parts := make([]string, len(args))
		for i, a := range args {
			if a.class != cBool && a.class != cNull {
				return "", 0, unshippable("%s of a %s operand", name, a.class)
			}
			parts[i] = a.sql
		}
		return "(" + strings.Join(parts, " "+strings.ToUpper(name)+" ") + ")", cBool, nil
	case "not":
		if err := arity(1); err != nil {
			return "", 0, err
		}
		return "(NOT " + args[0].sql + ")", cBool, nil
	case "negate":
		if err := arity(1); err != nil {
			return "", 0, err
		}
		if !args[0].class.numeric() || (args[0].class == cDecimal && !p.d.DecimalArith) {
			return "", 0, unshippable("negate of type %s not shippable", args[0].class)
		}
		return "(- " + args[0].sql + ")", args[0].class, nil
	}
	return p.like(f, args)
}

// compare renders a comparison of l and r.
func (p *deparser) compare(name string, l, r operand) (string, error) {
	op := cmpSQL[name]
	ordering := op != "=" && op != "<>"
	if err := p.comparable(name, l, r, ordering); err != nil {
		return "", err
	}
	ls := l.sql
	if l.class == cString || r.class == cString {
		if ordering {
			ls = fmt.Sprintf(p.d.StringCollate, ls)
		} else {
			ls = fmt.Sprintf(p.d.StringEqualCollate, ls)
		}
	}
	s := "(" + ls + " " + op + " " + r.sql + ")"
	if !p.d.FloatNaN || (l.class != cFloat && r.class != cFloat) {
		return s, nil
	}
	// The remote's NaN equals NaN and is greater than every number; the
	// engine's (IEEE) NaN compares false with everything but <>. Guard the
	// operand that could make the remote answer true where the engine
	// answers false.
	var guard []operand
	switch op {
	case "=":
		if !l.lit && !r.lit {
			guard = []operand{l, r}
		}
	case "<>":
		if !l.lit && !r.lit {
			return "", unshippable("%s of two float expressions: NaN compares differently remotely", name)
		}
	case ">", ">=":
		guard = []operand{l}
	case "<", "<=":
		guard = []operand{r}
	}
	var parts []string
	for _, g := range guard {
		if !g.lit && g.class == cFloat {
			parts = append(parts, "("+g.sql+" <> 'NaN'::float8)")
		}
	}
	if len(parts) == 0 {
		return s, nil
	}
	return "(" + s + " AND " + strings.Join(parts, " AND ") + ")", nil
}

func (p *deparser) comparable(name string, l, r operand, ordering bool) error {
	for _, o := range []operand{l, r} {
		if o.class == cOther {
			return unshippable("%s: type not comparable remotely", name)
		}
		if o.col != nil && o.col.Padded && o.class == cString {
			return unshippable("%s: column %s is blank-padded (char(n)) and compares ignoring trailing spaces remotely", name, o.col.Name)
		}
	}
	if !compatible(l.class, r.class) {
		return unshippable("%s of %s and %s not comparable remotely", name, l.class, r.class)
	}
	return nil
}

func (p *deparser) arith(name string, l, r operand, out class) (string, class, error) {
	for _, o := range []operand{l, r} {
		if !o.class.numeric() && o.class != cNull {
			return "", 0, unshippable("%s of type %s not shippable", name, o.class)
		}
		if o.class == cDecimal && !p.d.DecimalArith {
			return "", 0, unshippable("decimal arithmetic is not exact in %s", p.d.Name)
		}
	}
	if out == cOther {
		out = l.class
	}
	op := arithSQL[name]
	switch name {
	case "divide":
		switch {
		case out == cInt:
			op = p.d.IntDivide
		case out == cDecimal || l.class == cDecimal || r.class == cDecimal:
			return "", 0, unshippable("decimal division: the remote result scale differs")
		}
	case "modulus":
		if out != cInt {
			return "", 0, unshippable("modulus of type %s not shippable", out)
		}
	}
	return "(" + l.sql + " " + op + " " + r.sql + ")", out, nil
}
