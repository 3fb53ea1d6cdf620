package sqlgen

import (
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"

	sqltypes "github.com/medleysql/medley/sql/types"
)

// RelTable is a remote table a relation reads: its qualified remote name
// and every column, by schema index.
type RelTable struct {
	Remote  []string
	Columns []ColumnRef
}

// RelQuery is a deparsed relation: one SELECT returning the relation's
// output columns in order, with their Arrow types.
type RelQuery struct {
	SQL   string
	Types []arrow.DataType
}

// Rel deparses a whole Substrait relation tree (ReadRel of named tables,
// FilterRel, ProjectRel, SortRel, FetchRel, AggregateRel, JoinRel and
// CrossRel) into one SELECT, as postgres_fdw deparses joins and
// aggregates. table finds the remote table of a NamedTable. The error is
// an *Unshippable, whose Reason is for EXPLAIN, when some part of the tree
// cannot be sent with the engine's meaning; any other error is a bug in
// the plan.
//
// Every relation becomes a derived table whose output columns get names
// unique in the whole query ("c1", "c2", ...), so that references never
// need qualifying and correlated references (EXISTS) resolve without
// ambiguity. An ordering is carried up through the operators that keep it
// (filter, project, limit) and repeated in the outermost SELECT.
func Rel(d *Dialect, r plan.Rel, table func(names []string) (RelTable, bool)) (RelQuery, error) {
	if err := guardRel(d, r); err != nil {
		return RelQuery{}, err
	}
	g := &relGen{d: d, table: table}
	b, err := g.rel(r)
	if err != nil {
		return RelQuery{}, err
	}
	var sel []string
	out := RelQuery{}
	for _, c := range b.cols {
		q, err := d.QuoteIdent(c.Name)
		if err != nil {
			return RelQuery{}, err
		}
		sel = append(sel, q)
		out.Types = append(out.Types, c.Type)
	}
	if len(sel) == 0 {
		sel = []string{"NULL"}
	}
	out.SQL = "SELECT " + strings.Join(sel, ", ") + " FROM (" + b.sql + ") AS " + g.alias("s")
	if b.order != "" {
		out.SQL += " ORDER BY " + b.order
	}
	return out, nil
}

// block is one relation as SQL: a SELECT whose output holds (at least)
// the columns cols, by their unique names; order, when not empty, is the
// ORDER BY (over those names) its rows must keep.
type block struct {
	sql   string
	cols  []ColumnRef
	order string
}

type relGen struct {
	d     *Dialect
	table func(names []string) (RelTable, bool)
	n     int
}

func (g *relGen) alias(prefix string) string {
	g.n++
	return fmt.Sprintf("%s%d", prefix, g.n)
}

// column makes a fresh output column of type t.
func (g *relGen) column(t arrow.DataType) ColumnRef {
	return ColumnRef{Name: g.alias("c"), Type: t}
}

func (g *relGen) quote(c ColumnRef) string {
	q, _ := g.d.QuoteIdent(c.Name) // generated names always quote
	return q
}

// rel deparses r and applies its emit mapping.
func (g *relGen) rel(r plan.Rel) (block, error) {
	b, err := g.relDirect(r)
	if err != nil {
		return block{}, err
	}
	if m := r.OutputMapping(); m != nil {
		cols := make([]ColumnRef, len(m))
		for i, c := range m {
			if c < 0 || int(c) >= len(b.cols) {
				return block{}, fmt.Errorf("sqlgen: emit column %d out of range", c)
			}
			cols[i] = b.cols[c]
		}
		b.cols = cols
	}
	return b, nil
}

func (g *relGen) relDirect(r plan.Rel) (block, error) {
	switch r := r.(type) {
	case *plan.NamedTableReadRel:
		return g.read(r)
	case *plan.FilterRel:
		in, err := g.rel(r.Input())
		if err != nil {
			return block{}, err
		}
		return g.where(in, r.Condition())
	case *plan.ProjectRel:
		return g.project(r)
	case *plan.SortRel:
		return g.sort(r)
	case *plan.FetchRel:
		return g.fetch(r)
	case *plan.AggregateRel:
		return g.aggregate(r)
	case *plan.JoinRel:
		return g.join(r)
	case *plan.CrossRel:
		l, err := g.rel(r.Left())
		if err != nil {
			return block{}, err
		}
		rb, err := g.rel(r.Right())
		if err != nil {
			return block{}, err
		}
		return block{sql: "SELECT * FROM " + g.from(l) + " CROSS JOIN " + g.from(rb), cols: concatCols(l.cols, rb.cols)}, nil
	case *plan.VirtualTableReadRel:
		return block{}, unshippable("inline VALUES are not shippable")
	case *plan.SetRel:
		return block{}, unshippable("set operations (UNION, INTERSECT, EXCEPT) are not shippable")
	}
	return block{}, unshippable("relation %T is not shippable", r)
}

