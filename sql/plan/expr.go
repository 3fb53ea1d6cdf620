package plan

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Expr is a typed scalar expression of the logical plan. Column references
// name columns by ColumnID, so expressions stay valid when the operators
// below them are rearranged.
type Expr interface {
	// Type is the expression's result type.
	Type() arrow.DataType
	// String renders the expression for EXPLAIN.
	String() string
	exprNode()
}

// ColRef references a column produced by an input operator.
type ColRef struct {
	ID   ColumnID
	Name string // for display: the column's (qualified) name
	Typ  arrow.DataType
}

// Literal is a constant. Value holds nil (NULL), bool, int64 (every integer
// type), float64, string, []byte, decimal128.Num (scale from Typ),
// arrow.Date32, arrow.Timestamp (microseconds), arrow.Time64 (microseconds)
// or arrow.MonthDayNanoInterval.
type Literal struct {
	Value any
	Typ   arrow.DataType
}

// Param is a statement parameter ($1 is Index 0).
type Param struct {
	Index int
	Typ   arrow.DataType
}

// Call applies a scalar function, named by its Substrait name ("add",
// "equal", "like", ...). Options are Substrait function options
// (name → value), e.g. "overflow" → "ERROR".
type Call struct {
	Func    string
	Args    []Expr
	Typ     arrow.DataType
	Options map[string]string
}

// Enum is an enumeration argument of a function (EXTRACT's YEAR, ...).
type Enum struct {
	Value string
}

// Cast converts a value to another type; a bad value is an error.
type Cast struct {
	Input Expr
	Typ   arrow.DataType
}

// When is one WHEN ... THEN ... of a Case.
type When struct {
	Cond, Then Expr
}

// Case is a searched CASE expression (a simple CASE is rewritten into
// equalities by the binder).
type Case struct {
	Whens []When
	Else  Expr // nil means NULL
	Typ   arrow.DataType
}

// InList is `Input IN (List...)` with SQL's NULL semantics.
type InList struct {
	Input Expr
	List  []Expr
}

func (*ColRef) exprNode()  {}
func (*Literal) exprNode() {}
func (*Param) exprNode()   {}
func (*Call) exprNode()    {}
func (*Enum) exprNode()    {}
func (*Cast) exprNode()    {}
func (*Case) exprNode()    {}
func (*InList) exprNode()  {}

// Type implements Expr.
func (e *ColRef) Type() arrow.DataType { return e.Typ }

// Type implements Expr.
func (e *Literal) Type() arrow.DataType { return e.Typ }

// Type implements Expr.
func (e *Param) Type() arrow.DataType { return e.Typ }

// Type implements Expr.
func (e *Call) Type() arrow.DataType { return e.Typ }

// Type implements Expr; an enum has no value type.
func (e *Enum) Type() arrow.DataType { return arrow.Null }

// Type implements Expr.
func (e *Cast) Type() arrow.DataType { return e.Typ }

// Type implements Expr.
func (e *Case) Type() arrow.DataType { return e.Typ }

// Type implements Expr.
func (e *InList) Type() arrow.DataType { return arrow.FixedWidthTypes.Boolean }

func (e *ColRef) String() string { return e.Name }

func (e *Param) String() string { return fmt.Sprintf("$%d", e.Index+1) }

func (e *Enum) String() string { return e.Value }

func (e *Cast) String() string {
	return fmt.Sprintf("CAST(%s AS %s)", e.Input, TypeString(e.Typ))
}

func (e *Case) String() string {
	var sb strings.Builder
	sb.WriteString("CASE")
	for _, w := range e.Whens {
		fmt.Fprintf(&sb, " WHEN %s THEN %s", w.Cond, w.Then)
	}
	if e.Else != nil {
		fmt.Fprintf(&sb, " ELSE %s", e.Else)
	}
	sb.WriteString(" END")
	return sb.String()
}

func (e *InList) String() string {
	return fmt.Sprintf("%s IN (%s)", e.Input, joinExprs(e.List))
}

// infix are the functions printed as binary operators.
var infix = map[string]string{
	"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "modulus": "%",
	"equal": "=", "not_equal": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">=",
	"and": "AND", "or": "OR", "is_not_distinct_from": "IS NOT DISTINCT FROM",
	"is_distinct_from": "IS DISTINCT FROM", "like": "LIKE", "concat": "||",
	"bitwise_or": "|", "bitwise_and": "&",
}

// postfix are the functions printed as postfix operators.
var postfix = map[string]string{
	"is_null": "IS NULL", "is_not_null": "IS NOT NULL", "is_true": "IS TRUE",
	"is_false": "IS FALSE", "is_not_true": "IS NOT TRUE", "is_not_false": "IS NOT FALSE",
}

func (e *Call) String() string {
	if op, ok := infix[e.Func]; ok && len(e.Args) == 2 {
		if e.Func == "like" && e.Options["case_sensitivity"] == "CASE_INSENSITIVE" {
			op = "ILIKE"
		}
		return fmt.Sprintf("(%s %s %s)", e.Args[0], op, e.Args[1])
	}
	if op, ok := postfix[e.Func]; ok && len(e.Args) == 1 {
		return fmt.Sprintf("(%s %s)", e.Args[0], op)
	}
	switch e.Func {
	case "not":
		return fmt.Sprintf("NOT %s", e.Args[0])
	case "negate":
		return fmt.Sprintf("-%s", e.Args[0])
	}
	return fmt.Sprintf("%s(%s)", e.Func, joinExprs(e.Args))
}

func joinExprs(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

// NewCall returns a Call without options.
func NewCall(fn string, typ arrow.DataType, args ...Expr) *Call {
	return &Call{Func: fn, Args: args, Typ: typ}
}

// Bool is the boolean type.
var Bool arrow.DataType = arrow.FixedWidthTypes.Boolean

// And returns the conjunction of es (TRUE for none, the one for one).
func And(es ...Expr) Expr {
	switch len(es) {
	case 0:
		return &Literal{Value: true, Typ: Bool}
	case 1:
		return es[0]
	}
	return NewCall("and", Bool, es...)
}

// Conjuncts splits e at its top-level ANDs.
func Conjuncts(e Expr) []Expr {
	if e == nil {
		return nil
	}
	if c, ok := e.(*Call); ok && c.Func == "and" {
		var out []Expr
		for _, a := range c.Args {
			out = append(out, Conjuncts(a)...)
		}
		return out
	}
	if l, ok := e.(*Literal); ok && l.Value == true {
		return nil
	}
	return []Expr{e}
}
