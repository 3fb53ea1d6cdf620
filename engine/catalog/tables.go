package catalog

import (
	"context"
	"database/sql"
	"errors"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// Column is a declared column of a table.
type Column struct {
	Name     string
	TypeText string         // PostgreSQL's spelling as declared, e.g. "numeric(15,2)"
	Type     arrow.DataType // from types.Parse
	NotNull  bool
	Default  *string // the DEFAULT expression's text, nil if none
	Options  []Option
}

// Table is a foreign table (or a memory table, a foreign table on the
// built-in memory server made by CREATE TABLE).
type Table struct {
	Schema  string
	Name    string
	Server  string
	Owner   string
	Memory  bool // made by CREATE TABLE
	Options []Option
	Columns []Column
}

// QualifiedName returns the table's schema and name.
func (t *Table) QualifiedName() TableName { return TableName{t.Schema, t.Name} }

// Desc returns the table as a connector sees it.
func (t *Table) Desc() connectors.TableDesc {
	d := connectors.TableDesc{Name: []string{t.Schema, t.Name}, Options: optSet(t.Options).asMap()}
	for _, c := range t.Columns {
		d.Columns = append(d.Columns, connectors.ColumnDesc{
			Name: c.Name, Type: c.Type, Nullable: !c.NotNull, Options: optSet(c.Options).asMap(),
		})
	}
	return d
}

// ColumnDef is a column of CREATE FOREIGN TABLE / CREATE TABLE / ADD COLUMN.
type ColumnDef struct {
	Name    string
	Type    string // the type's SQL text, parsed with types.Parse
	NotNull bool
	Default *string
	Options []OptionChange
}

// TableDef is CREATE FOREIGN TABLE (Memory false) or CREATE TABLE (Memory
// true: Server is ignored and the built-in memory server is used).
type TableDef struct {
	Schema      string // "" = public
	Name        string
	Server      string
	Columns     []ColumnDef
	Options     []OptionChange
	IfNotExists bool
	Memory      bool
}

// CreateTable runs CREATE FOREIGN TABLE / CREATE TABLE. It reports whether
// the table was created (false when IF NOT EXISTS found it).
func (c *Catalog) CreateTable(ctx context.Context, actor string, def TableDef) (bool, error) {
	created := false
	err := c.write(ctx, func(tx *txn) (err error) {
		created, err = tx.createTable(ctx, actor, def)
		return err
	})
	return created, err
}

// CreateTables creates several foreign tables all-or-nothing (IMPORT
// FOREIGN SCHEMA).
func (c *Catalog) CreateTables(ctx context.Context, actor string, defs []TableDef) error {
	return c.write(ctx, func(tx *txn) error {
		for _, d := range defs {
			if _, err := tx.createTable(ctx, actor, d); err != nil {
				return err
			}
		}
		return nil
	})
}

func (tx *txn) createTable(ctx context.Context, actor string, def TableDef) (bool, error) {
	a, err := tx.actor(ctx, actor)
	if err != nil {
		return false, err
	}
	if def.Schema == "" {
		def.Schema = DefaultSchema
	}
	if def.Memory {
		def.Server = MemoryServer
	}
	name := TableName{def.Schema, def.Name}
	sch, err := tx.schema(ctx, def.Schema)
	if err != nil {
		return false, err
	}
	if _, err := tx.table(ctx, name); err == nil {
		if def.IfNotExists {
			tx.c.notice(ctx, sqlerr.DuplicateTable, "relation %s already exists, skipping", quoteIdent(def.Name))
			return false, nil
		}
		return false, sqlerr.New(sqlerr.DuplicateTable, "relation %s already exists", quoteIdent(def.Name))
	}
	if err := tx.mayCreateIn(ctx, a, sch); err != nil {
		return false, err
	}
	s, err := tx.server(ctx, def.Server)
	if err != nil {
		return false, err
	}
	if ok, err := tx.has(ctx, a, KindServer, s.Name, s.Owner, PrivUsage); err != nil || !ok {
		return false, denied(err, "foreign server", s.Name)
	}
	w, err := tx.wrapper(ctx, s.Wrapper)
	if err != nil {
		return false, err
	}
	t := &Table{Schema: def.Schema, Name: def.Name, Server: s.Name, Owner: a.Name, Memory: def.Memory}
	for _, cd := range def.Columns {
		col, err := newColumn(cd, w.Spec(), name)
		if err != nil {
			return false, err
		}
		t.Columns = append(t.Columns, col)
	}
	if err := checkColumnNames(t); err != nil {
		return false, err
	}
	opts, err := optSet(nil).apply(def.Options)
	if err != nil {
		return false, err
	}
	t.Options = opts
	return true, tx.saveTable(ctx, t, w.Spec(), true)
}

func newColumn(cd ColumnDef, spec *connectors.Spec, t TableName) (Column, error) {
	typ, err := types.Parse(cd.Type)
	if err != nil {
		return Column{}, err
	}
	text, err := types.Canonical(cd.Type)
	if err != nil {
		return Column{}, err
	}
	opts, err := optSet(nil).apply(cd.Options)
	if err != nil {
		return Column{}, err
	}
	if err := opts.validate(spec, connectors.ObjColumn); err != nil {
		return Column{}, err
	}
	return Column{Name: cd.Name, TypeText: text, Type: typ, NotNull: cd.NotNull, Default: cd.Default, Options: opts}, nil
}

func checkColumnNames(t *Table) error {
	seen := map[string]bool{}
	for _, c := range t.Columns {
		if seen[c.Name] {
			return sqlerr.New(sqlerr.DuplicateColumn, "column %s specified more than once", quoteIdent(c.Name))
		}
		seen[c.Name] = true
	}
	return nil
}

// saveTable validates t's table options and writes t with its columns.
func (tx *txn) saveTable(ctx context.Context, t *Table, spec *connectors.Spec, insert bool) error {
	opts := optSet(t.Options)
	if err := opts.validate(spec, connectors.ObjTable); err != nil {
		return err
	}
	js, err := tx.c.encode(opts, spec, connectors.ObjTable)
	if err != nil {
		return err
	}
	if insert {
		kind := "foreign"
		if t.Memory {
			kind = "memory"
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO tables(schema, name, kind, server, owner, options) VALUES (?, ?, ?, ?, ?, ?)`,
			t.Schema, t.Name, kind, t.Server, t.Owner, js)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE tables SET owner = ?, options = ? WHERE schema = ? AND name = ?`,
			t.Owner, js, t.Schema, t.Name)
	}
	if err != nil {
		return storageErr(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM columns WHERE schema = ? AND tbl = ?`, t.Schema, t.Name); err != nil {
		return storageErr(err)
	}
	for i, c := range t.Columns {
		cjs, err := tx.c.encode(c.Options, spec, connectors.ObjColumn)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO columns(schema, tbl, ord, name, type_text, not_null, has_default, default_text, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.Schema, t.Name, i+1, c.Name, c.TypeText, c.NotNull, c.Default != nil, strOr(c.Default, ""), cjs)
		if err != nil {
			return storageErr(err)
		}
	}
	return nil
}

// DropTables runs DROP FOREIGN TABLE (memory false) or DROP TABLE (memory
// true) [IF EXISTS] ... It returns the tables dropped.
func (c *Catalog) DropTables(ctx context.Context, actor string, names []TableName, ifExists, memory bool) ([]Table, error) {
	var dropped []Table
	err := c.write(ctx, func(tx *txn) error {
		a, err := tx.actor(ctx, actor)
		if err != nil {
			return err
		}
		for _, n := range names {
			if n.Schema == "" {
				n.Schema = DefaultSchema
			}
			t, err := tx.table(ctx, n)
			if err != nil {
				if ifExists && sqlerr.Is(err, sqlerr.UndefinedTable) {
					what := "foreign table"
					if memory {
						what = "table"
					}
					c.notice(ctx, sqlerr.UndefinedTable, "%s %s does not exist, skipping", what, quoteIdent(n.Name))
					continue
				}
				return err
			}
			if err := kindCheck(t, memory); err != nil {
				return err
			}
			if err := ownerCheck(a, t.Owner, "table", t.Name); err != nil {
				return err
			}
			if err := tx.deleteTable(ctx, n); err != nil {
				return err
			}
			dropped = append(dropped, *t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return dropped, nil
}

// kindCheck is PostgreSQL's 42809 for DROP TABLE on a foreign table and
// DROP FOREIGN TABLE on a table.
func kindCheck(t *Table, memory bool) error {
	if t.Memory == memory {
		return nil
	}
	if memory {
		return sqlerr.New("42809", "%s is not a table", quoteIdent(t.Name)).
			WithHint("Use DROP FOREIGN TABLE to remove a foreign table.")
	}
	return sqlerr.New("42809", "%s is not a foreign table", quoteIdent(t.Name)).
		WithHint("Use DROP TABLE to remove a table.")
}

// table loads a table with its columns and plain options; 42P01 if absent.
func (tx *txn) table(ctx context.Context, n TableName) (*Table, error) {
	t := Table{Schema: n.Schema, Name: n.Name}
	var js, kind string
	err := tx.QueryRowContext(ctx, `SELECT kind, server, owner, options FROM tables WHERE schema = ? AND name = ?`, n.Schema, n.Name).
		Scan(&kind, &t.Server, &t.Owner, &js)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sqlerr.New(sqlerr.UndefinedTable, "relation %s does not exist", quoteIdent(relName(n)))
	}
	if err != nil {
		return nil, storageErr(err)
	}
	t.Memory = kind == "memory"
	if t.Options, err = tx.c.decode(js); err != nil {
		return nil, err
	}
	if t.Columns, err = tx.columns(ctx, n); err != nil {
		return nil, err
	}
	return &t, nil
}

func relName(n TableName) string {
	if n.Schema == DefaultSchema || n.Schema == "" {
		return n.Name
	}
	return n.String()
}

func (tx *txn) columns(ctx context.Context, n TableName) ([]Column, error) {
	rows, err := tx.QueryContext(ctx,
		`SELECT name, type_text, not_null, has_default, default_text, options FROM columns WHERE schema = ? AND tbl = ? ORDER BY ord`,
		n.Schema, n.Name)
	if err != nil {
		return nil, storageErr(err)
	}
	defer rows.Close()
	var out []Column
	for rows.Next() {
		var c Column
		var hasDef bool
		var def, js string
		if err := rows.Scan(&c.Name, &c.TypeText, &c.NotNull, &hasDef, &def, &js); err != nil {
			return nil, storageErr(err)
		}
		if hasDef {
			c.Default = &def
		}
		if c.Type, err = types.Parse(c.TypeText); err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.InternalError, "column %s of %s", quoteIdent(c.Name), n)
		}
		if c.Options, err = tx.c.decode(js); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, storageErr(rows.Err())
}
