package catalog

import (
	"context"
	"database/sql"
	"errors"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Server is a foreign server.
type Server struct {
	Name    string
	Wrapper string
	Owner   string
	Type    string
	Version string
	Options []Option
	// Generation changes whenever the server, its wrapper or one of its
	// user mappings changes; connection pools reconnect when it does.
	Generation int64
}

// ServerDef is CREATE SERVER / ALTER SERVER. For ALTER, nil fields are not
// changed and Wrapper and Type are ignored.
type ServerDef struct {
	Name        string
	Wrapper     string
	Type        string
	Version     *string
	Options     []OptionChange
	IfNotExists bool
	NewName     *string // ALTER SERVER ... RENAME TO
	NewOwner    *string // ALTER SERVER ... OWNER TO
}

// CreateServer runs CREATE SERVER. The actor needs USAGE on the wrapper
// (superusers have it); options are validated by the wrapper's spec.
func (c *Catalog) CreateServer(ctx context.Context, actor string, def ServerDef) error {
	return c.write(ctx, func(tx *txn) error {
		a, err := tx.actor(ctx, actor)
		if err != nil {
			return err
		}
		if _, err := tx.server(ctx, def.Name); err == nil {
			if def.IfNotExists {
				c.notice(ctx, sqlerr.DuplicateObject, "server %s already exists, skipping", quoteIdent(def.Name))
				return nil
			}
			return sqlerr.New(sqlerr.DuplicateObject, "server %s already exists", quoteIdent(def.Name))
		}
		w, err := tx.wrapper(ctx, def.Wrapper)
		if err != nil {
			return err
		}
		if ok, err := tx.has(ctx, a, KindWrapper, w.Name, w.Owner, PrivUsage); err != nil || !ok {
			return denied(err, "foreign-data wrapper", w.Name)
		}
		s := &Server{Name: def.Name, Wrapper: w.Name, Owner: a.Name, Type: def.Type, Version: strOr(def.Version, "")}
		return tx.saveServer(ctx, s, w, def.Options, true)
	})
}

// denied is PostgreSQL's "permission denied for <kind> <name>" (42501), or
// err if the check itself failed.
func denied(err error, kind, name string) error {
	if err != nil {
		return err
	}
	return sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied for %s %s", kind, quoteIdent(name))
}

// AlterServer runs ALTER SERVER (owner or superuser).
func (c *Catalog) AlterServer(ctx context.Context, actor string, def ServerDef) error {
	return c.write(ctx, func(tx *txn) error {
		a, err := tx.actor(ctx, actor)
		if err != nil {
			return err
		}
		s, err := tx.server(ctx, def.Name)
		if err != nil {
			return err
		}
		if err := ownerCheck(a, s.Owner, "foreign server", s.Name); err != nil {
			return err
		}
		w, err := tx.wrapper(ctx, s.Wrapper)
		if err != nil {
			return err
		}
		if def.Version != nil {
			s.Version = *def.Version
		}
		if def.NewOwner != nil {
			u, err := tx.user(ctx, *def.NewOwner)
			if err != nil {
				return err
			}
			s.Owner = u.Name
		}
		if err := tx.saveServer(ctx, s, w, def.Options, false); err != nil {
			return err
		}
		if def.NewName != nil {
			return tx.renameServer(ctx, s.Name, *def.NewName)
		}
		return nil
	})
}

func (tx *txn) renameServer(ctx context.Context, from, to string) error {
	if _, err := tx.server(ctx, to); err == nil {
		return sqlerr.New(sqlerr.DuplicateObject, "server %s already exists", quoteIdent(to))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE servers SET name = ?, gen = gen + 1 WHERE name = ?`, to, from); err != nil {
		return storageErr(err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE grants SET object = ? WHERE kind = 'server' AND object = ?`, to, from)
	return storageErr(err)
}

func (tx *txn) saveServer(ctx context.Context, s *Server, w *Wrapper, changes []OptionChange, insert bool) error {
	opts, err := optSet(s.Options).apply(changes)
	if err != nil {
		return err
	}
	spec := w.Spec()
	if err := opts.validate(spec, connectors.ObjServer); err != nil {
		return err
	}
	js, err := tx.c.encode(opts, spec, connectors.ObjServer)
	if err != nil {
		return err
	}
	if insert {
		_, err = tx.ExecContext(ctx, `INSERT INTO servers(name, wrapper, owner, type, version, options) VALUES (?, ?, ?, ?, ?, ?)`,
			s.Name, s.Wrapper, s.Owner, s.Type, s.Version, js)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE servers SET owner = ?, version = ?, options = ?, gen = gen + 1 WHERE name = ?`,
			s.Owner, s.Version, js, s.Name)
	}
	return storageErr(err)
}

// DropServers runs DROP SERVER [IF EXISTS] ... [CASCADE], returning the
// tables dropped by CASCADE (the engine drops memory tables' data).
func (c *Catalog) DropServers(ctx context.Context, actor string, names []string, ifExists, cascade bool) ([]TableName, error) {
	var dropped []TableName
	err := c.write(ctx, func(tx *txn) error {
		a, err := tx.actor(ctx, actor)
		if err != nil {
			return err
		}
		for _, name := range names {
			s, err := tx.server(ctx, name)
			if err != nil {
				if ifExists && sqlerr.Is(err, sqlerr.UndefinedObject) {
					c.notice(ctx, sqlerr.UndefinedObject, "server %s does not exist, skipping", quoteIdent(name))
					continue
				}
				return err
			}
			if err := ownerCheck(a, s.Owner, "foreign server", name); err != nil {
				return err
			}
			deps, err := tx.serverDependents(ctx, name)
			if err != nil {
				return err
			}
			if len(deps) > 0 && !cascade {
				return dependentsError("server", name, deps, true)
			}
			t, err := tx.dropServerObjects(ctx, name)
			if err != nil {
				return err
			}
			dropped = append(dropped, t...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return dropped, nil
}

// Servers lists the servers user may see (owner, USAGE, superuser), with
// secret options masked.
func (c *Catalog) Servers(ctx context.Context, user string) ([]Server, error) {
	var out []Server
	err := c.read(ctx, func(tx *txn) error {
		u, err := tx.actor(ctx, user)
		if err != nil {
			return err
		}
		out, err = tx.visibleServers(ctx, u)
		return err
	})
	return out, err
}

func (tx *txn) visibleServers(ctx context.Context, u *User) ([]Server, error) {
	names, err := tx.strings(ctx, `SELECT name FROM servers ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var out []Server
	for _, n := range names {
		s, err := tx.server(ctx, n)
		if err != nil {
			return nil, err
		}
		if ok, err := tx.has(ctx, u, KindServer, s.Name, s.Owner, PrivUsage); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		s.Options = optSet(s.Options).masked(specOfWrapper(ctx, tx, s.Wrapper), connectors.ObjServer)
		out = append(out, *s)
	}
	return out, nil
}

func specOfWrapper(ctx context.Context, tx *txn, wrapper string) *connectors.Spec {
	w, err := tx.wrapper(ctx, wrapper)
	if err != nil {
		return nil
	}
	return w.Spec()
}

// server loads a server with its plain options.
func (tx *txn) server(ctx context.Context, name string) (*Server, error) {
	s := Server{Name: name}
	var js string
	err := tx.QueryRowContext(ctx, `SELECT wrapper, owner, type, version, options, gen FROM servers WHERE name = ?`, name).
		Scan(&s.Wrapper, &s.Owner, &s.Type, &s.Version, &js, &s.Generation)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sqlerr.New(sqlerr.UndefinedObject, "server %s does not exist", quoteIdent(name))
	}
	if err != nil {
		return nil, storageErr(err)
	}
	if s.Options, err = tx.c.decode(js); err != nil {
		return nil, err
	}
	return &s, nil
}
