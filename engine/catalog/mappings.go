package catalog

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// UserMapping is a user mapping: a user's (or PUBLIC's) options for a
// server, usually credentials.
type UserMapping struct {
	Server  string
	User    string // a user name or Public
	Options []Option
}

// MappingDef is CREATE / ALTER / DROP USER MAPPING. User is a user name or
// Public (CURRENT_USER is resolved by the caller).
type MappingDef struct {
	Server      string
	User        string
	Options     []OptionChange
	IfNotExists bool // CREATE
	IfExists    bool // DROP
}

func normUser(u string) string {
	if strings.EqualFold(u, Public) {
		return Public
	}
	return u
}

func mappingName(user string) string {
	if user == Public {
		return "public"
	}
	return quoteIdent(user)
}

// mappingTarget checks what CREATE/ALTER/DROP USER MAPPING needs, as
// PostgreSQL does: the server's owner may manage any mapping; a user with
// USAGE on the server may manage their own.
func (tx *txn) mappingTarget(ctx context.Context, actor string, def *MappingDef) (*Server, *Wrapper, error) {
	a, err := tx.actor(ctx, actor)
	if err != nil {
		return nil, nil, err
	}
	def.User = normUser(def.User)
	if def.User != Public {
		if _, err := tx.user(ctx, def.User); err != nil {
			return nil, nil, err
		}
	}
	s, err := tx.server(ctx, def.Server)
	if err != nil {
		return nil, nil, err
	}
	if !a.Superuser && a.Name != s.Owner {
		ok, err := tx.has(ctx, a, KindServer, s.Name, s.Owner, PrivUsage)
		if err != nil {
			return nil, nil, err
		}
		if !ok || def.User != a.Name {
			return nil, nil, sqlerr.New(sqlerr.InsufficientPrivilege, "must be owner of foreign server %s", quoteIdent(s.Name))
		}
	}
	w, err := tx.wrapper(ctx, s.Wrapper)
	if err != nil {
		return nil, nil, err
	}
	return s, w, nil
}

// CreateUserMapping runs CREATE USER MAPPING [IF NOT EXISTS].
func (c *Catalog) CreateUserMapping(ctx context.Context, actor string, def MappingDef) error {
	return c.write(ctx, func(tx *txn) error {
		s, w, err := tx.mappingTarget(ctx, actor, &def)
		if err != nil {
			return err
		}
		if _, err := tx.mapping(ctx, s.Name, def.User); err == nil {
			if def.IfNotExists {
				c.notice(ctx, sqlerr.DuplicateObject, "user mapping for %s already exists for server %s, skipping",
					mappingName(def.User), quoteIdent(s.Name))
				return nil
			}
			return sqlerr.New(sqlerr.DuplicateObject, "user mapping for %s already exists for server %s",
				mappingName(def.User), quoteIdent(s.Name))
		}
		return tx.saveMapping(ctx, &UserMapping{Server: s.Name, User: def.User}, w, def.Options, true)
	})
}

// AlterUserMapping runs ALTER USER MAPPING ... OPTIONS (...).
func (c *Catalog) AlterUserMapping(ctx context.Context, actor string, def MappingDef) error {
	return c.write(ctx, func(tx *txn) error {
		s, w, err := tx.mappingTarget(ctx, actor, &def)
		if err != nil {
			return err
		}
		m, err := tx.mapping(ctx, s.Name, def.User)
		if err != nil {
			return err
		}
		return tx.saveMapping(ctx, m, w, def.Options, false)
	})
}

