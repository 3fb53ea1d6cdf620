package catalog

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// InfoSchemaViews are the information_schema views InfoSchema serves.
var InfoSchemaViews = []string{
	"columns", "foreign_data_wrapper_options", "foreign_data_wrappers", "foreign_server_options",
	"foreign_servers", "foreign_table_options", "foreign_tables", "schemata", "tables",
	"user_mapping_options", "user_mappings",
}

// InfoSchema returns the rows of an information_schema view as user sees
// them, as one Arrow record batch allocated from mem. The caller releases
// the reader.
//
// Column names are PostgreSQL's; Medley keeps the columns that describe
// its objects and drops PostgreSQL's internal ones (the _pg_ views, udt_*,
// collation and domain columns). Text columns are utf8, cardinal numbers
// int32. Visibility is PostgreSQL's: wrappers and servers the user owns or
// holds USAGE on, tables the user owns or holds any privilege on, user
// mappings of visible servers with secret option values masked (********)
// unless the viewer is the mapping's user, the server's owner (PUBLIC
// mappings) or a superuser. Every schema is listed in schemata.
func (c *Catalog) InfoSchema(ctx context.Context, user, viewName string, mem memory.Allocator) (array.RecordReader, error) {
	builders := map[string]func(ctx context.Context, tx *txn, u *User) (*view, error){
		"foreign_data_wrappers":        viewWrappers,
		"foreign_data_wrapper_options": viewWrapperOptions,
		"foreign_servers":              viewServers,
		"foreign_server_options":       viewServerOptions,
		"user_mappings":                viewMappings,
		"user_mapping_options":         viewMappingOptions,
		"foreign_tables":               viewForeignTables,
		"foreign_table_options":        viewForeignTableOptions,
		"tables":                       viewTables,
		"columns":                      viewColumns,
		"schemata":                     viewSchemata,
	}
	build, ok := builders[strings.ToLower(viewName)]
	if !ok {
		return nil, sqlerr.New(sqlerr.UndefinedTable, "relation \"information_schema.%s\" does not exist", viewName)
	}
	var v *view
	err := c.read(ctx, func(tx *txn) error {
		u, err := tx.actor(ctx, user)
		if err != nil {
			return err
		}
		v, err = build(ctx, tx, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v.reader(mem)
}

func (tx *txn) visibleWrappers(ctx context.Context, u *User) ([]Wrapper, error) {
	names, err := tx.strings(ctx, `SELECT name FROM wrappers ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var out []Wrapper
	for _, n := range names {
		w, err := tx.wrapper(ctx, n)
		if err != nil {
			return nil, err
		}
		if ok, err := tx.has(ctx, u, KindWrapper, w.Name, w.Owner, PrivUsage); err != nil {
			return nil, err
		} else if ok {
			w.Options = optSet(w.Options).masked(w.Spec(), connectors.ObjWrapper)
			out = append(out, *w)
		}
	}
	return out, nil
}

func viewWrappers(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("foreign_data_wrapper_catalog", "foreign_data_wrapper_name", "authorization_identifier",
		"library_name", "foreign_data_wrapper_language")
	ws, err := tx.visibleWrappers(ctx, u)
	for _, w := range ws {
		v.add(CatalogName, w.Name, w.Owner, nil, "go")
	}
	return v, err
}

func viewWrapperOptions(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("foreign_data_wrapper_catalog", "foreign_data_wrapper_name", "option_name", "option_value")
	ws, err := tx.visibleWrappers(ctx, u)
	for _, w := range ws {
		for _, o := range w.Options {
			v.add(CatalogName, w.Name, o.Name, o.Value)
		}
	}
	return v, err
}

func viewServers(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("foreign_server_catalog", "foreign_server_name", "foreign_data_wrapper_catalog",
		"foreign_data_wrapper_name", "foreign_server_type", "foreign_server_version", "authorization_identifier")
	ss, err := tx.visibleServers(ctx, u)
	for _, s := range ss {
		v.add(CatalogName, s.Name, CatalogName, s.Wrapper, nullIfEmpty(s.Type), nullIfEmpty(s.Version), s.Owner)
	}
	return v, err
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func viewServerOptions(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("foreign_server_catalog", "foreign_server_name", "option_name", "option_value")
	ss, err := tx.visibleServers(ctx, u)
	for _, s := range ss {
		for _, o := range s.Options {
			v.add(CatalogName, s.Name, o.Name, o.Value)
		}
	}
	return v, err
}

func viewMappings(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("authorization_identifier", "foreign_server_catalog", "foreign_server_name")
	ms, err := tx.visibleMappings(ctx, u)
	for _, m := range ms {
		v.add(m.User, CatalogName, m.Server)
	}
	return v, err
}

func viewMappingOptions(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("authorization_identifier", "foreign_server_catalog", "foreign_server_name", "option_name", "option_value")
	ms, err := tx.visibleMappings(ctx, u)
	for _, m := range ms {
		for _, o := range m.Options {
			v.add(m.User, CatalogName, m.Server, o.Name, o.Value)
		}
	}
	return v, err
}

func viewForeignTables(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("foreign_table_catalog", "foreign_table_schema", "foreign_table_name", "foreign_server_catalog", "foreign_server_name")
	ts, err := tx.visibleTables(ctx, u)
	for _, t := range ts {
		if !t.Memory {
			v.add(CatalogName, t.Schema, t.Name, CatalogName, t.Server)
		}
	}
	return v, err
}

func viewForeignTableOptions(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("foreign_table_catalog", "foreign_table_schema", "foreign_table_name", "option_name", "option_value")
	ts, err := tx.visibleTables(ctx, u)
	for _, t := range ts {
		if t.Memory {
			continue
		}
		spec := tx.tableSpec(ctx, &t)
		for _, o := range optSet(t.Options).masked(spec, connectors.ObjTable) {
			v.add(CatalogName, t.Schema, t.Name, o.Name, o.Value)
		}
	}
	return v, err
}

func (tx *txn) tableSpec(ctx context.Context, t *Table) *connectors.Spec {
	s, err := tx.server(ctx, t.Server)
	if err != nil {
		return nil
	}
	return specOfWrapper(ctx, tx, s.Wrapper)
}

func viewTables(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("table_catalog", "table_schema", "table_name", "table_type", "is_insertable_into", "is_typed")
	ts, err := tx.visibleTables(ctx, u)
	for _, t := range ts {
		typ, insertable := "FOREIGN", false
		if spec := tx.tableSpec(ctx, &t); spec != nil {
			insertable = spec.Capabilities.Writes
		}
		if t.Memory {
			typ, insertable = "BASE TABLE", true
		}
		v.add(CatalogName, t.Schema, t.Name, typ, yesNo(insertable), "NO")
	}
	return v, err
}

func viewColumns(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("table_catalog", "table_schema", "table_name", "column_name", "ordinal_position", "column_default",
		"is_nullable", "data_type", "character_maximum_length", "numeric_precision", "numeric_precision_radix",
		"numeric_scale", "datetime_precision").
		withInts("ordinal_position", "character_maximum_length", "numeric_precision", "numeric_precision_radix",
			"numeric_scale", "datetime_precision")
	ts, err := tx.visibleTables(ctx, u)
	for _, t := range ts {
		for i, c := range t.Columns {
			var def any
			if c.Default != nil {
				def = *c.Default
			}
			ti := typeInfo(c)
			v.add(CatalogName, t.Schema, t.Name, c.Name, int32(i+1), def, yesNo(!c.NotNull), ti.dataType,
				ti.charLen, ti.precision, ti.radix, ti.scale, ti.dtPrecision)
		}
	}
	return v, err
}

func viewSchemata(ctx context.Context, tx *txn, u *User) (*view, error) {
	v := newView("catalog_name", "schema_name", "schema_owner")
	rows, err := tx.QueryContext(ctx, `SELECT name, owner FROM schemas`)
	if err != nil {
		return nil, storageErr(err)
	}
	defer rows.Close()
	var all [][2]string
	for rows.Next() {
		var n, o string
		if err := rows.Scan(&n, &o); err != nil {
			return nil, storageErr(err)
		}
		all = append(all, [2]string{n, o})
	}
	all = append(all, [2]string{"information_schema", ""})
	sort.Slice(all, func(i, j int) bool { return all[i][0] < all[j][0] })
	for _, s := range all {
		v.add(CatalogName, s[0], nullIfEmpty(s[1]))
	}
	return v, storageErr(rows.Err())
}

// colType is what information_schema.columns says of a column's type.
type colType struct {
	dataType                                      string
	charLen, precision, radix, scale, dtPrecision any
}

var typeMods = regexp.MustCompile(`\s*\([^)]*\)`)

// typeInfo derives information_schema's type columns from the declared
// type text and Arrow type, as PostgreSQL reports them.
func typeInfo(c Column) colType {
	ti := colType{dataType: typeMods.ReplaceAllString(c.TypeText, "")}
	mods := typeMods.FindString(c.TypeText)
	switch t := c.Type.(type) {
	case *arrow.Decimal128Type:
		ti.precision, ti.scale, ti.radix = t.Precision, t.Scale, int32(10)
	case *arrow.Int16Type:
		ti.precision, ti.scale, ti.radix = int32(16), int32(0), int32(2)
	case *arrow.Int32Type:
		ti.precision, ti.scale, ti.radix = int32(32), int32(0), int32(2)
	case *arrow.Int64Type:
		ti.precision, ti.scale, ti.radix = int32(64), int32(0), int32(2)
	case *arrow.Float32Type:
		ti.precision, ti.radix = int32(24), int32(2)
	case *arrow.Float64Type:
		ti.precision, ti.radix = int32(53), int32(2)
	case *arrow.TimestampType, *arrow.Time64Type:
		ti.dtPrecision = int32(6)
	case *arrow.Date32Type:
		ti.dtPrecision = int32(0)
	case *arrow.StringType:
		if strings.HasPrefix(ti.dataType, "character") && mods != "" {
			n, err := strconv.Atoi(strings.Trim(mods, " ()"))
			if err == nil {
				ti.charLen = int32(n)
			}
		}
	}
	if strings.HasPrefix(ti.dataType, "timestamp") || strings.HasPrefix(ti.dataType, "time ") || ti.dataType == "time" {
		if mods != "" {
			if n, err := strconv.Atoi(strings.Trim(mods, " ()")); err == nil {
				ti.dtPrecision = int32(n)
			}
		}
	}
	return ti
}
