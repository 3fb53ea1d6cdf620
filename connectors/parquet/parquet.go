// Package parquet is the "parquet" foreign-data wrapper: tables over Parquet
// files read with arrow-go's parquet/pqarrow.
//
// Options:
//   - server `directory`: base directory for relative file names and for
//     IMPORT FOREIGN SCHEMA (optional).
//   - table `filename` (required): one file, a directory (every *.parquet
//     file under it, recursively, skipping names starting with "." or "_"),
//     or a glob pattern ("data/2024-*.parquet").
//   - column `column_name`: the column's name in the files, if it differs.
//
// Columns are found by name in each file (exact, else case-insensitively).
// A declared type must equal the file's or be a safe widening of it (see
// castable); values are then cast while reading (timestamps to a coarser
// unit are truncated). A missing column or an incompatible type is an error
// naming the table, the column and the file.
//
// Scans read only the requested columns; partitions are row groups (grouped
// to respect MaxPartitions, in file order). Offered filters are used to skip
// row groups whose min/max/null-count statistics prove no row can match;
// they are answered Inexact and the engine re-checks them.
//
// IMPORT FOREIGN SCHEMA remote_schema FROM SERVER s: remote_schema is a
// directory (relative to the server's directory; "", "." and, unless such
// a sub-directory exists, "public" are the directory itself). Every Parquet file directly in it becomes a table named after the
// file (without extension), every sub-directory holding Parquet files a
// table named after the sub-directory (its files must share a schema; the
// first file's schema is used). Columns of types Medley cannot name
// (nested, unsigned 64-bit, ...) are left out.
//
// Hive-style key=value directories are not turned into columns yet.
package parquet

import (
	"context"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/files"
)

func init() { connectors.Register("parquet", Connector{}) }

// Connector is the parquet wrapper.
type Connector struct{}

var _ connectors.Connector = Connector{}

// Extensions are the file name extensions directories are searched for.
var Extensions = []string{".parquet", ".parq", ".pq"}

// Spec describes the wrapper's options.
func (Connector) Spec() connectors.Spec {
	return connectors.Spec{
		Doc: "Tables over Parquet files: a file, a directory of files or a glob pattern. Reads only the " +
			"columns needed, in parallel by row group, and skips row groups by their min/max statistics. " +
			"IMPORT FOREIGN SCHEMA over a directory makes one table per file and per sub-directory.",
		Options: []connectors.Option{
			{Name: "directory", Object: connectors.ObjServer, Doc: "base directory for relative file names and IMPORT FOREIGN SCHEMA"},
			{Name: "filename", Object: connectors.ObjTable, Required: true, Doc: "a Parquet file, a directory of Parquet files, or a glob pattern; relative to the server's directory"},
			{Name: "column_name", Object: connectors.ObjColumn, Doc: "the column's name in the Parquet files, when it differs"},
		},
		Capabilities: connectors.Capabilities{
			Functions:  []string{"equal", "not_equal", "lt", "lte", "gt", "gte", "is_null", "is_not_null", "and", "or", "not"},
			Projection: true,
		},
		NoUserMapping: true,
	}
}

// Connect returns a Conn for a server's directory.
func (Connector) Connect(ctx context.Context, p connectors.ConnectParams) (connectors.Conn, error) {
	return &Conn{dir: p.ServerOptions["directory"]}, nil
}

// Conn is a parquet server: just its base directory.
type Conn struct{ dir string }

var (
	_ connectors.Conn           = (*Conn)(nil)
	_ connectors.SchemaImporter = (*Conn)(nil)
)

// Close does nothing; it is idempotent.
func (c *Conn) Close() error { return nil }

// Table resolves the table's files and reads their footers; it checks that
// every declared column exists in every file with a compatible type.
func (c *Conn) Table(ctx context.Context, d connectors.TableDesc) (connectors.Table, error) {
	paths, err := files.Resolve(d.Name, c.dir, d.Options["filename"], Extensions...)
	if err != nil {
		return nil, err
	}
	t := &Table{name: d.Name, schema: d.Schema()}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := openFile(d, p)
		if err != nil {
			return nil, err
		}
		t.files = append(t.files, f)
	}
	return t, nil
}
