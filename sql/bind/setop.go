package bind

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

func (b *binder) union(u *sqlparser.Union, outer *scope) (plan.Node, error) {
	restore, err := b.with(u.With)
	if err != nil {
		return nil, err
	}
	defer restore()
	n, err := b.setOp(plan.Union, !u.Distinct, u.Left, u.Right, outer)
	if err != nil {
		return nil, err
	}
	return b.setOpFinish(n, u.OrderBy, u.Limit)
}

// setOp binds left op right, converting both sides to common column types.
func (b *binder) setOp(kind plan.SetKind, all bool, left, right sqlparser.TableStatement, outer *scope) (*plan.SetOp, error) {
	l, _, err := b.query(left, outer)
	if err != nil {
		return nil, err
	}
	r, _, err := b.query(right, outer)
	if err != nil {
		return nil, err
	}
	return b.setOpNodes(kind, all, l, r)
}

// setOpNodes combines two bound queries.
func (b *binder) setOpNodes(kind plan.SetKind, all bool, l, r plan.Node) (*plan.SetOp, error) {
	lc, rc := l.Columns(), r.Columns()
	if len(lc) != len(rc) {
		return nil, sqlerr.New(sqlerr.SyntaxError, "each %s query must have the same number of columns", kindName(kind))
	}
	cols := make([]plan.Column, len(lc))
	lx, rx := make([]plan.Expr, len(lc)), make([]plan.Expr, len(lc))
	castL, castR := false, false
	for i := range lc {
		t, err := b.commonType(kindName(kind), []plan.Expr{lc[i].Ref(), rc[i].Ref()})
		if err != nil {
			return nil, err
		}
		if lx[i], err = b.coerce(lc[i].Ref(), t); err != nil {
			return nil, err
		}
		if rx[i], err = b.coerce(rc[i].Ref(), t); err != nil {
			return nil, err
		}
		_, okL := lx[i].(*plan.ColRef)
		_, okR := rx[i].(*plan.ColRef)
		castL, castR = castL || !okL, castR || !okR
		cols[i] = b.newCol(lc[i].Name, t, lc[i].Nullable || rc[i].Nullable)
	}
	if castL {
		l = b.castProject(l, lx)
	}
	if castR {
		r = b.castProject(r, rx)
	}
	return &plan.SetOp{Kind: kind, All: all, Left: l, Right: r, Cols: cols}, nil
}

func (b *binder) castProject(n plan.Node, exprs []plan.Expr) plan.Node {
	in := n.Columns()
	cols := make([]plan.Column, len(exprs))
	for i, e := range exprs {
		if _, ok := e.(*plan.ColRef); ok {
			cols[i] = in[i]
		} else {
			cols[i] = b.newCol(in[i].Name, e.Type(), in[i].Nullable)
		}
	}
	return &plan.Project{Input: n, Exprs: exprs, Cols: cols}
}

func kindName(k plan.SetKind) string {
	return [...]string{"UNION", "INTERSECT", "EXCEPT"}[k]
}

// setOpFinish applies ORDER BY (output names and ordinals) and LIMIT to
// the result of a set operation.
func (b *binder) setOpFinish(n plan.Node, order sqlparser.OrderBy, limit *sqlparser.Limit) (plan.Node, error) {
	if len(order) == 0 && limit == nil {
		return n, nil
	}
	cols := n.Columns()
	exprs := make([]plan.Expr, len(cols))
	for i, c := range cols {
		exprs[i] = c.Ref()
	}
	p := &plan.Project{Input: n, Exprs: exprs, Cols: cols}
	out, err := b.finish(p, nil, order, limit, false)
	if err != nil {
		return nil, err
	}
	return stripIdentity(out), nil
}

// nestedSetOp binds a set operation with INTERSECT or EXCEPT nested in a
// query; outer is the enclosing query's scope for a subquery. The WITH,
// ORDER BY and LIMIT of its placeholder apply around it.
func (b *binder) nestedSetOp(q *parse.SetOpQuery, outer *scope) (plan.Node, error) {
	restore, err := b.with(q.With)
	if err != nil {
		return nil, err
	}
	defer restore()
	n, err := b.setOpTree(q.SetOp, outer)
	if err != nil {
		return nil, err
	}
	return b.setOpFinish(n, q.OrderBy, q.Limit)
}

// setOpTree binds a set operation of sql/parse with the scope outer.
func (b *binder) setOpTree(s *parse.SetOp, outer *scope) (plan.Node, error) {
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
	l, err := b.setOperand(s.Left, outer)
	if err != nil {
		return nil, err
	}
	r, err := b.setOperand(s.Right, outer)
	if err != nil {
		return nil, err
	}
	n, err := b.setOpNodes(setKinds[s.Op], s.All, l, r)
	if err != nil || tail == nil {
		return n, err
	}
	return b.setOpFinish(n, tail.OrderBy, tail.Limit)
}

// setOperand binds an operand of a set operation of sql/parse.
func (b *binder) setOperand(st parse.Statement, outer *scope) (plan.Node, error) {
	switch s := st.(type) {
	case *parse.Query:
		if ts, ok := s.AST.(sqlparser.TableStatement); ok {
			n, _, err := b.query(ts, outer)
			return n, err
		}
	case *parse.SetOp:
		return b.setOpTree(s, outer)
	}
	return nil, sqlerr.New(sqlerr.SyntaxError, "set operation operand is not a query")
}

// stripIdentity removes a Project that passes its input through unchanged.
func stripIdentity(n plan.Node) plan.Node {
	return plan.Transform(n, func(x plan.Node) plan.Node {
		p, ok := x.(*plan.Project)
		if !ok {
			return x
		}
		in := p.Input.Columns()
		if len(in) != len(p.Exprs) {
			return x
		}
		for i, e := range p.Exprs {
			r, ok := e.(*plan.ColRef)
			if !ok || r.ID != in[i].ID || p.Cols[i].Name != in[i].Name {
				return x
			}
		}
		return p.Input
	})
}
