package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// dependentsError is PostgreSQL's 2BP01 for DROP without CASCADE (or DROP
// ROLE), naming every dependent object.
func dependentsError(kind, name string, deps []string, cascadeHint bool) error {
	var e *sqlerr.Error
	if kind == "role" {
		e = sqlerr.New(sqlerr.DependentObjectsExist,
			"role %s cannot be dropped because some objects depend on it: %s", quoteIdent(name), strings.Join(deps, ", "))
	} else {
		e = sqlerr.New(sqlerr.DependentObjectsExist,
			"cannot drop %s %s because other objects depend on it: %s", kind, quoteIdent(name), strings.Join(deps, ", "))
	}
	e.Detail = strings.Join(deps, "\n")
	if cascadeHint {
		e.Hint = "Use DROP ... CASCADE to drop the dependent objects too."
	}
	return e
}

func (tx *txn) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, storageErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, storageErr(err)
		}
		out = append(out, s)
	}
	return out, storageErr(rows.Err())
}

func mappingDesc(user, server string) string {
	if user == Public {
		return fmt.Sprintf("user mapping for public on server %s", quoteIdent(server))
	}
	return fmt.Sprintf("user mapping for %s on server %s", quoteIdent(user), quoteIdent(server))
}

// serverDependents lists a server's user mappings and foreign tables.
func (tx *txn) serverDependents(ctx context.Context, server string) ([]string, error) {
	users, err := tx.strings(ctx, `SELECT username FROM user_mappings WHERE server = ? ORDER BY username`, server)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range users {
		out = append(out, mappingDesc(u, server))
	}
	tables, err := tx.strings(ctx, `SELECT schema || '.' || name FROM tables WHERE server = ? ORDER BY schema, name`, server)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		out = append(out, "foreign table "+t)
	}
	return out, nil
}

// wrapperDependents lists a wrapper's servers and, through them, their
// dependents.
func (tx *txn) wrapperDependents(ctx context.Context, wrapper string) ([]string, error) {
	servers, err := tx.strings(ctx, `SELECT name FROM servers WHERE wrapper = ? ORDER BY name`, wrapper)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range servers {
		out = append(out, "server "+quoteIdent(s))
		more, err := tx.serverDependents(ctx, s)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// userDependents lists what keeps a role from being dropped: objects it
// owns, its user mappings and privileges granted to it.
func (tx *txn) userDependents(ctx context.Context, user string) ([]string, error) {
	var out []string
	owned := []struct{ what, query string }{
		{"foreign-data wrapper", `SELECT name FROM wrappers WHERE owner = ? ORDER BY name`},
		{"server", `SELECT name FROM servers WHERE owner = ? ORDER BY name`},
		{"schema", `SELECT name FROM schemas WHERE owner = ? ORDER BY name`},
		{"table", `SELECT schema || '.' || name FROM tables WHERE owner = ? ORDER BY schema, name`},
	}
	for _, o := range owned {
		names, err := tx.strings(ctx, o.query, user)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			out = append(out, "owner of "+o.what+" "+quoteIdent(n))
		}
	}
	servers, err := tx.strings(ctx, `SELECT server FROM user_mappings WHERE username = ? ORDER BY server`, user)
	if err != nil {
		return nil, err
	}
	for _, s := range servers {
		out = append(out, mappingDesc(user, s))
	}
	privs, err := tx.strings(ctx, `SELECT DISTINCT kind || ' ' || object FROM grants WHERE grantee = ? ORDER BY 1`, user)
	if err != nil {
		return nil, err
	}
	for _, p := range privs {
		kind, obj, _ := strings.Cut(p, " ")
		out = append(out, "privileges for "+ObjectKind(kind).String()+" "+quoteIdent(obj))
	}
	return out, nil
}

// dropServerCascade removes a server's mappings, tables (with their
// columns and grants) and grants, returning the tables dropped.
func (tx *txn) dropServerObjects(ctx context.Context, server string) ([]TableName, error) {
	tables, err := tx.tableNames(ctx, `SELECT schema, name FROM tables WHERE server = ? ORDER BY schema, name`, server)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		if err := tx.deleteTable(ctx, t); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_mappings WHERE server = ?`, server); err != nil {
		return nil, storageErr(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE kind = 'server' AND object = ?`, server); err != nil {
		return nil, storageErr(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM servers WHERE name = ?`, server); err != nil {
		return nil, storageErr(err)
	}
	return tables, nil
}

func (tx *txn) tableNames(ctx context.Context, query string, args ...any) ([]TableName, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, storageErr(err)
	}
	defer rows.Close()
	var out []TableName
	for rows.Next() {
		var t TableName
		if err := rows.Scan(&t.Schema, &t.Name); err != nil {
			return nil, storageErr(err)
		}
		out = append(out, t)
	}
	return out, storageErr(rows.Err())
}

// deleteTable removes a table, its columns and the grants on it.
func (tx *txn) deleteTable(ctx context.Context, t TableName) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM columns WHERE schema = ? AND tbl = ?`, t.Schema, t.Name); err != nil {
		return storageErr(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE kind = 'table' AND object = ?`, t.String()); err != nil {
		return storageErr(err)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM tables WHERE schema = ? AND name = ?`, t.Schema, t.Name)
	return storageErr(err)
}
