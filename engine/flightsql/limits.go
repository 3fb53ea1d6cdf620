package flightsql

import (
	"strings"
	"sync/atomic"

	"go.uber.org/zap"

	"github.com/medleysql/medley/sql/sqlerr"
)

// admission counts the statement streams running at once. A stream over
// the limit is refused at once (RESOURCE_EXHAUSTED, 53300): queueing would
// turn overload into hangs that clients cannot tell from a slow query.
type admission struct {
	limit   int64 // <= 0: no limit
	running atomic.Int64
}

// streamsAdmitted are the Flight methods that run statements; metadata
// answers and prepared-statement actions go through DoGet too and count.
var streamsAdmitted = []string{"/DoGet", "/DoPut", "/DoExchange"}

// admit takes a slot for a call of method, or refuses it. release gives
// the slot back; it is a no-op for calls that need none.
func (s *Server) admit(method string) (release func(), err error) {
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
	if n := a.running.Add(1); n > a.limit {
		a.running.Add(-1)
		s.log.Warn("too many concurrent queries", zapLimit(a.limit))
		return nil, sqlState(sqlerr.TooManyConnections,
			"too many concurrent queries: the server runs at most %d at once (--max-queries); retry later", a.limit)
	}
	return func() { a.running.Add(-1) }, nil
}

// Running is the number of statement streams running now.
func (s *Server) Running() int { return int(s.admission.running.Load()) }

func zapLimit(n int64) zap.Field { return zap.Int64("max_queries", n) }
