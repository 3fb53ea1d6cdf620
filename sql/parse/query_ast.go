package parse

import "vitess.io/vitess/go/vt/sqlparser"

// Query is a SELECT, WITH, VALUES, INSERT, UPDATE or DELETE statement, parsed
// by Vitess after the dialect rewrite of dialect.go.
type Query struct {
	Node
	// Rewritten is the text Vitess parsed.
	Rewritten string
	// AST is Vitess' tree of Rewritten.
	AST sqlparser.Statement
	// Params is the number of parameters: the highest $n, or the number
	// of ? markers (which Vitess numbers :v1, :v2, ...).
	Params int
}

// SetOpKind is UNION, INTERSECT or EXCEPT.
type SetOpKind int

// Set operations.
const (
	SetUnion SetOpKind = iota
	SetIntersect
	SetExcept
)

func (k SetOpKind) String() string {
	return [...]string{"UNION", "INTERSECT", "EXCEPT"}[k]
}

// SetOp is a query whose top level has INTERSECT or EXCEPT, which Vitess
// v0.24 does not parse: Left and Right are *Query or *SetOp operands
// (INTERSECT binds tighter than UNION and EXCEPT, which associate to the
// left, as PostgreSQL). A set operation that only has UNIONs stays a *Query.
//
// Tail, when not nil, carries what applies to the whole set operation:
// it is the parse of `[WITH ...] SELECT * FROM __medley_setop [ORDER BY ...]
// [LIMIT ...]` (SetOpTable); take its With, OrderBy and Limit. Only the
// root SetOp of a statement has a Tail.
type SetOp struct {
	Node
	Op          SetOpKind
	All         bool
	Left, Right Statement
	Tail        *Query
	// Params is the number of parameters of the whole statement.
	Params int
}
