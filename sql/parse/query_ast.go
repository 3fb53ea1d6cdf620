package parse

import "vitess.io/vitess/go/vt/sqlparser"

// Query is a SELECT, WITH, VALUES, INSERT, UPDATE or DELETE statement, parsed
// by Vitess after the dialect rewrite of dialect.go.
//
// COMMIT and ROLLBACK are a Query too, with EndTransaction set and no AST,
// and so is TRUNCATE, with Truncate set and no AST: the engine runs them
// where it runs queries.
type Query struct {
	Node
	// Rewritten is the text Vitess parsed.
	Rewritten string
	// AST is Vitess' tree of Rewritten, with a *SetOpQuery for each set
	// operation with INTERSECT or EXCEPT nested in it.
	AST sqlparser.Statement
	// Params is the number of parameters: the highest $n, or the number
	// of ? markers (which Vitess numbers :v1, :v2, ...).
	Params int
	// EndTransaction is the command tag, "COMMIT" or "ROLLBACK", of COMMIT,
	// END, ROLLBACK and ABORT (transaction.go); "" for a query.
	EndTransaction string
	// Truncate, for TRUNCATE, is DELETE FROM each table, in order
	// (truncate.go): the engine runs them one by one. The text of each is
	// the table's name as written.
	Truncate []*Query
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
// A statement is a SetOp when its top level is one; a set operation nested
// in a query is a SetOpQuery of the query's Vitess tree.
//
// Tail, when not nil, carries what applies to the whole set operation:
// it is the parse of `[WITH ...] SELECT * FROM __medley_setop [ORDER BY ...]
// [LIMIT ...]` (SetOpTable); take its With, OrderBy and Limit.
type SetOp struct {
	Node
	Op          SetOpKind
	All         bool
	Left, Right Statement
	Tail        *Query
	// Params is the number of parameters of the whole statement (set in
	// the statement's root only).
	Params int
}

// SetOpQuery is a set operation with INTERSECT or EXCEPT nested in a query
// (a subquery, a derived table, a WITH query, a parenthesized operand of
// UNION, the source of INSERT), in the query's Vitess tree: Vitess parsed
// the placeholder `SELECT * FROM __medley_setop_<n>` there, which SetOpQuery
// embeds, so that it is a sqlparser.TableStatement (printed, and walked, as
// the placeholder). The WITH, ORDER BY and LIMIT that Vitess may have moved
// from around the parentheses onto the placeholder apply to the set
// operation's result.
type SetOpQuery struct {
	*sqlparser.Select
	SetOp *SetOp
}

var (
	_ sqlparser.TableStatement = (*SetOpQuery)(nil)
	_ sqlparser.Visitable      = (*SetOpQuery)(nil)
)

// VisitThis makes SetOpQuery a sqlparser.Visitable, Vitess' interface for
// nodes defined outside its package: Vitess' walks see the SetOpQuery, then
// its placeholder.
func (q *SetOpQuery) VisitThis() sqlparser.SQLNode { return q.Select }

// Clone returns a copy of q whose placeholder is inner (sqlparser.Visitable).
func (q *SetOpQuery) Clone(inner sqlparser.SQLNode) sqlparser.SQLNode {
	sel, _ := inner.(*sqlparser.Select)
	return &SetOpQuery{Select: sel, SetOp: q.SetOp}
}
