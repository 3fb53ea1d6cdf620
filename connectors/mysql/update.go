package mysql

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
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

// updateSQL renders the UPDATE; simultaneous reports that a SET value
// reads a column assigned before it.
func (t *Table) updateSQL(set map[int]expr.Expression, where expr.Expression) (q string, simultaneous bool, err error) {
	name := tableName(t.name)
	if !t.updatable {
		return "", false, t.notUpdatable()
	}
	if len(set) == 0 {
		return "", false, sqlerr.New(sqlerr.InternalError, "UPDATE of %q without SET", name)
	}
	idx := make([]int, 0, len(set))
	for i := range set {
		if i < 0 || i >= len(t.cols) {
			return "", false, sqlerr.New(sqlerr.InternalError, "UPDATE of %q: no column %d", name, i)
		}
		idx = append(idx, i)
	}
	sort.Ints(idx)
	refs := t.columnRefs()
	assigned := map[int]bool{}
	parts := make([]string, len(idx))
	for k, i := range idx {
		v, err := sqlgen.Expr(dialect, refs, set[i])
		if err != nil {
			return "", false, t.notShippable("UPDATE", "SET "+t.cols[i].name, err)
		}
		for c := range fieldsOf(set[i]) {
			if c != i && assigned[c] {
				simultaneous = true
			}
		}
		assigned[i] = true
		parts[k] = quoteIdent(t.cols[i].remote.name) + " = " + v
	}
	w, err := t.whereSQL("UPDATE", where)
	if err != nil {
		return "", false, err
	}
	return "UPDATE " + t.qualified() + " SET " + strings.Join(parts, ", ") + w, simultaneous, nil
}

func (t *Table) deleteSQL(where expr.Expression) (string, error) {
	if !t.updatable {
		return "", t.notUpdatable()
	}
	w, err := t.whereSQL("DELETE", where)
	if err != nil {
		return "", err
	}
	return "DELETE FROM " + t.qualified() + w, nil
}

// whereSQL is " WHERE cond", or "" for no condition.
func (t *Table) whereSQL(op string, where expr.Expression) (string, error) {
	if where == nil {
		return "", nil
	}
	w, err := sqlgen.Where(dialect, t.columnRefs(), where)
	if err != nil {
		return "", t.notShippable(op, "WHERE", err)
	}
	return " WHERE " + w, nil
}

// notShippable is the error of a clause that cannot be sent to the server.
func (t *Table) notShippable(op, clause string, err error) error {
	var u *sqlgen.Unshippable
	if errors.As(err, &u) {
		return sqlerr.New(sqlerr.FeatureNotSupported, "%s of foreign table %q: the %s clause cannot be sent to the server: %s",
			op, tableName(t.name), clause, u.Reason).
			WithHint("UPDATE and DELETE of a MySQL table run at the server; rewrite the clause with expressions it evaluates as Medley does.")
	}
	return sqlerr.Wrap(err, sqlerr.FeatureNotSupported, "%s of foreign table %q: the %s clause", op, tableName(t.name), clause)
}

// fieldsOf is the set of columns e references.
func fieldsOf(e expr.Expression) map[int]bool {
	out := map[int]bool{}
	var visit expr.VisitFunc
	visit = func(x expr.Expression) expr.Expression {
		if f, ok := x.(*expr.FieldReference); ok && f.Root == expr.RootReference {
			if s, ok := f.Reference.(*expr.StructFieldRef); ok {
				out[int(s.Field)] = true
			}
		}
		return x.Visit(visit)
	}
	if e != nil {
		visit(e)
	}
	return out
}

// modify runs one data-modifying statement in a remote transaction, with
// STRICT_ALL_TABLES added to the session's sql_mode so that a value the
// column cannot hold fails instead of being truncated, and returns the
// number of rows it matched. Cancelling ctx sends KILL QUERY, as scans do;
// the transaction is then rolled back.
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
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, t.conn.queryError(ctx, err, name, "BEGIN")
	}
	res, err := tx.ExecContext(ctx, q)
	if err != nil {
		_ = tx.Rollback()
		return 0, t.conn.queryError(ctx, err, name, "%s", op)
	}
	n, err := res.RowsAffected()
	if err != nil {
		_ = tx.Rollback()
		return 0, t.conn.queryError(ctx, err, name, "%s", op)
	}
	if err := tx.Commit(); err != nil {
		return 0, t.conn.queryError(ctx, err, name, "%s (COMMIT)", op)
	}
	return n, nil
}
