package arrowexec

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/plan"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Whole-subtree pushdown. Before planning a relation locally, the planner
// asks whether the relation and everything under it can run in one source:
// every leaf is a NamedTable read of a table of the same connectors.Conn
// (the same server and user mapping), that Conn is a RelExecutor and it
// accepts the tree (CanExecute). Relations are tried top-down, so the
// largest subtree a source takes is sent whole. A subtree that was a
// candidate but is planned locally gets a "Not pushed down" line in
// EXPLAIN saying why (only where the reason differs from its parent's).

// remoteNode reads the result of a subtree run by its source.
type remoteNode struct {
	tables []string // the local names of the tables read, sorted
	sp     *connectors.ScanPlan
	out    *arrow.Schema
}

var _ partitioned = (*remoteNode)(nil)

func (n *remoteNode) schema() *arrow.Schema { return n.out }
func (n *remoteNode) children() []node      { return nil }

func (n *remoteNode) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "RemoteScan %s", strings.Join(n.tables, ", "))
	fmt.Fprintf(&b, "\n  partitions: %d", len(n.sp.Partitions))
	for _, l := range n.sp.Explain {
		b.WriteString("\n  " + l)
	}
	return b.String()
}

func (n *remoteNode) open(ctx context.Context, r *run) (stream, error) {
	parts, err := n.parts(ctx, r, false)
	if err != nil {
		return nil, err
	}
	return r.gather(ctx, parts)
}

func (n *remoteNode) parts(_ context.Context, r *run, measure bool) ([]partFn, error) {
	mem := r.alloc(n)
	names := []string{strings.Join(n.tables, ", ")}
	out := make([]partFn, len(n.sp.Partitions))
	for i, p := range n.sp.Partitions {
		out[i] = func(ctx context.Context) (stream, error) {
			rd, err := p.Open(ctx, memory.Allocator(mem))
			if err != nil {
				return nil, wrapCode(err, sqlerr.FDWError, "remote query on %s", names[0])
			}
			rs := &readerStream{rd: rd, name: names, sch: n.out}
			if !measure {
				return rs, nil
			}
			return r.measure(n, rs), nil
		}
	}
	return out, nil
}

// noteOp passes batches through; it carries an EXPLAIN note on the
// subtree below it.
type noteOp struct {
	sch  *arrow.Schema
	text string
}

func (o *noteOp) outSchema() *arrow.Schema { return o.sch }
func (o *noteOp) describe() string         { return o.text }
func (o *noteOp) prepare(*run, *arrow.Schema) (batchFn, error) {
	return func(_ context.Context, _ memory.Allocator, b arrow.RecordBatch) (arrow.RecordBatch, error) {
		return b, nil
	}, nil
}

// relRemoteOr plans r in its source when it can, else with local.
func (pl *planner) relRemoteOr(r plan.Rel, local func(plan.Rel) (node, error)) (node, error) {
	n, reason, err := pl.tryRemote(r)
	if n != nil || err != nil {
		return n, err
	}
	if reason == "" {
		return local(r)
	}
	parent := pl.remoteReason
	pl.remoteReason = reason
	ln, err := local(r)
	pl.remoteReason = parent
	if err != nil || reason == parent {
		return ln, err
	}
	return &pipeNode{child: ln, op: &noteOp{sch: ln.schema(), text: "Not pushed down: " + reason}}, nil
}

// tryRemote returns the remote scan of r, or the reason r (a candidate)
// stays local; both are empty when r is no candidate.
func (pl *planner) tryRemote(r plan.Rel) (node, string, error) {
	if !pl.opts.Pushdown || !pushable(r) {
		return nil, "", nil
	}
	var reads []*plan.NamedTableReadRel
	if !collectReads(r, &reads) || len(reads) == 0 {
		return nil, "", nil
	}
	tables := map[string]connectors.Table{}
	var conn connectors.Conn
	var names []string
	mixed, anyExecutor := false, false
	for _, rd := range reads {
		key := strings.Join(rd.Names(), ".")
		if _, ok := tables[key]; ok {
			continue
		}
		t, err := pl.tables.ResolveTable(pl.ctx, rd.Names())
		if err != nil {
			return nil, "", wrapCode(err, sqlerr.UndefinedTable, "table %s", key)
		}
		u := connectors.Underlying(t)
		tables[key] = u
		names = append(names, key)
		c := connectors.ConnOf(u)
		if _, ok := c.(connectors.RelExecutor); ok {
			anyExecutor = true
		}
		switch {
		case c == nil:
			mixed = true
		case conn == nil && !mixed:
			conn = c
		case c != conn:
			mixed = true
		}
	}
	sort.Strings(names)
	if !anyExecutor {
		return nil, "", nil
	}
	if mixed || conn == nil {
		return nil, fmt.Sprintf("the tables are on different servers or user mappings (%s)", strings.Join(names, ", ")), nil
	}
	ex := conn.(connectors.RelExecutor)
	if ok, why := ex.CanExecute(r, tables); !ok {
		return nil, why, nil
	}
	want, err := relTypes(r, tables)
	if err != nil {
		return nil, err.Error(), nil
	}
	sp, err := ex.ExecuteRel(pl.ctx, r, tables)
	if err != nil {
		return nil, "", wrapCode(err, sqlerr.FDWError, "remote query on %s", strings.Join(names, ", "))
	}
	if sp == nil || len(sp.Partitions) == 0 || sp.Schema == nil || !sameTypes(sp.Schema, want) {
		return nil, "the source's result columns differ from the plan's", nil
	}
	return &remoteNode{tables: names, sp: sp, out: schemaOf(nil, want)}, "", nil
}

// pushable reports whether r is an operator a source may take with its
// inputs (a lone read is planned as a scan, with per-filter answers).
func pushable(r plan.Rel) bool {
	switch r.(type) {
	case *plan.JoinRel, *plan.CrossRel, *plan.AggregateRel, *plan.FilterRel, *plan.ProjectRel, *plan.SortRel, *plan.FetchRel:
		return true
	}
	return false
}

// collectReads gathers the NamedTable reads under r; false when some leaf
// or operator cannot be pushed at all (VALUES, set operations, ...).
func collectReads(r plan.Rel, out *[]*plan.NamedTableReadRel) bool {
	if rd, ok := r.(*plan.NamedTableReadRel); ok {
		*out = append(*out, rd)
		return true
	}
	if !pushable(r) {
		return false
	}
	for _, in := range r.GetInputs() {
		if !collectReads(in, out) {
			return false
		}
	}
	return true
}

func sameTypes(s *arrow.Schema, want []arrow.DataType) bool {
	if s.NumFields() != len(want) {
		return false
	}
	for i, f := range s.Fields() {
		if !arrow.TypeEqual(f.Type, want[i]) {
			return false
		}
	}
	return true
}