// DropUserMapping runs DROP USER MAPPING [IF EXISTS].
func (c *Catalog) DropUserMapping(ctx context.Context, actor string, def MappingDef) error {
	return c.write(ctx, func(tx *txn) error {
		s, _, err := tx.mappingTarget(ctx, actor, &def)
		if err != nil {
			if def.IfExists && sqlerr.Is(err, sqlerr.UndefinedObject) {
				c.notice(ctx, sqlerr.UndefinedObject, "%s, skipping", err.Error())
				return nil
			}
			return err
		}
		if _, err := tx.mapping(ctx, s.Name, def.User); err != nil {
			if def.IfExists {
				c.notice(ctx, sqlerr.UndefinedObject, "user mapping for %s does not exist for server %s, skipping",
					mappingName(def.User), quoteIdent(s.Name))
				return nil
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_mappings WHERE server = ? AND username = ?`, s.Name, def.User); err != nil {
			return storageErr(err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE servers SET gen = gen + 1 WHERE name = ?`, s.Name)
		return storageErr(err)
	})
}

func (tx *txn) saveMapping(ctx context.Context, m *UserMapping, w *Wrapper, changes []OptionChange, insert bool) error {
	opts, err := optSet(m.Options).apply(changes)
	if err != nil {
		return err
	}
	spec := w.Spec()
	if err := opts.validate(spec, connectors.ObjUserMapping); err != nil {
		return err
	}
	js, err := tx.c.encode(opts, spec, connectors.ObjUserMapping)
	if err != nil {
		return err
	}
	if insert {
		_, err = tx.ExecContext(ctx, `INSERT INTO user_mappings(server, username, options) VALUES (?, ?, ?)`, m.Server, m.User, js)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE user_mappings SET options = ? WHERE server = ? AND username = ?`, js, m.Server, m.User)
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, `UPDATE servers SET gen = gen + 1 WHERE name = ?`, m.Server)
	}
	return storageErr(err)
}

// mapping loads one mapping with its plain options.
func (tx *txn) mapping(ctx context.Context, server, user string) (*UserMapping, error) {
	m := UserMapping{Server: server, User: user}
	var js string
	err := tx.QueryRowContext(ctx, `SELECT options FROM user_mappings WHERE server = ? AND username = ?`, server, user).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sqlerr.New(sqlerr.UndefinedObject, "user mapping for %s does not exist for server %s",
			mappingName(user), quoteIdent(server))
	}
	if err != nil {
		return nil, storageErr(err)
	}
	if m.Options, err = tx.c.decode(js); err != nil {
		return nil, err
	}
	return &m, nil
}

// effectiveMapping finds user's mapping for server as PostgreSQL does: the
// user's own, else PUBLIC's, else 42704.
func (tx *txn) effectiveMapping(ctx context.Context, server, user string) (*UserMapping, error) {
	m, err := tx.mapping(ctx, server, user)
	if err == nil || !sqlerr.Is(err, sqlerr.UndefinedObject) {
		return m, err
	}
	m, err = tx.mapping(ctx, server, Public)
	if err == nil || !sqlerr.Is(err, sqlerr.UndefinedObject) {
		return m, err
	}
	return nil, sqlerr.New(sqlerr.UndefinedObject, "user mapping not found for user %q, server %q", user, server)
}

// UserMappings lists the mappings of the servers user may see, secret
// options masked.
func (c *Catalog) UserMappings(ctx context.Context, user string) ([]UserMapping, error) {
	var out []UserMapping
	err := c.read(ctx, func(tx *txn) error {
		u, err := tx.actor(ctx, user)
		if err != nil {
			return err
		}
		out, err = tx.visibleMappings(ctx, u)
		return err
	})
	return out, err
}

func (tx *txn) visibleMappings(ctx context.Context, u *User) ([]UserMapping, error) {
	servers, err := tx.visibleServers(ctx, u)
	if err != nil {
		return nil, err
	}
	var out []UserMapping
	for i := range servers {
		s := &servers[i]
		users, err := tx.strings(ctx, `SELECT username FROM user_mappings WHERE server = ? ORDER BY username`, s.Name)
		if err != nil {
			return nil, err
		}
		spec := specOfWrapper(ctx, tx, s.Wrapper)
		for _, name := range users {
			m, err := tx.mapping(ctx, s.Name, name)
			if err != nil {
				return nil, err
			}
			m.Options = optSet(m.Options).masked(spec, connectors.ObjUserMapping)
			out = append(out, *m)
		}
	}
	return out, nil
}
