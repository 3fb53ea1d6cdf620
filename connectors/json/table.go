package json

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/files"
	"github.com/medleysql/medley/connectors/internal/scan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Table is a foreign table over NDJSON files.
type Table struct {
	name   []string
	schema *arrow.Schema
	remote []string // by column: the object key
	files  []string
}

var _ connectors.Table = (*Table)(nil)

// Supported reports whether a column of type t can be read from JSON.
func Supported(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
		arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.DATE32, arrow.TIMESTAMP, arrow.TIME64, arrow.DECIMAL128:
		return true
	}
	return false
}

// Table resolves the table's files and checks its column types; it reads
// no data.
func (c *Conn) Table(ctx context.Context, d connectors.TableDesc) (connectors.Table, error) {
	paths, err := files.Resolve(d.Name, c.dir, d.Options["filename"], Extensions...)
	if err != nil {
		return nil, err
	}
	t := &Table{name: d.Name, schema: d.Schema(), files: paths}
	for _, cd := range d.Columns {
		if !Supported(cd.Type) {
			return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "foreign table %q: column %q has type %s, which json files cannot hold",
				files.TableName(d.Name), cd.Name, cd.Type)
		}
		key := cd.Name
		if n, ok := cd.Options["column_name"]; ok {
			key = n
		}
		t.remote = append(t.remote, key)
	}
	return t, nil
}

// Schema is the declared schema.
func (t *Table) Schema() *arrow.Schema { return t.schema }

// Statistics are unknown for JSON files.
func (t *Table) Statistics(ctx context.Context) (connectors.Statistics, error) {
	return connectors.UnknownStatistics, nil
}

// Scan plans a scan partitioned by file (files.Scan); understood filters
// are Exact. A partition reads the columns by their object keys.
func (t *Table) Scan(ctx context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	return files.Scan("json", t.name, t.schema, t.files, req, func(paths []string, read []int, mem memory.Allocator) scan.Source {
		fields := make([]arrow.Field, len(read))
		for i, c := range read {
			fields[i] = arrow.Field{Name: t.remote[c], Type: t.schema.Field(c).Type, Nullable: true}
		}
		return &source{t: t, files: paths, mem: mem, schema: arrow.NewSchema(fields, nil)}
	}), nil
}
