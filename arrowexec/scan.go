package arrowexec

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
)

// scanNode reads a connector table: a planned ScanPlan whose partitions are
// read in parallel. It is planned once and opened at most once.
type scanNode struct {
	names   []string
	req     connectors.ScanRequest
	sp      *connectors.ScanPlan
	filters []expr.Expression // offered, over the base schema
	out     *arrow.Schema
	// pushdownOff: filters or a limit were not offered (SET pushdown = off).
	pushdownOff bool
}

func (s *scanNode) schema() *arrow.Schema { return s.out }
func (s *scanNode) children() []node      { return nil }

func (s *scanNode) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Scan %s columns=%v", strings.Join(s.names, "."), s.req.Columns)
	for i, f := range s.filters {
		fmt.Fprintf(&b, "\n  filter %s: %s", s.sp.FilterSupport[i], describeExpr(f))
	}
	if s.req.Limit >= 0 {
		fmt.Fprintf(&b, "\n  limit %d applied=%v", s.req.Limit, s.sp.LimitApplied)
	}
	if s.pushdownOff {
		b.WriteString("\n  Not pushed down: pushdown is off (SET pushdown = on)")
	}
	fmt.Fprintf(&b, "\n  partitions: %d", len(s.sp.Partitions))
	for _, l := range s.sp.Explain {
		b.WriteString("\n  " + l)
	}
	return b.String()
}

func (s *scanNode) open(ctx context.Context, r *run) (stream, error) {
	parts, err := s.parts(ctx, r, false)
	if err != nil {
		return nil, err
	}
	return r.gather(ctx, parts)
}

func (s *scanNode) parts(_ context.Context, r *run, measure bool) ([]partFn, error) {
	mem := r.alloc(s)
	out := make([]partFn, len(s.sp.Partitions))
	for i, p := range s.sp.Partitions {
		out[i] = func(ctx context.Context) (stream, error) {
			rd, err := p.Open(ctx, mem)
			if err != nil {
				return nil, wrapCode(err, sqlerr.FDWError, "scan of %s", strings.Join(s.names, "."))
			}
			rs := &readerStream{rd: rd, name: s.names, sch: s.out}
			if !measure {
				return rs, nil
			}
			return r.measure(s, rs), nil
		}
	}
	return out, nil
}

// readerStream adapts a connector's RecordReader.
type readerStream struct {
	rd   array.RecordReader
	name []string
	sch  *arrow.Schema
}

func (s *readerStream) next(ctx context.Context) (arrow.RecordBatch, error) {
	if s.rd == nil {
		return nil, nil
	}
	for s.rd.Next() {
		b := s.rd.RecordBatch()
		if b.NumRows() == 0 {
			continue
		}
		b.Retain()
		if !b.Schema().Equal(s.sch) {
			// Same columns, the declared names and nullability.
			out := array.NewRecordBatch(s.sch, b.Columns(), b.NumRows())
			b.Release()
			return out, nil
		}
		return b, nil
	}
	if err := s.rd.Err(); err != nil {
		if ctx.Err() != nil {
			return nil, cancelErr(ctx)
		}
		return nil, wrapCode(err, sqlerr.FDWError, "scan of %s", strings.Join(s.name, "."))
	}
	return nil, nil
}

func (s *readerStream) close() {
	if s.rd != nil {
		s.rd.Release()
		s.rd = nil
	}
}

// readMask returns the ReadRel's projection (indexes into base_schema), or
// nil for all columns.
func readMask(r plan.ReadRel) []int {
	m := r.Projection()
	if m == nil {
		return nil
	}
	p := m.ToProto()
	if p.GetSelect() == nil {
		return nil
	}
	items := p.GetSelect().GetStructItems()
	out := make([]int, len(items))
	for i, it := range items {
		out[i] = int(it.GetField())
	}
	return out
}

