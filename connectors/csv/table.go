package csv

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/files"
	"github.com/medleysql/medley/connectors/internal/scan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// column is a declared column and how to read it.
type column struct {
	name         string
	remote       string // header name (header 'match')
	typ          arrow.DataType
	parse        appendFunc
	forceNotNull bool
	forceNull    bool
}

// Table is a foreign table over delimited text files.
type Table struct {
	name   []string
	schema *arrow.Schema
	files  []string
	opts   options
	cols   []column
}

var _ connectors.Table = (*Table)(nil)

// Table resolves the table's files and checks its column types; it reads
// no data.
func (c *Conn) Table(ctx context.Context, d connectors.TableDesc) (connectors.Table, error) {
	paths, err := files.Resolve(d.Name, c.dir, d.Options["filename"], Extensions...)
	if err != nil {
		return nil, err
	}
	t := &Table{name: d.Name, schema: d.Schema(), files: paths, opts: parseOptions(d.Options)}
	for _, cd := range d.Columns {
		col := column{name: cd.Name, remote: cd.Name, typ: cd.Type, parse: parserFor(cd.Type),
			forceNotNull: isTrue(cd.Options["force_not_null"]), forceNull: isTrue(cd.Options["force_null"])}
		if n, ok := cd.Options["column_name"]; ok {
			col.remote = n
		}
		if col.parse == nil {
			return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "foreign table %q: column %q has type %s, which csv files cannot hold",
				files.TableName(d.Name), cd.Name, cd.Type)
		}
		t.cols = append(t.cols, col)
	}
	return t, nil
}

// Schema is the declared schema.
func (t *Table) Schema() *arrow.Schema { return t.schema }

// Statistics are unknown for text files.
func (t *Table) Statistics(ctx context.Context) (connectors.Statistics, error) {
	return connectors.UnknownStatistics, nil
}

// Scan plans a scan partitioned by file (files.Scan); understood filters
// are Exact.
func (t *Table) Scan(ctx context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	return files.Scan("csv", t.name, t.schema, t.files, req, func(paths []string, read []int, mem memory.Allocator) scan.Source {
		return &source{t: t, files: paths, cols: read, mem: mem, schema: scan.Project(t.schema, read)}
	}), nil
}
