// Package plan holds Medley's logical query plan: relational operators over
// typed expressions, with columns identified by ColumnID. The binder builds
// it, the optimizer rewrites it, sql/substrait turns it into Substrait.
//
// Format renders a plan as an indented tree with estimated rows, the text
// of EXPLAIN and of the optimizer's golden tests.
package plan

import "github.com/apache/arrow-go/v18/arrow"

// Node is a logical operator.
type Node interface {
	// Columns are the operator's output columns, in order.
	Columns() []Column
	// Children are the operator's inputs.
	Children() []Node
	// WithChildren returns a shallow copy with the inputs replaced.
	WithChildren(children []Node) Node
	// Annotation holds the optimizer's notes on the operator.
	Annotation() *Annot
}

// Annot holds the optimizer's notes on an operator.
type Annot struct {
	// Server is set on the topmost operator of a subtree that reads only
	// tables of one foreign server: a candidate for whole-subtree pushdown.
	Server string
}

// Annotation implements Node.
func (a *Annot) Annotation() *Annot { return a }

// TableRef describes a scanned table.
type TableRef struct {
	Schema, Name string
	Server       string // the foreign server; "" for local tables
	Wrapper      string // the wrapper (connector) name
	Rows         int64  // the source's row count, -1 when unknown
}

// Scan reads a table. Columns() are TableCols picked by Projection.
type Scan struct {
	Annot
	Table     TableRef
	Alias     string   // the name the query gave the table
	TableCols []Column // the table's full declared schema
	// Projection indexes TableCols; nil means every column.
	Projection []int
	// Filters are conjuncts pushed into the scan; they reference TableCols.
	Filters []Expr
}

// Values is an inline table (VALUES, or the one empty row of a FROM-less SELECT).
type Values struct {
	Annot
	Cols []Column
	Rows [][]Expr
}

// Filter keeps the rows for which Cond is true.
type Filter struct {
	Annot
	Input Node
	Cond  Expr
}

// Project computes Exprs over its input; output column i is Cols[i].
type Project struct {
	Annot
	Input Node
	Exprs []Expr
	Cols  []Column
}

// JoinKind is the kind of a join.
type JoinKind int

// The join kinds. Semi and Anti output the left columns; Mark outputs the
// left columns plus a boolean (see CONVENTIONS.md); Single outputs the left
// columns plus the right ones (a scalar subquery: at most one match).
const (
	InnerJoin JoinKind = iota
	LeftJoin
	RightJoin
	FullJoin
	SemiJoin
	AntiJoin
	MarkJoin
	SingleJoin
	CrossJoin
)

var joinNames = [...]string{"Inner", "Left", "Right", "Full", "LeftSemi", "LeftAnti", "LeftMark", "LeftSingle", "Cross"}

func (k JoinKind) String() string { return joinNames[k] }

// Join combines two inputs. Cond is nil for a cross join.
type Join struct {
	Annot
	Kind        JoinKind
	Left, Right Node
	Cond        Expr
	Mark        Column // the mark column of a MarkJoin
}

// AggCall is one aggregate function call.
type AggCall struct {
	Func     string // Substrait name: count, sum, avg, min, max, bool_and, ...
	Args     []Expr // none for count(*)
	Distinct bool
	Filter   Expr // FILTER (WHERE ...); nil for none
	Typ      arrow.DataType
}

// Aggregate groups its input by Groups and computes Aggs; output columns are
// GroupCols then AggCols. With no groups it returns exactly one row.
type Aggregate struct {
	Annot
	Input     Node
	Groups    []Expr
	GroupCols []Column
	Aggs      []AggCall
	AggCols   []Column
}

// SortKey is one key of an ordering.
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// Sort orders its input.
type Sort struct {
	Annot
	Input Node
	Keys  []SortKey
}

// Limit skips Offset rows and returns at most Count (-1: all).
type Limit struct {
	Annot
	Input  Node
	Offset int64
	Count  int64
}

// SetKind is UNION, INTERSECT or EXCEPT.
type SetKind int

// The set operations.
const (
	Union SetKind = iota
	Intersect
	Except
)

var setNames = [...]string{"Union", "Intersect", "Except"}

func (k SetKind) String() string { return setNames[k] }

// SetOp combines two inputs with the same number and types of columns,
// matched by position. Cols are its own (new) output columns.
type SetOp struct {
	Annot
	Kind        SetKind
	All         bool
	Left, Right Node
	Cols        []Column
}

// Distinct removes duplicate rows.
type Distinct struct {
	Annot
	Input Node
}

// BoundKind is the kind of a window frame bound.
type BoundKind int

// The window frame bounds.
const (
	UnboundedPreceding BoundKind = iota
	Preceding
	CurrentRow
	Following
	UnboundedFollowing
)

// Bound is one end of a window frame.
type Bound struct {
	Kind   BoundKind
	Offset int64 // for Preceding and Following
}

// Frame is a window frame. Rows is false for RANGE frames.
type Frame struct {
	Rows       bool
	Start, End Bound
}

// WindowCall is one window function call.
type WindowCall struct {
	Func      string // row_number, rank, dense_rank, lag, lead, sum, ...
	Args      []Expr
	Partition []Expr
	Order     []SortKey
	Frame     Frame
	Typ       arrow.DataType
}

// Window computes window functions; output is the input's columns then Cols.
type Window struct {
	Annot
	Input Node
	Funcs []WindowCall
	Cols  []Column
}
