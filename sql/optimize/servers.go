package optimize

import (
	"github.com/medleysql/medley/sql/plan"
)

// MarkServerSubtrees notes, on the topmost operator of each subtree that
// reads only tables of one foreign server, that server's name
// (Annot.Server): a candidate for whole-subtree pushdown (joins and
// aggregates the source evaluates itself). Whether the source can take the
// subtree is decided at execution with the connector; the logical plan
// stays portable. Only subtrees with a join or an aggregation are marked (a
// scan with its filters is always offered to its source); subtrees with
// inline VALUES are not candidates.
var MarkServerSubtrees = Rule{Name: "mark_server_subtrees", Apply: func(n plan.Node) plan.Node {
	out, _ := markServers(n)
	return out
}}

// markServers returns a copy of n, annotated, and the one server all its
// scans read ("" for none or several).
func markServers(n plan.Node) (plan.Node, string) {
	if s, ok := n.(*plan.Scan); ok {
		return s.WithChildren(nil), s.Table.Server
	}
	ch := n.Children()
	if len(ch) == 0 {
		return n.WithChildren(nil), ""
	}
	nc := make([]plan.Node, len(ch))
	server := ""
	for i, c := range ch {
		var s string
		nc[i], s = markServers(c)
		if i == 0 {
			server = s
		} else if s != server {
			server = ""
		}
	}
	out := n.WithChildren(nc)
	if server == "" {
		return out, ""
	}
	switch n.(type) {
	case *plan.Join, *plan.Aggregate:
		out.Annotation().Server = server
	default:
		for _, c := range nc {
			if c.Annotation().Server != "" {
				out.Annotation().Server = server
			}
		}
	}
	if out.Annotation().Server != "" {
		for _, c := range nc {
			c.Annotation().Server = "" // not topmost any more
		}
	}
	return out, server
}
