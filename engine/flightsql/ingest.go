package flightsql

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"

	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/sqlerr"
)

// DoPutCommandStatementIngest is ADBC's bulk ingest: the streamed batches
// go into a memory table (created as asked) or a writable foreign table,
// through engine.Session.Ingest, without materializing the stream.
func (s *Server) DoPutCommandStatementIngest(ctx context.Context, cmd flightsql.StatementIngest, rdr flight.MessageReader) (int64, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return 0, err
	}
	if err := noTransactions(cmd.GetTransactionId()); err != nil {
		return 0, err
	}
	if cmd.GetTemporary() {
		return 0, sqlState(sqlerr.FeatureNotSupported, "temporary tables are not supported")
	}
	if c := cmd.GetCatalog(); c != "" && c != catalog.CatalogName {
		return 0, sqlState(sqlerr.FeatureNotSupported, "catalog %q does not exist: the catalog is %q", c, catalog.CatalogName)
	}
	mode, err := ingestMode(cmd.GetTableDefinitionOptions())
	if err != nil {
		return 0, err
	}
	q := &query{owner: cs, kind: "ingest", started: s.cfg.Now()}
	cs.mu.Lock()
	n, err := cs.sess.Ingest(ctx, cmd.GetSchema(), cmd.GetTable(), rdr, mode)
	cs.mu.Unlock()
	s.logStatement(q, n, 0, err)
	if err != nil {
		return 0, grpcError(err)
	}
	return n, nil
}

func ingestMode(o *flightsql.TableDefinitionOptions) (engine.IngestMode, error) {
	create := o.GetIfNotExist() == flightsql.TableDefinitionOptionsTableNotExistOptionCreate
	switch o.GetIfExists() {
	case flightsql.TableDefinitionOptionsTableExistsOptionAppend:
		if create {
			return engine.IngestCreateAppend, nil
		}
		return engine.IngestAppend, nil
	case flightsql.TableDefinitionOptionsTableExistsOptionReplace:
		if !create {
			return 0, sqlState(sqlerr.FeatureNotSupported, "replace requires creating the table when it does not exist")
		}
		return engine.IngestReplace, nil
	default: // fail, unspecified
		if create {
			return engine.IngestCreate, nil
		}
		return 0, sqlState(sqlerr.InvalidParameterValue, "ingest options neither create nor append: nothing to do")
	}
}
