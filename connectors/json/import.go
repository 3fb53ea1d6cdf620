package json

import (
	"bufio"
	"bytes"
	"context"
	gojson "encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
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
	var defs []connectors.TableDef
	for _, e := range entries {
		if !files.Filter(e.Table, req.LimitTo, req.Except) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cols, err := infer([]string{e.Table}, e.Files[0])
		if err != nil {
			return nil, err
		}
		defs = append(defs, connectors.TableDef{Name: e.Table, Options: map[string]string{"filename": filepath.ToSlash(e.Path)}, Columns: cols})
	}
	return defs, nil
}

// kind is an inferred column type.
type kind int

const (
	kUnknown kind = iota
	kBool
	kInt
	kFloat
	kDate
	kTimestamp
	kText
	kNested // left out
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

func widen(a, b kind) kind {
	switch {
	case a == kUnknown || a == b:
		return b
	case a == kNested || b == kNested:
		return kNested
	case (a == kInt && b == kFloat) || (a == kFloat && b == kInt):
		return kFloat
	case (a == kDate && b == kTimestamp) || (a == kTimestamp && b == kDate):
		return kTimestamp
	}
	return kText
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
	kinds := map[string]kind{}
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
		if k := kinds[name]; k != kNested {
			cols = append(cols, connectors.ColumnDesc{Name: name, Type: k.arrowType(), Nullable: true})
		}
	}
	return cols, nil
}

// inferObject walks one object's top-level keys in order.
func inferObject(text []byte, names *[]string, kinds map[string]kind) error {
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
			kinds[key] = kUnknown
		}
		if k := classify(v); k != kUnknown {
			kinds[key] = widen(kinds[key], k)
		}
	}
	return nil
}

var errNotObject = sqlerr.New(sqlerr.InvalidTextRepr, "not a JSON object")

func classify(v any) kind {
	switch x := v.(type) {
	case nil:
		return kUnknown
	case bool:
		return kBool
	case gojson.Number:
		if _, err := x.Int64(); err == nil {
			return kInt
		}
		return kFloat
	case string:
		if len(x) == 10 {
			if _, err := time.Parse("2006-01-02", x); err == nil {
				return kDate
			}
		}
		for _, l := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
			if _, err := time.Parse(l, strings.TrimSpace(x)); err == nil {
				return kTimestamp
			}
		}
		return kText
	}
	return kNested
}
