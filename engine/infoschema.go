package engine

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/bind"
)

const infoSchemaName = "information_schema"

// infoSchemaTable describes an information_schema view to the binder and
// registers a scannable table for it. The rows are built by the catalog for
// the statement's user (secrets masked as the catalog decides).
func (ts *tableSet) infoSchemaTable(ctx context.Context, view string) (*bind.TableInfo, error) {
	rdr, err := ts.db.cat.InfoSchema(ctx, ts.user, view, ts.mem)
	if err != nil {
		return nil, err
	}
	schema := rdr.Schema()
	rdr.Release()
	t := &infoTable{cat: ts, view: view, schema: schema}
	ts.mu.Lock()
	ts.tables[infoSchemaName+"."+view] = t
	ts.mu.Unlock()
	info := &bind.TableInfo{Schema: infoSchemaName, Name: view, Wrapper: "information_schema", Rows: -1}
	for _, f := range schema.Fields() {
		info.Columns = append(info.Columns, bind.ColumnInfo{Name: f.Name, Type: f.Type, Nullable: true})
	}
	return info, nil
}

// infoTable is an information_schema view as a connector table.
type infoTable struct {
	cat    *tableSet
	view   string
	schema *arrow.Schema
}

func (t *infoTable) Schema() *arrow.Schema { return t.schema }

func (t *infoTable) Statistics(context.Context) (connectors.Statistics, error) {
	return connectors.UnknownStatistics, nil
}

func (t *infoTable) Scan(_ context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	fields := make([]arrow.Field, len(req.Columns))
	for i, c := range req.Columns {
		fields[i] = t.schema.Field(c)
	}
	out := arrow.NewSchema(fields, nil)
	return &connectors.ScanPlan{
		Schema:        out,
		FilterSupport: make([]connectors.FilterSupport, len(req.Filters)),
		Partitions:    []connectors.Partition{&infoPartition{t: t, cols: req.Columns, schema: out}},
		Explain:       []string{"information_schema." + t.view},
	}, nil
}

type infoPartition struct {
	t      *infoTable
	cols   []int
	schema *arrow.Schema
}

func (p *infoPartition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	rdr, err := p.t.cat.db.cat.InfoSchema(ctx, p.t.cat.user, p.t.view, mem)
	if err != nil {
		return nil, err
	}
	defer rdr.Release()
	var recs []arrow.RecordBatch
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	for rdr.Next() {
		rec := rdr.RecordBatch()
		cols := make([]arrow.Array, len(p.cols))
		for i, c := range p.cols {
			cols[i] = rec.Column(c)
		}
		recs = append(recs, array.NewRecordBatch(p.schema, cols, rec.NumRows()))
	}
	if err := rdr.Err(); err != nil {
		return nil, err
	}
	return array.NewRecordReader(p.schema, recs)
}
