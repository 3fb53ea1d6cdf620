package flightsql

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/medleysql/medley/sql/sqlerr"
)

// admission counts the statement streams running at once. A stream over
// the limit waits at most admissionGrace for a slot, then is refused
// (RESOURCE_EXHAUSTED, 53300): a longer queue would turn overload into
// hangs that clients cannot tell from a slow query. The grace covers a
// client's next call arriving while the server is still returning from its
// previous one (the client has its answer before the handler returns and
// gives its slot back), so one client working sequentially is never refused.
type admission struct {
	limit   int64 // <= 0: no limit
	running atomic.Int64
	mu      sync.Mutex
	freed   chan struct{} // closed and replaced whenever a slot is given back
}

const admissionGrace = time.Second

// take takes a slot, waiting up to grace for one (or until ctx ends).
func (a *admission) take(ctx context.Context, grace time.Duration) bool {
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	for {
		a.mu.Lock()
		if a.running.Load() < a.limit {
			a.running.Add(1)
			a.mu.Unlock()
			return true
		}
		if a.freed == nil {
			a.freed = make(chan struct{})
		}
		freed := a.freed
		a.mu.Unlock()
		select {
		case <-freed:
		case <-deadline.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

func (a *admission) give() {
	a.mu.Lock()
	a.running.Add(-1)
	if a.freed != nil {
		close(a.freed)
		a.freed = nil
	}
	a.mu.Unlock()
}

// streamsAdmitted are the Flight methods that run statements; metadata
// answers and prepared-statement actions go through DoGet too and count.
var streamsAdmitted = []string{"/DoGet", "/DoPut", "/DoExchange"}

// admit takes a slot for a call of method, or refuses it. release gives
// the slot back; it is a no-op for calls that need none.
func (s *Server) admit(ctx context.Context, method string) (release func(), err error) {
	counted := false
	for _, m := range streamsAdmitted {
		if strings.HasSuffix(method, m) {
			counted = true
			break
		}
	}
	a := &s.admission
	if !counted || a.limit <= 0 {
		return func() {}, nil
	}
	if !a.take(ctx, admissionGrace) {
		s.log.Warn("too many concurrent queries", zapLimit(a.limit))
		return nil, sqlState(sqlerr.TooManyConnections,
			"too many concurrent queries: the server runs at most %d at once (--max-queries); retry later", a.limit)
	}
	return a.give, nil
}

// Running is the number of statement streams running now.
func (s *Server) Running() int { return int(s.admission.running.Load()) }

func zapLimit(n int64) zap.Field { return zap.Int64("max_queries", n) }
