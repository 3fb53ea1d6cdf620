package engine

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// IngestMode says what Ingest does when the table exists or does not.
type IngestMode int

const (
	// IngestAppend appends to an existing table (42P01 if missing).
	IngestAppend IngestMode = iota
	// IngestCreate creates a memory table (42P07 if it exists).
	IngestCreate
	// IngestCreateAppend creates a memory table when missing, else appends.
	IngestCreateAppend
	// IngestReplace drops an existing memory table and creates it anew.
	IngestReplace
)

// Ingest writes rows into table (schema "" is the first schema of the search
// path) as the session's user, who needs INSERT on it. A memory table it
// creates has the columns of rows' schema. The table's connector must accept
// writes (connectors.Inserter); the write is atomic as the connector's
// Insert is. It returns the number of rows written.
func (s *Session) Ingest(ctx context.Context, schema, table string, rows array.RecordReader, mode IngestMode) (int64, error) {
	if schema == "" {
		schema = catalog.DefaultSchema
		if sp := s.set.schemas(); len(sp) > 0 {
			schema = sp[0]
		}
	}
	name := catalog.TableName{Schema: schema, Name: table}
	_, lerr := s.db.cat.LookupTable(ctx, s.user, name, catalog.PrivNone)
	exists := lerr == nil
	if lerr != nil && !sqlerr.Is(lerr, sqlerr.UndefinedTable) {
		return 0, lerr
	}
	switch {
	case mode == IngestAppend && !exists:
		return 0, sqlerr.New(sqlerr.UndefinedTable, "relation %q does not exist", name.String())
	case mode == IngestCreate && exists:
		return 0, sqlerr.New(sqlerr.DuplicateTable, "relation %q already exists", name.String())
	case mode == IngestReplace && exists:
		d := &ddl{cat: s.db.cat, pool: s.db.pool, user: s.user}
		if err := d.dropTables(ctx, []parse.TableName{{Schema: schema, Name: table}}, false, true); err != nil {
			return 0, err
		}
		exists = false
	}
	if !exists {
		cols := make([]catalog.ColumnDef, rows.Schema().NumFields())
		for i, f := range rows.Schema().Fields() {
			cols[i] = catalog.ColumnDef{Name: f.Name, Type: types.SQLName(f.Type), NotNull: !f.Nullable}
			if _, err := types.Parse(cols[i].Type); err != nil {
				return 0, sqlerr.New(sqlerr.FeatureNotSupported, "column %q: Arrow type %s has no SQL type", f.Name, f.Type)
			}
		}
		if err := createMemoryTable(ctx, s.db.cat, s.db.pool, s.user, name, cols, false); err != nil {
			return 0, err
		}
	}
	info, err := s.db.cat.LookupTable(ctx, s.user, name, catalog.PrivInsert)
	if err != nil {
		return 0, err
	}
	if err := s.db.cat.CheckServerUsage(ctx, s.user, info.Server.Name); err != nil {
		return 0, err
	}
	t, err := newTableSet(s.db, s.user, s.db.alloc).connect(ctx, info)
	if err != nil {
		return 0, err
	}
	ins, ok := t.(connectors.Inserter)
	if !ok {
		return 0, sqlerr.New(sqlerr.FeatureNotSupported,
			"cannot insert into foreign table %q: its wrapper does not support writes", strings.Join([]string{schema, table}, "."))
	}
	return ins.Insert(ctx, rows)
}
