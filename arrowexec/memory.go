package arrowexec

import (
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
)

// queryMem is the per-query memory account. Every Arrow buffer of a query is
// allocated through an opAlloc that forwards to it; Go-heap structures that
// grow with the data (hash tables, sort indexes) are counted with reserve.
//
// The limit is checked softly: an allocation that crosses it still succeeds
// (Arrow's Allocator cannot return an error, and a panic would leak
// half-built arrays), but the query is marked failed and every operator
// returns the 53200 error at its next batch boundary, releasing what it holds.
type queryMem struct {
	parent   memory.Allocator
	limit    int64 // 0 means none
	used     atomic.Int64
	peak     atomic.Int64
	exceeded atomic.Bool
}

func newQueryMem(parent memory.Allocator, limit int64) *queryMem {
	return &queryMem{parent: parent, limit: limit}
}

func (q *queryMem) add(n int64) {
	u := q.used.Add(n)
	for {
		p := q.peak.Load()
		if u <= p || q.peak.CompareAndSwap(p, u) {
			break
		}
	}
	if q.limit > 0 && u > q.limit {
		q.exceeded.Store(true)
	}
}

// err returns the 53200 error once the limit was exceeded, else nil.
func (q *queryMem) err() error {
	if q.exceeded.Load() {
		return sqlerr.New(sqlerr.OutOfMemory, "memory limit of %d bytes exceeded", q.limit)
	}
	return nil
}

// opAlloc is one operator's allocator: it forwards to the query account and
// remembers the operator's current and peak bytes for EXPLAIN ANALYZE. Bytes
// are counted where they were allocated, even when a downstream operator
// releases the buffer.
type opAlloc struct {
	q    *queryMem
	cur  atomic.Int64
	peak atomic.Int64
}

var _ memory.Allocator = (*opAlloc)(nil)

func (a *opAlloc) track(n int64) {
	a.q.add(n)
	c := a.cur.Add(n)
	for {
		p := a.peak.Load()
		if c <= p || a.peak.CompareAndSwap(p, c) {
			return
		}
	}
}

// Allocate implements memory.Allocator.
func (a *opAlloc) Allocate(size int) []byte {
	b := a.q.parent.Allocate(size)
	a.track(int64(len(b)))
	return b
}

// Reallocate implements memory.Allocator.
func (a *opAlloc) Reallocate(size int, b []byte) []byte {
	old := len(b)
	nb := a.q.parent.Reallocate(size, b)
	a.track(int64(len(nb) - old))
	return nb
}

// Free implements memory.Allocator.
func (a *opAlloc) Free(b []byte) {
	a.track(-int64(len(b)))
	a.q.parent.Free(b)
}

// reserve counts Go memory held by the operator.
func (a *opAlloc) reserve(n int64) { a.track(n) }
