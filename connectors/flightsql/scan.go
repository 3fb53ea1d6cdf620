package flightsql

import (
	"context"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// partition reads one or more endpoints of a query, one after the other.
// Every endpoint is read over the connection's own client (an endpoint's
// other locations are not dialled).
type partition struct {
	t       *Table
	schema  *arrow.Schema
	tickets []*flight.Ticket
}

// partitions spreads the endpoints over at most max partitions (at least
// one, which reads nothing when there are no endpoints).
func partitions(t *Table, out *arrow.Schema, eps []*flight.FlightEndpoint, max int) []connectors.Partition {
	n := len(eps)
	if max > 0 && n > max {
		n = max
	}
	parts := make([]*partition, max1(n))
	for i := range parts {
		parts[i] = &partition{t: t, schema: out}
	}
	for i, ep := range eps {
		p := parts[i%len(parts)]
		p.tickets = append(p.tickets, ep.Ticket)
	}
	res := make([]connectors.Partition, len(parts))
	for i, p := range parts {
		res[i] = p
	}
	return res
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// Open starts reading the partition's first endpoint (DoGet).
func (p *partition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.QueryCanceled, "foreign table %s: canceling statement due to user request", localName(p.t.name))
	}
	rctx, cancel := context.WithCancel(ctx)
	r := &reader{ctx: rctx, cancel: cancel, p: p, mem: mem}
	r.refs.Store(1)
	if err := r.nextEndpoint(); err != nil {
		r.Release()
		return nil, err
	}
	return r, nil
}

// reader is the RecordReader of one partition; it is bound to one run (and
// so keeps its ctx, cancelled on Release to end the gRPC stream).
type reader struct {
	ctx    context.Context
	cancel context.CancelFunc
	p      *partition
	mem    memory.Allocator
	next   int            // index of the next ticket
	src    *flight.Reader // the endpoint being read, or nil
	cur    arrow.RecordBatch
	err    error
	refs   atomic.Int64
}

func (r *reader) Schema() *arrow.Schema          { return r.p.schema }
func (r *reader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *reader) Record() arrow.RecordBatch      { return r.cur }
func (r *reader) Err() error                     { return r.err }
func (r *reader) Retain()                        { r.refs.Add(1) }

func (r *reader) Release() {
	if r.refs.Add(-1) == 0 {
		if r.cur != nil {
			r.cur.Release()
			r.cur = nil
		}
		r.closeSource()
		r.cancel()
	}
}

func (r *reader) closeSource() {
	if r.src != nil {
		r.src.Release()
		r.src = nil
	}
}

// nextEndpoint opens the next ticket's stream; with none left, src stays nil.
func (r *reader) nextEndpoint() error {
	r.closeSource()
	if r.next >= len(r.p.tickets) {
		return nil
	}
	ticket := r.p.tickets[r.next]
	r.next++
	c := r.p.t.conn
	stream, err := c.cl.Client.DoGet(c.callCtx(r.ctx), ticket)
	if err != nil {
		return c.remoteError(r.ctx, err, "foreign table %s", localName(r.p.t.name))
	}
	src, err := flight.NewRecordReader(stream, ipc.WithAllocator(r.mem))
	if err != nil {
		return c.remoteError(r.ctx, err, "foreign table %s", localName(r.p.t.name))
	}
	if want := max1(r.p.schema.NumFields()); src.Schema().NumFields() != want {
		src.Release()
		return sqlerr.New(sqlerr.FDWInvalidDataType, "foreign table %s: server %q returned %d columns, want %d",
			localName(r.p.t.name), c.server, src.Schema().NumFields(), want)
	}
	r.src = src
	return nil
}

func (r *reader) fail(err error) bool {
	r.err = err
	r.closeSource()
	r.next = len(r.p.tickets)
	r.cancel()
	return false
}

// Next returns the next batch of the remote stream, its columns cast to
// the declared types where the server's differ.
func (r *reader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.err != nil {
		return false
	}
	for {
		if err := r.ctx.Err(); err != nil {
			return r.fail(sqlerr.Wrap(err, sqlerr.QueryCanceled, "foreign table %s: canceling statement due to user request", localName(r.p.t.name)))
		}
		if r.src == nil {
			return false
		}
		if r.src.Next() {
			b, err := r.convert(r.src.RecordBatch())
			if err != nil {
				return r.fail(err)
			}
			r.cur = b
			return true
		}
		if err := r.src.Err(); err != nil {
			return r.fail(r.p.t.conn.remoteError(r.ctx, err, "foreign table %s", localName(r.p.t.name)))
		}
		if err := r.nextEndpoint(); err != nil {
			return r.fail(err)
		}
	}
}

// convert gives b the partition's schema: no columns for a scan of no
// columns (the remote query selects NULL), else b's columns cast where
// their type is not the declared one.
func (r *reader) convert(b arrow.RecordBatch) (arrow.RecordBatch, error) {
	fields := r.p.schema.Fields()
	if len(fields) == 0 {
		return array.NewRecordBatch(r.p.schema, nil, b.NumRows()), nil
	}
	cols := make([]arrow.Array, len(fields))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, f := range fields {
		col := b.Column(i)
		if arrow.TypeEqual(col.DataType(), f.Type) {
			col.Retain()
			cols[i] = col
			continue
		}
		cast, err := compute.CastArray(compute.WithAllocator(r.ctx, r.mem), col, compute.SafeCastOptions(f.Type))
		if err != nil {
			return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "foreign table %s: column %s: server %q sent %s, declared %s: %v",
				localName(r.p.t.name), f.Name, r.p.t.conn.server, col.DataType(), f.Type, err)
		}
		cols[i] = cast
	}
	return array.NewRecordBatch(r.p.schema, cols, b.NumRows()), nil
}
