package postgres

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"

	"github.com/medleysql/medley/sql/sqlerr"
)

// partition runs one remote SELECT.
type partition struct {
	t      *Table
	sql    string
	schema *arrow.Schema
	group  *snapshotGroup // the shared snapshot of a split scan (partition.go), or nil
}

// Open starts the remote query. Rows stream in the binary protocol (text
// for utf8 columns) and are appended straight to Arrow builders,
// fetch_size rows per batch; pgx reads the socket as the batches are
// consumed, so at most about one batch is buffered.
func (p *partition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.QueryCanceled, "foreign table %s: canceling statement due to user request", localName(p.t.name))
	}
	pc, err := p.t.conn.acquire(ctx)
	if err != nil {
		return nil, err
	}
	if p.group != nil {
		if err := p.importSnapshot(ctx, pc); err != nil {
			return nil, err
		}
	}
	formats := make(pgx.QueryResultFormats, max(len(p.schema.Fields()), 1))
	for i, f := range p.schema.Fields() {
		if !textFormat(f.Type) {
			formats[i] = pgx.BinaryFormatCode
		}
	}
	rows, err := pc.Query(ctx, p.sql, formats)
	if err != nil {
		p.t.conn.discard(pc)
		if p.group != nil {
			p.group.leave()
		}
		return nil, p.t.conn.remoteError(ctx, err, "foreign table %s", localName(p.t.name))
	}
	r := &reader{ctx: ctx, p: p, pc: pc, rows: rows, mem: mem, fields: p.schema.Fields()}
	r.refs.Store(1)
	return r, nil
}

// importSnapshot starts pc's transaction in the group's snapshot. On error
// pc is discarded.
func (p *partition) importSnapshot(ctx context.Context, pc *pgx.Conn) error {
	id, err := p.group.join(ctx)
	if err != nil {
		p.t.conn.discard(pc)
		return err
	}
	_, err = pc.PgConn().Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '"+id+"'").ReadAll()
	p.group.imported1()
	if err != nil {
		p.group.leave()
		p.t.conn.discard(pc)
		return p.t.conn.remoteError(ctx, err, "foreign table %s (importing the scan's snapshot)", localName(p.t.name))
	}
	return nil
}

// reader is the RecordReader of one partition; it is bound to one run (and
// so keeps its ctx).
type reader struct {
	ctx  context.Context
	p    *partition
	pc   *pgx.Conn
	rows pgx.Rows
	mem  memory.Allocator
	// fields are the schema's fields, copied once (Schema.Fields copies).
	fields []arrow.Field
	decs   []decoder
	cur    arrow.RecordBatch
	err    error
	done   bool
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
		r.finish(false)
	}
}

// finish ends the remote query. Unless it completed, the server is asked
// to cancel it and the session is dropped rather than drained.
func (r *reader) finish(complete bool) {
	if r.pc == nil {
		return
	}
	if !complete {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = r.pc.PgConn().CancelRequest(cctx)
		cancel()
		r.p.t.conn.discard(r.pc)
		r.rows.Close()
	} else {
		r.rows.Close()
		if r.p.group != nil {
			// End the snapshot's read-only transaction; release
			// discards a session still in one.
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, _ = r.pc.PgConn().Exec(cctx, "COMMIT").ReadAll()
			cancel()
		}
		r.p.t.conn.release(r.pc)
	}
	if r.p.group != nil {
		r.p.group.leave()
	}
	r.pc = nil
	r.done = true
}

func (r *reader) fail(err error) bool {
	r.err = err
	r.finish(false)
	return false
}

// Next reads the next batch of up to fetch_size rows.
func (r *reader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.done || r.err != nil {
		return false
	}
	if err := r.ctx.Err(); err != nil {
		return r.fail(sqlerr.Wrap(err, sqlerr.QueryCanceled, "foreign table %s: canceling statement due to user request", localName(r.p.t.name)))
	}
	b := array.NewRecordBuilder(r.mem, r.p.schema)
	defer b.Release()
	if r.decs != nil {
		// Not before the first batch: a small result stays small.
		b.Reserve(r.p.t.fetchSize)
	}
	n := 0
	for n < r.p.t.fetchSize && r.rows.Next() {
		if err := r.appendRow(b, n); err != nil {
			return r.fail(err)
		}
		n++
	}
	if n < r.p.t.fetchSize {
		if err := r.rows.Err(); err != nil {
			return r.fail(r.p.t.conn.remoteError(r.ctx, err, "foreign table %s", localName(r.p.t.name)))
		}
		r.finish(true)
		if n == 0 {
			return false
		}
	}
	if len(r.fields) == 0 {
		r.cur = array.NewRecordBatch(r.p.schema, nil, int64(n))
	} else {
		r.cur = b.NewRecordBatch()
	}
	return true
}

func (r *reader) appendRow(b *array.RecordBuilder, row int) error {
	fields := r.fields
	if len(fields) == 0 {
		return nil
	}
	if r.decs == nil {
		fds := r.rows.FieldDescriptions()
		r.decs = make([]decoder, len(fields))
		for i, f := range fields {
			oid := fds[i].DataTypeOID
			d, err := decoderFor(f.Type, oid, typeNameOf(r.pc, oid))
			if err != nil {
				return sqlerr.New(sqlerr.FDWInvalidDataType, "foreign table %s: column %s: %v", localName(r.p.t.name), f.Name, err)
			}
			r.decs[i] = d
		}
	}
	vals := r.rows.RawValues()
	for i, v := range vals {
		fb := b.Field(i)
		if v == nil {
			fb.AppendNull()
			continue
		}
		if err := r.decs[i](fb, v); err != nil {
			return sqlerr.New(sqlerr.NumericValueOutOfRange, "foreign table %s: column %s: %v", localName(r.p.t.name), fields[i].Name, err)
		}
	}
	return nil
}

func typeNameOf(pc *pgx.Conn, oid uint32) string {
	if t, ok := pc.TypeMap().TypeForOID(oid); ok {
		return t.Name
	}
	return "oid " + itoa(int64(oid))
}
