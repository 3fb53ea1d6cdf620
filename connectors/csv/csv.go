// Package csv is the "csv" foreign-data wrapper: tables over delimited text
// files, with the options of PostgreSQL's file_fdw.
//
// Options:
//   - server `directory`: base directory for relative file names and for
//     IMPORT FOREIGN SCHEMA (optional).
//   - table `filename` (required): a file, a directory (every *.csv, *.tsv
//     and *.txt file under it) or a glob pattern.
//   - table `format`: csv (default) or text (PostgreSQL COPY text format:
//     backslash escapes, \N for NULL, tab-delimited by default).
//   - table `header`: false (default), true (skip the first line of each
//     file) or match (the first line names the columns; declared columns
//     are found by name, honouring column_name).
//   - table `delimiter`, `quote`, `escape` (csv only), `null`: as in COPY.
//     Defaults: comma (tab for text), double quote, the quote character,
//     and an empty unquoted field (\N for text).
//   - table `encoding`: only UTF8 is supported (the default).
//   - column `force_not_null` 'true': never NULL; the null string reads as
//     an empty string. column `force_null` 'true': a quoted null string is
//     NULL too. column `column_name`: the header name (header 'match').
//
// Values are parsed strictly as the declared types (integers, floats,
// numeric, boolean spellings of PostgreSQL, ISO dates, times and
// timestamps, text, bytea in hex): a bad value is error 22P02 naming the
// table, file, line and column. A record with the wrong number of fields is
// 22P04.
//
// Scans are partitioned by file; filters that internal/pred understands
// are evaluated exactly (so a LIMIT is applied too). Statistics are unknown.
//
// IMPORT FOREIGN SCHEMA remote_schema: remote_schema is a directory
// (relative to the server's directory; "", "." and, unless such a
// sub-directory exists, "public" are the directory itself); each file in it is a table named
// after the file, each sub-directory of such files a table. The import
// options (format, header, delimiter, ...) are the table options given to
// every imported table; header defaults to true for import. Column names
// come from the header (c1, c2, ... without one) and types are inferred
// from the first 1000 records: boolean, bigint, double precision, date,
// timestamp, else text.
package csv

import (
	"context"
	"fmt"
	"strings"

	"github.com/medleysql/medley/connectors"
)

func init() { connectors.Register("csv", Connector{}) }

// Connector is the csv wrapper.
type Connector struct{}

var _ connectors.Connector = Connector{}

// Extensions are the file name extensions directories are searched for.
var Extensions = []string{".csv", ".tsv", ".txt"}

func oneOf(vals ...string) func(string) error {
	return func(v string) error {
		for _, x := range vals {
			if strings.EqualFold(v, x) {
				return nil
			}
		}
		return fmt.Errorf("must be one of %s", strings.Join(vals, ", "))
	}
}

func oneByte(v string) error {
	if len(v) != 1 {
		return fmt.Errorf("must be a single one-byte character")
	}
	return nil
}

var boolOpt = oneOf("true", "false", "on", "off", "1", "0", "yes", "no")

// Spec describes the wrapper's options (file_fdw's).
func (Connector) Spec() connectors.Spec {
	tbl := connectors.ObjTable
	return connectors.Spec{
		Doc: "Tables over CSV or PostgreSQL text-format files, with file_fdw's options. Values are parsed " +
			"strictly as the declared column types; IMPORT FOREIGN SCHEMA infers columns from the header and a sample.",
		Options: []connectors.Option{
			{Name: "directory", Object: connectors.ObjServer, Doc: "base directory for relative file names and IMPORT FOREIGN SCHEMA"},
			{Name: "filename", Object: tbl, Required: true, Doc: "a file, a directory of .csv/.tsv/.txt files, or a glob pattern"},
			{Name: "format", Object: tbl, Default: "csv", Check: oneOf("csv", "text"), Doc: "csv or text (COPY text format)"},
			{Name: "header", Object: tbl, Default: "false", Check: oneOf("true", "false", "match", "on", "off", "1", "0"), Doc: "true skips the first line; match also finds columns by the names in it"},
			{Name: "delimiter", Object: tbl, Check: oneByte, Doc: "field delimiter; ',' for csv, tab for text"},
			{Name: "quote", Object: tbl, Default: `"`, Check: oneByte, Doc: "quote character (csv)"},
			{Name: "escape", Object: tbl, Check: oneByte, Doc: "escape character inside quotes (csv); defaults to the quote"},
			{Name: "null", Object: tbl, Doc: `the string that means NULL; '' unquoted for csv, \N for text`},
			{Name: "encoding", Object: tbl, Default: "UTF8", Check: oneOf("utf8", "utf-8", "unicode"), Doc: "file encoding; only UTF8"},
			{Name: "force_not_null", Object: connectors.ObjColumn, Check: boolOpt, Doc: "true: the null string reads as an empty string, never NULL"},
			{Name: "force_null", Object: connectors.ObjColumn, Check: boolOpt, Doc: "true: a quoted null string is NULL too (csv)"},
			{Name: "column_name", Object: connectors.ObjColumn, Doc: "the column's name in the header, with header 'match'"},
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

// Conn is a csv server: its base directory.
type Conn struct{ dir string }

var (
	_ connectors.Conn           = (*Conn)(nil)
	_ connectors.SchemaImporter = (*Conn)(nil)
)

// Close does nothing; it is idempotent.
func (c *Conn) Close() error { return nil }

func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "true", "on", "1", "yes":
		return true
	}
	return false
}

// options are a table's parsed options.
type options struct {
	dialect
	header bool
	match  bool
}

func parseOptions(opts map[string]string) options {
	var o options
	o.text = strings.EqualFold(opts["format"], "text")
	o.delim, o.quote, o.null = ',', '"', ""
	if o.text {
		o.delim, o.null = '\t', `\N`
	}
	if v := opts["delimiter"]; v != "" {
		o.delim = v[0]
	}
	if v := opts["quote"]; v != "" {
		o.quote = v[0]
	}
	o.escape = o.quote
	if v := opts["escape"]; v != "" {
		o.escape = v[0]
	}
	if v, ok := opts["null"]; ok {
		o.null = v
	}
	h := strings.ToLower(opts["header"])
	o.match = h == "match"
	o.header = o.match || isTrue(h)
	return o
}
