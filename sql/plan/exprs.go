package plan

import "strconv"

// IDs returns the set's IDs (in no particular order).
func (s ColumnSet) IDs() []ColumnID {
	out := make([]ColumnID, 0, len(s))
	for id := range s {
		out = append(out, id)
	}
	return out
}

// NodeExprs returns the expressions an operator evaluates (not its inputs').
func NodeExprs(n Node) []Expr {
	var out []Expr
	switch n := n.(type) {
	case *Scan:
		out = append(out, n.Filters...)
	case *Values:
		for _, r := range n.Rows {
			out = append(out, r...)
		}
	case *Filter:
		out = append(out, n.Cond)
	case *Project:
		out = append(out, n.Exprs...)
	case *Join:
		if n.Cond != nil {
			out = append(out, n.Cond)
		}
	case *Aggregate:
		out = append(out, n.Groups...)
		for _, a := range n.Aggs {
			out = append(out, a.Args...)
			if a.Filter != nil {
				out = append(out, a.Filter)
			}
		}
	case *Sort:
		for _, k := range n.Keys {
			out = append(out, k.Expr)
		}
	case *Window:
		for _, f := range n.Funcs {
			out = append(out, f.Args...)
			out = append(out, f.Partition...)
			for _, k := range f.Order {
				out = append(out, k.Expr)
			}
		}
	}
	return out
}

// MapExprs returns a copy of n with fn applied to each of its own
// expressions (fn is applied to whole expressions, not sub-expressions).
func MapExprs(n Node, fn func(Expr) Expr) Node {
	all := func(es []Expr) []Expr {
		out := make([]Expr, len(es))
		for i, e := range es {
			out[i] = fn(e)
		}
		return out
	}
	keys := func(ks []SortKey) []SortKey {
		out := make([]SortKey, len(ks))
		for i, k := range ks {
			k.Expr = fn(k.Expr)
			out[i] = k
		}
		return out
	}
	switch n := n.(type) {
	case *Scan:
		c := *n
		c.Filters = all(n.Filters)
		return &c
	case *Values:
		c := *n
		c.Rows = make([][]Expr, len(n.Rows))
		for i, r := range n.Rows {
			c.Rows[i] = all(r)
		}
		return &c
	case *Filter:
		c := *n
		c.Cond = fn(n.Cond)
		return &c
	case *Project:
		c := *n
		c.Exprs = all(n.Exprs)
		return &c
	case *Join:
		c := *n
		if n.Cond != nil {
			c.Cond = fn(n.Cond)
		}
		return &c
	case *Aggregate:
		c := *n
		c.Groups = all(n.Groups)
		c.Aggs = make([]AggCall, len(n.Aggs))
		for i, a := range n.Aggs {
			a.Args = all(a.Args)
			if a.Filter != nil {
				a.Filter = fn(a.Filter)
			}
			c.Aggs[i] = a
		}
		return &c
	case *Sort:
		c := *n
		c.Keys = keys(n.Keys)
		return &c
	case *Window:
		c := *n
		c.Funcs = make([]WindowCall, len(n.Funcs))
		for i, f := range n.Funcs {
			f.Args, f.Partition, f.Order = all(f.Args), all(f.Partition), keys(f.Order)
			c.Funcs[i] = f
		}
		return &c
	}
	return n
}

// Key identifies an expression by structure and column IDs (not names), to
// find equal expressions.
func Key(e Expr) string {
	return Rewrite(e, func(x Expr) Expr {
		if r, ok := x.(*ColRef); ok {
			return &ColRef{ID: r.ID, Name: "#" + strconv.Itoa(int(r.ID)), Typ: r.Typ}
		}
		return x
	}).String()
}