// namedScan plans a NamedTable ReadRel: offers its filter conjuncts and a
// limit hint to the connector, re-checks what is not answered Exact, and
// returns the ReadRel's output columns (the projection).
func (pl *planner) namedScan(ctx context.Context, rel *plan.NamedTableReadRel, limit int64) (node, error) {
	name := strings.Join(rel.Names(), ".")
	tbl, err := pl.tables.ResolveTable(ctx, rel.Names())
	if err != nil {
		return nil, wrapCode(err, sqlerr.UndefinedTable, "table %s", name)
	}
	base := tbl.Schema()
	proj := readMask(rel)
	if proj == nil {
		proj = make([]int, base.NumFields())
		for i := range proj {
			proj[i] = i
		}
	}
	for _, c := range proj {
		if c < 0 || c >= base.NumFields() {
			return nil, sqlerr.New(sqlerr.InvalidColumnReference, "projection of %s: column %d out of range", name, c)
		}
	}
	filters := conjuncts(rel.Filter())
	offered := filters
	// Pushdown off: nothing is offered, and EXPLAIN says so.
	off := !pl.opts.Pushdown && (len(filters) > 0 || limit >= 0)
	if !pl.opts.Pushdown {
		offered = nil
		limit = -1
	}
	// The limit is offered with the filters too: the connector applies it
	// only when it answers every filter Exact (ScanPlan.LimitApplied), and
	// the caller keeps its own limit operator either way.
	if be := rel.BestEffortFilter(); be != nil && pl.opts.Pushdown {
		offered = append(append([]expr.Expression{}, offered...), conjuncts(be)...)
	}
	// Columns: the projection, then any column the filters need.
	need := map[int32]bool{}
	for _, f := range filters {
		fieldsUsed(f, need)
	}
	cols := append([]int{}, proj...)
	have := map[int]bool{}
	for _, c := range cols {
		have[c] = true
	}
	var extra []int
	for c := range need {
		if !have[int(c)] {
			extra = append(extra, int(c))
		}
	}
	sort.Ints(extra)
	cols = append(cols, extra...)
	req := connectors.ScanRequest{Columns: cols, Filters: offered, Limit: limit, MaxPartitions: pl.opts.Threads}
	sp, err := tbl.Scan(ctx, req)
	if err != nil {
		return nil, wrapCode(err, sqlerr.FDWError, "scan of %s", name)
	}
	if len(sp.Partitions) == 0 || len(sp.FilterSupport) != len(offered) {
		return nil, sqlerr.New(sqlerr.FDWError, "scan of %s: connector returned %d partitions and %d filter answers for %d filters",
			name, len(sp.Partitions), len(sp.FilterSupport), len(offered))
	}
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = base.Field(c)
	}
	sn := &scanNode{names: rel.Names(), req: req, sp: sp, filters: offered, out: arrow.NewSchema(fields, nil), pushdownOff: off}
	return pl.recheck(sn, filters, sp.FilterSupport, cols, len(proj))
}

// recheck applies the filters the connector did not answer Exact (remapped
// from base-schema indexes to scan columns) and drops the extra columns.
func (pl *planner) recheck(sn *scanNode, filters []expr.Expression, support []connectors.FilterSupport, cols []int, nProj int) (node, error) {
	pos := map[int32]int32{}
	for i, c := range cols {
		pos[int32(c)] = int32(i)
	}
	var n node = sn
	for i, f := range filters {
		if i < len(support) && support[i] == connectors.Exact {
			continue
		}
		rf, err := remapFields(f, func(c int32) int32 { return pos[c] })
		if err != nil {
			return nil, err
		}
		n = &pipeNode{child: n, op: &filterOp{cond: rf, in: n.schema(), label: "Recheck"}}
	}
	if nProj < len(cols) {
		m := make([]int32, nProj)
		for i := range m {
			m[i] = int32(i)
		}
		n = &pipeNode{child: n, op: newEmitOp(n.schema(), m)}
	}
	return n, nil
}
