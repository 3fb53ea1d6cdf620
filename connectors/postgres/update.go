package postgres

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

var (
	_ connectors.Updater = (*Table)(nil)
	_ connectors.Deleter = (*Table)(nil)
)

// Update runs one remote UPDATE ... SET ... [WHERE ...] in its own
// transaction, as postgres_fdw's direct modification does. Every SET value
// and the WHERE must be shippable (sqlgen); if one is not, nothing is sent
// and the error (0A000) names the clause and the reason.
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

func (t *Table) updateSQL(set map[int]expr.Expression, where expr.Expression) (string, error) {
	if err := t.checkUpdatable("UPDATE"); err != nil {
		return "", err
	}
	if len(set) == 0 {
		return "", sqlerr.New(sqlerr.InternalError, "UPDATE of %s without SET", localName(t.name))
	}
	idx := make([]int, 0, len(set))
	for i := range set {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	parts := make([]string, len(idx))
	for k, i := range idx {
		if i < 0 || i >= len(t.cols) {
			return "", sqlerr.New(sqlerr.InternalError, "UPDATE of %s: no column %d", localName(t.name), i)
		}
		col, err := sqlgen.PostgreSQL.QuoteIdent(t.cols[i].Name)
		if err != nil {
			return "", sqlerr.New(sqlerr.InvalidName, "%v", err)
		}
		v, err := sqlgen.Expr(sqlgen.PostgreSQL, t.cols, set[i])
		if err != nil {
			return "", t.notShippable("UPDATE", "SET "+t.schema.Field(i).Name, err)
		}
		parts[k] = col + " = " + v
	}
	w, err := t.whereSQL("UPDATE", where)
	if err != nil {
		return "", err
	}
	table, err := sqlgen.PostgreSQL.QualifiedName(t.remote)
	if err != nil {
		return "", sqlerr.New(sqlerr.InvalidName, "%v", err)
	}
	return "UPDATE " + table + " SET " + strings.Join(parts, ", ") + w, nil
}

func (t *Table) deleteSQL(where expr.Expression) (string, error) {
	if err := t.checkUpdatable("DELETE from"); err != nil {
		return "", err
	}
	w, err := t.whereSQL("DELETE", where)
	if err != nil {
		return "", err
	}
	table, err := sqlgen.PostgreSQL.QualifiedName(t.remote)
	if err != nil {
		return "", sqlerr.New(sqlerr.InvalidName, "%v", err)
	}
	return "DELETE FROM " + table + w, nil
}

// whereSQL is " WHERE cond", or "" for no condition.
func (t *Table) whereSQL(op string, where expr.Expression) (string, error) {
	if where == nil {
		return "", nil
	}
	w, err := sqlgen.Where(sqlgen.PostgreSQL, t.cols, where)
	if err != nil {
		return "", t.notShippable(op, "WHERE", err)
	}
	return " WHERE " + w, nil
}

// notShippable is the error of a clause that cannot be sent to the server.
func (t *Table) notShippable(op, clause string, err error) error {
	var u *sqlgen.Unshippable
	if errors.As(err, &u) {
		return sqlerr.New(sqlerr.FeatureNotSupported, "%s of foreign table %s: the %s clause cannot be sent to the server: %s",
			op, localName(t.name), clause, u.Reason).
			WithHint("UPDATE and DELETE of a PostgreSQL table run at the server; rewrite the clause with expressions it can evaluate.")
	}
	return sqlerr.Wrap(err, sqlerr.FeatureNotSupported, "%s of foreign table %s: the %s clause", op, localName(t.name), clause)
}

// modify runs one data-modifying statement in a remote transaction and
// returns the number of rows it touched.
func (t *Table) modify(ctx context.Context, op, q string) (int64, error) {
	pc, err := t.conn.acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer t.conn.release(pc)
	tx, err := pc.Begin(ctx)
	if err != nil {
		return 0, t.conn.remoteError(ctx, err, "%s of %s", op, localName(t.name))
	}
	defer tx.Rollback(context.Background()) // a no-op after Commit
	tag, err := tx.Exec(ctx, q)
	if err != nil {
		return 0, t.conn.remoteError(ctx, err, "%s of %s", op, localName(t.name))
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, t.conn.remoteError(ctx, err, "%s of %s (commit)", op, localName(t.name))
	}
	return tag.RowsAffected(), nil
}
