package mysql

import (
	"context"
	"errors"
	"sort"

	"github.com/go-sql-driver/mysql"
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
// and the WHERE must be shippable (sqlgen's MySQL dialect); if one is not,
// nothing is sent and the error (0A000) names the clause and the reason.
//
// MySQL assigns SET values from left to right, each seeing the ones before
// it; SQL (and the engine) evaluates every value over the old row. When a
// value reads a column assigned before it, the statement runs with
// MariaDB's SIMULTANEOUS_ASSIGNMENT sql_mode; a server without that mode
// (MySQL) refuses the UPDATE with 0A000. The count is of the rows the WHERE
// matched (CLIENT_FOUND_ROWS), changed or not, as PostgreSQL counts.
func (t *Table) Update(ctx context.Context, set map[int]expr.Expression, where expr.Expression) (int64, error) {
	q, simultaneous, err := t.updateSQL(set, where)
	if err != nil {
		return 0, err
	}
	return t.modify(ctx, "UPDATE", q, simultaneous)
}

// Delete runs one remote DELETE FROM ... [WHERE ...] in its own transaction.
func (t *Table) Delete(ctx context.Context, where expr.Expression) (int64, error) {
	q, err := t.deleteSQL(where)
	if err != nil {
		return 0, err
	}
	return t.modify(ctx, "DELETE", q, false)
}

// notUpdatable is the error of a write to a table declared read-only.
func (t *Table) notUpdatable() error {
	return sqlerr.New(sqlerr.ReadOnlyTransaction, "foreign table %q is not updatable (option updatable 'false')", tableName(t.name))
}

// modifier renders the table's UPDATE and DELETE statements.
func (t *Table) modifier() sqlconn.Modify {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	return sqlconn.Modify{
		Dialect: dialect, Table: tableName(t.name), Remote: t.qualified(), Columns: t.columnRefs(), Names: names, Quote: quoteIdent,
		Server: "the server",
		Hint:   "UPDATE and DELETE of a MySQL table run at the server; rewrite the clause with expressions it evaluates as Medley does.",
	}
}

// updateSQL renders the UPDATE; simultaneous reports that a SET value
// reads a column assigned before it.
func (t *Table) updateSQL(set map[int]expr.Expression, where expr.Expression) (q string, simultaneous bool, err error) {
	if !t.updatable {
		return "", false, t.notUpdatable()
	}
	if q, err = t.modifier().UpdateSQL(set, where); err != nil {
		return "", false, err
	}
	idx := make([]int, 0, len(set))
	for i := range set {
		idx = append(idx, i)
	}
	sort.Ints(idx) // the order of the SET list
	assigned := map[int]bool{}
	for _, i := range idx {
		for c := range sqlconn.FieldsOf(set[i]) {
			if c != i && assigned[c] {
				simultaneous = true
			}
		}
		assigned[i] = true
	}
	return q, simultaneous, nil
}

func (t *Table) deleteSQL(where expr.Expression) (string, error) {
	if !t.updatable {
		return "", t.notUpdatable()
	}
	return t.modifier().DeleteSQL(where)
}

// modify runs one data-modifying statement in a remote transaction
// (sqlconn.Exec), with STRICT_ALL_TABLES added to the session's sql_mode
// so that a value the column cannot hold fails instead of being truncated,
// and returns the number of rows it matched. Cancelling ctx sends KILL
// QUERY, as scans do; the transaction is then rolled back.
func (t *Table) modify(ctx context.Context, op, q string, simultaneous bool) (int64, error) {
	name := tableName(t.name)
	if err := ctx.Err(); err != nil {
		return 0, sqlconn.Canceled(err, name)
	}
	conn, err := t.conn.db.Conn(ctx)
	if err != nil {
		return 0, t.conn.queryError(ctx, err, name, "connecting")
	}
	defer conn.Close()
	var mode string
	var id int64
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode, CONNECTION_ID()").Scan(&mode, &id); err != nil {
		return 0, t.conn.queryError(ctx, err, name, "%s", op)
	}
	add := ",STRICT_ALL_TABLES"
	if simultaneous {
		add += ",SIMULTANEOUS_ASSIGNMENT"
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, '"+add+"')"); err != nil {
		var me *mysql.MySQLError
		if simultaneous && errors.As(err, &me) && me.Number == 1231 {
			return 0, sqlerr.New(sqlerr.FeatureNotSupported,
				"UPDATE of foreign table %q: a SET value reads a column the same UPDATE assigns, and the server assigns from left to right", name).
				WithHint("MariaDB 10.3 and later evaluate such UPDATEs as SQL does (SIMULTANEOUS_ASSIGNMENT); with MySQL, split the UPDATE.")
		}
		return 0, t.conn.queryError(ctx, err, name, "%s", op)
	}
	defer conn.ExecContext(context.Background(), "SET SESSION sql_mode = ?", mode) //nolint:errcheck // the connection is closed anyway on error

	stop := t.conn.killOnCancel(ctx, id)
	defer stop()
	return sqlconn.Exec(ctx, conn, name, op, q, t.conn.queryError)
}
