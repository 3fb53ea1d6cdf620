package postgres

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/plan"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
)

// Whole-subtree pushdown: joins, aggregates, filters, projections, sorts
// and limits over tables of one Conn (one server and user mapping) are
// deparsed by sqlgen.Rel into one remote SELECT (postgres_fdw's
// deparse.c for joins and upper relations).

var (
	_ connectors.RelExecutor = (*Conn)(nil)
	_ connectors.ConnTable   = (*Table)(nil)
)

// Conn returns the connection the table belongs to.
func (t *Table) Conn() connectors.Conn { return t.conn }

// rel is the Conn's side of whole-subtree pushdown; only tables of c
// qualify. The partition reads through a Table value that names the
// query's tables in errors and takes the largest fetch_size among them.
func (c *Conn) rel() sqlconn.Rel {
	return sqlconn.Rel{
		Dialect: sqlgen.PostgreSQL,
		Server:  fmt.Sprintf("server %q", c.server),
		Where:   fmt.Sprintf("on server %q", c.server),
		Table: func(t connectors.Table) (sqlgen.RelTable, bool) {
			pt, ok := t.(*Table)
			if !ok || pt.conn != c {
				return sqlgen.RelTable{}, false
			}
			return sqlgen.RelTable{Remote: pt.remote, Columns: pt.cols}, true
		},
		Partition: func(table string, tables []connectors.Table, q sqlgen.RelQuery, schema *arrow.Schema) (connectors.Partition, error) {
			fetch := 0
			for _, t := range tables {
				fetch = max(fetch, t.(*Table).fetchSize)
			}
			if fetch <= 0 {
				fetch = intOption(c.opts["fetch_size"], 10000)
			}
			return &partition{t: &Table{conn: c, name: []string{table}, fetchSize: fetch}, sql: q.SQL, schema: schema}, nil
		},
	}
}

// CanExecute reports whether rel deparses into remote SQL with the
// engine's meaning; the reason names what is not shippable.
func (c *Conn) CanExecute(rel plan.Rel, tables map[string]connectors.Table) (bool, string) {
	return c.rel().CanExecute(rel, tables)
}

// ExecuteRel plans rel as one remote SELECT read as one partition.
func (c *Conn) ExecuteRel(ctx context.Context, rel plan.Rel, tables map[string]connectors.Table) (*connectors.ScanPlan, error) {
	return c.rel().ExecuteRel(ctx, rel, tables)
}
