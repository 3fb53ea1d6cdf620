package optimize

import (
	"github.com/medleysql/medley/sql/plan"
)

// PruneColumns removes the columns no operator above needs: projected
// expressions and aggregates nobody reads are dropped, and each scan's
// projection is narrowed to the columns its parents use (down to no columns
// at all for count(*)), so connectors fetch only those; a scan's filters
// read the table's columns whatever its projection, as a Substrait
// ReadRel's do.
// The root keeps every output column. DISTINCT and set operations need all
// their input columns, so pruning restarts below them.
var PruneColumns = Rule{Name: "prune_columns", Apply: func(n plan.Node) plan.Node {
	return prune(n, plan.ColumnsOf(n.Columns()))
}}

// need returns req plus the columns the expressions read.
func need(req plan.ColumnSet, es ...plan.Expr) plan.ColumnSet {
	out := plan.ColumnSet{}
	for id := range req {
		out.Add(id)
	}
	for _, e := range es {
		if e != nil {
			for id := range plan.Refs(e) {
				out.Add(id)
			}
		}
	}
	return out
}

// prune returns n with only the columns in req (and those n itself needs)
// kept below it. n's own output may keep more columns than req.
func prune(n plan.Node, req plan.ColumnSet) plan.Node {
	switch x := n.(type) {
	case *plan.Scan:
		return pruneScan(x, req)
	case *plan.Project:
		return pruneProject(x, req)
	case *plan.Aggregate:
		return pruneAggregate(x, req)
	case *plan.Join:
		below := need(req, x.Cond)
		return x.WithChildren([]plan.Node{prune(x.Left, below), prune(x.Right, below)})
	case *plan.Window:
		below := need(req, plan.NodeExprs(x)...)
		return x.WithChildren([]plan.Node{prune(x.Input, below)})
	case *plan.Filter, *plan.Sort, *plan.Limit:
		below := need(req, plan.NodeExprs(n)...)
		return n.WithChildren([]plan.Node{prune(n.Children()[0], below)})
	}
	// Distinct, SetOp, Values and anything new: every input column counts.
	ch := n.Children()
	if len(ch) == 0 {
		return n
	}
	nc := make([]plan.Node, len(ch))
	for i, c := range ch {
		nc[i] = prune(c, plan.ColumnsOf(c.Columns()))
	}
	return n.WithChildren(nc)
}

func pruneScan(s *plan.Scan, req plan.ColumnSet) plan.Node {
	proj := []int{}
	for i, c := range s.TableCols {
		if req.Has(c.ID) {
			proj = append(proj, i)
		}
	}
	if len(proj) == len(s.TableCols) {
		proj = nil
	}
	out := *s
	out.Projection = proj
	return &out
}

func pruneProject(p *plan.Project, req plan.ColumnSet) plan.Node {
	out := *p
	out.Exprs, out.Cols = nil, nil
	for i, c := range p.Cols {
		if req.Has(c.ID) {
			out.Exprs = append(out.Exprs, p.Exprs[i])
			out.Cols = append(out.Cols, c)
		}
	}
	out.Input = prune(p.Input, need(nil, out.Exprs...))
	return &out
}

func pruneAggregate(a *plan.Aggregate, req plan.ColumnSet) plan.Node {
	out := *a
	out.Aggs, out.AggCols = nil, nil
	for i, c := range a.AggCols {
		if req.Has(c.ID) {
			out.Aggs = append(out.Aggs, a.Aggs[i])
			out.AggCols = append(out.AggCols, c)
		}
	}
	out.Input = prune(a.Input, need(nil, plan.NodeExprs(&out)...))
	return &out
}
