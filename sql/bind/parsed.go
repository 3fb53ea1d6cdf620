package bind

import (
	"context"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// BindParsed binds a statement of sql/parse: a *parse.Query or a
// *parse.SetOp (INTERSECT / EXCEPT). Error positions count in the text the
// statement was parsed from.
func BindParsed(ctx context.Context, cat Catalog, user string, stmt parse.Statement, opts Options) (*Result, error) {
	switch s := stmt.(type) {
	case *parse.Query:
		return bindWith(ctx, cat, user, s.Text(), s.Position()-1, opts, func(b *binder) (*Result, error) {
			return b.statement(s.AST)
		})
	case *parse.SetOp:
		return bindWith(ctx, cat, user, s.Text(), s.Position()-1, opts, func(b *binder) (*Result, error) {
			n, err := b.parsedSetOp(s)
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

func names(n plan.Node) []string {
	cols := n.Columns()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

func (b *binder) parsedOperand(st parse.Statement) (plan.Node, error) {
	switch s := st.(type) {
	case *parse.Query:
		ts, ok := s.AST.(sqlparser.TableStatement)
		if !ok {
			return nil, sqlerr.New(sqlerr.SyntaxError, "set operation operand is not a query")
		}
		n, _, err := b.query(ts, nil)
		return n, err
	case *parse.SetOp:
		return b.parsedSetOp(s)
	}
	return nil, sqlerr.New(sqlerr.SyntaxError, "set operation operand is not a query")
}

var setKinds = map[parse.SetOpKind]plan.SetKind{
	parse.SetUnion: plan.Union, parse.SetIntersect: plan.Intersect, parse.SetExcept: plan.Except,
}

func (b *binder) parsedSetOp(s *parse.SetOp) (plan.Node, error) {
	var tail *sqlparser.Select
	if s.Tail != nil {
		t, ok := s.Tail.AST.(*sqlparser.Select)
		if !ok {
			return nil, sqlerr.New(sqlerr.InternalError, "malformed set operation")
		}
		tail = t
		restore, err := b.with(t.With)
		if err != nil {
			return nil, err
		}
		defer restore()
	}
	l, err := b.parsedOperand(s.Left)
	if err != nil {
		return nil, err
	}
	r, err := b.parsedOperand(s.Right)
	if err != nil {
		return nil, err
	}
	n, err := b.setOpNodes(setKinds[s.Op], s.All, l, r)
	if err != nil || tail == nil {
		return n, err
	}
	return b.setOpFinish(n, tail.OrderBy, tail.Limit)
}
