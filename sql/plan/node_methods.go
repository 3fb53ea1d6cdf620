package plan

// Columns implements Node.
func (n *Scan) Columns() []Column {
	if n.Projection == nil {
		return n.TableCols
	}
	out := make([]Column, len(n.Projection))
	for i, p := range n.Projection {
		out[i] = n.TableCols[p]
	}
	return out
}

// Columns implements Node.
func (n *Values) Columns() []Column { return n.Cols }

// Columns implements Node.
func (n *Filter) Columns() []Column { return n.Input.Columns() }

// Columns implements Node.
func (n *Project) Columns() []Column { return n.Cols }

// Columns implements Node.
func (n *Join) Columns() []Column {
	l, r := n.Left.Columns(), n.Right.Columns()
	switch n.Kind {
	case SemiJoin, AntiJoin:
		return l
	case MarkJoin:
		return append(append([]Column(nil), l...), n.Mark)
	case LeftJoin, SingleJoin:
		return concatCols(l, nullable(r))
	case RightJoin:
		return concatCols(nullable(l), r)
	case FullJoin:
		return concatCols(nullable(l), nullable(r))
	}
	return concatCols(l, r)
}

func concatCols(a, b []Column) []Column {
	out := make([]Column, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

func nullable(cols []Column) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		c.Nullable = true
		out[i] = c
	}
	return out
}

// Columns implements Node.
func (n *Aggregate) Columns() []Column { return concatCols(n.GroupCols, n.AggCols) }

// Columns implements Node.
func (n *Sort) Columns() []Column { return n.Input.Columns() }

// Columns implements Node.
func (n *Limit) Columns() []Column { return n.Input.Columns() }

// Columns implements Node.
func (n *SetOp) Columns() []Column { return n.Cols }

// Columns implements Node.
func (n *Distinct) Columns() []Column { return n.Input.Columns() }

// Columns implements Node.
func (n *Window) Columns() []Column { return concatCols(n.Input.Columns(), n.Cols) }

// Children implements Node.
func (n *Scan) Children() []Node { return nil }

// Children implements Node.
func (n *Values) Children() []Node { return nil }

// Children implements Node.
func (n *Filter) Children() []Node { return []Node{n.Input} }

// Children implements Node.
func (n *Project) Children() []Node { return []Node{n.Input} }

// Children implements Node.
func (n *Join) Children() []Node { return []Node{n.Left, n.Right} }

// Children implements Node.
func (n *Aggregate) Children() []Node { return []Node{n.Input} }

// Children implements Node.
func (n *Sort) Children() []Node { return []Node{n.Input} }

// Children implements Node.
func (n *Limit) Children() []Node { return []Node{n.Input} }

// Children implements Node.
func (n *SetOp) Children() []Node { return []Node{n.Left, n.Right} }

// Children implements Node.
func (n *Distinct) Children() []Node { return []Node{n.Input} }

// Children implements Node.
func (n *Window) Children() []Node { return []Node{n.Input} }

// WithChildren implements Node.
func (n *Scan) WithChildren([]Node) Node { c := *n; return &c }

// WithChildren implements Node.
func (n *Values) WithChildren([]Node) Node { c := *n; return &c }

// WithChildren implements Node.
func (n *Filter) WithChildren(ch []Node) Node { c := *n; c.Input = ch[0]; return &c }

// WithChildren implements Node.
func (n *Project) WithChildren(ch []Node) Node { c := *n; c.Input = ch[0]; return &c }

// WithChildren implements Node.
func (n *Join) WithChildren(ch []Node) Node { c := *n; c.Left, c.Right = ch[0], ch[1]; return &c }

// WithChildren implements Node.
func (n *Aggregate) WithChildren(ch []Node) Node { c := *n; c.Input = ch[0]; return &c }

// WithChildren implements Node.
func (n *Sort) WithChildren(ch []Node) Node { c := *n; c.Input = ch[0]; return &c }

// WithChildren implements Node.
func (n *Limit) WithChildren(ch []Node) Node { c := *n; c.Input = ch[0]; return &c }

// WithChildren implements Node.
func (n *SetOp) WithChildren(ch []Node) Node { c := *n; c.Left, c.Right = ch[0], ch[1]; return &c }

// WithChildren implements Node.
func (n *Distinct) WithChildren(ch []Node) Node { c := *n; c.Input = ch[0]; return &c }

// WithChildren implements Node.
func (n *Window) WithChildren(ch []Node) Node { c := *n; c.Input = ch[0]; return &c }

// Transform rebuilds the tree bottom-up: children first, then fn on the node
// with its new children.
func Transform(n Node, fn func(Node) Node) Node {
	ch := n.Children()
	if len(ch) > 0 {
		nc := make([]Node, len(ch))
		for i, c := range ch {
			nc[i] = Transform(c, fn)
		}
		n = n.WithChildren(nc)
	}
	return fn(n)
}

// TransformDown rebuilds the tree top-down: fn on the node, then on the
// children of its result.
func TransformDown(n Node, fn func(Node) Node) Node {
	n = fn(n)
	ch := n.Children()
	if len(ch) == 0 {
		return n
	}
	nc := make([]Node, len(ch))
	for i, c := range ch {
		nc[i] = TransformDown(c, fn)
	}
	return n.WithChildren(nc)
}

// Inspect calls fn on every node, parents first.
func Inspect(n Node, fn func(Node)) {
	fn(n)
	for _, c := range n.Children() {
		Inspect(c, fn)
	}
}
