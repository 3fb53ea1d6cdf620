package sqlite

import (
	"context"
	"errors"
	"sort"
	"strings"

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

func (t *Table) updateSQL(set map[int]expr.Expression, where expr.Expression) (string, error) {
	name := tableName(t.name)
	if !t.updatable {
		return "", t.notUpdatable()
	}
	if len(set) == 0 {
		return "", sqlerr.New(sqlerr.InternalError, "UPDATE of %q without SET", name)
	}
	idx := make([]int, 0, len(set))
	for i := range set {
		if i < 0 || i >= len(t.cols) {
			return "", sqlerr.New(sqlerr.InternalError, "UPDATE of %q: no column %d", name, i)
		}
		idx = append(idx, i)
	}
	sort.Ints(idx)
	refs := t.columnRefs()
	parts := make([]string, len(idx))
	for k, i := range idx {
		clause := "SET " + t.cols[i].name
		if reason := t.setReason(i, set[i]); reason != "" {
			return "", t.notShippable("UPDATE", clause, &sqlgen.Unshippable{Reason: reason})
		}
		v, err := sqlgen.Expr(dialect, refs, set[i])
		if err != nil {
			return "", t.notShippable("UPDATE", clause, err)
		}
		parts[k] = quoteIdent(t.cols[i].remote) + " = " + v
	}
	w, err := t.whereSQL("UPDATE", where)
	if err != nil {
		return "", err
	}
	return "UPDATE " + quoteIdent(t.remote) + " SET " + strings.Join(parts, ", ") + w, nil
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
	for j := range fieldsOf(v) {
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
	w, err := t.whereSQL("DELETE", where)
	if err != nil {
		return "", err
	}
	return "DELETE FROM " + quoteIdent(t.remote) + w, nil
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

// notShippable is the error of a clause that cannot be sent to SQLite.
func (t *Table) notShippable(op, clause string, err error) error {
	var u *sqlgen.Unshippable
	if errors.As(err, &u) {
		return sqlerr.New(sqlerr.FeatureNotSupported, "%s of foreign table %q: the %s clause cannot be sent to SQLite: %s",
			op, tableName(t.name), clause, u.Reason).
			WithHint("UPDATE and DELETE of a SQLite table run in SQLite; rewrite the clause with expressions it evaluates as Medley does.")
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

// modify runs one data-modifying statement in a transaction and returns
// the number of rows it matched. Cancelling ctx interrupts the statement
// and rolls the transaction back.
func (t *Table) modify(ctx context.Context, op, q string) (int64, error) {
	name := tableName(t.name)
	if err := ctx.Err(); err != nil {
		return 0, sqlconn.Canceled(err, name)
	}
	tx, err := t.conn.db.BeginTx(ctx, nil)
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
