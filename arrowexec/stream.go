package arrowexec

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/sql/sqlerr"
)

// node is an immutable physical operator. open starts one run of it; the
// run's state lives in the returned stream.
type node interface {
	// schema is the Arrow schema of every batch the node produces.
	schema() *arrow.Schema
	// children are the input nodes, for EXPLAIN.
	children() []node
	// describe is the node's EXPLAIN line (without children).
	describe() string
	// open starts a run. The stream owns everything it opens.
	open(ctx context.Context, r *run) (stream, error)
}

// stream is one run of a node. next returns the next batch, owned by the
// caller (who releases it), or nil at the end. close releases everything
// the stream holds, stops its goroutines and is idempotent.
type stream interface {
	next(ctx context.Context) (arrow.RecordBatch, error)
	close()
}

// partFn opens one partition of a partitioned node; it is called on the
// goroutine that reads the partition.
type partFn func(ctx context.Context) (stream, error)

// partitioned is a node whose output is the union of independent partition
// streams that may be read concurrently (a scan and the stateless operators
// fused on it).
type partitioned interface {
	node
	// parts opens the partitions; with measure each one counts into the
	// node's stats (not needed when the node's own open gathers them,
	// which is measured as a whole).
	parts(ctx context.Context, r *run, measure bool) ([]partFn, error)
}

// opStats are the EXPLAIN ANALYZE counters of one node; partitions update
// them concurrently.
type opStats struct {
	rows, batches atomic.Int64
	nanos         atomic.Int64
	mem           opAlloc
}

// measured wraps a stream to count its output and to stop the query once
// the memory limit is exceeded or the context is cancelled.
type measured struct {
	s  stream
	st *opStats
	r  *run
}

func (m *measured) next(ctx context.Context) (arrow.RecordBatch, error) {
	if err := m.r.check(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	b, err := m.s.next(ctx)
	m.st.nanos.Add(int64(time.Since(start)))
	if err != nil {
		if b != nil {
			b.Release()
		}
		return nil, m.r.mapErr(ctx, err)
	}
	if b == nil {
		return nil, nil
	}
	if err := m.r.check(ctx); err != nil {
		b.Release()
		return nil, err
	}
	m.st.rows.Add(b.NumRows())
	m.st.batches.Add(1)
	return b, nil
}

func (m *measured) close() { m.s.close() }

// cancelErr is the error of a cancelled query.
func cancelErr(ctx context.Context) error {
	cause := context.Cause(ctx)
	if errors.Is(cause, context.DeadlineExceeded) {
		return sqlerr.Wrap(cause, sqlerr.QueryCanceled, "canceling statement due to statement timeout")
	}
	return sqlerr.Wrap(cause, sqlerr.QueryCanceled, "canceling statement due to user request")
}

// check returns the error that stops the query, if any.
func (r *run) check(ctx context.Context) error {
	if err := r.mem.err(); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return cancelErr(ctx)
	}
	return nil
}

// mapErr gives errors without a SQLSTATE one: the memory error wins, then
// cancellation, then XX000 for anything else.
func (r *run) mapErr(ctx context.Context, err error) error {
	if merr := r.mem.err(); merr != nil {
		return merr
	}
	var se *sqlerr.Error
	if errors.As(err, &se) {
		return err
	}
	if ctx.Err() != nil {
		return cancelErr(ctx)
	}
	return sqlerr.Wrap(err, sqlerr.InternalError, "execution failed")
}

// sliceStream streams batches it owns.
type sliceStream struct{ batches []arrow.RecordBatch }

func (s *sliceStream) next(context.Context) (arrow.RecordBatch, error) {
	if len(s.batches) == 0 {
		return nil, nil
	}
	b := s.batches[0]
	s.batches[0] = nil
	s.batches = s.batches[1:]
	return b, nil
}

func (s *sliceStream) close() {
	for _, b := range s.batches {
		b.Release()
	}
	s.batches = nil
}
