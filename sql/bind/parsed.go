package bind

import (
	"context"

	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// BindParsed binds a statement of sql/parse: a *parse.Query or a
// *parse.SetOp (INTERSECT / EXCEPT). Error positions count in the text the
// statement was parsed from. COMMIT and ROLLBACK (a Query with
// EndTransaction) are not queries: the engine runs them itself.
//
// TRUNCATE (a Query with Truncate), which the engine runs as the DELETE
// statements of its tables, binds them all, for their checks (the tables
// exist, the user may DELETE from them), and returns the first one's
// result: a write, what describing the statement needs to know.
func BindParsed(ctx context.Context, cat Catalog, user string, stmt parse.Statement, opts Options) (*Result, error) {
	switch s := stmt.(type) {
	case *parse.Query:
		switch {
		case s.EndTransaction != "":
			return nil, unsupported("%s is not a query", s.EndTransaction)
		case s.Truncate != nil:
			return bindTruncate(ctx, cat, user, s.Truncate, opts)
		}
		return bindWith(ctx, cat, user, s.Text(), s.Position()-1, opts, func(b *binder) (*Result, error) {
			return b.statement(s.AST)
		})
	case *parse.SetOp:
		return bindWith(ctx, cat, user, s.Text(), s.Position()-1, opts, func(b *binder) (*Result, error) {
			n, err := b.setOpTree(s, nil)
			if err != nil {
				return nil, err
			}
			return &Result{Root: n, Names: names(n)}, nil
		})
	case nil:
		return nil, sqlerr.New(sqlerr.SyntaxError, "empty statement")
	}
	return nil, unsupported("statement is not a query")
}

func bindTruncate(ctx context.Context, cat Catalog, user string, deletes []*parse.Query, opts Options) (*Result, error) {
	var first *Result
	for _, d := range deletes {
		res, err := BindParsed(ctx, cat, user, d, opts)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = res
		}
	}
	return first, nil
}

func names(n plan.Node) []string {
	cols := n.Columns()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

var setKinds = map[parse.SetOpKind]plan.SetKind{
	parse.SetUnion: plan.Union, parse.SetIntersect: plan.Intersect, parse.SetExcept: plan.Except,
}
