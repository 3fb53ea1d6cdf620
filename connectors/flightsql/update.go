package flightsql

import (
	"context"
	"fmt"

	"github.com/substrait-io/substrait-go/v8/expr"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

var (
	_ connectors.Updater = (*Table)(nil)
	_ connectors.Deleter = (*Table)(nil)
)

// Update runs one remote UPDATE ... SET ... [WHERE ...] in PostgreSQL's
// dialect with CommandStatementUpdate, as postgres_fdw's direct
// modification does; the server runs it as one statement. Every SET value
// and the WHERE must be shippable (sqlgen); if one is not, nothing is sent
// and the error (0A000) names the clause and the reason.
func (t *Table) Update(ctx context.Context, set map[int]expr.Expression, where expr.Expression) (int64, error) {
	q, err := t.updateSQL(set, where)
	if err != nil {
		return 0, err
	}
	return t.modify(ctx, "UPDATE", q)
}

// Delete runs one remote DELETE FROM ... [WHERE ...].
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
	m, err := t.modifier()
	if err != nil {
		return "", err
	}
	return m.UpdateSQL(set, where)
}

func (t *Table) deleteSQL(where expr.Expression) (string, error) {
	if err := t.checkUpdatable("DELETE from"); err != nil {
		return "", err
	}
	m, err := t.modifier()
	if err != nil {
		return "", err
	}
	return m.DeleteSQL(where)
}

// modifier renders the table's UPDATE and DELETE statements (sqlconn's,
// shared with the SQL wrappers).
func (t *Table) modifier() (sqlconn.Modify, error) {
	remote, err := sqlgen.PostgreSQL.QualifiedName(t.remote)
	if err != nil {
		return sqlconn.Modify{}, sqlerr.New(sqlerr.InvalidName, "foreign table %s: %v", localName(t.name), err)
	}
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		if _, err := sqlgen.PostgreSQL.QuoteIdent(c.Name); err != nil {
			return sqlconn.Modify{}, sqlerr.New(sqlerr.InvalidName, "foreign table %s: %v", localName(t.name), err)
		}
		names[i] = t.schema.Field(i).Name
	}
	return sqlconn.Modify{
		Dialect: sqlgen.PostgreSQL, Table: localName(t.name), Remote: remote, Columns: t.cols, Names: names,
		Quote: func(s string) string {
			q, _ := sqlgen.PostgreSQL.QuoteIdent(s) // checked above
			return q
		},
		Server: fmt.Sprintf("server %q", t.conn.server),
		Hint:   "UPDATE and DELETE of a Flight SQL table run at the server; rewrite the clause with expressions it can evaluate.",
	}, nil
}

// modify runs one data-modifying statement at the server and returns the
// number of rows it touched. A server without CommandStatementUpdate
// (Unimplemented) is 0A000 naming the table.
func (t *Table) modify(ctx context.Context, op, q string) (int64, error) {
	var n int64
	err := t.conn.call(ctx, func(ctx context.Context) error {
		var err error
		n, err = t.conn.cl.ExecuteUpdate(ctx, q)
		return err
	})
	if err == nil {
		return n, nil
	}
	if st, ok := status.FromError(err); ok && st.Code() == codes.Unimplemented && !hasSQLState(st.Message()) {
		return 0, sqlerr.New(sqlerr.FeatureNotSupported,
			"cannot %s foreign table %s: server %q does not run Flight SQL updates", op, localName(t.name), t.conn.server).
			WithHint("UPDATE and DELETE through the flightsql wrapper need a server that implements CommandStatementUpdate.")
	}
	return 0, t.conn.remoteError(ctx, err, "%s of foreign table %s", op, localName(t.name))
}
