package flightsql

import (
	"context"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// remoteTable is one row of GetTables.
type remoteTable struct {
	catalog, schema, table string
	arrow                  *arrow.Schema // nil when the server sent none
}

// listTables calls GetTables with include_schema. Empty arguments match
// every catalog, schema or table; the patterns may match more than the
// exact names (an underscore is a wildcard), so callers compare names.
func (c *Conn) listTables(ctx context.Context, catalog, schema, table string) ([]remoteTable, error) {
	opts := &flightsql.GetTablesOpts{IncludeSchema: true}
	if catalog != "" {
		opts.Catalog = &catalog
	}
	if schema != "" {
		opts.DbSchemaFilterPattern = &schema
	}
	if table != "" {
		opts.TableNameFilterPattern = &table
	}
	var info *flight.FlightInfo
	err := c.call(ctx, func(ctx context.Context) error {
		var err error
		info, err = c.cl.GetTables(ctx, opts)
		return err
	})
	if err != nil {
		code, _ := remoteStatus(err)
		if code == sqlerr.FeatureNotSupported {
			return nil, sqlerr.New(code, "server %q does not support GetTables", c.server)
		}
		return nil, err
	}
	// The listing is small and read here, with the connection's
	// allocator, not a query's.
	mem := c.mem
	var out []remoteTable
	for _, ep := range info.Endpoint {
		rows, err := c.readTables(ctx, ep.Ticket, mem)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

func (c *Conn) readTables(ctx context.Context, ticket *flight.Ticket, mem memory.Allocator) ([]remoteTable, error) {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.cl.Client.DoGet(c.callCtx(rctx), ticket)
	if err != nil {
		return nil, err
	}
	rdr, err := flight.NewRecordReader(stream, ipc.WithAllocator(mem))
	if err != nil {
		return nil, err
	}
	defer rdr.Release()
	var out []remoteTable
	for rdr.Next() {
		b := rdr.RecordBatch()
		cat, _ := column[*array.String](b, "catalog_name")
		sch, _ := column[*array.String](b, "db_schema_name")
		tbl, ok := column[*array.String](b, "table_name")
		if !ok {
			return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "server %q: GetTables returned no table_name column", c.server)
		}
		ts, _ := column[*array.Binary](b, "table_schema")
		for i := 0; i < int(b.NumRows()); i++ {
			rt := remoteTable{catalog: str(cat, i), schema: str(sch, i), table: str(tbl, i)}
			if ts != nil && ts.IsValid(i) {
				s, err := flight.DeserializeSchema(ts.Value(i), mem)
				if err != nil {
					return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "server %q: schema of table %s: %v", c.server, rt.table, err)
				}
				rt.arrow = s
			}
			out = append(out, rt)
		}
	}
	return out, rdr.Err()
}

func column[T arrow.Array](b arrow.RecordBatch, name string) (T, bool) {
	var zero T
	idx := b.Schema().FieldIndices(name)
	if len(idx) == 0 {
		return zero, false
	}
	a, ok := b.Column(idx[0]).(T)
	return a, ok
}

func str(a *array.String, i int) string {
	if a == nil || a.IsNull(i) {
		return ""
	}
	return a.Value(i)
}

// ImportSchema lists the tables of a remote schema with GetTables
// (include_schema), honouring LIMIT TO and EXCEPT. An import option
// catalog_name narrows the listing to one catalog and is recorded in the
// tables' options.
func (c *Conn) ImportSchema(ctx context.Context, req connectors.ImportRequest) ([]connectors.TableDef, error) {
	catalog := req.Options["catalog_name"]
	tables, err := c.listTables(ctx, catalog, req.RemoteSchema, "")
	if err != nil {
		return nil, c.remoteError(ctx, err, "IMPORT FOREIGN SCHEMA %s", req.RemoteSchema)
	}
	var defs []connectors.TableDef
	for _, rt := range tables {
		if rt.schema != req.RemoteSchema {
			continue
		}
		if len(req.LimitTo) > 0 && !slices.Contains(req.LimitTo, rt.table) || slices.Contains(req.Except, rt.table) {
			continue
		}
		if rt.arrow == nil {
			return nil, sqlerr.New(sqlerr.FDWError, "IMPORT FOREIGN SCHEMA %s: server %q sent no schema for table %s",
				req.RemoteSchema, c.server, rt.table)
		}
		opts := map[string]string{"schema_name": rt.schema, "table_name": rt.table}
		if catalog != "" {
			opts["catalog_name"] = catalog
		}
		def := connectors.TableDef{Name: rt.table, Options: opts}
		for _, f := range rt.arrow.Fields() {
			def.Columns = append(def.Columns, connectors.ColumnDesc{Name: f.Name, Type: f.Type, Nullable: f.Nullable})
		}
		defs = append(defs, def)
	}
	return defs, nil
}
