package csv

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

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
	return files.TableDefs(ctx, entries, req, func(table []string, path string) ([]connectors.ColumnDesc, error) {
		return infer(table, path, parseOptions(tableOpts))
	}, func(filename string) map[string]string { return withFilename(tableOpts, filename) })
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
	var kinds []files.Kind
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
			kinds = append(kinds, files.KindUnknown)
		}
		for i, fl := range fs {
			if !fl.null {
				kinds[i] = files.Widen(kinds[i], classify(fl.val))
			}
		}
	}
	for len(names) < len(kinds) {
		names = append(names, fmt.Sprintf("c%d", len(names)+1))
	}
	cols := make([]connectors.ColumnDesc, len(names))
	for i, name := range names {
		k := files.KindUnknown
		if i < len(kinds) {
			k = kinds[i]
		}
		cols[i] = connectors.ColumnDesc{Name: name, Type: k.ArrowType(), Nullable: true}
	}
	return cols, nil
}

func classify(s string) files.Kind {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "true", "false":
		return files.KindBool
	}
	if _, err := strconv.ParseInt(t, 10, 64); err == nil {
		return files.KindInt
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil && t != "" && !strings.ContainsAny(strings.ToLower(t), "xp_") {
		return files.KindFloat
	}
	if len(t) == 10 {
		if _, err := time.Parse("2006-01-02", t); err == nil {
			return files.KindDate
		}
	}
	if _, err := ParseTimestamp(t, false); err == nil {
		return files.KindTimestamp
	}
	return files.KindText
}
