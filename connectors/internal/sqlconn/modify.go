package sqlconn

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"

	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Modify renders the remote UPDATE and DELETE statements of one table, as
// postgres_fdw's direct modification does: every SET value and the WHERE
// must be shippable (sqlgen); if one is not, nothing is sent and the error
// (0A000) names the clause and the reason. Whether the table may be
// written at all is the wrapper's to check first.
type Modify struct {
	Dialect *sqlgen.Dialect
	Table   string // the foreign table, for errors
	Remote  string // the remote table, quoted
	// Columns are the table's columns for sqlgen, as its scans see them
	// (a column compared differently remotely has no type).
	Columns []sqlgen.ColumnRef
	Names   []string            // the declared columns, for errors
	Quote   func(string) string // quotes a remote column's name
	// Server names where the statement runs in errors ("the server"), Hint
	// what to do about a clause it cannot take.
	Server, Hint string
	// Check, if not nil, says why value v cannot be assigned to column i
	// remotely, or "" if it can, before v is deparsed.
	Check func(i int, v expr.Expression) string
}

// UpdateSQL renders UPDATE ... SET ... [WHERE ...], assigning the columns
// in their order.
func (m Modify) UpdateSQL(set map[int]expr.Expression, where expr.Expression) (string, error) {
	if len(set) == 0 {
		return "", sqlerr.New(sqlerr.InternalError, "UPDATE of %q without SET", m.Table)
	}
	idx := make([]int, 0, len(set))
	for i := range set {
		if i < 0 || i >= len(m.Columns) {
			return "", sqlerr.New(sqlerr.InternalError, "UPDATE of %q: no column %d", m.Table, i)
		}
		idx = append(idx, i)
	}
	sort.Ints(idx)
	parts := make([]string, len(idx))
	for k, i := range idx {
		clause := "SET " + m.Names[i]
		if m.Check != nil {
			if reason := m.Check(i, set[i]); reason != "" {
				return "", m.notShippable("UPDATE", clause, &sqlgen.Unshippable{Reason: reason})
			}
		}
		v, err := sqlgen.Expr(m.Dialect, m.Columns, set[i])
		if err != nil {
			return "", m.notShippable("UPDATE", clause, err)
		}
		parts[k] = m.Quote(m.Columns[i].Name) + " = " + v
	}
	w, err := m.whereSQL("UPDATE", where)
	if err != nil {
		return "", err
	}
	return "UPDATE " + m.Remote + " SET " + strings.Join(parts, ", ") + w, nil
}

// DeleteSQL renders DELETE FROM ... [WHERE ...].
func (m Modify) DeleteSQL(where expr.Expression) (string, error) {
	w, err := m.whereSQL("DELETE", where)
	if err != nil {
		return "", err
	}
	return "DELETE FROM " + m.Remote + w, nil
}

// whereSQL is " WHERE cond", or "" for no condition.
func (m Modify) whereSQL(op string, where expr.Expression) (string, error) {
	if where == nil {
		return "", nil
	}
	w, err := sqlgen.Where(m.Dialect, m.Columns, where)
	if err != nil {
		return "", m.notShippable(op, "WHERE", err)
	}
	return " WHERE " + w, nil
}

// notShippable is the error of a clause that cannot be sent.
func (m Modify) notShippable(op, clause string, err error) error {
	var u *sqlgen.Unshippable
	if errors.As(err, &u) {
		return sqlerr.New(sqlerr.FeatureNotSupported, "%s of foreign table %q: the %s clause cannot be sent to %s: %s",
			op, m.Table, clause, m.Server, u.Reason).WithHint("%s", m.Hint)
	}
	return sqlerr.Wrap(err, sqlerr.FeatureNotSupported, "%s of foreign table %q: the %s clause", op, m.Table, clause)
}

// FieldsOf is the set of columns e references.
func FieldsOf(e expr.Expression) map[int]bool {
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

// Beginner starts transactions: a *sql.DB, or a *sql.Conn whose session a
// wrapper has set up.
type Beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Exec runs q, one data-modifying statement of table (op names it in
// errors: "UPDATE"), in a transaction of its own and returns the number of
// rows the driver reports affected. On an error, cancellation included,
// the transaction is rolled back.
func Exec(ctx context.Context, db Beginner, table, op, q string, errs QueryError) (int64, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, errs(ctx, err, table, "BEGIN")
	}
	res, err := tx.ExecContext(ctx, q)
	if err != nil {
		_ = tx.Rollback()
		return 0, errs(ctx, err, table, "%s", op)
	}
	n, err := res.RowsAffected()
	if err != nil {
		_ = tx.Rollback()
		return 0, errs(ctx, err, table, "%s", op)
	}
	if err := tx.Commit(); err != nil {
		return 0, errs(ctx, err, table, "%s (COMMIT)", op)
	}
	return n, nil
}
