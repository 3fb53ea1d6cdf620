package sqlite

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

// dialect is sqlgen's SQLite dialect as this wrapper stores values: dates
// as ISO text (compared as text), times and timestamps not shipped (their
// text forms vary: "12:00" and "12:00:00.000" are the same time).
var dialect = sqlgen.SQLite

// unshippable is the type given to sqlgen for a column whose remote
// comparisons could differ from the engine's; sqlgen then ships no filter
// or ordering on it (it answers "type not comparable remotely").
var unshippable arrow.DataType = arrow.Null

// shippable reports whether SQLite compares the column's values as the
// engine compares the declared type: numbers in a column of numeric
// affinity, strings in one of TEXT affinity (BINARY collation, memcmp),
// blobs in one of BLOB affinity, dates stored as ISO text.
func (c column) shippable() bool {
	switch c.typ.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32,
		arrow.FLOAT64, arrow.DECIMAL128, arrow.BOOL:
		return c.affinity == affInteger || c.affinity == affReal || c.affinity == affNumeric
	case arrow.STRING:
		return c.affinity == affText
	case arrow.BINARY:
		return c.affinity == affBlob
	case arrow.DATE32:
		return !c.unix && (c.affinity == affText || c.affinity == affNumeric)
	}
	return false
}

// columnRefs describes the table's columns to sqlgen.
func (t *Table) columnRefs() []sqlgen.ColumnRef {
	refs := make([]sqlgen.ColumnRef, len(t.cols))
	for i, c := range t.cols {
		refs[i] = sqlgen.ColumnRef{Name: c.remote, Type: c.typ}
		if !c.shippable() {
			refs[i].Type = unshippable
		}
	}
	return refs
}

// deparseSelect renders the remote SELECT of a scan request with sqlgen:
// its WHERE, ORDER BY and LIMIT, under this wrapper's own select list;
// res is sqlgen's answer for the filters, the limit and the ordering.
func (t *Table) deparseSelect(req connectors.ScanRequest) (sql string, res sqlgen.Result, err error) {
	res, err = sqlgen.Select(dialect, sqlgen.Query{
		Table:   []string{t.remote},
		Columns: t.columnRefs(),
		Filters: req.Filters,
		Limit:   req.Limit,
		Order:   req.Order,
	})
	if err != nil {
		return "", res, sqlerr.Wrap(err, sqlerr.FDWUnableToCreateExecution, "foreign table %q", tableName(t.name))
	}
	const prefix = "SELECT NULL FROM "
	if !strings.HasPrefix(res.SQL, prefix) {
		return "", res, sqlerr.New(sqlerr.InternalError, "foreign table %q: unexpected remote SQL %q", tableName(t.name), res.SQL)
	}
	return "SELECT " + t.selectList(req.Columns) + " FROM " + res.SQL[len(prefix):], res, nil
}

// selectList renders the columns of a SELECT: NULL when none are wanted
// (only the row count matters). A column declared DATE, DATETIME or
// TIMESTAMP is read as +"col": the driver would parse such text into a
// time.Time, hiding its exact form from the strict conversion.
func (t *Table) selectList(cols []int) string {
	if len(cols) == 0 {
		return "NULL"
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = quoteIdent(t.cols[c].remote)
		switch strings.ToUpper(strings.TrimSpace(t.cols[c].decl)) {
		case "DATE", "DATETIME", "TIMESTAMP":
			parts[i] = "+" + parts[i]
		}
	}
	return strings.Join(parts, ", ")
}
