package flightsql

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"

	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/sql/sqlerr"
)

// noTransactions refuses a statement that names a transaction.
func noTransactions(id []byte) error {
	if len(id) > 0 {
		return errTransactions
	}
	return nil
}

// GetFlightInfoStatement compiles a query and returns a ticket for it; the
// query runs when the ticket is read. Statements whose result is known only
// by running them (SHOW, EXPLAIN, DDL) run now.
func (s *Server) GetFlightInfoStatement(ctx context.Context, cmd flightsql.StatementQuery, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, err
	}
	if err := noTransactions(cmd.GetTransactionId()); err != nil {
		return nil, err
	}
	return s.infoForSQL(ctx, cs, "query", cmd.GetQuery(), nil, desc)
}

func (s *Server) infoForSQL(ctx context.Context, cs *clientSession, kind, sql string, args []any, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	q := &query{owner: cs, kind: kind, sql: sql, args: args, started: s.cfg.Now()}
	d, err := cs.describe(ctx, sql)
	if err != nil {
		s.logStatement(q, 0, 0, err)
		return nil, grpcError(err)
	}
	if d.Kind == engine.KindQuery {
		if len(d.Params) != len(args) {
			return nil, sqlState(sqlerr.ProtocolViolation,
				"the statement has %d parameter(s), but %d were bound; use a prepared statement to bind them", len(d.Params), len(args))
		}
		return s.register(q, d.Schema, desc)
	}
	return s.park(ctx, q, desc, func(pctx context.Context) (array.RecordReader, error) {
		res, err := cs.run(pctx, sql, args...)
		if err != nil {
			return nil, err
		}
		if res.Reader == nil {
			return array.NewRecordReader(arrow.NewSchema(nil, nil), nil)
		}
		return res.Reader, nil
	})
}

// GetSchemaStatement compiles a query and returns its schema.
func (s *Server) GetSchemaStatement(ctx context.Context, cmd flightsql.StatementQuery, _ *flight.FlightDescriptor) (*flight.SchemaResult, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, err
	}
	d, err := cs.describe(ctx, cmd.GetQuery())
	if err != nil {
		return nil, grpcError(err)
	}
	sc := declared(d.Schema)
	if sc == nil {
		sc = arrow.NewSchema(nil, nil)
	}
	return &flight.SchemaResult{Schema: flight.SerializeSchema(sc, s.alloc)}, nil
}

// DoPutCommandStatementUpdate runs DDL, INSERT and the like and returns
// the rows affected.
func (s *Server) DoPutCommandStatementUpdate(ctx context.Context, cmd flightsql.StatementUpdate) (int64, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return 0, err
	}
	if err := noTransactions(cmd.GetTransactionId()); err != nil {
		return 0, err
	}
	return s.update(ctx, cs, "update", cmd.GetQuery(), nil)
}

// update runs one statement to the end, draining any rows.
func (s *Server) update(ctx context.Context, cs *clientSession, kind, sql string, args []any) (int64, error) {
	q := &query{owner: cs, kind: kind, sql: sql, started: s.cfg.Now()}
	res, err := cs.run(ctx, sql, args...)
	var rows int64
	if err == nil {
		rows, err = drain(res)
	}
	s.logStatement(q, rows, 0, err)
	if err != nil {
		return 0, grpcError(err)
	}
	return rows, nil
}

// drain reads and releases a result's rows; it returns RowsAffected, else
// the number of rows read.
func drain(res *engine.Result) (int64, error) {
	if res.Reader == nil {
		return res.RowsAffected, nil
	}
	defer res.Reader.Release()
	var n int64
	for res.Reader.Next() {
		n += res.Reader.RecordBatch().NumRows()
	}
	if err := res.Reader.Err(); err != nil {
		return 0, err
	}
	if res.RowsAffected > 0 {
		return res.RowsAffected, nil
	}
	return n, nil
}

// GetFlightInfoSubstraitPlan runs a client's Substrait plan (its schema is
// the running plan's) and returns a ticket for its rows.
func (s *Server) GetFlightInfoSubstraitPlan(ctx context.Context, cmd flightsql.StatementSubstraitPlan, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, err
	}
	if err := noTransactions(cmd.GetTransactionId()); err != nil {
		return nil, err
	}
	plan := cmd.GetPlan().Plan
	q := &query{owner: cs, kind: "substrait", started: s.cfg.Now()}
	return s.park(ctx, q, desc, func(pctx context.Context) (array.RecordReader, error) {
		res, err := cs.substrait(pctx, plan)
		if err != nil {
			return nil, err
		}
		return res.Reader, nil
	})
}

// GetSchemaSubstraitPlan answers with the schema of a running plan.
func (s *Server) GetSchemaSubstraitPlan(ctx context.Context, cmd flightsql.StatementSubstraitPlan, _ *flight.FlightDescriptor) (*flight.SchemaResult, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, err
	}
	res, err := cs.substrait(ctx, cmd.GetPlan().Plan)
	if err != nil {
		return nil, grpcError(err)
	}
	defer res.Reader.Release()
	return &flight.SchemaResult{Schema: flight.SerializeSchema(res.Reader.Schema(), s.alloc)}, nil
}

// DoPutCommandSubstraitPlan runs a plan to the end and returns its row count.
func (s *Server) DoPutCommandSubstraitPlan(ctx context.Context, cmd flightsql.StatementSubstraitPlan) (int64, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return 0, err
	}
	q := &query{owner: cs, kind: "substrait", started: s.cfg.Now()}
	res, err := cs.substrait(ctx, cmd.GetPlan().Plan)
	var rows int64
	if err == nil {
		rows, err = drain(res)
	}
	s.logStatement(q, rows, 0, err)
	return rows, grpcError(err)
}
