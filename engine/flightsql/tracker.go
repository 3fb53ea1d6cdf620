package flightsql

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
)

// arrow-go's Flight SQL DoGet loop returns without releasing the batch it
// failed to write (a client that went away), which would leak that batch's
// memory. The stream interceptor gives each call a batchTracker; batches
// streamed by streamReader are counted there, and whatever is still
// referenced when the handler has returned is released.
type batchTracker struct {
	mu      sync.Mutex
	batches []*trackedBatch
	closed  bool // releaseAll ran: nothing will read the stream any more
}

type trackerKey struct{}

// track registers b; it returns false (and releases b) when the handler
// has already returned, so that the producer stops instead of leaving the
// batch in a channel nobody reads.
func (t *batchTracker) track(b arrow.RecordBatch) (*trackedBatch, bool) {
	tb := &trackedBatch{RecordBatch: b}
	tb.refs.Store(1)
	if t == nil {
		return tb, true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		tb.Release()
		return nil, false
	}
	t.batches = append(t.batches, tb)
	return tb, true
}

// releaseAll runs after the handler returned: nothing uses the batches.
func (t *batchTracker) releaseAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for _, b := range t.batches {
		for b.refs.Load() > 0 {
			b.Release()
		}
	}
	t.batches = nil
}

type trackedBatch struct {
	arrow.RecordBatch
	refs atomic.Int64
}

func (b *trackedBatch) Retain() { b.refs.Add(1) }

func (b *trackedBatch) Release() {
	if b.refs.Add(-1) == 0 {
		b.RecordBatch.Release()
	}
}

// streamReader sends rdr's batches on ch until rdr ends or ctx is done,
// then sends rdr's error (if any), releases rdr and closes ch; as
// flight.StreamChunksFromReader, with tracked batches.
func streamReader(ctx context.Context, rdr array.RecordReader, sc *arrow.Schema, ch chan<- flight.StreamChunk) {
	defer close(ch)
	defer rdr.Release()
	tr, _ := ctx.Value(trackerKey{}).(*batchTracker)
	for rdr.Next() {
		tb, ok := tr.track(relabel(sc, rdr.RecordBatch()))
		if !ok {
			return
		}
		select {
		case ch <- flight.StreamChunk{Data: tb}:
		case <-ctx.Done():
			tb.Release() // a no-op if releaseAll got to it first
			return
		}
	}
	if err := rdr.Err(); err != nil {
		select {
		case ch <- flight.StreamChunk{Err: err}:
		case <-ctx.Done():
		}
	}
}
