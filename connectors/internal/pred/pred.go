// Package pred turns the Substrait filter conjuncts a connector is offered
// into a small predicate tree over the table's columns, and evaluates that
// tree exactly on Arrow batches (Eval) or conservatively on min/max
// statistics (MayMatch).
//
// Only what is understood is accepted: comparisons (equal, not_equal, lt,
// lte, gt, gte) between a column and a literal, is_null, is_not_null, the
// Kleene and/or/not, and SingularOrList (IN lists) of literals. Anything
// else makes Parse fail, and the connector answers Unsupported.
//
// Literals are converted once to the column's physical representation
// (Value), so evaluation compares like with like. A literal that cannot be
// represented exactly in the column's type (2.5 against an integer column)
// is not understood.
package pred

import (
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"
)

// Op is the operator of a Node.
type Op int

// The operators of a predicate tree.
const (
	Eq Op = iota
	Ne
	Lt
	Le
	Gt
	Ge
	IsNull
	IsNotNull
	In
	And
	Or
	Not
)

var opNames = [...]string{"=", "<>", "<", "<=", ">", ">=", "IS NULL", "IS NOT NULL", "IN", "AND", "OR", "NOT"}

func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return fmt.Sprintf("op(%d)", int(o))
}

// Node is one node of a predicate tree.
type Node struct {
	Op   Op
	Col  int     // column index into the table schema (comparisons, null tests, In)
	Val  Value   // the literal of a comparison; nil is SQL NULL
	List []Value // the options of In; nil entries are NULLs
	Args []*Node // the operands of And, Or, Not
}

// Value is a literal in a column's physical representation: int64 for
// integers, dates, times and timestamps (in the column's unit), float64 for
// floating point, string for strings and binary, bool, or decimal128.Num
// at the column's scale.
type Value = any

// ErrUnsupported is returned by Parse for expressions it does not understand.
var ErrUnsupported = errors.New("filter not understood")

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}

// Columns returns the distinct column indexes a tree references, in first
// appearance order.
func (n *Node) Columns() []int {
	var out []int
	seen := map[int]bool{}
	var walk func(*Node)
	walk = func(n *Node) {
		if n.Op == And || n.Op == Or || n.Op == Not {
			for _, a := range n.Args {
				walk(a)
			}
			return
		}
		if !seen[n.Col] {
			seen[n.Col] = true
			out = append(out, n.Col)
		}
	}
	walk(n)
	return out
}

// String renders the tree for EXPLAIN, naming columns through schema.
func (n *Node) String(schema *arrow.Schema) string {
	name := func(i int) string {
		if schema != nil && i >= 0 && i < schema.NumFields() {
			return schema.Field(i).Name
		}
		return fmt.Sprintf("$%d", i)
	}
	switch n.Op {
	case And, Or:
		s := "("
		for i, a := range n.Args {
			if i > 0 {
				s += " " + n.Op.String() + " "
			}
			s += a.String(schema)
		}
		return s + ")"
	case Not:
		return "NOT " + n.Args[0].String(schema)
	case IsNull, IsNotNull:
		return name(n.Col) + " " + n.Op.String()
	case In:
		return fmt.Sprintf("%s IN %v", name(n.Col), n.List)
	}
	return fmt.Sprintf("%s %s %v", name(n.Col), n.Op, n.Val)
}

// Parse converts one boolean Substrait expression over schema.
func Parse(e expr.Expression, schema *arrow.Schema) (*Node, error) {
	switch x := e.(type) {
	case *expr.ScalarFunction:
		return parseFunc(x, schema)
	case *expr.SingularOrList:
		return parseIn(x, schema)
	case nil:
		return nil, unsupported("nil expression")
	}
	return nil, unsupported("expression %s", e)
}

var cmpOps = map[string]Op{
	"equal": Eq, "not_equal": Ne, "lt": Lt, "lte": Le, "gt": Gt, "gte": Ge,
}

// flip is the operator with its operands swapped: 5 < x is x > 5.
var flip = map[Op]Op{Eq: Eq, Ne: Ne, Lt: Gt, Le: Ge, Gt: Lt, Ge: Le}

