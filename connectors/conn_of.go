package connectors

// ConnTable is implemented by a Table that knows the Conn it belongs to.
// The executor pushes a whole subtree to a source only when every table it
// reads belongs to the same Conn (the same server and user mapping) and
// that Conn is a RelExecutor.
type ConnTable interface {
	Conn() Conn
}

// TableWrapper is implemented by a Table that wraps another one (e.g. the
// engine's table that counts the rows scanned): Unwrap returns the table
// underneath.
type TableWrapper interface {
	Unwrap() Table
}

// Underlying returns t with every TableWrapper removed.
func Underlying(t Table) Table {
	for {
		w, ok := t.(TableWrapper)
		if !ok {
			return t
		}
		u := w.Unwrap()
		if u == nil {
			return t
		}
		t = u
	}
}

// ConnOf returns the Conn a table belongs to, or nil when it does not say.
func ConnOf(t Table) Conn {
	if ct, ok := Underlying(t).(ConnTable); ok {
		return ct.Conn()
	}
	return nil
}
