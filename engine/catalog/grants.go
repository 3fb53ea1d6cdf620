package catalog

import (
	"context"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// Privilege is a grantable privilege.
type Privilege string

// The privileges Medley knows. PrivNone asks a lookup for no check.
const (
	PrivNone   Privilege = ""
	PrivUsage  Privilege = "USAGE"
	PrivSelect Privilege = "SELECT"
	PrivInsert Privilege = "INSERT"
	PrivUpdate Privilege = "UPDATE"
	PrivDelete Privilege = "DELETE"
	PrivCreate Privilege = "CREATE" // on schemas
)

// TablePrivileges are the privileges of a table, in ALL's order.
var TablePrivileges = []Privilege{PrivSelect, PrivInsert, PrivUpdate, PrivDelete}

// ObjectKind is the kind of a grantable object.
type ObjectKind string

// The grantable object kinds.
const (
	KindWrapper ObjectKind = "wrapper"
	KindServer  ObjectKind = "server"
	KindTable   ObjectKind = "table"
	KindSchema  ObjectKind = "schema"
)

func (k ObjectKind) String() string {
	switch k {
	case KindWrapper:
		return "foreign-data wrapper"
	case KindServer:
		return "foreign server"
	case KindSchema:
		return "schema"
	}
	return "table"
}

// TableName is a schema-qualified table name.
type TableName struct {
	Schema, Name string
}

func (t TableName) String() string { return t.Schema + "." + t.Name }

// GrantDef is GRANT or REVOKE: privileges (empty = ALL) on objects of one
// kind to grantees (user names or Public).
type GrantDef struct {
	Kind       ObjectKind
	Names      []string    // wrappers, servers or schemas
	Tables     []TableName // tables
	Privileges []Privilege
	Grantees   []string
}

// Grant is one privilege held.
type Grant struct {
	Kind      ObjectKind
	Object    string // a name, or "schema.table"
	Grantee   string
	Privilege Privilege
	Grantor   string
}

// Grant runs GRANT. Only an object's owner or a superuser may grant.
func (c *Catalog) Grant(ctx context.Context, actor string, g GrantDef) error {
	return c.grant(ctx, actor, g, false)
}

// Revoke runs REVOKE; revoking a privilege not held does nothing.
func (c *Catalog) Revoke(ctx context.Context, actor string, g GrantDef) error {
	return c.grant(ctx, actor, g, true)
}

func (c *Catalog) grant(ctx context.Context, actor string, g GrantDef, revoke bool) error {
	return c.write(ctx, func(tx *txn) error {
		a, err := tx.actor(ctx, actor)
		if err != nil {
			return err
		}
		privs, err := grantPrivileges(g)
		if err != nil {
			return err
		}
		objects, err := tx.grantObjects(ctx, a, g)
		if err != nil {
			return err
		}
		for _, grantee := range g.Grantees {
			if !strings.EqualFold(grantee, Public) {
				if _, err := tx.user(ctx, grantee); err != nil {
					return err
				}
			} else {
				grantee = Public
			}
			for _, obj := range objects {
				for _, p := range privs {
					if err := tx.setGrant(ctx, g.Kind, obj, grantee, p, actor, revoke); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

func grantPrivileges(g GrantDef) ([]Privilege, error) {
	valid := TablePrivileges
	switch g.Kind {
	case KindSchema:
		valid = []Privilege{PrivUsage, PrivCreate}
	case KindServer, KindWrapper:
		valid = []Privilege{PrivUsage}
	}
	if len(g.Privileges) == 0 {
		return valid, nil
	}
	for _, p := range g.Privileges {
		ok := false
		for _, v := range valid {
			ok = ok || v == p
		}
		if !ok {
			return nil, sqlerr.New("0LP01", "invalid privilege type %s for %s", p, g.Kind)
		}
	}
	return g.Privileges, nil
}

// grantObjects checks that every object exists and that a may grant on it.
func (tx *txn) grantObjects(ctx context.Context, a *User, g GrantDef) ([]string, error) {
	var out []string
	switch g.Kind {
	case KindTable:
		for _, t := range g.Tables {
			ft, err := tx.table(ctx, t)
			if err != nil {
				return nil, err
			}
			if err := ownerCheck(a, ft.Owner, "table", t.String()); err != nil {
				return nil, err
			}
			out = append(out, t.String())
		}
	case KindServer, KindWrapper, KindSchema:
		for _, n := range g.Names {
			var owner string
			if g.Kind == KindSchema {
				s, err := tx.schema(ctx, n)
				if err != nil {
					return nil, err
				}
				owner = s.Owner
			} else if g.Kind == KindServer {
				s, err := tx.server(ctx, n)
				if err != nil {
					return nil, err
				}
				owner = s.Owner
			} else {
				w, err := tx.wrapper(ctx, n)
				if err != nil {
					return nil, err
				}
				owner = w.Owner
			}
			if err := ownerCheck(a, owner, g.Kind.String(), n); err != nil {
				return nil, err
			}
			out = append(out, n)
		}
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "privileges on %s are not supported", g.Kind)
	}
	return out, nil
}

func (tx *txn) setGrant(ctx context.Context, kind ObjectKind, obj, grantee string, p Privilege, grantor string, revoke bool) error {
	var err error
	if revoke {
		_, err = tx.ExecContext(ctx, `DELETE FROM grants WHERE kind = ? AND object = ? AND grantee = ? AND privilege = ?`,
			string(kind), obj, grantee, string(p))
	} else {
		_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO grants VALUES (?, ?, ?, ?, ?)`,
			string(kind), obj, grantee, string(p), grantor)
	}
	return storageErr(err)
}

// ownerCheck is PostgreSQL's "must be owner of ...".
func ownerCheck(a *User, owner, kind, name string) error {
	if a.Superuser || a.Name == owner {
		return nil
	}
	return sqlerr.New(sqlerr.InsufficientPrivilege, "must be owner of %s %s", kind, quoteIdent(name))
}

// has reports whether u holds p on an object (owners and superusers hold
// every privilege; grants to PUBLIC count for everyone).
func (tx *txn) has(ctx context.Context, u *User, kind ObjectKind, obj, owner string, p Privilege) (bool, error) {
	if p == PrivNone || u.Superuser || u.Name == owner {
		return true, nil
	}
	var n int
	err := tx.QueryRowContext(ctx,
		`SELECT count(*) FROM grants WHERE kind = ? AND object = ? AND privilege = ? AND grantee IN (?, ?)`,
		string(kind), obj, string(p), u.Name, Public).Scan(&n)
	return n > 0, storageErr(err)
}

// hasAny reports whether u holds any privilege on an object (for
// information_schema visibility).
func (tx *txn) hasAny(ctx context.Context, u *User, kind ObjectKind, obj, owner string) (bool, error) {
	if u.Superuser || u.Name == owner {
		return true, nil
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM grants WHERE kind = ? AND object = ? AND grantee IN (?, ?)`,
		string(kind), obj, u.Name, Public).Scan(&n)
	return n > 0, storageErr(err)
}

// Grants lists the grants on objects of a kind ("" for all kinds).
func (c *Catalog) Grants(ctx context.Context, kind ObjectKind) ([]Grant, error) {
	var out []Grant
	err := c.read(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx,
			`SELECT kind, object, grantee, privilege, grantor FROM grants WHERE ? = '' OR kind = ? ORDER BY kind, object, grantee, privilege`,
			string(kind), string(kind))
		if err != nil {
			return storageErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var g Grant
			if err := rows.Scan(&g.Kind, &g.Object, &g.Grantee, &g.Privilege, &g.Grantor); err != nil {
				return storageErr(err)
			}
			out = append(out, g)
		}
		return storageErr(rows.Err())
	})
	return out, err
}

// quoteIdent quotes a name for messages as PostgreSQL does ("x").
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
