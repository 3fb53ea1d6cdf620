package flightsql

import (
	"context"
	"encoding/hex"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"go.uber.org/zap"

	"github.com/medleysql/medley/sql/sqlerr"
)

// query is a statement between GetFlightInfo and the end of its DoGet. A
// query compiled at GetFlightInfo runs when DoGet asks for it (sql, args);
// statements whose rows are known only by running them (SHOW, EXPLAIN,
// Substrait plans, DDL sent as a query) ran at GetFlightInfo and wait in
// parked.
type query struct {
	handle  string
	owner   *clientSession
	kind    string // for the log: query, prepared, substrait
	sql     string
	args    []any
	parked  array.RecordReader
	schema  *arrow.Schema // announced in the FlightInfo
	started time.Time

	running  bool
	canceled bool
	cancel   context.CancelFunc // of the running statement or the parked one
}

// abort releases what the query holds; the caller holds s.mu.
func (q *query) abort() {
	q.canceled = true
	if q.cancel != nil {
		q.cancel()
	}
	if q.parked != nil && !q.running {
		q.parked.Release()
		q.parked = nil
	}
}

func newHandle() string {
	t, _ := newToken()
	return t
}

// register stores q and returns the FlightInfo whose one endpoint's ticket
// names it.
func (s *Server) register(q *query, schema *arrow.Schema, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	q.handle = newHandle()
	q.started = s.cfg.Now()
	ticket, err := flightsql.CreateStatementQueryTicket([]byte(q.handle))
	if err != nil {
		q.abort()
		return nil, grpcError(err)
	}
	schema = declared(schema)
	q.schema = schema
	s.mu.Lock()
	s.queries[q.handle] = q
	s.mu.Unlock()
	return &flight.FlightInfo{
		Schema:           flight.SerializeSchema(schema, s.alloc),
		FlightDescriptor: desc,
		Endpoint:         []*flight.FlightEndpoint{{Ticket: &flight.Ticket{Ticket: ticket}}},
		TotalRecords:     -1,
		TotalBytes:       -1,
	}, nil
}

// park runs a statement now (under a context only Stop or cancel ends) and
// registers its result for DoGet.
func (s *Server) park(ctx context.Context, q *query, desc *flight.FlightDescriptor,
	start func(ctx context.Context) (array.RecordReader, error)) (*flight.FlightInfo, error) {
	pctx, cancel := context.WithCancel(s.ctx)
	rdr, err := start(pctx)
	if err != nil {
		cancel()
		s.logStatement(q, 0, 0, err)
		return nil, grpcError(err)
	}
	q.parked, q.cancel = rdr, cancel
	return s.register(q, rdr.Schema(), desc)
}

// DoGetStatement streams the rows of a ticket's statement. The statement
// runs under the stream's context, so a client that goes away cancels it,
// as does CancelFlightInfo.
func (s *Server) DoGetStatement(ctx context.Context, tkt flightsql.StatementQueryTicket) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, nil, err
	}
	handle := string(tkt.GetStatementHandle())
	s.mu.Lock()
	q, ok := s.queries[handle]
	if !ok || !cs.same(q.owner) {
		s.mu.Unlock()
		return nil, nil, sqlState(sqlerr.InvalidParameterValue, "unknown or expired ticket")
	}
	if q.running {
		s.mu.Unlock()
		return nil, nil, sqlState(sqlerr.ProtocolViolation, "the ticket is already being read")
	}
	if q.canceled {
		delete(s.queries, handle)
		s.mu.Unlock()
		return nil, nil, sqlState(sqlerr.QueryCanceled, "canceling statement due to user request")
	}
	qctx, cancel := context.WithCancel(ctx)
	if q.parked != nil {
		parkedCancel := q.cancel
		stop := context.AfterFunc(qctx, parkedCancel)
		q.cancel = func() { stop(); parkedCancel(); cancel() }
	} else {
		q.cancel = cancel
	}
	q.running = true
	rdr := q.parked
	q.parked = nil
	s.mu.Unlock()

	if rdr == nil {
		res, err := q.owner.run(qctx, q.sql, q.args...)
		if err == nil && res.Reader == nil {
			rdr, err = array.NewRecordReader(arrow.NewSchema(nil, nil), nil)
		} else if err == nil {
			rdr = res.Reader
		}
		if err != nil {
			s.finish(q, 0, 0, err)
			cancel()
			return nil, nil, grpcError(err)
		}
	}
	cr := &countingReader{RecordReader: rdr, done: func(rows, bytes int64, err error) {
		if err == nil && qctx.Err() != nil {
			err = sqlerr.New(sqlerr.QueryCanceled, "canceling statement: the client went away")
		}
		cancel()
		s.finish(q, rows, bytes, err)
	}}
	cr.refs.Store(1)
	ch := make(chan flight.StreamChunk, 1)
	relabelTo := relabelSchema(q.schema, rdr.Schema()) // nil: send the batches as they are
	sent := relabelTo
	if sent == nil {
		sent = rdr.Schema()
	}
	s.streams.Add(1)
	go func() {
		defer s.streams.Done()
		streamReader(ctx, cr, relabelTo, ch)
	}()
	return sent, ch, nil
}

