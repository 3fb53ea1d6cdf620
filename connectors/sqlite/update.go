package sqlite

import (
	"context"

	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/sql/sqlerr"
)

var (
	_ connectors.Updater = (*Table)(nil)
	_ connectors.Deleter = (*Table)(nil)
)

// Update runs one remote UPDATE ... SET ... [WHERE ...] in its own
// transaction, as postgres_fdw's direct modification does. Every SET value
// and the WHERE must be shippable (sqlgen's SQLite dialect, over the
// columns as this wrapper stores them); if one is not, nothing is run and
// the error (0A000) names the clause and the reason. SQLite evaluates every
// SET value over the old row, as SQL does, and counts the rows the WHERE
// matched.
func (t *Table) Update(ctx context.Context, set map[int]expr.Expression, where expr.Expression) (int64, error) {
	q, err := t.updateSQL(set, where)
	if err != nil {
		return 0, err
	}
	return t.modify(ctx, "UPDATE", q)
}

// Delete runs one remote DELETE FROM ... [WHERE ...] in its own transaction.
func (t *Table) Delete(ctx context.Context, where expr.Expression) (int64, error) {
	q, err := t.deleteSQL(where)
	if err != nil {
		return 0, err
	}
	return t.modify(ctx, "DELETE", q)
}

func (t *Table) notUpdatable() error {
	return sqlerr.New(sqlerr.ReadOnlyTransaction, "foreign table %q is not updatable (updatable 'false' or force_readonly)", tableName(t.name))
}

// modifier renders the table's UPDATE and DELETE statements; a SET value
// must pass setReason.
func (t *Table) modifier() sqlconn.Modify {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	return sqlconn.Modify{
		Dialect: dialect, Table: tableName(t.name), Remote: quoteIdent(t.remote), Columns: t.columnRefs(), Names: names, Quote: quoteIdent,
		Server: "SQLite",
		Hint:   "UPDATE and DELETE of a SQLite table run in SQLite; rewrite the clause with expressions it evaluates as Medley does.",
		Check:  t.setReason,
	}
}

func (t *Table) updateSQL(set map[int]expr.Expression, where expr.Expression) (string, error) {
	if !t.updatable {
		return "", t.notUpdatable()
	}
	return t.modifier().UpdateSQL(set, where)
}

// setReason says why the value v cannot be assigned to column i remotely
// ("" if it can): the value must be written as Insert writes it, so
// columns whose stored form is not the form of sqlgen's literals (dates
// and times as Unix seconds, times and timestamps as text) take only
// NULL, and a value may read only columns SQLite holds as the engine
// does.
func (t *Table) setReason(i int, v expr.Expression) string {
	c := t.cols[i]
	if isNullLiteral(v) {
		return ""
	}
	if c.unix {
		return "column " + c.name + " stores its values as Unix seconds (column_type 'INT'); only NULL can be assigned remotely"
	}
	for j := range sqlconn.FieldsOf(v) {
		if j >= 0 && j < len(t.cols) && !t.cols[j].shippable() {
			return "column " + t.cols[j].name + " is not stored in a form SQLite computes with as Medley does"
		}
	}
	return ""
}

// isNullLiteral reports whether e is a NULL literal.
func isNullLiteral(e expr.Expression) bool {
	_, ok := e.(*expr.NullLiteral)
	return ok
}

func (t *Table) deleteSQL(where expr.Expression) (string, error) {
	if !t.updatable {
		return "", t.notUpdatable()
	}
	return t.modifier().DeleteSQL(where)
}

// modify runs one data-modifying statement in a transaction (sqlconn.Exec)
// and returns the number of rows it matched. Cancelling ctx interrupts the
// statement and rolls the transaction back.
func (t *Table) modify(ctx context.Context, op, q string) (int64, error) {
	name := tableName(t.name)
	if err := ctx.Err(); err != nil {
		return 0, sqlconn.Canceled(err, name)
	}
	return sqlconn.Exec(ctx, t.conn.db, name, op, q, t.conn.queryError)
}
