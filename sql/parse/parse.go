// Package parse turns SQL text into statements: Vitess' sqlparser for queries
// (after rewriting PostgreSQL's dialect into what Vitess reads, see
// dialect.go) and our own recursive-descent parser for SQL/MED DDL, users,
// grants and session statements, which Vitess lacks (ddl_ast.go). Errors
// are *sqlerr.Error with code 42601 and a 1-based byte Position in the text
// given to Parse.
package parse

// Statement is one parsed statement: one of this package's DDL nodes, a
// *Query wrapping a Vitess statement, or a *SetOp.
type Statement interface {
	// Text is the statement's source text.
	Text() string
	// Position is the 1-based byte offset of the statement in the text
	// given to Parse.
	Position() int
}