func parseFunc(f *expr.ScalarFunction, schema *arrow.Schema) (*Node, error) {
	name := f.Name()
	args := make([]expr.Expression, f.NArgs())
	for i := range args {
		a, ok := f.Arg(i).(expr.Expression)
		if !ok {
			return nil, unsupported("argument %d of %s", i, name)
		}
		args[i] = a
	}
	if op, ok := cmpOps[name]; ok {
		if len(args) != 2 {
			return nil, unsupported("%s with %d arguments", name, len(args))
		}
		return parseCmp(op, args[0], args[1], schema)
	}
	switch name {
	case "is_null", "is_not_null":
		if len(args) != 1 {
			return nil, unsupported("%s with %d arguments", name, len(args))
		}
		col, err := columnOf(args[0], schema)
		if err != nil {
			return nil, err
		}
		op := IsNull
		if name == "is_not_null" {
			op = IsNotNull
		}
		return &Node{Op: op, Col: col}, nil
	case "and", "or", "not":
		op := map[string]Op{"and": And, "or": Or, "not": Not}[name]
		if len(args) == 0 || (op == Not && len(args) != 1) {
			return nil, unsupported("%s with %d arguments", name, len(args))
		}
		n := &Node{Op: op}
		for _, a := range args {
			c, err := Parse(a, schema)
			if err != nil {
				return nil, err
			}
			n.Args = append(n.Args, c)
		}
		return n, nil
	}
	return nil, unsupported("function %s", name)
}

func parseCmp(op Op, l, r expr.Expression, schema *arrow.Schema) (*Node, error) {
	if _, ok := l.(expr.Literal); ok {
		l, r, op = r, l, flip[op]
	}
	col, err := columnOf(l, schema)
	if err != nil {
		return nil, err
	}
	lit, ok := r.(expr.Literal)
	if !ok {
		return nil, unsupported("comparison with a non-literal %s", r)
	}
	v, err := ConvertLiteral(lit, schema.Field(col).Type)
	if err != nil {
		return nil, err
	}
	return &Node{Op: op, Col: col, Val: v}, nil
}

func parseIn(s *expr.SingularOrList, schema *arrow.Schema) (*Node, error) {
	col, err := columnOf(s.Value, schema)
	if err != nil {
		return nil, err
	}
	if len(s.Options) == 0 {
		return nil, unsupported("empty IN list")
	}
	n := &Node{Op: In, Col: col}
	for _, o := range s.Options {
		lit, ok := o.(expr.Literal)
		if !ok {
			return nil, unsupported("IN list option %s", o)
		}
		v, err := ConvertLiteral(lit, schema.Field(col).Type)
		if err != nil {
			return nil, err
		}
		n.List = append(n.List, v)
	}
	return n, nil
}

// columnOf returns the column a direct field reference (possibly under a
// widening numeric cast) points at.
func columnOf(e expr.Expression, schema *arrow.Schema) (int, error) {
	if c, ok := e.(*expr.Cast); ok {
		col, err := columnOf(c.Input, schema)
		if err != nil {
			return 0, err
		}
		if !wideningCast(schema.Field(col).Type, c.Type) {
			return 0, unsupported("cast of column %s", schema.Field(col).Name)
		}
		return col, nil
	}
	f, ok := e.(*expr.FieldReference)
	if !ok || f.Root != expr.RootReference {
		return 0, unsupported("operand %s is not a column", e)
	}
	seg, ok := f.Reference.(*expr.StructFieldRef)
	if !ok || seg.Child != nil {
		return 0, unsupported("nested field reference %s", e)
	}
	i := int(seg.Field)
	if i < 0 || i >= schema.NumFields() {
		return 0, unsupported("field reference %d out of range", i)
	}
	if !Comparable(schema.Field(i).Type) {
		return 0, unsupported("column %s of type %s", schema.Field(i).Name, schema.Field(i).Type)
	}
	return i, nil
}

// wideningCast reports whether a cast of a column of type from to type to
// (a wider numeric type, as the compiler inserts for mixed comparisons)
// preserves every value, so that it can be ignored: the literal is then
// converted to the column's type exactly or not at all.
func wideningCast(from arrow.DataType, to types.Type) bool {
	isInt := false
	switch from.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32:
		isInt = true
	case arrow.FLOAT32, arrow.FLOAT64:
	default:
		return false
	}
	switch t := to.(type) {
	case *types.Float64Type:
		return true
	case *types.Int64Type:
		return isInt
	case *types.Int32Type:
		switch from.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.UINT8, arrow.UINT16:
			return true
		}
	case *types.Int16Type:
		switch from.ID() {
		case arrow.INT8, arrow.INT16, arrow.UINT8:
			return true
		}
	case *types.DecimalType:
		return isInt && t.Precision-t.Scale >= 19
	}
	return false
}

// Comparable reports whether columns of type t can be filtered.
func Comparable(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32,
		arrow.FLOAT32, arrow.FLOAT64, arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY,
		arrow.BOOL, arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP, arrow.TIME32, arrow.TIME64, arrow.DECIMAL128:
		return true
	}
	return false
}
