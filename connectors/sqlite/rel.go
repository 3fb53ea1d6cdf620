package sqlite

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

// relTables finds the remote tables of rel's reads among tables; only
// tables of c qualify.
func (c *Conn) relTables(tables map[string]connectors.Table) func([]string) (sqlgen.RelTable, bool) {
	return func(names []string) (sqlgen.RelTable, bool) {
		t, ok := tables[strings.Join(names, ".")]
		if !ok {
			return sqlgen.RelTable{}, false
		}
		st, ok := connectors.Underlying(t).(*Table)
		if !ok || st.conn != c {
			return sqlgen.RelTable{}, false
		}
		return sqlgen.RelTable{Remote: []string{st.remote}, Columns: st.relColumnRefs()}, true
	}
}

// CanExecute reports whether rel deparses into remote SQL with the
// engine's meaning; the reason names what is not shippable.
func (c *Conn) CanExecute(rel plan.Rel, tables map[string]connectors.Table) (bool, string) {
	q, err := sqlgen.Rel(relDialect, rel, c.relTables(tables))
	if err != nil {
		return false, err.Error()
	}
	if _, err := resultColumns(q.Types); err != nil {
		return false, err.Error()
	}
	return true, ""
}

// ExecuteRel plans rel as one remote SELECT read as one partition.
func (c *Conn) ExecuteRel(ctx context.Context, rel plan.Rel, tables map[string]connectors.Table) (*connectors.ScanPlan, error) {
	q, err := sqlgen.Rel(relDialect, rel, c.relTables(tables))
	if err != nil {
		var u *sqlgen.Unshippable
		if errors.As(err, &u) {
			return nil, sqlerr.New(sqlerr.FDWError, "database %q: relation not shippable: %s", c.path, u.Reason)
		}
		return nil, sqlerr.New(sqlerr.FDWError, "database %q: %v", c.path, err)
	}
	cols, err := resultColumns(q.Types)
	if err != nil {
		return nil, sqlerr.New(sqlerr.FDWError, "database %q: %v", c.path, err)
	}
	fields := make([]arrow.Field, len(cols))
	for i, col := range cols {
		fields[i] = arrow.Field{Name: col.name, Type: col.typ, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	var names []string
	for k, t := range tables {
		if st, ok := connectors.Underlying(t).(*Table); ok && st.conn == c {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	// The partition reads through a Table value that names the query's
	// tables in errors.
	qt := &Table{conn: c, name: []string{fmt.Sprintf("(query of %s in %q)", strings.Join(names, ", "), c.path)}}
	return &connectors.ScanPlan{
		Schema:     schema,
		Partitions: []connectors.Partition{&partition{t: qt, sql: q.SQL, cols: cols, schema: schema}},
		Explain:    []string{"Remote SQL: " + q.SQL},
	}, nil
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
