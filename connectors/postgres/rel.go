package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/plan"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
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

// relTables finds the remote tables of rel's reads among tables; only
// tables of c qualify.
func (c *Conn) relTables(tables map[string]connectors.Table) func([]string) (sqlgen.RelTable, bool) {
	return func(names []string) (sqlgen.RelTable, bool) {
		t, ok := tables[strings.Join(names, ".")]
		if !ok {
			return sqlgen.RelTable{}, false
		}
		pt, ok := connectors.Underlying(t).(*Table)
		if !ok || pt.conn != c {
			return sqlgen.RelTable{}, false
		}
		return sqlgen.RelTable{Remote: pt.remote, Columns: pt.cols}, true
	}
}

// CanExecute reports whether rel deparses into remote SQL with the
// engine's meaning; the reason names what is not shippable.
func (c *Conn) CanExecute(rel plan.Rel, tables map[string]connectors.Table) (bool, string) {
	if _, err := sqlgen.Rel(sqlgen.PostgreSQL, rel, c.relTables(tables)); err != nil {
		return false, err.Error()
	}
	return true, ""
}

// ExecuteRel plans rel as one remote SELECT read as one partition.
func (c *Conn) ExecuteRel(ctx context.Context, rel plan.Rel, tables map[string]connectors.Table) (*connectors.ScanPlan, error) {
	q, err := sqlgen.Rel(sqlgen.PostgreSQL, rel, c.relTables(tables))
	if err != nil {
		var u *sqlgen.Unshippable
		if errors.As(err, &u) {
			return nil, sqlerr.New(sqlerr.FDWError, "server %q: relation not shippable: %s", c.server, u.Reason)
		}
		return nil, sqlerr.New(sqlerr.FDWError, "server %q: %v", c.server, err)
	}
	fields := make([]arrow.Field, len(q.Types))
	for i, t := range q.Types {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: t, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	// The partition reads through a Table value that names the query's
	// tables in errors and takes the largest fetch_size among them.
	var names []string
	fetch := 0
	for k, t := range tables {
		if pt, ok := connectors.Underlying(t).(*Table); ok && pt.conn == c {
			names = append(names, k)
			fetch = max(fetch, pt.fetchSize)
		}
	}
	sort.Strings(names)
	if fetch <= 0 {
		fetch = intOption(c.opts["fetch_size"], 10000)
	}
	qt := &Table{conn: c, name: []string{fmt.Sprintf("(query of %s on server %q)", strings.Join(names, ", "), c.server)}, fetchSize: fetch}
	return &connectors.ScanPlan{
		Schema:     schema,
		Partitions: []connectors.Partition{&partition{t: qt, sql: q.SQL, schema: schema}},
		Explain:    []string{"Remote SQL: " + q.SQL},
	}, nil
}