// finish forgets a query and logs it.
func (s *Server) finish(q *query, rows, bytes int64, err error) {
	s.mu.Lock()
	delete(s.queries, q.handle)
	canceled := q.canceled
	hook := s.onQueryDone
	s.mu.Unlock()
	if err == nil && canceled {
		err = sqlerr.New(sqlerr.QueryCanceled, "canceling statement due to user request")
	}
	s.logStatement(q, rows, bytes, err)
	if hook != nil {
		hook(q.handle, err)
	}
}

func (s *Server) logStatement(q *query, rows, bytes int64, err error) {
	fields := []zap.Field{logUser(q.owner.user), zap.String("kind", q.kind),
		zap.Duration("duration", s.cfg.Now().Sub(q.started)), zap.Int64("rows", rows), zap.Int64("bytes", bytes)}
	if err != nil {
		fields = append(fields, logCode(err))
	}
	s.log.Info("statement", fields...)
	if ce := s.log.Check(zap.DebugLevel, "statement text"); ce != nil && q.sql != "" {
		ce.Write(zap.String("sql", q.sql), zap.String("handle", shortHandle(q.handle)))
	}
}

func shortHandle(h string) string {
	if len(h) > 8 {
		return hex.EncodeToString([]byte(h[:6]))
	}
	return h
}

func logUser(u string) zap.Field { return zap.String("user", u) }

func logCode(err error) zap.Field { return zap.String("sqlstate", string(sqlerr.CodeOf(err))) }

// countingReader counts what a statement streams and reports it once, when
// released (flight.StreamChunksFromReader releases it at the end). Its Err
// is a gRPC status carrying the SQLSTATE.
type countingReader struct {
	array.RecordReader
	refs        atomic.Int64
	rows, bytes int64
	once        sync.Once
	done        func(rows, bytes int64, err error)
}

func (r *countingReader) Next() bool {
	if !r.RecordReader.Next() {
		return false
	}
	b := r.RecordReader.RecordBatch()
	r.rows += b.NumRows()
	r.bytes += recordBytes(b)
	return true
}

func (r *countingReader) Err() error { return grpcError(r.RecordReader.Err()) }

func (r *countingReader) Retain() { r.refs.Add(1) }

func (r *countingReader) Release() {
	if r.refs.Add(-1) != 0 {
		return
	}
	r.once.Do(func() {
		err := r.RecordReader.Err()
		r.RecordReader.Release()
		r.done(r.rows, r.bytes, err)
	})
}

// CancelFlightInfo cancels the statement of the info's tickets: a running
// one's context is cancelled (its stream ends with 57014), a pending one is
// dropped.
func (s *Server) CancelFlightInfo(ctx context.Context, req *flight.CancelFlightInfoRequest) (flight.CancelFlightInfoResult, error) {
	st, err := s.cancelInfo(ctx, req.GetInfo())
	return flight.CancelFlightInfoResult{Status: st}, err
}

func (s *Server) cancelInfo(ctx context.Context, info *flight.FlightInfo) (flight.CancelStatus, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return flight.CancelStatusUnspecified, err
	}
	st := flight.CancelStatusNotCancellable
	for _, ep := range info.GetEndpoint() {
		t, err := flightsql.GetStatementQueryTicket(ep.GetTicket())
		if err != nil {
			continue
		}
		s.mu.Lock()
		q, ok := s.queries[string(t.GetStatementHandle())]
		if ok && cs.same(q.owner) {
			q.abort()
			if !q.running {
				delete(s.queries, q.handle)
			}
			st = flight.CancelStatusCancelled
		}
		s.mu.Unlock()
	}
	return st, nil
}

// CancelQuery is Flight SQL's older cancel action.
func (s *Server) CancelQuery(ctx context.Context, req flightsql.ActionCancelQueryRequest) (flightsql.CancelResult, error) {
	st, err := s.cancelInfo(ctx, req.GetInfo())
	if err != nil {
		return flightsql.CancelResultUnspecified, err
	}
	if st == flight.CancelStatusCancelled {
		return flightsql.CancelResultCancelled, nil
	}
	return flightsql.CancelResultNotCancellable, nil
}

// recordBytes is the size of a batch's buffers.
func recordBytes(b arrow.RecordBatch) int64 {
	var n int64
	for _, c := range b.Columns() {
		n += dataBytes(c.Data())
	}
	return n
}

func dataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, buf := range d.Buffers() {
		if buf != nil {
			n += int64(buf.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	return n
}
