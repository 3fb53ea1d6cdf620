package mysql

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

// rel is the Conn's side of whole-subtree pushdown. Only tables of c
// qualify. A column whose remote comparisons could differ from the
// engine's (a string in another character set) has no type for sqlgen,
// which then ships no comparison, grouping or ordering of it. The
// partition reads through a Table value that names the query's tables in
// errors.
func (c *Conn) rel() sqlconn.Rel {
	return sqlconn.Rel{
		Dialect: relDialect,
		Server:  fmt.Sprintf("server %q", c.server),
		Where:   fmt.Sprintf("on server %q", c.server),
		Table: func(t connectors.Table) (sqlgen.RelTable, bool) {
			mt, ok := t.(*Table)
			if !ok || mt.conn != c {
				return sqlgen.RelTable{}, false
			}
			return sqlgen.RelTable{Remote: []string{mt.db, mt.remote}, Columns: mt.columnRefs()}, true
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
