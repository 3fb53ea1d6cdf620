// Package json is the "json" foreign-data wrapper: tables over
// newline-delimited JSON files (one object per line), decoded with
// arrow-go's JSON builders.
//
// Options:
//   - server `directory`: base directory for relative file names and for
//     IMPORT FOREIGN SCHEMA (optional).
//   - table `filename` (required): a file, a directory (every *.json,
//     *.jsonl and *.ndjson file under it) or a glob pattern.
//   - column `column_name`: the object key, when it differs from the
//     column's name.
//
// Each non-blank line must be a JSON object. Keys are matched exactly;
// keys not declared are ignored and missing keys are NULL. Values must fit
// the declared types (numbers or numeric strings for numbers, strings such
// as "2024-01-31" for dates and timestamps, numbers or strings for
// decimals); anything else is error 22P02 naming the table, file and line.
//
// Scans are partitioned by file; understood filters are evaluated exactly,
// so a LIMIT is applied too. Statistics are unknown.
//
// IMPORT FOREIGN SCHEMA remote_schema: remote_schema is a directory
// (relative to the server's directory; "", "." and, unless such a
// sub-directory exists, "public" are the directory itself); each file in it is a table named
// after the file, each sub-directory of such files a table. Columns are the
// keys of the first 1000 objects in order of first appearance, typed
// boolean, bigint, double precision, date or timestamp (for strings that
// all look like one), else text; keys holding objects or arrays are left out.
package json

import (
	"context"

	"github.com/medleysql/medley/connectors"
)

func init() { connectors.Register("json", Connector{}) }

// Connector is the json wrapper.
type Connector struct{}

var _ connectors.Connector = Connector{}

// Extensions are the file name extensions directories are searched for.
var Extensions = []string{".json", ".jsonl", ".ndjson"}

// Spec describes the wrapper's options.
func (Connector) Spec() connectors.Spec {
	return connectors.Spec{
		Doc: "Tables over newline-delimited JSON files (one object per line): a file, a directory of files " +
			"or a glob pattern. Columns are declared or inferred by IMPORT FOREIGN SCHEMA from a sample.",
		Options: []connectors.Option{
			{Name: "directory", Object: connectors.ObjServer, Doc: "base directory for relative file names and IMPORT FOREIGN SCHEMA"},
			{Name: "filename", Object: connectors.ObjTable, Required: true, Doc: "a file, a directory of .json/.jsonl/.ndjson files, or a glob pattern"},
			{Name: "column_name", Object: connectors.ObjColumn, Doc: "the object key of the column, when it differs from the column's name"},
		},
		Capabilities: connectors.Capabilities{
			Functions:  []string{"equal", "not_equal", "lt", "lte", "gt", "gte", "is_null", "is_not_null", "and", "or", "not"},
			Projection: true,
			Limit:      true,
		},
		NoUserMapping: true,
	}
}

// Connect returns a Conn for a server's directory.
func (Connector) Connect(ctx context.Context, p connectors.ConnectParams) (connectors.Conn, error) {
	return &Conn{dir: p.ServerOptions["directory"]}, nil
}

// Conn is a json server: its base directory.
type Conn struct{ dir string }

var (
	_ connectors.Conn           = (*Conn)(nil)
	_ connectors.SchemaImporter = (*Conn)(nil)
)

// Close does nothing; it is idempotent.
func (c *Conn) Close() error { return nil }
