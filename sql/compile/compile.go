// Package compile is the query compiler's entry for the engine: a parsed
// statement in, an optimized Substrait plan out, through sql/bind (names,
// types, subqueries), sql/optimize (rewrite rules) and sql/substrait.
package compile

import (
	"context"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	splan "github.com/substrait-io/substrait-go/v8/plan"

	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/optimize"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/substrait"
)

// Options tune compilation.
type Options struct {
	// SearchPath lists the schemas for unqualified table names; empty
	// means {"public"}.
	SearchPath []string
	// ParamTypes are the declared parameter types ($1 first); nil entries
	// are inferred from use.
	ParamTypes []arrow.DataType
	// NoOptimize skips the optimizer (for tests and EXPLAIN comparisons).
	NoOptimize bool
	// Now is the clock of current_timestamp and the like (bind.Options.Now);
	// nil means time.Now.
	Now func() time.Time
}

// Result is a compiled statement.
type Result struct {
	// Plan is the Substrait plan the executor runs.
	Plan *splan.Plan
	// Logical is the optimized logical plan (EXPLAIN's tree).
	Logical plan.Node
	// Schema is the output: column names and types, in order.
	Schema *arrow.Schema
	// Params are the parameters' types, $1 first.
	Params []arrow.DataType
	// Write is the target of INSERT/UPDATE/DELETE; nil for queries.
	Write *bind.Write
}

// Query compiles a parsed query (a *parse.Query or *parse.SetOp) for user.
func Query(ctx context.Context, cat bind.Catalog, user string, stmt parse.Statement, opts Options) (*Result, error) {
	bound, err := bind.BindParsed(ctx, cat, user, stmt, bind.Options{SearchPath: opts.SearchPath, ParamTypes: opts.ParamTypes, Now: opts.Now})
	if err != nil {
		return nil, err
	}
	return finish(ctx, bound, opts)
}

// SQL parses and compiles one query written in PostgreSQL's SQL.
func SQL(ctx context.Context, cat bind.Catalog, user, text string, opts Options) (*Result, error) {
	stmt, err := parse.ParseOne(text)
	if err != nil {
		return nil, err
	}
	switch stmt.(type) {
	case *parse.Query, *parse.SetOp:
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "not a query: %s", firstWord(text))
	}
	return Query(ctx, cat, user, stmt, opts)
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func finish(ctx context.Context, bound *bind.Result, opts Options) (*Result, error) {
	root := bound.Root
	if !opts.NoOptimize {
		var err error
		if root, err = optimize.Optimize(ctx, root); err != nil {
			return nil, err
		}
	}
	p, err := substrait.Convert(root, bound.Names)
	if err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, len(bound.Names))
	for i, c := range root.Columns() {
		fields[i] = arrow.Field{Name: bound.Names[i], Type: c.Type, Nullable: c.Nullable}
	}
	return &Result{Plan: p, Logical: root, Schema: arrow.NewSchema(fields, nil), Params: bound.Params, Write: bound.Write}, nil
}

// Explain renders the plan for EXPLAIN: the logical tree with estimated
// rows and, per scan, what is pushed to the source. verbose adds each
// operator's output columns with their types.
func (r *Result) Explain(verbose bool) string {
	if !verbose {
		return plan.Format(r.Logical)
	}
	return plan.FormatVerbose(r.Logical)
}

// SubstraitJSON renders the plan for EXPLAIN (FORMAT SUBSTRAIT).
func (r *Result) SubstraitJSON() (string, error) {
	return substrait.ToJSON(r.Plan)
}

// ReadSubstrait reads a client's Substrait plan: protobuf bytes, or its
// JSON form when the first non-blank byte is '{'.
func ReadSubstrait(data []byte) (*splan.Plan, error) {
	trimmed := strings.TrimLeft(string(data), " \t\r\n")
	if strings.HasPrefix(trimmed, "{") {
		return substrait.FromJSON(data)
	}
	return substrait.FromBinary(data)
}
