package plan

import (
	"fmt"
	"strings"
)

// Format renders the plan as an indented tree, one operator per line with
// its estimated rows, as EXPLAIN prints it:
//
//	Limit: skip=0, fetch=10  (rows=10)
//	  Sort: t.a ASC NULLS LAST  (rows=1000)
//	    TableScan: public.t projection=[a]  (rows=1000)
func Format(n Node) string {
	var sb strings.Builder
	format(&sb, n, 0, true)
	return sb.String()
}

// FormatBrief is Format without the row estimates, for the optimizer's
// rule tests.
func FormatBrief(n Node) string {
	var sb strings.Builder
	format(&sb, n, 0, false)
	return sb.String()
}

func format(sb *strings.Builder, n Node, depth int, rows bool) {
	sb.WriteString(strings.Repeat("  ", depth))
	sb.WriteString(Describe(n))
	if s := n.Annotation().Server; s != "" {
		fmt.Fprintf(sb, " [pushdown candidate: server=%s]", s)
	}
	if rows {
		fmt.Fprintf(sb, "  (rows=%s)", rowsString(EstimateRows(n)))
	}
	sb.WriteString("\n")
	for _, c := range n.Children() {
		format(sb, c, depth+1, rows)
	}
}

func rowsString(r float64) string {
	if r >= 1e15 {
		return fmt.Sprintf("%.3g", r)
	}
	return fmt.Sprintf("%.0f", r)
}

// Describe is the one-line description of an operator, without its inputs.
func Describe(n Node) string {
	switch n := n.(type) {
	case *Scan:
		return describeScan(n)
	case *Values:
		return fmt.Sprintf("Values: rows=%d, columns=[%s]", len(n.Rows), colNames(n.Cols))
	case *Filter:
		return "Filter: " + n.Cond.String()
	case *Project:
		return "Projection: " + projList(n)
	case *Join:
		return describeJoin(n)
	case *Aggregate:
		aggs := make([]string, len(n.Aggs))
		for i, a := range n.Aggs {
			aggs[i] = a.String()
		}
		return fmt.Sprintf("Aggregate: groupBy=[%s], aggr=[%s]", joinExprs(n.Groups), strings.Join(aggs, ", "))
	case *Sort:
		return "Sort: " + sortKeys(n.Keys)
	case *Limit:
		fetch := "all"
		if n.Count >= 0 {
			fetch = fmt.Sprint(n.Count)
		}
		return fmt.Sprintf("Limit: skip=%d, fetch=%s", n.Offset, fetch)
	case *SetOp:
		all := ""
		if n.All {
			all = " All"
		}
		return fmt.Sprintf("%s%s", n.Kind, all)
	case *Distinct:
		return "Distinct:"
	case *Window:
		fs := make([]string, len(n.Funcs))
		for i, f := range n.Funcs {
			fs[i] = f.String() + " AS " + n.Cols[i].Name
		}
		return "WindowAggr: " + strings.Join(fs, ", ")
	}
	return fmt.Sprintf("%T", n)
}

func describeScan(n *Scan) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "TableScan: %s.%s", n.Table.Schema, n.Table.Name)
	if n.Alias != "" && n.Alias != n.Table.Name {
		fmt.Fprintf(&sb, " AS %s", n.Alias)
	}
	if n.Projection != nil {
		fmt.Fprintf(&sb, " projection=[%s]", colNames(n.Columns()))
	}
	if len(n.Filters) > 0 {
		fmt.Fprintf(&sb, " filters=[%s]", joinExprs(n.Filters))
	}
	if n.Table.Server != "" {
		fmt.Fprintf(&sb, " server=%s", n.Table.Server)
	}
	return sb.String()
}

func describeJoin(n *Join) string {
	if n.Kind == CrossJoin {
		return "CrossJoin:"
	}
	s := fmt.Sprintf("%s Join: %s", n.Kind, n.Cond)
	if n.Kind == MarkJoin {
		s += " mark=" + n.Mark.Name
	}
	return s
}

func colNames(cols []Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

func projList(n *Project) string {
	parts := make([]string, len(n.Exprs))
	for i, e := range n.Exprs {
		s := e.String()
		if r, ok := e.(*ColRef); !ok || r.ID != n.Cols[i].ID {
			s += " AS " + n.Cols[i].Name
		}
		parts[i] = s
	}
	return strings.Join(parts, ", ")
}

func sortKeys(keys []SortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.String()
	}
	return strings.Join(parts, ", ")
}

func (k SortKey) String() string {
	dir, nulls := "ASC", "LAST"
	if k.Desc {
		dir = "DESC"
	}
	if k.NullsFirst {
		nulls = "FIRST"
	}
	return fmt.Sprintf("%s %s NULLS %s", k.Expr, dir, nulls)
}

func (a AggCall) String() string {
	args := "*"
	if len(a.Args) > 0 {
		args = joinExprs(a.Args)
	}
	if a.Distinct {
		args = "DISTINCT " + args
	}
	if a.Filter != nil {
		return fmt.Sprintf("%s(%s) FILTER (WHERE %s)", a.Func, args, a.Filter)
	}
	return fmt.Sprintf("%s(%s)", a.Func, args)
}

func (w WindowCall) String() string {
	var over []string
	if len(w.Partition) > 0 {
		over = append(over, "PARTITION BY "+joinExprs(w.Partition))
	}
	if len(w.Order) > 0 {
		over = append(over, "ORDER BY "+sortKeys(w.Order))
	}
	over = append(over, w.Frame.String())
	return fmt.Sprintf("%s(%s) OVER (%s)", w.Func, joinExprs(w.Args), strings.Join(over, " "))
}

func (f Frame) String() string {
	unit := "RANGE"
	if f.Rows {
		unit = "ROWS"
	}
	return fmt.Sprintf("%s BETWEEN %s AND %s", unit, f.Start, f.End)
}

func (b Bound) String() string {
	switch b.Kind {
	case UnboundedPreceding:
		return "UNBOUNDED PRECEDING"
	case Preceding:
		return fmt.Sprintf("%d PRECEDING", b.Offset)
	case CurrentRow:
		return "CURRENT ROW"
	case Following:
		return fmt.Sprintf("%d FOLLOWING", b.Offset)
	}
	return "UNBOUNDED FOLLOWING"
}

// FormatVerbose is Format with each operator's output columns and types.
func FormatVerbose(n Node) string {
	var sb strings.Builder
	formatVerbose(&sb, n, 0)
	return sb.String()
}

func formatVerbose(sb *strings.Builder, n Node, depth int) {
	ind := strings.Repeat("  ", depth)
	sb.WriteString(ind + Describe(n))
	if s := n.Annotation().Server; s != "" {
		fmt.Fprintf(sb, " [pushdown candidate: server=%s]", s)
	}
	fmt.Fprintf(sb, "  (rows=%s)\n", rowsString(EstimateRows(n)))
	cols := n.Columns()
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = fmt.Sprintf("%s %s", c.QualifiedName(), TypeString(c.Type))
		if !c.Nullable {
			parts[i] += " not null"
		}
	}
	fmt.Fprintf(sb, "%s  output: [%s]\n", ind, strings.Join(parts, ", "))
	for _, c := range n.Children() {
		formatVerbose(sb, c, depth+1)
	}
}
