package plan

import "github.com/apache/arrow-go/v18/arrow"

// ColumnID identifies a column of the plan uniquely within one statement.
// An operator that passes a column through keeps its ID; an operator that
// computes a new value gives it a new ID.
type ColumnID int32

// Column is one output column of an operator.
type Column struct {
	ID       ColumnID
	Name     string // the column's name as the user sees it
	Table    string // the qualifier for display ("" when none)
	Type     arrow.DataType
	Nullable bool
	// Distinct estimates the column's number of distinct values, from the
	// source's statistics when it was scanned; 0 when unknown. It is kept
	// while the column passes through operators unchanged.
	Distinct int64
}

// QualifiedName is Table.Name, or Name when there is no qualifier.
func (c Column) QualifiedName() string {
	if c.Table == "" {
		return c.Name
	}
	return c.Table + "." + c.Name
}

// Ref returns a reference to the column.
func (c Column) Ref() *ColRef {
	return &ColRef{ID: c.ID, Name: c.QualifiedName(), Typ: c.Type}
}

// IDGen hands out fresh ColumnIDs.
type IDGen struct{ next ColumnID }

// Next returns a new ID.
func (g *IDGen) Next() ColumnID {
	g.next++
	return g.next
}

// ColumnSet is a set of column IDs.
type ColumnSet map[ColumnID]struct{}

// Add adds ids to the set.
func (s ColumnSet) Add(ids ...ColumnID) {
	for _, id := range ids {
		s[id] = struct{}{}
	}
}

// Has reports whether id is in the set.
func (s ColumnSet) Has(id ColumnID) bool {
	_, ok := s[id]
	return ok
}

// ColumnsOf returns the set of IDs of cols.
func ColumnsOf(cols []Column) ColumnSet {
	s := ColumnSet{}
	for _, c := range cols {
		s.Add(c.ID)
	}
	return s
}

// Refs returns the IDs of the columns e references.
func Refs(e Expr) ColumnSet {
	s := ColumnSet{}
	Walk(e, func(x Expr) {
		if r, ok := x.(*ColRef); ok {
			s.Add(r.ID)
		}
	})
	return s
}

// Covers reports whether every column e references is in s.
func (s ColumnSet) Covers(e Expr) bool {
	for id := range Refs(e) {
		if !s.Has(id) {
			return false
		}
	}
	return true
}

// Walk calls fn on e and every sub-expression, parents first.
func Walk(e Expr, fn func(Expr)) {
	if e == nil {
		return
	}
	fn(e)
	switch x := e.(type) {
	case *Call:
		for _, a := range x.Args {
			Walk(a, fn)
		}
	case *Cast:
		Walk(x.Input, fn)
	case *Case:
		for _, w := range x.Whens {
			Walk(w.Cond, fn)
			Walk(w.Then, fn)
		}
		Walk(x.Else, fn)
	case *InList:
		Walk(x.Input, fn)
		for _, a := range x.List {
			Walk(a, fn)
		}
	}
}

// Rewrite rebuilds e bottom-up, replacing every node by fn's result. fn
// returns its argument unchanged to keep a node.
func Rewrite(e Expr, fn func(Expr) Expr) Expr {
	if e == nil {
		return nil
	}
	switch x := e.(type) {
	case *Call:
		c := *x
		c.Args = rewriteAll(x.Args, fn)
		e = &c
	case *Cast:
		c := *x
		c.Input = Rewrite(x.Input, fn)
		e = &c
	case *Case:
		c := *x
		c.Whens = make([]When, len(x.Whens))
		for i, w := range x.Whens {
			c.Whens[i] = When{Cond: Rewrite(w.Cond, fn), Then: Rewrite(w.Then, fn)}
		}
		c.Else = Rewrite(x.Else, fn)
		e = &c
	case *InList:
		c := *x
		c.Input = Rewrite(x.Input, fn)
		c.List = rewriteAll(x.List, fn)
		e = &c
	}
	return fn(e)
}

func rewriteAll(es []Expr, fn func(Expr) Expr) []Expr {
	out := make([]Expr, len(es))
	for i, a := range es {
		out[i] = Rewrite(a, fn)
	}
	return out
}

// Substitute replaces column references by the expressions in m.
func Substitute(e Expr, m map[ColumnID]Expr) Expr {
	return Rewrite(e, func(x Expr) Expr {
		if r, ok := x.(*ColRef); ok {
			if y, ok := m[r.ID]; ok {
				return y
			}
		}
		return x
	})
}
