// Package parse turns SQL text into statements: Vitess' sqlparser for queries
// (after rewriting PostgreSQL's dialect into what Vitess reads) and our own
// recursive-descent parser for SQL/MED DDL, users and grants, which Vitess
// lacks. Errors are *sqlerr.Error with code 42601 and a position.
package parse

// Statement is one parsed statement: either one of this package's DDL nodes
// or a *Query wrapping a Vitess statement.
type Statement interface {
	// Text is the statement's source text.
	Text() string
}
