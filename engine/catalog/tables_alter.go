package catalog

import (
	"context"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// AlterKind is one action of ALTER FOREIGN TABLE.
type AlterKind int

// The actions of ALTER FOREIGN TABLE.
const (
	AlterAddColumn         AlterKind = iota // ADD [COLUMN] [IF NOT EXISTS] Column
	AlterDropColumn                         // DROP [COLUMN] [IF EXISTS] Name
	AlterRenameColumn                       // RENAME [COLUMN] Name TO NewName
	AlterRenameTable                        // RENAME TO NewName
	AlterColumnOptions                      // ALTER [COLUMN] Name OPTIONS (...)
	AlterTableOptions                       // OPTIONS (...)
	AlterOwner                              // OWNER TO NewName
	AlterSetSchema                          // SET SCHEMA NewName
	AlterColumnType                         // ALTER [COLUMN] Name TYPE Column.Type
	AlterColumnSetNotNull                   // ALTER [COLUMN] Name SET NOT NULL
	AlterColumnDropNotNull                  // ALTER [COLUMN] Name DROP NOT NULL
	AlterColumnSetDefault                   // ALTER [COLUMN] Name SET DEFAULT Column.Default
	AlterColumnDropDefault                  // ALTER [COLUMN] Name DROP DEFAULT
)

// AlterAction is one action of ALTER FOREIGN TABLE.
type AlterAction struct {
	Kind     AlterKind
	Column   ColumnDef // AlterAddColumn
	Name     string    // the column acted on
	NewName  string    // renames, owner
	Options  []OptionChange
	IfExists bool // ADD COLUMN IF NOT EXISTS / DROP COLUMN IF EXISTS
}

// TableAlter is ALTER FOREIGN TABLE [IF EXISTS] name action, ...
type TableAlter struct {
	Table    TableName
	IfExists bool
	Actions  []AlterAction
}

// AlterTable runs ALTER FOREIGN TABLE (owner or superuser), all actions or
// none.
func (c *Catalog) AlterTable(ctx context.Context, actor string, alt TableAlter) error {
	return c.write(ctx, func(tx *txn) error {
		a, err := tx.actor(ctx, actor)
		if err != nil {
			return err
		}
		if alt.Table.Schema == "" {
			alt.Table.Schema = DefaultSchema
		}
		t, err := tx.table(ctx, alt.Table)
		if err != nil {
			if alt.IfExists && sqlerr.Is(err, sqlerr.UndefinedTable) {
				c.notice(ctx, sqlerr.UndefinedTable, "relation %s does not exist, skipping", quoteIdent(alt.Table.Name))
				return nil
			}
			return err
		}
		if err := kindCheck(t, false); err != nil {
			return err
		}
		if err := ownerCheck(a, t.Owner, "table", t.Name); err != nil {
			return err
		}
		s, err := tx.server(ctx, t.Server)
		if err != nil {
			return err
		}
		w, err := tx.wrapper(ctx, s.Wrapper)
		if err != nil {
			return err
		}
		newName, newSchema := "", ""
		for _, act := range alt.Actions {
			switch act.Kind {
			case AlterRenameTable:
				newName = act.NewName
				continue
			case AlterSetSchema:
				if err := tx.checkSetSchema(ctx, a, t, act.NewName); err != nil {
					return err
				}
				newSchema = act.NewName
				continue
			}
			if err := tx.applyAlter(ctx, t, w.Spec(), act); err != nil {
				return err
			}
		}
		if err := checkColumnNames(t); err != nil {
			return err
		}
		if err := tx.saveTable(ctx, t, w.Spec(), false); err != nil {
			return err
		}
		from := t.QualifiedName()
		if newName != "" || newSchema != "" {
			to := from
			if newName != "" {
				to.Name = newName
			}
			if newSchema != "" {
				to.Schema = newSchema
			}
			return tx.renameTable(ctx, from, to)
		}
		return nil
	})
}

func (tx *txn) checkSetSchema(ctx context.Context, a *User, t *Table, schema string) error {
	s, err := tx.schema(ctx, schema)
	if err != nil {
		return err
	}
	return tx.mayCreateIn(ctx, a, s)
}

func (tx *txn) applyAlter(ctx context.Context, t *Table, spec *connectors.Spec, act AlterAction) error {
	switch act.Kind {
	case AlterAddColumn:
		if colIndex(t, act.Column.Name) >= 0 {
			if act.IfExists {
				tx.c.notice(ctx, sqlerr.DuplicateColumn, "column %s of relation %s already exists, skipping",
					quoteIdent(act.Column.Name), quoteIdent(t.Name))
				return nil
			}
			return sqlerr.New(sqlerr.DuplicateColumn, "column %s of relation %s already exists",
				quoteIdent(act.Column.Name), quoteIdent(t.Name))
		}
		col, err := newColumn(act.Column, spec, t.QualifiedName())
		if err != nil {
			return err
		}
		t.Columns = append(t.Columns, col)
	case AlterDropColumn:
		i := colIndex(t, act.Name)
		if i < 0 {
			if act.IfExists {
				tx.c.notice(ctx, sqlerr.UndefinedColumn, "column %s of relation %s does not exist, skipping",
					quoteIdent(act.Name), quoteIdent(t.Name))
				return nil
			}
			return missingColumn(t, act.Name)
		}
		t.Columns = append(t.Columns[:i:i], t.Columns[i+1:]...)
	case AlterRenameColumn:
		i := colIndex(t, act.Name)
		if i < 0 {
			return missingColumn(t, act.Name)
		}
		if colIndex(t, act.NewName) >= 0 {
			return sqlerr.New(sqlerr.DuplicateColumn, "column %s of relation %s already exists",
				quoteIdent(act.NewName), quoteIdent(t.Name))
		}
		t.Columns[i].Name = act.NewName
	case AlterColumnOptions:
		i := colIndex(t, act.Name)
		if i < 0 {
			return missingColumn(t, act.Name)
		}
		opts, err := optSet(t.Columns[i].Options).apply(act.Options)
		if err != nil {
			return err
		}
		if err := opts.validate(spec, connectors.ObjColumn); err != nil {
			return err
		}
		t.Columns[i].Options = opts
	case AlterTableOptions:
		opts, err := optSet(t.Options).apply(act.Options)
		if err != nil {
			return err
		}
		t.Options = opts
	case AlterColumnType, AlterColumnSetNotNull, AlterColumnDropNotNull, AlterColumnSetDefault, AlterColumnDropDefault:
		return alterColumn(t, act)
	case AlterOwner:
		u, err := tx.user(ctx, act.NewName)
		if err != nil {
			return err
		}
		t.Owner = u.Name
	default:
		return sqlerr.New(sqlerr.FeatureNotSupported, "ALTER FOREIGN TABLE action %d is not supported", act.Kind)
	}
	return nil
}

// alterColumn changes a column's declaration (a foreign table's columns are
// declarations only: no data is rewritten, as in PostgreSQL).
func alterColumn(t *Table, act AlterAction) error {
	i := colIndex(t, act.Name)
	if i < 0 {
		return missingColumn(t, act.Name)
	}
	c := &t.Columns[i]
	switch act.Kind {
	case AlterColumnType:
		typ, err := types.Parse(act.Column.Type)
		if err != nil {
			return err
		}
		if c.TypeText, err = types.Canonical(act.Column.Type); err != nil {
			return err
		}
		c.Type = typ
	case AlterColumnSetNotNull:
		c.NotNull = true
	case AlterColumnDropNotNull:
		c.NotNull = false
	case AlterColumnSetDefault:
		c.Default = act.Column.Default
	case AlterColumnDropDefault:
		c.Default = nil
	}
	return nil
}

func colIndex(t *Table, name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func missingColumn(t *Table, name string) error {
	return sqlerr.New(sqlerr.UndefinedColumn, "column %s of relation %s does not exist", quoteIdent(name), quoteIdent(t.Name))
}

func (tx *txn) renameTable(ctx context.Context, from, dest TableName) error {
	if _, err := tx.table(ctx, dest); err == nil {
		return sqlerr.New(sqlerr.DuplicateTable, "relation %s already exists", quoteIdent(relName(dest)))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tables SET schema = ?, name = ? WHERE schema = ? AND name = ?`,
		dest.Schema, dest.Name, from.Schema, from.Name); err != nil {
		return storageErr(err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE grants SET object = ? WHERE kind = 'table' AND object = ?`, dest.String(), from.String())
	return storageErr(err)
}
