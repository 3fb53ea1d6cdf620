package engine

import (
	"context"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/sqlerr"
)

// tableSet resolves the tables of one statement: it is the binder's catalog
// (bind.Catalog) and the executor's table resolver (arrowexec.TableResolver)
// at once, so a table is looked up, privilege-checked and connected once per
// statement, and the executor scans exactly what the binder saw.
type tableSet struct {
	db   *DB
	user string
	mem  memory.Allocator // for information_schema rows

	mu     sync.Mutex
	tables map[string]connectors.Table // by "schema.name"
	prog   progressSet
}

// progress reports what the statement's scans fetched so far.
func (ts *tableSet) progress() Progress { return ts.prog.snapshot() }

func newTableSet(db *DB, user string, mem memory.Allocator) *tableSet {
	return &tableSet{db: db, user: user, mem: mem, tables: map[string]connectors.Table{}}
}

var privOf = map[bind.Privilege]catalog.Privilege{
	bind.Select: catalog.PrivSelect, bind.Insert: catalog.PrivInsert,
	bind.Update: catalog.PrivUpdate, bind.Delete: catalog.PrivDelete,
}

// Table implements bind.Catalog.
func (ts *tableSet) Table(ctx context.Context, user, schema, name string, priv bind.Privilege) (*bind.TableInfo, error) {
	if schema == infoSchemaName {
		return ts.infoSchemaTable(ctx, name)
	}
	if schema == sysSchemaName {
		return ts.sysViewTable(name)
	}
	if schema == "" {
		schema = catalog.DefaultSchema
	}
	info, err := ts.db.cat.LookupTable(ctx, user, catalog.TableName{Schema: schema, Name: name}, privOf[priv])
	if sqlerr.Is(err, sqlerr.UndefinedTable) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := ts.db.cat.CheckServerUsage(ctx, user, info.Server.Name); err != nil {
		return nil, err
	}
	t, err := ts.connect(ctx, info)
	if err != nil {
		return nil, err
	}
	out := &bind.TableInfo{Schema: schema, Name: name, Server: info.Server.Name, Wrapper: info.Wrapper.Name, Rows: -1}
	for _, c := range info.Table.Columns {
		out.Columns = append(out.Columns, bind.ColumnInfo{Name: c.Name, Type: c.Type, Nullable: !c.NotNull})
	}
	if st, err := t.Statistics(ctx); err == nil {
		out.Rows = st.RowCount
		for i := range out.Columns {
			if i < len(st.Columns) {
				out.Columns[i].Distinct = distinctEstimate(st.Columns[i], st.RowCount)
			}
		}
	}
	return out, nil
}

// distinctEstimate is a column's distinct count for the optimizer: the
// source's own count, else for integers the width of the [min, max] range,
// capped by the row count; 0 when unknown.
func distinctEstimate(c connectors.ColumnStatistics, rows int64) int64 {
	n := c.DistinctCount
	if n < 0 {
		lo, lok := intValue(c.Min)
		hi, hok := intValue(c.Max)
		if !lok || !hok || hi < lo || hi-lo < 0 {
			return 0
		}
		n = hi - lo + 1
	}
	if rows >= 0 && n > rows {
		n = rows
	}
	return n
}

func intValue(v any) (int64, bool) {
	switch s := v.(type) {
	case *scalar.Int8:
		return int64(s.Value), s.Valid
	case *scalar.Int16:
		return int64(s.Value), s.Valid
	case *scalar.Int32:
		return int64(s.Value), s.Valid
	case *scalar.Int64:
		return s.Value, s.Valid
	}
	return 0, false
}

// connect finds the connector table behind a catalog table, through the
// connection pool, and remembers it for the executor.
func (ts *tableSet) connect(ctx context.Context, info *catalog.TableInfo) (connectors.Table, error) {
	key := info.Table.Schema + "." + info.Table.Name
	ts.mu.Lock()
	t, ok := ts.tables[key]
	ts.mu.Unlock()
	if ok {
		return t, nil
	}
	conn, err := ts.db.pool.Conn(ctx, info.Server.Name, ts.user)
	if err != nil {
		return nil, err
	}
	t, err = conn.Table(ctx, info.Table.Desc())
	if err != nil {
		return nil, err
	}
	ts.mu.Lock()
	ts.tables[key] = t
	ts.mu.Unlock()
	return t, nil
}

// ResolveTable implements arrowexec.TableResolver. Tables the binder saw
// are found directly; others (a client's Substrait plan) are looked up with
// the SELECT privilege. The executor's scans are counted for progress.
func (ts *tableSet) ResolveTable(ctx context.Context, names []string) (connectors.Table, error) {
	t, err := ts.table(ctx, names)
	if err != nil {
		return nil, err
	}
	return &countedTable{Table: t, c: ts.prog.counter(names)}, nil
}

// table finds the connector table of a qualified name.
func (ts *tableSet) table(ctx context.Context, names []string) (connectors.Table, error) {
	schema, name := catalog.DefaultSchema, ""
	switch len(names) {
	case 1:
		name = names[0]
	case 2:
		schema, name = names[0], names[1]
	default:
		return nil, sqlerr.New(sqlerr.UndefinedTable, "relation %q does not exist", strings.Join(names, "."))
	}
	ts.mu.Lock()
	t, ok := ts.tables[schema+"."+name]
	ts.mu.Unlock()
	if ok {
		return t, nil
	}
	if schema == infoSchemaName {
		if _, err := ts.infoSchemaTable(ctx, name); err != nil {
			return nil, err
		}
		return ts.table(ctx, names)
	}
	if schema == sysSchemaName {
		if _, err := ts.sysViewTable(name); err != nil {
			return nil, err
		}
		return ts.table(ctx, names)
	}
	info, err := ts.db.cat.LookupTable(ctx, ts.user, catalog.TableName{Schema: schema, Name: name}, catalog.PrivSelect)
	if err != nil {
		return nil, err
	}
	if err := ts.db.cat.CheckServerUsage(ctx, ts.user, info.Server.Name); err != nil {
		return nil, err
	}
	return ts.connect(ctx, info)
}
