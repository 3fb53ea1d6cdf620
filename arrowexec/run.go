package arrowexec

import (
	"context"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"go.uber.org/zap"
)

// run is the state of one query execution shared by its streams.
type run struct {
	mem     *queryMem
	stats   map[node]*opStats // filled before any node opens; read-only after
	threads int
	params  []scalar.Scalar
	tables  TableResolver
	log     *zap.Logger
}

func newRun(root node, opts Options, tables TableResolver) *run {
	r := &run{
		mem:     newQueryMem(opts.Allocator, opts.MemoryLimit),
		stats:   map[node]*opStats{},
		threads: opts.Threads,
		params:  opts.Params,
		tables:  tables,
		log:     opts.Logger,
	}
	var walk func(n node)
	walk = func(n node) {
		st := &opStats{}
		st.mem.q = r.mem
		r.stats[n] = st
		for _, c := range n.children() {
			walk(c)
		}
	}
	walk(root)
	return r
}

// statsOf returns n's counters (a throwaway set for nodes built at run time).
func (r *run) statsOf(n node) *opStats {
	if st, ok := r.stats[n]; ok {
		return st
	}
	st := &opStats{}
	st.mem.q = r.mem
	return st
}

// alloc is the allocator of node n.
func (r *run) alloc(n node) *opAlloc { return &r.statsOf(n).mem }

// openNode opens n and wraps its stream with n's counters and the query's
// limit and cancellation checks.
func (r *run) openNode(ctx context.Context, n node) (stream, error) {
	if err := r.check(ctx); err != nil {
		return nil, err
	}
	s, err := n.open(ctx, r)
	if err != nil {
		return nil, r.mapErr(ctx, err)
	}
	return &measured{s: s, st: r.statsOf(n), r: r}, nil
}

// measure wraps a partition stream of n with n's counters.
func (r *run) measure(n node, s stream) stream {
	return &measured{s: s, st: r.statsOf(n), r: r}
}

// gather reads partitions on up to r.threads goroutines and merges their
// batches into one stream (the exchange). With one partition it reads it on
// the caller's goroutine and keeps its order.
func (r *run) gather(ctx context.Context, parts []partFn) (stream, error) {
	if len(parts) == 1 {
		return parts[0](ctx)
	}
	workers := r.threads
	if workers < 1 {
		workers = 1
	}
	if workers > len(parts) {
		workers = len(parts)
	}
	gctx, cancel := context.WithCancel(ctx)
	g := &gatherStream{out: make(chan arrow.RecordBatch, workers), cancel: cancel}
	work := make(chan partFn, len(parts))
	for _, p := range parts {
		work <- p
	}
	close(work)
	g.wg.Add(workers)
	for i := 0; i < workers; i++ {
		go g.worker(gctx, work)
	}
	go func() { g.wg.Wait(); close(g.out) }()
	return g, nil
}

// gatherStream merges partition streams read by worker goroutines.
type gatherStream struct {
	out    chan arrow.RecordBatch
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
	closed bool
}

func (g *gatherStream) fail(err error) {
	g.mu.Lock()
	if g.err == nil {
		g.err = err
	}
	g.mu.Unlock()
	g.cancel()
}

func (g *gatherStream) worker(ctx context.Context, work <-chan partFn) {
	defer g.wg.Done()
	for p := range work {
		if ctx.Err() != nil {
			return
		}
		if err := g.pump(ctx, p); err != nil {
			g.fail(err)
			return
		}
	}
}

func (g *gatherStream) pump(ctx context.Context, p partFn) error {
	s, err := p(ctx)
	if err != nil {
		return err
	}
	defer s.close()
	for {
		b, err := s.next(ctx)
		if err != nil || b == nil {
			return err
		}
		select {
		case g.out <- b:
		case <-ctx.Done():
			b.Release()
			return nil
		}
	}
}

func (g *gatherStream) next(ctx context.Context) (arrow.RecordBatch, error) {
	select {
	case b, ok := <-g.out:
		if ok {
			return b, nil
		}
	case <-ctx.Done():
		return nil, cancelErr(ctx)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return nil, g.err
}

func (g *gatherStream) close() {
	if g.closed {
		return
	}
	g.closed = true
	g.cancel()
	for b := range g.out { // drains until every worker has ended
		b.Release()
	}
}
