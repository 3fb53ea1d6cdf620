package scan

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/pred"
	"github.com/substrait-io/substrait-go/v8/expr"
)

// Negotiate parses the offered filters. Each one understood is answered
// with ok and returned in nodes (nil entries for the others, answered
// Unsupported).
func Negotiate(filters []expr.Expression, schema *arrow.Schema, ok connectors.FilterSupport) (nodes []*pred.Node, support []connectors.FilterSupport) {
	nodes = make([]*pred.Node, len(filters))
	support = make([]connectors.FilterSupport, len(filters))
	for i, f := range filters {
		n, err := pred.Parse(f, schema)
		if err != nil {
			continue
		}
		nodes[i] = n
		support[i] = ok
	}
	return nodes, support
}

// Accepted returns the non-nil nodes.
func Accepted(nodes []*pred.Node) []*pred.Node {
	var out []*pred.Node
	for _, n := range nodes {
		if n != nil {
			out = append(out, n)
		}
	}
	return out
}

// AllAccepted reports whether every offered filter was understood.
func AllAccepted(nodes []*pred.Node) bool {
	for _, n := range nodes {
		if n == nil {
			return false
		}
	}
	return true
}

// ReadColumns returns the distinct columns to read: the output columns,
// then those the filters need that are not among them.
func ReadColumns(out []int, filters []*pred.Node) []int {
	var cols []int
	seen := map[int]bool{}
	add := func(c int) {
		if !seen[c] {
			seen[c] = true
			cols = append(cols, c)
		}
	}
	for _, c := range out {
		add(c)
	}
	for _, f := range filters {
		for _, c := range f.Columns() {
			add(c)
		}
	}
	return cols
}

// Project returns the schema of the columns cols of schema.
func Project(schema *arrow.Schema, cols []int) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = schema.Field(c)
	}
	return arrow.NewSchema(fields, nil)
}

// Group splits n units into at most max contiguous groups of nearly equal
// size, returned as [start, end) ranges. max < 1 means one per unit.
func Group(n, max int) [][2]int {
	if n == 0 {
		return nil
	}
	if max < 1 || max > n {
		max = n
	}
	out := make([][2]int, 0, max)
	start := 0
	for g := 0; g < max; g++ {
		end := start + (n-start)/(max-g)
		out = append(out, [2]int{start, end})
		start = end
	}
	return out
}

// ExplainFilters renders the accepted filters for EXPLAIN.
func ExplainFilters(label string, nodes []*pred.Node, schema *arrow.Schema) string {
	var parts []string
	for _, n := range nodes {
		if n != nil {
			parts = append(parts, n.String(schema))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return label + ": " + strings.Join(parts, " AND ")
}
