package csv

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/files"
	"github.com/medleysql/medley/sql/sqlerr"
)

// sampleRows is how many records type inference looks at.
const sampleRows = 1000

// ImportSchema lists the files of a directory as tables (see the package
// documentation), inferring their columns.
func (c *Conn) ImportSchema(ctx context.Context, req connectors.ImportRequest) ([]connectors.TableDef, error) {
	entries, err := files.ImportTables(c.dir, req.RemoteSchema, Extensions)
	if err != nil {
		return nil, err
	}
	tableOpts := map[string]string{}
	for k, v := range req.Options {
		tableOpts[k] = v
	}
	if _, ok := tableOpts["header"]; !ok {
		tableOpts["header"] = "true"
	}
	if err := (Connector{}).Spec().Validate(connectors.ObjTable, withFilename(tableOpts, "x")); err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.FDWInvalidOptionName, "IMPORT FOREIGN SCHEMA %q", req.RemoteSchema)
	}
	var defs []connectors.TableDef
	for _, e := range entries {
		if !files.Filter(e.Table, req.LimitTo, req.Except) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cols, err := infer([]string{e.Table}, e.Files[0], parseOptions(tableOpts))
		if err != nil {
			return nil, err
		}
		defs = append(defs, connectors.TableDef{Name: e.Table, Options: withFilename(tableOpts, filepath.ToSlash(e.Path)), Columns: cols})
	}
	return defs, nil
}

func withFilename(opts map[string]string, name string) map[string]string {
	out := map[string]string{"filename": name}
	for k, v := range opts {
		out[k] = v
	}
	return out
}

// infer reads a sample of a file and returns its columns.
func infer(table []string, path string, o options) ([]connectors.ColumnDesc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, files.Error(table, path, err, sqlerr.IOError)
	}
	defer f.Close()
	lx := newLexer(f, o.dialect)
	var names []string
	var kinds []kind
	for n := 0; n < sampleRows+1; n++ {
		fs, _, err := lx.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, sqlerr.Wrap(err, badCopyFormat, "foreign table %q: file %q, line %d", files.TableName(table), path, lx.line)
		}
		if n == 0 && o.header {
			for _, h := range fs {
				names = append(names, h.val)
			}
			continue
		}
		for len(kinds) < len(fs) {
			kinds = append(kinds, kUnknown)
		}
		for i, fl := range fs {
			if !fl.null {
				kinds[i] = widen(kinds[i], classify(fl.val))
			}
		}
	}
	for len(names) < len(kinds) {
		names = append(names, fmt.Sprintf("c%d", len(names)+1))
	}
	cols := make([]connectors.ColumnDesc, len(names))
	for i, name := range names {
		k := kUnknown
		if i < len(kinds) {
			k = kinds[i]
		}
		cols[i] = connectors.ColumnDesc{Name: name, Type: k.arrowType(), Nullable: true}
	}
	return cols, nil
}

// kind is an inferred column type; kinds widen along the order below
// (bool and the numbers widen to text, date to timestamp).
type kind int

const (
	kUnknown kind = iota
	kBool
	kInt
	kFloat
	kDate
	kTimestamp
	kText
)

func (k kind) arrowType() arrow.DataType {
	switch k {
	case kBool:
		return arrow.FixedWidthTypes.Boolean
	case kInt:
		return arrow.PrimitiveTypes.Int64
	case kFloat:
		return arrow.PrimitiveTypes.Float64
	case kDate:
		return arrow.FixedWidthTypes.Date32
	case kTimestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	}
	return arrow.BinaryTypes.String
}

func classify(s string) kind {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "true", "false":
		return kBool
	}
	if _, err := strconv.ParseInt(t, 10, 64); err == nil {
		return kInt
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil && t != "" && !strings.ContainsAny(strings.ToLower(t), "xp_") {
		return kFloat
	}
	if len(t) == 10 {
		if _, err := time.Parse("2006-01-02", t); err == nil {
			return kDate
		}
	}
	if _, err := ParseTimestamp(t, false); err == nil {
		return kTimestamp
	}
	return kText
}

func widen(a, b kind) kind {
	switch {
	case a == kUnknown || a == b:
		return b
	case (a == kInt && b == kFloat) || (a == kFloat && b == kInt):
		return kFloat
	case (a == kDate && b == kTimestamp) || (a == kTimestamp && b == kDate):
		return kTimestamp
	}
	return kText
}
