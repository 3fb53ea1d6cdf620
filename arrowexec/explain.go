package arrowexec

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/substrait-io/substrait-go/v8/plan"
)

// Explain returns the physical plan as text: one operator per line,
// children indented, each scan with its connector's Explain lines and the
// answers to the filters it was offered. Nothing is read.
func Explain(ctx context.Context, p *plan.Plan, tables TableResolver, opts Options) (string, error) {
	opts = opts.withDefaults()
	root, err := buildPlan(ctx, p, tables, opts)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	render(&b, root, 0, nil)
	return b.String(), nil
}

// ExplainAnalyze runs the plan to completion, discarding its rows, and
// returns the physical plan annotated per operator with the rows and
// batches it produced, its time (including its inputs' time; summed over
// partitions for parallel operators) and the peak memory it allocated.
func ExplainAnalyze(ctx context.Context, p *plan.Plan, tables TableResolver, opts Options) (string, error) {
	opts = opts.withDefaults()
	root, err := buildPlan(ctx, p, tables, opts)
	if err != nil {
		return "", err
	}
	r := newRun(root, opts, tables)
	start := time.Now()
	rd, err := startReader(ctx, r, root)
	if err != nil {
		return "", err
	}
	for rd.Next() {
	}
	err = rd.Err()
	rd.Release()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	render(&b, root, 0, r)
	fmt.Fprintf(&b, "Execution: time=%s peak_memory=%s threads=%d\n",
		time.Since(start).Round(time.Microsecond), fmtBytes(r.mem.peak.Load()), r.threads)
	return b.String(), nil
}

// render writes n and its children; with a run, each line gets n's stats.
func render(b *strings.Builder, n node, depth int, r *run) {
	if p, ok := n.(*pipeNode); ok {
		if _, ok := p.op.(*renameOp); ok {
			render(b, p.child, depth, r)
			return
		}
	}
	indent := strings.Repeat("  ", depth)
	lines := strings.Split(n.describe(), "\n")
	b.WriteString(indent + lines[0])
	if r != nil {
		st := r.statsOf(n)
		fmt.Fprintf(b, "  (rows=%d batches=%d time=%s peak_memory=%s)",
			st.rows.Load(), st.batches.Load(), time.Duration(st.nanos.Load()).Round(time.Microsecond),
			fmtBytes(st.mem.peak.Load()))
	}
	b.WriteByte('\n')
	for _, l := range lines[1:] {
		b.WriteString(indent + "  " + strings.TrimLeft(l, " ") + "\n")
	}
	for _, c := range n.children() {
		render(b, c, depth+1, r)
	}
}

func fmtBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1fGiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1fMiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1fKiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%dB", n)
}