// from is b as a derived table with a fresh alias.
func (g *relGen) from(b block) string {
	return "(" + b.sql + ") AS " + g.alias("s")
}

func concatCols(a, b []ColumnRef) []ColumnRef {
	out := make([]ColumnRef, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

// read deparses a NamedTable ReadRel: its projection (as the executor
// reads it: the mask's columns in order) and its filter, which must be
// shipped whole.
func (g *relGen) read(r *plan.NamedTableReadRel) (block, error) {
	t, ok := g.table(r.Names())
	if !ok {
		return block{}, unshippable("table %s is not a table of this server", strings.Join(r.Names(), "."))
	}
	name, err := g.d.QualifiedName(t.Remote)
	if err != nil {
		return block{}, unshippable("%v", err)
	}
	proj := readProjection(r, len(t.Columns))
	var sel []string
	var cols []ColumnRef
	for _, c := range proj {
		if c < 0 || c >= len(t.Columns) {
			return block{}, fmt.Errorf("sqlgen: projection column %d out of range", c)
		}
		q, err := g.d.QuoteIdent(t.Columns[c].Name)
		if err != nil {
			return block{}, unshippable("%v", err)
		}
		oc := g.column(t.Columns[c].Type)
		oc.Padded = t.Columns[c].Padded
		sel = append(sel, q+" AS "+g.quote(oc))
		cols = append(cols, oc)
	}
	if len(sel) == 0 {
		sel = []string{"NULL AS " + g.quote(g.column(arrow.Null))}
	}
	sql := "SELECT " + strings.Join(sel, ", ") + " FROM " + name
	if f := r.Filter(); f != nil {
		w, err := Where(g.d, t.Columns, f)
		if err != nil {
			return block{}, err
		}
		sql += " WHERE " + w
	}
	return block{sql: sql, cols: cols}, nil
}

// readProjection is the ReadRel's column mask, all columns without one.
func readProjection(r *plan.NamedTableReadRel, n int) []int {
	if m := r.Projection(); m != nil {
		if sel := m.ToProto().GetSelect(); sel != nil {
			items := sel.GetStructItems()
			out := make([]int, len(items))
			for i, it := range items {
				out[i] = int(it.GetField())
			}
			return out
		}
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// where filters b by cond (over b's columns); the order is carried.
func (g *relGen) where(b block, cond expr.Expression) (block, error) {
	w, err := Where(g.d, b.cols, cond)
	if err != nil {
		return block{}, err
	}
	return block{sql: "SELECT * FROM " + g.from(b) + " WHERE " + w, cols: b.cols, order: b.order}, nil
}

func (g *relGen) orderClause(b block) string {
	if b.order == "" {
		return ""
	}
	return " ORDER BY " + b.order
}

// project adds the expressions as columns (Substrait's ProjectRel output
// is the input's columns, then the expressions).
func (g *relGen) project(r *plan.ProjectRel) (block, error) {
	in, err := g.rel(r.Input())
	if err != nil {
		return block{}, err
	}
	cols := append([]ColumnRef{}, in.cols...)
	sel := []string{"*"}
	for _, e := range r.Expressions() {
		if hasWindowFunc(e) {
			return block{}, unshippable("window functions are not shippable")
		}
		s, err := Expr(g.d, in.cols, e)
		if err != nil {
			return block{}, err
		}
		t, err := arrowOf(e)
		if err != nil {
			return block{}, err
		}
		c := g.column(t)
		sel = append(sel, g.cast(s, t)+" AS "+g.quote(c))
		cols = append(cols, c)
	}
	return block{sql: "SELECT " + strings.Join(sel, ", ") + " FROM " + g.from(in), cols: cols, order: in.order}, nil
}

func hasWindowFunc(e expr.Expression) bool {
	found := false
	var visit expr.VisitFunc
	visit = func(x expr.Expression) expr.Expression {
		if _, ok := x.(*expr.WindowFunction); ok {
			found = true
			return x
		}
		return x.Visit(visit)
	}
	visit(e)
	return found
}

// arrowOf is the Arrow type of an expression's Substrait type.
func arrowOf(e expr.Expression) (arrow.DataType, error) {
	t, _, err := sqlFromSubstrait(e.GetType())
	if err != nil {
		return nil, unshippable("expression of type %s is not shippable", e.GetType())
	}
	return t, nil
}

var sqlFromSubstrait = sqltypes.FromSubstrait

// cast makes the remote value of s have type t exactly, where the
// dialect can name t (a literal 1 is int4 remotely, a sum of int4 int8).
func (g *relGen) cast(s string, t arrow.DataType) string {
	var class string
	var p, sc int32
	switch t.ID() {
	case arrow.INT16:
		class = "int2"
	case arrow.INT32:
		class = "int4"
	case arrow.INT64:
		class = "int8"
	case arrow.FLOAT32:
		class = "float4"
	case arrow.FLOAT64:
		class = "float8"
	case arrow.DECIMAL128:
		dt := t.(*arrow.Decimal128Type)
		class, p, sc = "decimal", dt.Precision, dt.Scale
	case arrow.STRING, arrow.LARGE_STRING:
		class = "text"
	case arrow.BOOL:
		class = "bool"
	case arrow.DATE32:
		class = "date"
	}
	if class == "" {
		return s
	}
	name := g.d.resultCast(class, p, sc)
	if name == "" {
		return s
	}
	return "CAST(" + s + " AS " + name + ")"
}

// sort orders b.
func (g *relGen) sort(r *plan.SortRel) (block, error) {
	in, err := g.rel(r.Input())
	if err != nil {
		return block{}, err
	}
	var keys []string
	for _, sf := range r.Sorts() {
		k, err := g.sortKey(in.cols, sf)
		if err != nil {
			return block{}, err
		}
		keys = append(keys, k)
	}
	// The ORDER BY is written where it has a meaning: under a LIMIT and in
	// the outermost SELECT; the blocks between keep the columns it names.
	return block{sql: in.sql, cols: in.cols, order: strings.Join(keys, ", ")}, nil
}

func (g *relGen) sortKey(cols []ColumnRef, sf expr.SortField) (string, error) {
	s, cl, err := (&deparser{d: g.d, cols: cols}).expr(sf.Expr)
	if err != nil {
		return "", err
	}
	if f, ok := sf.Expr.(*expr.FieldReference); ok {
		if i, ok := fieldIndex(f); ok && i < len(cols) && cols[i].Padded {
			return "", unshippable("ordering by blank-padded %s not shippable", cols[i].Name)
		}
	}
	switch {
	case cl == cOther:
		return "", unshippable("ordering by a value of this type is not shippable")
	case cl == cString:
		s = sprintf(g.d.StringCollate, s)
	case cl == cFloat && !g.d.FloatOrder:
		return "", unshippable("ordering by a float: NaN sorts differently remotely")
	}
	var desc, nullsFirst bool
	switch sf.Kind {
	case types.SortAscNullsFirst:
		nullsFirst = true
	case types.SortAscNullsLast:
	case types.SortDescNullsFirst:
		desc, nullsFirst = true, true
	case types.SortDescNullsLast:
		desc = true
	default:
		return "", unshippable("sort kind %v is not shippable", sf.Kind)
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	if g.d.NullsOrder {
		nulls := " NULLS LAST"
		if nullsFirst {
			nulls = " NULLS FIRST"
		}
		return s + dir + nulls, nil
	}
	isNull := "(" + s + " IS NULL)"
	if nullsFirst {
		isNull += " DESC"
	}
	return isNull + ", " + s + dir, nil
}

// fetch is LIMIT/OFFSET over b, in b's order.
func (g *relGen) fetch(r *plan.FetchRel) (block, error) {
	in, err := g.rel(r.Input())
	if err != nil {
		return block{}, err
	}
	if r.Offset() < 0 {
		return block{}, unshippable("negative OFFSET")
	}
	count := r.Count()
	if count < 0 {
		count = math.MaxInt64
	}
	sql := "SELECT * FROM " + g.from(in) + g.orderClause(in) + " " + g.d.Limit(count)
	if r.Offset() > 0 {
		sql += fmt.Sprintf(" OFFSET %d", r.Offset())
	}
	return block{sql: sql, cols: in.cols, order: in.order}, nil
}
