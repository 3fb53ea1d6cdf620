package catalog

import (
	"context"
	"database/sql"
	"errors"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Wrapper is a foreign-data wrapper.
type Wrapper struct {
	Name      string
	Owner     string
	Handler   string // the registered connector it runs ("" = its own name)
	Validator string
	BuiltIn   bool
	Options   []Option
}

// Connector returns the name of the registered connector the wrapper runs.
func (w *Wrapper) Connector() string {
	if w.Handler != "" {
		return w.Handler
	}
	return w.Name
}

// Spec returns the option spec of the wrapper's connector, nil when no
// connector of that name is registered (any option is then accepted, as in
// PostgreSQL for a wrapper without validator).
func (w *Wrapper) Spec() *connectors.Spec {
	return specOf(w.Connector())
}

func specOf(name string) *connectors.Spec {
	c, ok := connectors.Lookup(name)
	if !ok {
		return nil
	}
	s := c.Spec()
	return &s
}

// WrapperDef is CREATE / ALTER FOREIGN DATA WRAPPER. Nil fields are not
// given; an empty Handler or Validator is NO HANDLER / NO VALIDATOR.
type WrapperDef struct {
	Name      string
	Handler   *string
	Validator *string
	Options   []OptionChange
	NewName   *string // ALTER ... RENAME TO
	NewOwner  *string // ALTER ... OWNER TO
}

// CreateWrapper runs CREATE FOREIGN DATA WRAPPER (superusers only).
func (c *Catalog) CreateWrapper(ctx context.Context, actor string, def WrapperDef) error {
	return c.write(ctx, func(tx *txn) error {
		if err := tx.requireSuperuser(ctx, actor, "create foreign-data wrapper "+quoteIdent(def.Name)); err != nil {
			return err
		}
		if _, err := tx.wrapper(ctx, def.Name); err == nil {
			return sqlerr.New(sqlerr.DuplicateObject, "foreign-data wrapper %s already exists", quoteIdent(def.Name))
		}
		w := &Wrapper{Name: def.Name, Owner: actor, Handler: strOr(def.Handler, ""), Validator: strOr(def.Validator, "")}
		return tx.saveWrapper(ctx, w, def.Options, true)
	})
}

// AlterWrapper runs ALTER FOREIGN DATA WRAPPER (superusers only, as in
// PostgreSQL).
func (c *Catalog) AlterWrapper(ctx context.Context, actor string, def WrapperDef) error {
	return c.write(ctx, func(tx *txn) error {
		if err := tx.requireSuperuser(ctx, actor, "alter foreign-data wrapper "+quoteIdent(def.Name)); err != nil {
			return err
		}
		w, err := tx.wrapper(ctx, def.Name)
		if err != nil {
			return err
		}
		if def.Handler != nil {
			w.Handler = *def.Handler
		}
		if def.Validator != nil {
			w.Validator = *def.Validator
		}
		if def.NewOwner != nil {
			u, err := tx.user(ctx, *def.NewOwner)
			if err != nil {
				return err
			}
			if !u.Superuser {
				return sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied to change owner of foreign-data wrapper %s", quoteIdent(w.Name)).
					WithHint("The owner of a foreign-data wrapper must be a superuser.")
			}
			w.Owner = u.Name
		}
		if err := tx.saveWrapper(ctx, w, def.Options, false); err != nil {
			return err
		}
		if def.NewName != nil {
			return tx.renameWrapper(ctx, w.Name, *def.NewName)
		}
		return nil
	})
}

func (tx *txn) renameWrapper(ctx context.Context, from, to string) error {
	if _, err := tx.wrapper(ctx, to); err == nil {
		return sqlerr.New(sqlerr.DuplicateObject, "foreign-data wrapper %s already exists", quoteIdent(to))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE wrappers SET name = ?, builtin = 0, handler = CASE handler WHEN '' THEN ? ELSE handler END WHERE name = ?`,
		to, from, from); err != nil {
		return storageErr(err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE grants SET object = ? WHERE kind = 'wrapper' AND object = ?`, to, from)
	return storageErr(err)
}

func (tx *txn) saveWrapper(ctx context.Context, w *Wrapper, changes []OptionChange, insert bool) error {
	opts, err := optSet(w.Options).apply(changes)
	if err != nil {
		return err
	}
	spec := w.Spec()
	if err := opts.validate(spec, connectors.ObjWrapper); err != nil {
		return err
	}
	js, err := tx.c.encode(opts, spec, connectors.ObjWrapper)
	if err != nil {
		return err
	}
	if insert {
		_, err = tx.ExecContext(ctx, `INSERT INTO wrappers(name, owner, handler, validator, options) VALUES (?, ?, ?, ?, ?)`,
			w.Name, w.Owner, w.Handler, w.Validator, js)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE wrappers SET owner = ?, handler = ?, validator = ?, options = ? WHERE name = ?`,
			w.Owner, w.Handler, w.Validator, js, w.Name)
		if err == nil {
			_, err = tx.ExecContext(ctx, `UPDATE servers SET gen = gen + 1 WHERE wrapper = ?`, w.Name)
		}
	}
	return storageErr(err)
}

// DropWrappers runs DROP FOREIGN DATA WRAPPER [IF EXISTS] ... [CASCADE],
// returning the tables dropped by CASCADE. Built-in wrappers cannot be
// dropped.
func (c *Catalog) DropWrappers(ctx context.Context, actor string, names []string, ifExists, cascade bool) ([]TableName, error) {
	var dropped []TableName
	err := c.write(ctx, func(tx *txn) error {
		a, err := tx.actor(ctx, actor)
		if err != nil {
			return err
		}
		for _, name := range names {
			w, err := tx.wrapper(ctx, name)
			if err != nil {
				if ifExists && sqlerr.Is(err, sqlerr.UndefinedObject) {
					c.notice(ctx, sqlerr.UndefinedObject, "foreign-data wrapper %s does not exist, skipping", quoteIdent(name))
					continue
				}
				return err
			}
			if err := ownerCheck(a, w.Owner, "foreign-data wrapper", name); err != nil {
				return err
			}
			if w.BuiltIn {
				return sqlerr.New(sqlerr.FeatureNotSupported, "cannot drop built-in foreign-data wrapper %s", quoteIdent(name))
			}
			t, err := tx.dropWrapper(ctx, name, cascade)
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

func (tx *txn) dropWrapper(ctx context.Context, name string, cascade bool) ([]TableName, error) {
	deps, err := tx.wrapperDependents(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(deps) > 0 && !cascade {
		return nil, dependentsError("foreign-data wrapper", name, deps, true)
	}
	servers, err := tx.strings(ctx, `SELECT name FROM servers WHERE wrapper = ?`, name)
	if err != nil {
		return nil, err
	}
	var dropped []TableName
	for _, s := range servers {
		t, err := tx.dropServerObjects(ctx, s)
		if err != nil {
			return nil, err
		}
		dropped = append(dropped, t...)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE kind = 'wrapper' AND object = ?`, name); err != nil {
		return nil, storageErr(err)
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM wrappers WHERE name = ?`, name)
	return dropped, storageErr(err)
}

// Wrappers lists the wrappers by name (options of secret kind masked).
func (c *Catalog) Wrappers(ctx context.Context) ([]Wrapper, error) {
	var out []Wrapper
	err := c.read(ctx, func(tx *txn) error {
		names, err := tx.strings(ctx, `SELECT name FROM wrappers ORDER BY name`)
		if err != nil {
			return err
		}
		for _, n := range names {
			w, err := tx.wrapper(ctx, n)
			if err != nil {
				return err
			}
			w.Options = optSet(w.Options).masked(w.Spec(), connectors.ObjWrapper)
			out = append(out, *w)
		}
		return nil
	})
	return out, err
}

// wrapper loads a wrapper with its plain options.
func (tx *txn) wrapper(ctx context.Context, name string) (*Wrapper, error) {
	w := Wrapper{Name: name}
	var js string
	err := tx.QueryRowContext(ctx, `SELECT owner, handler, validator, builtin, options FROM wrappers WHERE name = ?`, name).
		Scan(&w.Owner, &w.Handler, &w.Validator, &w.BuiltIn, &js)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sqlerr.New(sqlerr.UndefinedObject, "foreign-data wrapper %s does not exist", quoteIdent(name))
	}
	if err != nil {
		return nil, storageErr(err)
	}
	if w.Options, err = tx.c.decode(js); err != nil {
		return nil, err
	}
	return &w, nil
}

func strOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}
