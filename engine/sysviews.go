package engine

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// sysSchemaName is the schema of Medley's own system views, resolved like
// information_schema: before the catalog, by the binder's table lookup.
const sysSchemaName = "medley"

// sysView is one system view: its columns and how its rows are built for
// the statement's user.
type sysView struct {
	schema *arrow.Schema
	rows   func(ctx context.Context, ts *tableSet, mem memory.Allocator) (arrow.RecordBatch, error)
}

// sysViews are the views of schema medley.
//
// medley.connections lists the engine's open foreign-server connections,
// one per (server, user mapping) as the pool keeps them (see connPool):
// server, wrapper, the mapping's user (NULL for wrappers that take no user
// mapping), mapping_kind ('user', 'PUBLIC' or 'none'), when it was opened
// and last handed to a statement, and uses (how many times a statement's
// scan took it). It never shows an option value, so no credential. A
// superuser sees every connection; other users see those made with their
// own mapping and the PUBLIC or mapping-less ones of servers they may use.
var sysViews = map[string]sysView{
	"connections": {schema: connectionsSchema, rows: connectionRows},
}

var connectionsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "server", Type: arrow.BinaryTypes.String},
	{Name: "wrapper", Type: arrow.BinaryTypes.String},
	{Name: "user", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "mapping_kind", Type: arrow.BinaryTypes.String},
	{Name: "opened_at", Type: types.TimestampTZ},
	{Name: "last_used", Type: types.TimestampTZ},
	{Name: "uses", Type: arrow.PrimitiveTypes.Int64},
}, nil)

// sysViewTable describes a system view to the binder and registers a
// scannable table for it, as infoSchemaTable does.
func (ts *tableSet) sysViewTable(view string) (*bind.TableInfo, error) {
	v, ok := sysViews[strings.ToLower(view)]
	if !ok {
		return nil, sqlerr.New(sqlerr.UndefinedTable, "relation \"%s.%s\" does not exist", sysSchemaName, view)
	}
	ts.mu.Lock()
	ts.tables[sysSchemaName+"."+view] = &sysTable{ts: ts, name: view, view: v}
	ts.mu.Unlock()
	info := &bind.TableInfo{Schema: sysSchemaName, Name: view, Wrapper: "system", Rows: -1}
	for _, f := range v.schema.Fields() {
		info.Columns = append(info.Columns, bind.ColumnInfo{Name: f.Name, Type: f.Type, Nullable: f.Nullable})
	}
	return info, nil
}

// connectionRows builds medley.connections for the statement's user.
func connectionRows(ctx context.Context, ts *tableSet, mem memory.Allocator) (arrow.RecordBatch, error) {
	viewer, err := ts.db.cat.GetUser(ctx, ts.user)
	if err != nil {
		return nil, err
	}
	b := array.NewRecordBuilder(mem, connectionsSchema)
	defer b.Release()
	for _, c := range ts.db.pool.list() {
		if !viewer.Superuser && !ts.seesConnection(ctx, c) {
			continue
		}
		kind := "user"
		switch c.User {
		case "":
			kind = "none"
		case catalog.Public:
			kind = "PUBLIC"
		}
		b.Field(0).(*array.StringBuilder).Append(c.Server)
		b.Field(1).(*array.StringBuilder).Append(c.Wrapper)
		if c.User == "" {
			b.Field(2).AppendNull()
		} else {
			b.Field(2).(*array.StringBuilder).Append(c.User)
		}
		b.Field(3).(*array.StringBuilder).Append(kind)
		opened, _ := arrow.TimestampFromTime(c.Opened, arrow.Microsecond)
		used, _ := arrow.TimestampFromTime(c.LastUsed, arrow.Microsecond)
		b.Field(4).(*array.TimestampBuilder).Append(opened)
		b.Field(5).(*array.TimestampBuilder).Append(used)
		b.Field(6).(*array.Int64Builder).Append(c.Uses)
	}
	return b.NewRecordBatch(), nil
}

// seesConnection reports whether a non-superuser may see c: made with the
// user's own mapping, or a shared (PUBLIC, mapping-less) one of a server the
// user holds USAGE on.
func (ts *tableSet) seesConnection(ctx context.Context, c pooledConn) bool {
	if c.User == ts.user {
		return true
	}
	if c.User != "" && c.User != catalog.Public {
		return false
	}
	return ts.db.cat.CheckServerUsage(ctx, ts.user, c.Server) == nil
}

// sysTable is a system view as a connector table; its rows are built when
// the scan opens.
type sysTable struct {
	ts   *tableSet
	name string
	view sysView
}

func (t *sysTable) Schema() *arrow.Schema { return t.view.schema }

func (t *sysTable) Statistics(context.Context) (connectors.Statistics, error) {
	return connectors.UnknownStatistics, nil
}

func (t *sysTable) Scan(_ context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	fields := make([]arrow.Field, len(req.Columns))
	for i, c := range req.Columns {
		fields[i] = t.view.schema.Field(c)
	}
	out := arrow.NewSchema(fields, nil)
	return &connectors.ScanPlan{
		Schema:        out,
		FilterSupport: make([]connectors.FilterSupport, len(req.Filters)),
		Partitions:    []connectors.Partition{&sysPartition{t: t, cols: req.Columns, schema: out}},
		Explain:       []string{sysSchemaName + "." + t.name},
	}, nil
}

type sysPartition struct {
	t      *sysTable
	cols   []int
	schema *arrow.Schema
}

func (p *sysPartition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	rec, err := p.t.view.rows(ctx, p.t.ts, mem)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	cols := make([]arrow.Array, len(p.cols))
	for i, c := range p.cols {
		cols[i] = rec.Column(c)
	}
	out := array.NewRecordBatch(p.schema, cols, rec.NumRows())
	defer out.Release()
	return array.NewRecordReader(p.schema, []arrow.RecordBatch{out})
}
