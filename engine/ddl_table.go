package engine

import (
	"context"
	"maps"
	"slices"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

func tableName(t parse.TableName) catalog.TableName {
	return catalog.TableName{Schema: t.Schema, Name: t.Name}
}

func columnDefs(cols []parse.ColumnDef) []catalog.ColumnDef {
	out := make([]catalog.ColumnDef, len(cols))
	for i, c := range cols {
		out[i] = columnDef(c)
	}
	return out
}

func columnDef(c parse.ColumnDef) catalog.ColumnDef {
	return catalog.ColumnDef{Name: c.Name, Type: c.TypeText, NotNull: c.NotNull,
		Default: strPtr(c.Default, c.Default != ""), Options: adds(c.Options)}
}

func (d *ddl) createForeignTable(ctx context.Context, s *parse.CreateForeignTable) error {
	_, err := d.cat.CreateTable(ctx, d.user, catalog.TableDef{Schema: s.Table.Schema, Name: s.Table.Name, Server: s.Server,
		Columns: columnDefs(s.Columns), Options: adds(s.Options), IfNotExists: s.IfNotExists})
	opts := append([]parse.Option{}, s.Options...)
	for _, c := range s.Columns {
		opts = append(opts, c.Options...)
	}
	return atOption(err, opts, nil)
}

// alterKinds maps the parser's ALTER FOREIGN TABLE actions to the catalog's.
var alterKinds = map[parse.AlterTableKind]catalog.AlterKind{
	parse.AlterAddColumn:         catalog.AlterAddColumn,
	parse.AlterDropColumn:        catalog.AlterDropColumn,
	parse.AlterRenameColumn:      catalog.AlterRenameColumn,
	parse.AlterRenameTable:       catalog.AlterRenameTable,
	parse.AlterSetSchema:         catalog.AlterSetSchema,
	parse.AlterColumnOptions:     catalog.AlterColumnOptions,
	parse.AlterColumnType:        catalog.AlterColumnType,
	parse.AlterColumnSetNotNull:  catalog.AlterColumnSetNotNull,
	parse.AlterColumnDropNotNull: catalog.AlterColumnDropNotNull,
	parse.AlterColumnSetDefault:  catalog.AlterColumnSetDefault,
	parse.AlterColumnDropDefault: catalog.AlterColumnDropDefault,
	parse.AlterTableOptions:      catalog.AlterTableOptions,
	parse.AlterOwner:             catalog.AlterOwner,
}

func (d *ddl) alterForeignTable(ctx context.Context, s *parse.AlterForeignTable) error {
	alt := catalog.TableAlter{Table: tableName(s.Table), IfExists: s.IfExists}
	for _, a := range s.Actions {
		kind, ok := alterKinds[a.Kind]
		if !ok {
			return sqlerr.At(sqlerr.FeatureNotSupported, a.Pos, "this ALTER FOREIGN TABLE action is not supported")
		}
		act := catalog.AlterAction{Kind: kind, Name: a.Name, NewName: a.NewName, Options: changes(a.Options),
			IfExists: a.IfExists || a.IfNotExists}
		switch a.Kind {
		case parse.AlterAddColumn, parse.AlterColumnType, parse.AlterColumnSetDefault:
			act.Column = columnDef(a.Column)
			if a.Kind == parse.AlterColumnSetDefault {
				act.Column.Default = &a.Column.Default
			}
		case parse.AlterOwner:
			if a.Owner != nil {
				act.NewName = d.role(*a.Owner)
			}
		}
		alt.Actions = append(alt.Actions, act)
	}
	return d.cat.AlterTable(ctx, d.user, alt)
}

// dropTables runs DROP FOREIGN TABLE (memory false) or DROP TABLE (memory
// true); a memory table's data is released too.
func (d *ddl) dropTables(ctx context.Context, names []parse.TableName, ifExists, memory bool) error {
	var tn []catalog.TableName
	for _, n := range names {
		tn = append(tn, tableName(n))
	}
	dropped, err := d.cat.DropTables(ctx, d.user, tn, ifExists, memory)
	if err != nil {
		return err
	}
	var gone []catalog.TableName
	for _, t := range dropped {
		if t.Memory {
			gone = append(gone, t.QualifiedName())
		}
	}
	return d.forgetMemoryTables(ctx, gone)
}

// forgetMemoryTables releases the data of dropped tables held by the open
// memory connection, if there is one (other tables are ignored).
func (d *ddl) forgetMemoryTables(ctx context.Context, dropped []catalog.TableName) error {
	conn := d.pool.openConn(catalog.MemoryServer)
	tc, ok := conn.(connectors.TableCreator)
	if !ok {
		return nil
	}
	for _, t := range dropped {
		err := tc.DropTable(ctx, connectors.TableDesc{Name: []string{t.Schema, t.Name}})
		if err != nil && !sqlerr.Is(err, sqlerr.UndefinedTable) {
			return err
		}
	}
	return nil
}

func (d *ddl) createTable(ctx context.Context, s *parse.CreateTable) error {
	if s.Query != nil {
		return sqlerr.At(sqlerr.FeatureNotSupported, s.Pos, "CREATE TABLE ... AS is run by the engine, not as DDL")
	}
	return createMemoryTable(ctx, d.cat, d.pool, d.user, tableName(s.Table), columnDefs(s.Columns), s.IfNotExists)
}

// createMemoryTable creates a memory table: a foreign table on the built-in
// memory server whose connection keeps the data. The catalog entry and the
// connector's table are made together; if the connector fails, the catalog
// entry is removed again.
func createMemoryTable(ctx context.Context, cat *catalog.Catalog, pool *connPool, user string, name catalog.TableName,
	cols []catalog.ColumnDef, ifNotExists bool) error {
	// Connect first: a new connection restores the existing tables.
	conn, err := pool.Conn(ctx, catalog.MemoryServer, user)
	if err != nil {
		return err
	}
	tc, ok := conn.(connectors.TableCreator)
	if !ok {
		return sqlerr.New(sqlerr.FeatureNotSupported, "server %q cannot create tables", catalog.MemoryServer)
	}
	created, err := cat.CreateTable(ctx, user, catalog.TableDef{Schema: name.Schema, Name: name.Name, Columns: cols,
		IfNotExists: ifNotExists, Memory: true})
	if err != nil || !created {
		return err
	}
	info, err := cat.LookupTable(ctx, user, name, catalog.PrivNone)
	if err == nil {
		err = tc.CreateTable(ctx, info.Table.Desc())
	}
	if err != nil {
		if _, derr := cat.DropTables(ctx, user, []catalog.TableName{name}, true, true); derr != nil {
			return sqlerr.Wrap(err, sqlerr.CodeOf(err), "creating table %q (and removing it again: %v)", name.Name, derr)
		}
		return err
	}
	return nil
}

// importSchema runs IMPORT FOREIGN SCHEMA: the server's connection lists
// the remote tables (connectors.SchemaImporter) and the catalog creates them
// all or none.
func (d *ddl) importSchema(ctx context.Context, s *parse.ImportForeignSchema) error {
	if err := d.cat.CheckServerUsage(ctx, d.user, s.Server); err != nil {
		return err
	}
	if err := d.schemaExists(ctx, s.LocalSchema); err != nil {
		return err
	}
	conn, err := d.pool.Conn(ctx, s.Server, d.user)
	if err != nil {
		return err
	}
	imp, ok := conn.(connectors.SchemaImporter)
	if !ok {
		srv, err := d.cat.GetServer(ctx, d.user, s.Server)
		if err != nil {
			return err
		}
		return sqlerr.New(sqlerr.FeatureNotSupported, "foreign-data wrapper %q does not support IMPORT FOREIGN SCHEMA", srv.Wrapper)
	}
	req := connectors.ImportRequest{RemoteSchema: s.RemoteSchema, Options: map[string]string{}}
	switch s.Restriction {
	case parse.ImportLimitTo:
		req.LimitTo = s.Tables
	case parse.ImportExcept:
		req.Except = s.Tables
	}
	for _, o := range s.Options {
		req.Options[o.Name] = o.Value
	}
	found, err := imp.ImportSchema(ctx, req)
	if err != nil {
		return err
	}
	var defs []catalog.TableDef
	for _, t := range found {
		// Filter here too, as PostgreSQL does, whatever the connector did.
		if (req.LimitTo != nil && !slices.Contains(req.LimitTo, t.Name)) || slices.Contains(req.Except, t.Name) {
			continue
		}
		def, err := importedTable(s, t)
		if err != nil {
			return err
		}
		defs = append(defs, def)
	}
	return d.cat.CreateTables(ctx, d.user, defs)
}

func (d *ddl) schemaExists(ctx context.Context, name string) error {
	schemas, err := d.cat.Schemas(ctx)
	if err != nil {
		return err
	}
	for _, sc := range schemas {
		if sc.Name == name {
			return nil
		}
	}
	return sqlerr.New(sqlerr.InvalidSchemaName, "schema %q does not exist", name)
}

// importedTable turns a connector's table into a CREATE FOREIGN TABLE.
func importedTable(s *parse.ImportForeignSchema, t connectors.TableDef) (catalog.TableDef, error) {
	def := catalog.TableDef{Schema: s.LocalSchema, Name: t.Name, Server: s.Server, Options: sortedAdds(t.Options)}
	for _, c := range t.Columns {
		typ := types.SQLName(c.Type)
		if _, err := types.Parse(typ); err != nil {
			return def, sqlerr.New(sqlerr.FDWInvalidDataType,
				"IMPORT FOREIGN SCHEMA: column %q of remote table %q has type %s, which Medley cannot represent", c.Name, t.Name, c.Type)
		}
		def.Columns = append(def.Columns, catalog.ColumnDef{Name: c.Name, Type: typ, NotNull: !c.Nullable, Options: sortedAdds(c.Options)})
	}
	return def, nil
}

func sortedAdds(m map[string]string) []catalog.OptionChange {
	var out []catalog.OptionChange
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, catalog.OptionChange{Action: catalog.OptionAdd, Name: k, Value: m[k]})
	}
	return out
}
