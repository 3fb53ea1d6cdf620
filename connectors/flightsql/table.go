package flightsql

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Table is a foreign table on a Flight SQL server.
type Table struct {
	conn   *Conn
	name   []string // local name, for errors
	remote []string // remote [catalog.]schema.table, as given
	schema *arrow.Schema
	cols   []sqlgen.ColumnRef

	// The remote table's parts, as bulk ingest names them ("" for none).
	catalog, remoteSchema, table string
	// updatable is the table's updatable option, else the server's.
	updatable bool
}

var _ connectors.Table = (*Table)(nil)

func localName(n []string) string { return strings.Join(n, ".") }

// Table resolves the remote table from the catalog_name, schema_name and
// table_name options (defaults: no catalog, the local schema, the local
// name) and the column_name column options, and checks with GetTables
// that the table and its columns exist.
func (c *Conn) Table(ctx context.Context, d connectors.TableDesc) (connectors.Table, error) {
	var catalog, schema, table string
	if len(d.Name) > 0 {
		table = d.Name[len(d.Name)-1]
	}
	if len(d.Name) > 1 {
		schema = d.Name[len(d.Name)-2]
	}
	catalog = d.Options["catalog_name"]
	if v := d.Options["schema_name"]; v != "" {
		schema = v
	}
	if v := d.Options["table_name"]; v != "" {
		table = v
	}
	t := &Table{conn: c, name: d.Name, schema: d.Schema(),
		catalog: catalog, remoteSchema: schema, table: table, updatable: c.updatable}
	if v, ok := d.Options["updatable"]; ok {
		t.updatable = isTrue(v)
	}
	for _, p := range []string{catalog, schema} {
		if p != "" {
			t.remote = append(t.remote, p)
		}
	}
	t.remote = append(t.remote, table)
	for _, cd := range d.Columns {
		remote := cd.Name
		if v := cd.Options["column_name"]; v != "" {
			remote = v
		}
		t.cols = append(t.cols, sqlgen.ColumnRef{Name: remote, Type: cd.Type})
	}
	if err := t.describe(ctx, catalog, schema, table); err != nil {
		return nil, err
	}
	return t, nil
}

// describe checks that the remote table and the declared columns exist. A
// server without GetTables is taken at its word.
func (t *Table) describe(ctx context.Context, catalog, schema, table string) error {
	tables, err := t.conn.listTables(ctx, catalog, schema, table)
	if sqlerr.Is(err, sqlerr.FeatureNotSupported) {
		return nil
	}
	if err != nil {
		return t.conn.remoteError(ctx, err, "foreign table %s", localName(t.name))
	}
	remote, _ := sqlgen.PostgreSQL.QualifiedName(t.remote)
	var found *remoteTable
	for i := range tables {
		if tables[i].table == table && (schema == "" || tables[i].schema == schema) {
			found = &tables[i]
			break
		}
	}
	if found == nil {
		return sqlerr.New(sqlerr.FDWTableNotFound, "foreign table %s: remote table %s does not exist on server %q",
			localName(t.name), remote, t.conn.server)
	}
	if found.arrow == nil {
		return nil
	}
	for _, col := range t.cols {
		if len(found.arrow.FieldIndices(col.Name)) == 0 {
			return sqlerr.New(sqlerr.FDWColumnNameNotFound, "foreign table %s: column %q does not exist in remote table %s",
				localName(t.name), col.Name, remote)
		}
	}
	return nil
}

// Schema is the declared schema.
func (t *Table) Schema() *arrow.Schema { return t.schema }

// Statistics are unknown: Flight SQL has no call for them.
func (t *Table) Statistics(context.Context) (connectors.Statistics, error) {
	return connectors.UnknownStatistics, nil
}

// Scan deparses the request into one remote SELECT (the PostgreSQL dialect,
// which Medley speaks; see sqlgen for what is shipped) and asks the server
// for its endpoints: each becomes a partition.
func (t *Table) Scan(ctx context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	res, err := sqlgen.Select(sqlgen.PostgreSQL, sqlgen.Query{
		Table: t.remote, Columns: t.cols, Project: req.Columns, Filters: req.Filters,
		Limit: req.Limit, Order: req.Order,
	})
	if err != nil {
		return nil, sqlerr.New(sqlerr.FDWError, "foreign table %s: %v", localName(t.name), err)
	}
	fields := make([]arrow.Field, len(req.Columns))
	for i, c := range req.Columns {
		fields[i] = t.schema.Field(c)
	}
	out := arrow.NewSchema(fields, nil)
	explain := []string{"Remote SQL: " + res.SQL}
	for _, r := range res.Reasons {
		explain = append(explain, "Not shipped: "+r.String())
	}
	if res.OrderReason != "" {
		explain = append(explain, "Order not shipped: "+res.OrderReason)
	}
	info, err := t.conn.execute(ctx, res.SQL)
	if err != nil {
		return nil, t.conn.remoteError(ctx, err, "foreign table %s", localName(t.name))
	}
	parts := partitions(t, out, info.Endpoint, req.MaxPartitions)
	if n := len(info.Endpoint); n > 1 {
		explain = append(explain, fmt.Sprintf("Endpoints: %d in %d partitions", n, len(parts)))
	}
	return &connectors.ScanPlan{
		Schema: out, FilterSupport: res.Support, LimitApplied: res.LimitApplied,
		Ordered:    res.Ordered && len(parts) == 1,
		Partitions: parts,
		Explain:    explain,
	}, nil
}
