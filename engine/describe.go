package engine

import (
	"context"
	"errors"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/compile"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/sqlerr"
)

// StatementKind is what a statement does, as a client protocol needs to know
// before running it (Flight SQL's prepared statements).
type StatementKind int

const (
	// KindQuery returns rows whose schema is known from compiling.
	KindQuery StatementKind = iota
	// KindWrite is INSERT, UPDATE or DELETE: it counts rows written.
	KindWrite
	// KindRows returns rows whose schema is known only when run (SHOW,
	// EXPLAIN).
	KindRows
	// KindCommand is DDL, SET, RESET and the rest: no rows.
	KindCommand
)

// Description is a statement described without running it.
type Description struct {
	Kind StatementKind
	// Schema is the output of a KindQuery statement; nil otherwise.
	Schema *arrow.Schema
	// Params are the types of the parameters $1, $2, ... of a query or
	// write, inferred by the compiler.
	Params []arrow.DataType
}

// Describe parses and, for queries and writes, compiles one statement as the
// session's user, returning its kind, output schema and parameter types.
// Nothing is executed.
func (s *Session) Describe(ctx context.Context, text string) (*Description, error) {
	stmt, err := parse.ParseOne(text)
	if err != nil {
		return nil, err
	}
	switch stmt.(type) {
	case *parse.Query, *parse.SetOp:
	case *parse.Explain, *parse.Show:
		return &Description{Kind: KindRows}, nil
	default:
		return &Description{Kind: KindCommand}, nil
	}
	res, err := compile.Query(ctx, newTableSet(s.db, s.user, s.db.alloc), s.user, stmt,
		compile.Options{SearchPath: s.set.schemas()})
	if err != nil {
		var e *sqlerr.Error
		if errors.As(err, &e) {
			e.Locate(text)
		}
		return nil, err
	}
	d := &Description{Kind: KindQuery, Schema: res.Schema, Params: res.Params}
	if res.Write != nil {
		d.Kind, d.Schema = KindWrite, nil
	}
	return d, nil
}
