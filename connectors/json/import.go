package json

import (
	"bufio"
	"bytes"
	"context"
	gojson "encoding/json"
	"io"
	"os"
	"strings"
	"time"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/files"
	"github.com/medleysql/medley/sql/sqlerr"
)

// sampleRows is how many objects type inference looks at.
const sampleRows = 1000

// ImportSchema lists the files of a directory as tables (see the package
// documentation), inferring their columns.
func (c *Conn) ImportSchema(ctx context.Context, req connectors.ImportRequest) ([]connectors.TableDef, error) {
	entries, err := files.ImportTables(c.dir, req.RemoteSchema, Extensions)
	if err != nil {
		return nil, err
	}
	return files.TableDefs(ctx, entries, req, infer, func(filename string) map[string]string {
		return map[string]string{"filename": filename}
	})
}

// infer reads a sample of a file and returns its columns.
func infer(table []string, path string) ([]connectors.ColumnDesc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, files.Error(table, path, err, sqlerr.IOError)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 256*1024)
	var names []string
	kinds := map[string]files.Kind{}
	for line, n := 0, 0; n < sampleRows; {
		text, err := r.ReadBytes('\n')
		if len(text) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return nil, files.Error(table, path, err, sqlerr.IOError)
		}
		line++
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue
		}
		n++
		if err := inferObject(text, &names, kinds); err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.InvalidTextRepr, "foreign table %q: file %q, line %d", files.TableName(table), path, line)
		}
	}
	var cols []connectors.ColumnDesc
	for _, name := range names {
		if k := kinds[name]; k != files.KindNested {
			cols = append(cols, connectors.ColumnDesc{Name: name, Type: k.ArrowType(), Nullable: true})
		}
	}
	return cols, nil
}

// inferObject walks one object's top-level keys in order.
func inferObject(text []byte, names *[]string, kinds map[string]files.Kind) error {
	dec := gojson.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != gojson.Delim('{') {
		return errNotObject
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if _, seen := kinds[key]; !seen {
			*names = append(*names, key)
			kinds[key] = files.KindUnknown
		}
		if k := classify(v); k != files.KindUnknown {
			kinds[key] = files.Widen(kinds[key], k)
		}
	}
	return nil
}

var errNotObject = sqlerr.New(sqlerr.InvalidTextRepr, "not a JSON object")

func classify(v any) files.Kind {
	switch x := v.(type) {
	case nil:
		return files.KindUnknown
	case bool:
		return files.KindBool
	case gojson.Number:
		if _, err := x.Int64(); err == nil {
			return files.KindInt
		}
		return files.KindFloat
	case string:
		if len(x) == 10 {
			if _, err := time.Parse("2006-01-02", x); err == nil {
				return files.KindDate
			}
		}
		for _, l := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
			if _, err := time.Parse(l, strings.TrimSpace(x)); err == nil {
				return files.KindTimestamp
			}
		}
		return files.KindText
	}
	return files.KindNested
}
