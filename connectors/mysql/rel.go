package mysql

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
// and limits over tables of one Conn (one server and account) are
// deparsed by sqlgen.Rel into one remote SELECT.
//
// The relation dialect is the scan dialect (strings compared, grouped,
// ordered and made DISTINCT by byte with CAST(... AS BINARY), as the
// default collations ignore case and trailing spaces) made more careful:
// MySQL has no FULL JOIN; its division and modulus by zero give NULL
// where the engine fails; it computes integer arithmetic in 64 bits, so
// that a 32-bit overflow the engine reports gives a value remotely. Output
// columns are not CAST remotely: CAST(... AS SIGNED) and AS DECIMAL clip
// out-of-range values silently; the reader converts each value into the
// plan's type and reports an out-of-range one (22003) instead.
var relDialect = sqlgen.RelDialect(dialect, sqlgen.RelOptions{
	NoFullJoin:   true,
	DivZeroNull:  true,
	WideIntArith: true,
	ResultCast:   func(string, int32, int32) string { return "" },
})

var (
	_ connectors.RelExecutor = (*Conn)(nil)
	_ connectors.ConnTable   = (*Table)(nil)
)

// Conn returns the connection the table belongs to.
func (t *Table) Conn() connectors.Conn { return t.conn }

// relTables finds the remote tables of rel's reads among tables; only
// tables of c qualify. A column whose remote comparisons could differ
// from the engine's (a string in another character set) has no type for
// sqlgen, which then ships no comparison, grouping or ordering of it.
func (c *Conn) relTables(tables map[string]connectors.Table) func([]string) (sqlgen.RelTable, bool) {
	return func(names []string) (sqlgen.RelTable, bool) {
		t, ok := tables[strings.Join(names, ".")]
		if !ok {
			return sqlgen.RelTable{}, false
		}
		mt, ok := connectors.Underlying(t).(*Table)
		if !ok || mt.conn != c {
			return sqlgen.RelTable{}, false
		}
		return sqlgen.RelTable{Remote: []string{mt.db, mt.remote}, Columns: mt.columnRefs()}, true
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
			return nil, sqlerr.New(sqlerr.FDWError, "server %q: relation not shippable: %s", c.server, u.Reason)
		}
		return nil, sqlerr.New(sqlerr.FDWError, "server %q: %v", c.server, err)
	}
	cols, err := resultColumns(q.Types)
	if err != nil {
		return nil, sqlerr.New(sqlerr.FDWError, "server %q: %v", c.server, err)
	}
	fields := make([]arrow.Field, len(cols))
	for i, col := range cols {
		fields[i] = arrow.Field{Name: col.name, Type: col.typ, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	var names []string
	for k, t := range tables {
		if mt, ok := connectors.Underlying(t).(*Table); ok && mt.conn == c {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	// The partition reads through a Table value that names the query's
	// tables in errors.
	qt := &Table{conn: c, name: []string{fmt.Sprintf("(query of %s on server %q)", strings.Join(names, ", "), c.server)}}
	return &connectors.ScanPlan{
		Schema:     schema,
		Partitions: []connectors.Partition{&partition{t: qt, sql: q.SQL, cols: cols, schema: schema}},
		Explain:    []string{"Remote SQL: " + q.SQL},
	}, nil
}

// resultColumns are the reader's columns of a remote query's result: each
// is read strictly into the plan's type from whatever MySQL returns for
// it (BIGINT or DECIMAL text for integers, DOUBLE, DECIMAL text, strings
// and binary strings as bytes, 0/1 for booleans, dates as text).
func resultColumns(ts []arrow.DataType) ([]column, error) {
	cols := make([]column, len(ts))
	for i, t := range ts {
		rc := remoteColumn{name: fmt.Sprintf("c%d", i)}
		switch t.ID() {
		case arrow.BOOL:
			rc.dataType = "tinyint"
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
			rc.dataType = "bigint"
		case arrow.FLOAT32, arrow.FLOAT64:
			rc.dataType = "double"
		case arrow.DECIMAL128:
			rc.dataType = "decimal"
		case arrow.STRING:
			rc.dataType = "varchar"
		case arrow.BINARY:
			rc.dataType = "varbinary"
		case arrow.DATE32:
			rc.dataType = "date"
		case arrow.TIMESTAMP:
			rc.dataType = "datetime"
		case arrow.TIME32, arrow.TIME64:
			rc.dataType = "time"
		default:
			return nil, fmt.Errorf("a result column of type %s is not readable by the mysql wrapper", t)
		}
		rc.colType = rc.dataType
		conv, raw, err := converterFor(t, rc)
		if err != nil {
			return nil, err
		}
		cols[i] = column{name: rc.name, typ: t, nullable: true, remote: rc, conv: conv, raw: raw}
	}
	return cols, nil
}
