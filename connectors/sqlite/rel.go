package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/plan"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
)

// Whole-subtree pushdown: joins, aggregates, filters, projections, sorts
// and limits over tables of one Conn (one database file) are deparsed by
// sqlgen.Rel into one remote SELECT.
//
// The relation dialect is the scan dialect (strings compared, grouped,
// ordered and made DISTINCT with COLLATE BINARY, overriding a column's
// NOCASE; LIKE as GLOB; NULLS FIRST/LAST written out; integer division
// truncating as the engine's) made more careful: SQLite's division and
// modulus by zero give NULL where the engine fails, and an integer
// overflow turns into a REAL where the engine fails, so integer +, -, *
// are not shipped and division only by a constant. Output columns are not
// CAST remotely (CAST(... AS INTEGER) clips out-of-range REALs silently):
// the reader converts each value strictly into the plan's type.
var relDialect = sqlgen.RelDialect(dialect, sqlgen.RelOptions{
	DivZeroNull:     true,
	IntOverflowReal: true,
	ResultCast:      func(string, int32, int32) string { return "" },
})

var (
	_ connectors.RelExecutor = (*Conn)(nil)
	_ connectors.ConnTable   = (*Table)(nil)
)

// Conn returns the connection the table belongs to.
func (t *Table) Conn() connectors.Conn { return t.conn }

// relColumnRefs are the table's columns for sqlgen.Rel: those of scans,
// except that a column declared DATE, DATETIME or TIMESTAMP has no type
// (the driver would parse its text into a time.Time when the column is
// read through a subquery, hiding its exact form), so no relation reading
// it is shipped.
func (t *Table) relColumnRefs() []sqlgen.ColumnRef {
	refs := t.columnRefs()
	for i, c := range t.cols {
		switch strings.ToUpper(strings.TrimSpace(c.decl)) {
		case "DATE", "DATETIME", "TIMESTAMP":
			refs[i].Type = unshippable
		}
	}
	return refs
}

// rel is the Conn's side of whole-subtree pushdown; only tables of c
// qualify. The partition reads through a Table value that names the
// query's tables in errors.
func (c *Conn) rel() sqlconn.Rel {
	return sqlconn.Rel{
		Dialect: relDialect,
		Server:  fmt.Sprintf("database %q", c.path),
		Where:   fmt.Sprintf("in %q", c.path),
		Table: func(t connectors.Table) (sqlgen.RelTable, bool) {
			st, ok := t.(*Table)
			if !ok || st.conn != c {
				return sqlgen.RelTable{}, false
			}
			return sqlgen.RelTable{Remote: []string{st.remote}, Columns: st.relColumnRefs()}, true
		},
		Partition: func(table string, _ []connectors.Table, q sqlgen.RelQuery, schema *arrow.Schema) (connectors.Partition, error) {
			cols, err := resultColumns(q.Types)
			if err != nil {
				return nil, err
			}
			return &partition{t: &Table{conn: c, name: []string{table}}, sql: q.SQL, cols: cols, schema: schema}, nil
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

// resultColumns are the reader's columns of a remote query's result, each
// converted strictly into the plan's type from whatever storage class
// SQLite returns for it.
func resultColumns(ts []arrow.DataType) ([]column, error) {
	cols := make([]column, len(ts))
	for i, t := range ts {
		name := fmt.Sprintf("c%d", i)
		conv := converterFor(t, false)
		if conv == nil {
			return nil, fmt.Errorf("a result column of type %s is not readable by the sqlite wrapper", t)
		}
		cols[i] = column{name: name, remote: name, typ: t, nullable: true, conv: conv}
	}
	return cols, nil
}
