package files

import (
	"context"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
)

// InferFunc reads the columns of an imported table from a sample of its
// file path; table names it in errors.
type InferFunc func(table []string, path string) ([]connectors.ColumnDesc, error)

// TableDefs are the tables IMPORT FOREIGN SCHEMA req defines for the
// entries ImportTables found, less those LIMIT TO or EXCEPT leave out:
// each with the columns infer reads from its first file and the options
// options gives for its filename option (the entry's path, with forward
// slashes). A cancelled ctx stops it between tables.
func TableDefs(ctx context.Context, entries []Entry, req connectors.ImportRequest, infer InferFunc, options func(filename string) map[string]string) ([]connectors.TableDef, error) {
	var defs []connectors.TableDef
	for _, e := range entries {
		if !Filter(e.Table, req.LimitTo, req.Except) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cols, err := infer([]string{e.Table}, e.Files[0])
		if err != nil {
			return nil, err
		}
		defs = append(defs, connectors.TableDef{Name: e.Table, Options: options(filepath.ToSlash(e.Path)), Columns: cols})
	}
	return defs, nil
}

// Kind is a column type inferred from a sample of values. Kinds widen
// (Widen) along the order below: bool and the numbers to text, int to
// float, date to timestamp; Nested (a JSON object or array) absorbs every
// other and its column is left out.
type Kind int

// The inferred kinds.
const (
	KindUnknown Kind = iota // no value seen but NULLs: text
	KindBool
	KindInt
	KindFloat
	KindDate
	KindTimestamp
	KindText
	KindNested
)

// ArrowType is the column type of a kind: bool, int64, float64, date32,
// timestamp[us] or string.
func (k Kind) ArrowType() arrow.DataType {
	switch k {
	case KindBool:
		return arrow.FixedWidthTypes.Boolean
	case KindInt:
		return arrow.PrimitiveTypes.Int64
	case KindFloat:
		return arrow.PrimitiveTypes.Float64
	case KindDate:
		return arrow.FixedWidthTypes.Date32
	case KindTimestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	}
	return arrow.BinaryTypes.String
}

// Widen is the kind of a column holding values of kinds a and b.
func Widen(a, b Kind) Kind {
	switch {
	case a == KindUnknown || a == b:
		return b
	case a == KindNested || b == KindNested:
		return KindNested
	case (a == KindInt && b == KindFloat) || (a == KindFloat && b == KindInt):
		return KindFloat
	case (a == KindDate && b == KindTimestamp) || (a == KindTimestamp && b == KindDate):
		return KindTimestamp
	}
	return KindText
}
