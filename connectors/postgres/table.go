package postgres

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Table is a foreign table on a PostgreSQL server.
type Table struct {
	conn      *Conn
	name      []string // local name, for errors
	remote    []string // remote schema and table
	schema    *arrow.Schema
	cols      []sqlgen.ColumnRef
	fetchSize int
	batchSize int
	updatable bool
	useCopy   bool  // INSERT through COPY (copy.go)
	partMin   int64 // reltuples from which scans are split (partition.go)
}

var _ connectors.Table = (*Table)(nil)

func localName(n []string) string { return strings.Join(n, ".") }

// Table resolves the remote table (schema_name, table_name, column_name
// options; defaults are the local names) and checks it exists.
func (c *Conn) Table(ctx context.Context, d connectors.TableDesc) (connectors.Table, error) {
	schema, table := "public", ""
	if len(d.Name) > 0 {
		table = d.Name[len(d.Name)-1]
	}
	if len(d.Name) > 1 {
		schema = d.Name[len(d.Name)-2]
	}
	if v := d.Options["schema_name"]; v != "" {
		schema = v
	}
	if v := d.Options["table_name"]; v != "" {
		table = v
	}
	t := &Table{conn: c, name: d.Name, remote: []string{schema, table}, schema: d.Schema(),
		fetchSize: intOption(firstOf(d.Options["fetch_size"], c.opts["fetch_size"]), 10000),
		batchSize: intOption(firstOf(d.Options["batch_size"], c.opts["batch_size"]), 1),
		updatable: sqlconn.IsTrue(firstOf(d.Options["updatable"], c.opts["updatable"])),
		useCopy:   sqlconn.IsTrue(firstOf(d.Options["use_copy"], "true")),
		partMin:   int64Option(firstOf(d.Options["partition_threshold"], c.opts["partition_threshold"]), defaultPartitionThreshold)}
	for _, cd := range d.Columns {
		remote := cd.Name
		if v := cd.Options["column_name"]; v != "" {
			remote = v
		}
		t.cols = append(t.cols, sqlgen.ColumnRef{Name: remote, Type: cd.Type})
	}
	if err := t.describe(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// describe checks that the remote table and columns exist, and marks
// blank-padded (char(n)) columns, whose comparisons are not shipped.
func (t *Table) describe(ctx context.Context) error {
	pc, err := t.conn.acquire(ctx)
	if err != nil {
		return err
	}
	defer t.conn.release(pc)
	rows, err := pc.Query(ctx, `SELECT a.attname, t.typname FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_type t ON t.oid = a.atttypid
		WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`, t.remote[0], t.remote[1])
	if err != nil {
		return t.conn.remoteError(ctx, err, "foreign table %s", localName(t.name))
	}
	types := map[string]string{}
	for rows.Next() {
		var col, typ string
		if err := rows.Scan(&col, &typ); err != nil {
			rows.Close()
			return t.conn.remoteError(ctx, err, "foreign table %s", localName(t.name))
		}
		types[col] = typ
	}
	if err := rows.Err(); err != nil {
		return t.conn.remoteError(ctx, err, "foreign table %s", localName(t.name))
	}
	remote, _ := sqlgen.PostgreSQL.QualifiedName(t.remote)
	if len(types) == 0 {
		return sqlerr.New(sqlerr.FDWTableNotFound, "foreign table %s: remote table %s does not exist on server %q",
			localName(t.name), remote, t.conn.server)
	}
	for i := range t.cols {
		typ, ok := types[t.cols[i].Name]
		if !ok {
			return sqlerr.New(sqlerr.FDWColumnNameNotFound, "foreign table %s: column %q does not exist in remote table %s",
				localName(t.name), t.cols[i].Name, remote)
		}
		t.cols[i].Padded = typ == "bpchar"
	}
	return nil
}

// Schema is the declared schema.
func (t *Table) Schema() *arrow.Schema { return t.schema }

// Statistics reads the row estimate from pg_class.reltuples (-1 when the
// table was never analyzed or vacuumed).
func (t *Table) Statistics(ctx context.Context) (connectors.Statistics, error) {
	pc, err := t.conn.acquire(ctx)
	if err != nil {
		return connectors.Statistics{}, err
	}
	defer t.conn.release(pc)
	var n float64
	err = pc.QueryRow(ctx, `SELECT c.reltuples::float8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relname = $2`, t.remote[0], t.remote[1]).Scan(&n)
	if err != nil {
		return connectors.Statistics{}, t.conn.remoteError(ctx, err, "statistics of foreign table %s", localName(t.name))
	}
	if n < 0 {
		return connectors.UnknownStatistics, nil
	}
	st := connectors.Statistics{RowCount: int64(n), Columns: make([]connectors.ColumnStatistics, len(t.cols))}
	for i := range st.Columns {
		st.Columns[i] = connectors.ColumnStatistics{NullCount: -1, DistinctCount: -1}
	}
	t.columnStats(ctx, pc, n, st.Columns)
	return st, nil
}

// columnStats fills distinct and null counts from pg_stats (ANALYZE's
// estimates: n_distinct > 0 is a count, < 0 a fraction of the rows). The
// optimizer uses them for join sizes: a join on a column with few distinct
// values (a nation key) is large. Columns pg_stats does not show (never
// analyzed, or not readable by the remote user) stay unknown.
func (t *Table) columnStats(ctx context.Context, pc *pgx.Conn, rows float64, out []connectors.ColumnStatistics) {
	r, err := pc.Query(ctx, `SELECT attname::text, n_distinct::float8, null_frac::float8 FROM pg_stats
		WHERE schemaname = $1 AND tablename = $2`, t.remote[0], t.remote[1])
	if err != nil {
		return
	}
	defer r.Close()
	idx := map[string]int{}
	for i, c := range t.cols {
		idx[c.Name] = i
	}
	for r.Next() {
		var name string
		var nd, nulls float64
		if r.Scan(&name, &nd, &nulls) != nil {
			return
		}
		i, ok := idx[name]
		if !ok {
			continue
		}
		if nd < 0 {
			nd = -nd * rows
		}
		out[i].DistinctCount = int64(nd + 0.5)
		out[i].NullCount = int64(nulls*rows + 0.5)
	}
}

// Scan deparses the request into one remote SELECT (see sqlgen for what is
// shipped). A large table may be read as several ctid ranges in parallel
// (partition.go).
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
	parts, notes, err := t.partitions(ctx, req, res.SQL, out)
	if err != nil {
		return nil, err
	}
	explain = append(explain, notes...)
	return &connectors.ScanPlan{
		Schema: out, FilterSupport: res.Support, LimitApplied: res.LimitApplied, Ordered: res.Ordered,
		Partitions: parts,
		Explain:    explain,
	}, nil
}
