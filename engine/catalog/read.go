package catalog

import (
	"context"
	"maps"
	"slices"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// TableInfo is a table with its server and wrapper, as the binder and the
// executor need it. Secret options of the server are masked.
type TableInfo struct {
	Table   Table
	Server  Server
	Wrapper Wrapper
}

// LookupTable returns a table by schema and name ("" schema = public) after
// checking that user holds priv on it (PrivNone: no check). Errors: 42P01
// unknown table, 3F000 unknown schema, 42501 privilege.
func (c *Catalog) LookupTable(ctx context.Context, user string, name TableName, priv Privilege) (*TableInfo, error) {
	if name.Schema == "" {
		name.Schema = DefaultSchema
	}
	var info *TableInfo
	err := c.read(ctx, func(tx *txn) error {
		u, err := tx.actor(ctx, user)
		if err != nil {
			return err
		}
		t, err := tx.table(ctx, name)
		if err != nil {
			return err
		}
		if ok, err := tx.has(ctx, u, KindTable, name.String(), t.Owner, priv); err != nil || !ok {
			return denied(err, "table", t.Name)
		}
		s, err := tx.server(ctx, t.Server)
		if err != nil {
			return err
		}
		w, err := tx.wrapper(ctx, s.Wrapper)
		if err != nil {
			return err
		}
		s.Options = optSet(s.Options).masked(w.Spec(), connectors.ObjServer)
		w.Options = optSet(w.Options).masked(w.Spec(), connectors.ObjWrapper)
		info = &TableInfo{Table: *t, Server: *s, Wrapper: *w}
		return nil
	})
	return info, err
}

// Tables lists the tables user may see (owner, any privilege, superuser),
// by schema and name.
func (c *Catalog) Tables(ctx context.Context, user string) ([]Table, error) {
	var out []Table
	err := c.read(ctx, func(tx *txn) error {
		u, err := tx.actor(ctx, user)
		if err != nil {
			return err
		}
		out, err = tx.visibleTables(ctx, u)
		return err
	})
	return out, err
}

func (tx *txn) visibleTables(ctx context.Context, u *User) ([]Table, error) {
	names, err := tx.tableNames(ctx, `SELECT schema, name FROM tables ORDER BY schema, name`)
	if err != nil {
		return nil, err
	}
	var out []Table
	for _, n := range names {
		t, err := tx.table(ctx, n)
		if err != nil {
			return nil, err
		}
		if ok, err := tx.hasAny(ctx, u, KindTable, n.String(), t.Owner); err != nil {
			return nil, err
		} else if ok {
			out = append(out, *t)
		}
	}
	return out, nil
}

// ConnectInfo is what a connection pool needs to connect to a server as a
// user: options with secrets resolved. Never log it.
type ConnectInfo struct {
	Server    string
	Wrapper   string
	Connector string // the registered connector's name
	// Generation changes with any change to the server, its wrapper or its
	// user mappings; a pooled connection of an older generation is stale.
	Generation int64
	// NoUserMapping: the wrapper takes no credentials; one connection per
	// server serves every user, and MappingUser is "".
	NoUserMapping bool
	// MappingUser is the effective mapping's user: the user, or Public.
	MappingUser   string
	ServerOptions map[string]string
	UserOptions   map[string]string
}

// ConnectInfo returns the server's options and user's effective mapping
// (own, else PUBLIC, else 42704 "user mapping not found for user ..."), with
// secret references resolved. Only a wrapper whose spec says NoUserMapping
// needs no mapping.
func (c *Catalog) ConnectInfo(ctx context.Context, server, user string) (*ConnectInfo, error) {
	var ci *ConnectInfo
	err := c.read(ctx, func(tx *txn) error {
		s, err := tx.server(ctx, server)
		if err != nil {
			return err
		}
		w, err := tx.wrapper(ctx, s.Wrapper)
		if err != nil {
			return err
		}
		spec := w.Spec()
		ci = &ConnectInfo{Server: s.Name, Wrapper: w.Name, Connector: w.Connector(), Generation: s.Generation}
		if ci.ServerOptions, err = ResolveSecrets(spec, connectors.ObjServer, s.Name, s.Options); err != nil {
			return err
		}
		if spec != nil && spec.NoUserMapping {
			ci.NoUserMapping = true
			return nil
		}
		m, err := tx.effectiveMapping(ctx, s.Name, user)
		if err != nil {
			return err
		}
		ci.MappingUser = m.User
		ci.UserOptions, err = ResolveSecrets(spec, connectors.ObjUserMapping, s.Name, m.Options)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ci, nil
}

// EffectiveUserMapping returns user's mapping for server (own, else PUBLIC,
// else 42704) with secret references resolved to their values.
func (c *Catalog) EffectiveUserMapping(ctx context.Context, server, user string) (*UserMapping, error) {
	var m *UserMapping
	err := c.read(ctx, func(tx *txn) error {
		s, err := tx.server(ctx, server)
		if err != nil {
			return err
		}
		m, err = tx.effectiveMapping(ctx, s.Name, user)
		if err != nil {
			return err
		}
		resolved, err := ResolveSecrets(specOfWrapper(ctx, tx, s.Wrapper), connectors.ObjUserMapping, s.Name, m.Options)
		if err != nil {
			return err
		}
		m.Options = m.Options[:0]
		for _, k := range slices.Sorted(maps.Keys(resolved)) {
			m.Options = append(m.Options, Option{Name: k, Value: resolved[k]})
		}
		return nil
	})
	return m, err
}

// ServerGeneration returns a server's generation (see ConnectInfo), a cheap
// check for connection pools.
func (c *Catalog) ServerGeneration(ctx context.Context, server string) (int64, error) {
	var g int64
	err := c.read(ctx, func(tx *txn) error {
		s, err := tx.server(ctx, server)
		if err != nil {
			return err
		}
		g = s.Generation
		return nil
	})
	return g, err
}

// ResolveSecrets returns opts as a map, with each secret reference
// (NAME_env 'VAR', NAME_file '/path') replaced by NAME and the value it
// names. Errors name the option and variable or file, never a secret.
func ResolveSecrets(spec *connectors.Spec, obj connectors.Object, server string, opts []Option) (map[string]string, error) {
	return optSet(opts).resolved(spec, obj, server)
}

// GetServer returns a server user may see (owner, USAGE or superuser),
// secret options masked.
func (c *Catalog) GetServer(ctx context.Context, user, name string) (*Server, error) {
	servers, err := c.Servers(ctx, user)
	if err != nil {
		return nil, err
	}
	for i := range servers {
		if servers[i].Name == name {
			return &servers[i], nil
		}
	}
	// Tell an unknown server from an invisible one, as PostgreSQL does.
	var s *Server
	err = c.read(ctx, func(tx *txn) (err error) {
		s, err = tx.server(ctx, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return nil, sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied for foreign server %s", quoteIdent(s.Name))
}

// GetWrapper returns a wrapper (secret options masked).
func (c *Catalog) GetWrapper(ctx context.Context, name string) (*Wrapper, error) {
	var w *Wrapper
	err := c.read(ctx, func(tx *txn) (err error) {
		if w, err = tx.wrapper(ctx, name); err == nil {
			w.Options = optSet(w.Options).masked(w.Spec(), connectors.ObjWrapper)
		}
		return err
	})
	return w, err
}

// TablesOnServer lists every table on a server, without privilege checks:
// for the engine's own use (restoring memory tables' definitions when their
// server's connection opens), never for showing to a user.
func (c *Catalog) TablesOnServer(ctx context.Context, server string) ([]Table, error) {
	var out []Table
	err := c.read(ctx, func(tx *txn) error {
		names, err := tx.tableNames(ctx, `SELECT schema, name FROM tables WHERE server = ? ORDER BY schema, name`, server)
		if err != nil {
			return err
		}
		for _, n := range names {
			t, err := tx.table(ctx, n)
			if err != nil {
				return err
			}
			out = append(out, *t)
		}
		return nil
	})
	return out, err
}
