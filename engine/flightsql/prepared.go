package flightsql

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/apache/arrow-go/v18/arrow/scalar"

	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/sql/sqlerr"
)

// prepared is a prepared statement: its text, what compiling it said, and
// the parameter rows last bound with DoPut (one statement run per row).
type prepared struct {
	owner *clientSession
	sql   string
	desc  *engine.Description
	rows  [][]any
}

// CreatePreparedStatement compiles the statement and answers with its
// result schema and parameter schema ($1, $2, ... typed as inferred).
func (s *Server) CreatePreparedStatement(ctx context.Context, req flightsql.ActionCreatePreparedStatementRequest) (flightsql.ActionCreatePreparedStatementResult, error) {
	var res flightsql.ActionCreatePreparedStatementResult
	cs, err := mustSession(ctx)
	if err != nil {
		return res, err
	}
	if err := noTransactions(req.GetTransactionId()); err != nil {
		return res, err
	}
	d, err := cs.describe(ctx, req.GetQuery())
	if err != nil {
		return res, grpcError(err)
	}
	fields := make([]arrow.Field, len(d.Params))
	for i, t := range d.Params {
		if t == nil {
			t = arrow.Null
		}
		fields[i] = arrow.Field{Name: fmt.Sprintf("$%d", i+1), Type: t, Nullable: true}
	}
	handle := newHandle()
	s.mu.Lock()
	s.prepared[handle] = &prepared{owner: cs, sql: req.GetQuery(), desc: d}
	s.mu.Unlock()
	res.Handle = []byte(handle)
	res.DatasetSchema = declared(d.Schema)
	res.ParameterSchema = arrow.NewSchema(fields, nil)
	isUpdate := d.Kind == engine.KindWrite || d.Kind == engine.KindCommand
	res.IsUpdate = &isUpdate
	return res, nil
}

func (s *Server) lookupPrepared(ctx context.Context, handle []byte) (*clientSession, *prepared, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.prepared[string(handle)]
	if !ok || !cs.same(p.owner) {
		return nil, nil, sqlState(sqlerr.InvalidParameterValue, "unknown prepared statement handle")
	}
	return cs, p, nil
}

// ClosePreparedStatement forgets a prepared statement.
func (s *Server) ClosePreparedStatement(ctx context.Context, req flightsql.ActionClosePreparedStatementRequest) error {
	if _, _, err := s.lookupPrepared(ctx, req.GetPreparedStatementHandle()); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.prepared, string(req.GetPreparedStatementHandle()))
	s.mu.Unlock()
	return nil
}

// DoPutPreparedStatementQuery binds parameter rows to a prepared query.
func (s *Server) DoPutPreparedStatementQuery(ctx context.Context, cmd flightsql.PreparedStatementQuery, rdr flight.MessageReader, _ flight.MetadataWriter) ([]byte, error) {
	_, p, err := s.lookupPrepared(ctx, cmd.GetPreparedStatementHandle())
	if err != nil {
		return nil, err
	}
	rows, err := paramRows(rdr)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	p.rows = rows
	s.mu.Unlock()
	return cmd.GetPreparedStatementHandle(), nil
}

// paramRows reads bound parameters: one []any per row, values copied out
// of the Arrow buffers so nothing is retained.
func paramRows(rdr array.RecordReader) ([][]any, error) {
	var rows [][]any
	for rdr.Next() {
		b := rdr.RecordBatch()
		for r := 0; r < int(b.NumRows()); r++ {
			row := make([]any, b.NumCols())
			for c := range row {
				v, err := paramValue(b.Column(c), r)
				if err != nil {
					return nil, sqlState(sqlerr.DatatypeMismatch, "parameter $%d: %v", c+1, err)
				}
				row[c] = v
			}
			rows = append(rows, row)
		}
	}
	if err := rdr.Err(); err != nil {
		return nil, grpcError(sqlerr.Wrap(err, sqlerr.ProtocolViolation, "reading parameters"))
	}
	return rows, nil
}

func paramValue(a arrow.Array, i int) (any, error) {
	if a.IsNull(i) {
		return nil, nil
	}
	switch a := a.(type) {
	case *array.String:
		return a.Value(i), nil
	case *array.LargeString:
		return a.Value(i), nil
	case *array.Binary:
		return append([]byte(nil), a.Value(i)...), nil
	case *array.Boolean:
		return a.Value(i), nil
	case *array.Int8:
		return int64(a.Value(i)), nil
	case *array.Int16:
		return a.Value(i), nil
	case *array.Int32:
		return a.Value(i), nil
	case *array.Int64:
		return a.Value(i), nil
	case *array.Uint8:
		return int64(a.Value(i)), nil
	case *array.Uint16:
		return int64(a.Value(i)), nil
	case *array.Uint32:
		return int64(a.Value(i)), nil
	case *array.Float32:
		return a.Value(i), nil
	case *array.Float64:
		return a.Value(i), nil
	case *array.Null:
		return nil, nil
	}
	// Fixed-width types (dates, timestamps, decimals): the scalar holds a
	// copy of the value.
	if _, ok := a.DataType().(arrow.FixedWidthDataType); ok {
		return scalar.GetScalar(a, i)
	}
	return nil, fmt.Errorf("type %s is not supported as a parameter", a.DataType())
}

// args returns the arguments of a single run: the one bound row, or none.
func (p *prepared) args() ([]any, error) {
	switch len(p.rows) {
	case 0:
		return nil, nil
	case 1:
		return p.rows[0], nil
	}
	return nil, sqlState(sqlerr.FeatureNotSupported, "a query takes one row of parameters, not %d", len(p.rows))
}

// GetFlightInfoPreparedStatement returns a ticket for a prepared query
// with its bound parameters.
func (s *Server) GetFlightInfoPreparedStatement(ctx context.Context, cmd flightsql.PreparedStatementQuery, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	cs, p, err := s.lookupPrepared(ctx, cmd.GetPreparedStatementHandle())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	args, err := p.args()
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return s.infoForSQL(ctx, cs, "prepared", p.sql, args, desc)
}

// GetSchemaPreparedStatement returns the prepared statement's result schema.
func (s *Server) GetSchemaPreparedStatement(ctx context.Context, cmd flightsql.PreparedStatementQuery, _ *flight.FlightDescriptor) (*flight.SchemaResult, error) {
	_, p, err := s.lookupPrepared(ctx, cmd.GetPreparedStatementHandle())
	if err != nil {
		return nil, err
	}
	sc := declared(p.desc.Schema)
	if sc == nil {
		sc = arrow.NewSchema(nil, nil)
	}
	return &flight.SchemaResult{Schema: flight.SerializeSchema(sc, s.alloc)}, nil
}

// DoPutPreparedStatementUpdate runs a prepared write once per parameter
// row sent with the call (else per row bound before, else once) and
// returns the total rows affected.
func (s *Server) DoPutPreparedStatementUpdate(ctx context.Context, cmd flightsql.PreparedStatementUpdate, rdr flight.MessageReader) (int64, error) {
	cs, p, err := s.lookupPrepared(ctx, cmd.GetPreparedStatementHandle())
	if err != nil {
		return 0, err
	}
	rows, err := paramRows(rdr)
	if err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		s.mu.Lock()
		rows = p.rows
		s.mu.Unlock()
	}
	if len(rows) == 0 {
		rows = [][]any{nil}
	}
	var total int64
	for _, args := range rows {
		n, err := s.update(ctx, cs, "prepared", p.sql, args)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
