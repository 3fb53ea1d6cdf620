package flightsql

import (
	"context"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

var _ connectors.Inserter = (*Table)(nil)

// Insert streams every batch to the server with Flight SQL bulk ingest
// (CommandStatementIngest; the table must exist, rows are appended), its
// columns renamed to the remote names. The server runs the ingest as one
// statement: Medley's is atomic, so on an error nothing is written. When
// reading rows fails, the stream is cancelled rather than ended, so that
// the server never sees a complete stream of part of the rows. A server
// without bulk ingest (Unimplemented) is 0A000 naming the table.
func (t *Table) Insert(ctx context.Context, rows array.RecordReader) (int64, error) {
	if err := t.checkUpdatable("INSERT into"); err != nil {
		return 0, err
	}
	schema, err := t.ingestSchema(rows.Schema())
	if err != nil {
		return 0, err
	}
	opts := &flightsql.ExecuteIngestOpts{
		TableDefinitionOptions: &flightsql.TableDefinitionOptions{
			IfNotExist: flightsql.TableDefinitionOptionsTableNotExistOptionFail,
			IfExists:   flightsql.TableDefinitionOptionsTableExistsOptionAppend,
		},
		Table: t.table,
	}
	if t.remoteSchema != "" {
		opts.Schema = &t.remoteSchema
	}
	if t.catalog != "" {
		opts.Catalog = &t.catalog
	}
	n, err := t.ingest(ctx, rows, schema, opts)
	if err != nil {
		return 0, t.insertError(ctx, err)
	}
	return n, nil
}

// ingest runs one bulk ingest of rows relabelled to schema. It logs in
// again and retries once when the token expired, if no row was read yet
// (rows cannot be read twice).
func (t *Table) ingest(ctx context.Context, rows array.RecordReader, schema *arrow.Schema, opts *flightsql.ExecuteIngestOpts) (int64, error) {
	c := t.conn
	attempt := func() (int64, *renameReader, error) {
		ictx, cancel := context.WithCancel(ctx)
		defer cancel() // ends the stream, on every path
		rr := &renameReader{src: rows, schema: schema, cancel: cancel}
		rr.refs.Store(1)
		defer rr.Release()
		n, err := c.cl.ExecuteIngest(c.callCtx(ictx), rr, opts)
		if rr.err != nil {
			// The local rows failed: theirs is the error, not the
			// cancellation it caused.
			err = rr.err
		}
		return n, rr, err
	}
	n, rr, err := attempt()
	if err != nil && rr.read == 0 && c.user != "" && isUnauthenticated(err) && ctx.Err() == nil {
		if lerr := c.login(ctx); lerr == nil {
			n, _, err = attempt()
		}
	}
	return n, err
}

// insertError converts an error of the ingest.
func (t *Table) insertError(ctx context.Context, err error) error {
	if st, ok := status.FromError(err); ok && st.Code() == codes.Unimplemented && !hasSQLState(st.Message()) {
		return sqlerr.New(sqlerr.FeatureNotSupported,
			"cannot INSERT into foreign table %s: server %q does not support Flight SQL bulk ingest", localName(t.name), t.conn.server).
			WithHint("INSERT through the flightsql wrapper needs a server that implements CommandStatementIngest.")
	}
	return t.conn.remoteError(ctx, err, "INSERT into foreign table %s", localName(t.name))
}

// ingestSchema is s with each field named as its remote column.
func (t *Table) ingestSchema(s *arrow.Schema) (*arrow.Schema, error) {
	fields := make([]arrow.Field, s.NumFields())
	for i, f := range s.Fields() {
		idx := t.schema.FieldIndices(f.Name)
		if len(idx) != 1 {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q of foreign table %s does not exist", f.Name, localName(t.name))
		}
		fields[i] = arrow.Field{Name: t.cols[idx[0]].Name, Type: f.Type, Nullable: f.Nullable}
	}
	return arrow.NewSchema(fields, nil), nil
}

// checkUpdatable refuses writes to a table (or server) with updatable
// 'false', as PostgreSQL refuses them in a read-only transaction (25006).
func (t *Table) checkUpdatable(op string) error {
	if t.updatable {
		return nil
	}
	return sqlerr.New(sqlerr.ReadOnlyTransaction, "cannot %s foreign table %s: it is not updatable", op, localName(t.name)).
		WithHint("The foreign table or its server has the option updatable 'false'.")
}

// renameReader is src with its batches relabelled to schema (same columns
// and types). An error of src cancels the ingest's stream before Next
// reports the end, so the server sees a broken stream, not a finished one.
type renameReader struct {
	src    array.RecordReader
	schema *arrow.Schema
	cancel context.CancelFunc
	cur    arrow.RecordBatch
	read   int64 // batches read from src
	err    error
	refs   atomic.Int64
}

func (r *renameReader) Schema() *arrow.Schema          { return r.schema }
func (r *renameReader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *renameReader) Record() arrow.RecordBatch      { return r.cur }
func (r *renameReader) Err() error                     { return r.err }
func (r *renameReader) Retain()                        { r.refs.Add(1) }

// Release releases the current batch; src stays the caller's.
func (r *renameReader) Release() {
	if r.refs.Add(-1) == 0 && r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

func (r *renameReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.err != nil {
		return false
	}
	if !r.src.Next() {
		if err := r.src.Err(); err != nil {
			r.err = err
			r.cancel()
		}
		return false
	}
	r.read++
	b := r.src.RecordBatch()
	if b.NumCols() != int64(r.schema.NumFields()) {
		r.err = sqlerr.New(sqlerr.InternalError, "INSERT: a batch of %d columns, want %d", b.NumCols(), r.schema.NumFields())
		r.cancel()
		return false
	}
	r.cur = array.NewRecordBatch(r.schema, b.Columns(), b.NumRows())
	return true
}
