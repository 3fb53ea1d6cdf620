package catalog

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// view is an information_schema view's rows while they are collected:
// every column is text (PostgreSQL's sql_identifier / character_data /
// yes_or_no) unless listed in ints (cardinal_number, as int32).
type view struct {
	cols []string
	ints map[string]bool
	rows [][]any // string, int32, or nil for NULL
}

func newView(cols ...string) *view { return &view{cols: cols, ints: map[string]bool{}} }

func (v *view) withInts(cols ...string) *view {
	for _, c := range cols {
		v.ints[c] = true
	}
	return v
}

func (v *view) add(vals ...any) {
	if len(vals) != len(v.cols) {
		panic(fmt.Sprintf("information_schema row of %d values for %d columns", len(vals), len(v.cols)))
	}
	v.rows = append(v.rows, vals)
}

func (v *view) schema() *arrow.Schema {
	fields := make([]arrow.Field, len(v.cols))
	for i, c := range v.cols {
		t := arrow.DataType(arrow.BinaryTypes.String)
		if v.ints[c] {
			t = arrow.PrimitiveTypes.Int32
		}
		fields[i] = arrow.Field{Name: c, Type: t, Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// reader builds one record batch of the rows and returns it as a reader.
// The caller releases the reader.
func (v *view) reader(mem memory.Allocator) (array.RecordReader, error) {
	sc := v.schema()
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	for _, row := range v.rows {
		for i, val := range row {
			if err := appendValue(b.Field(i), val); err != nil {
				return nil, err
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return array.NewRecordReader(sc, []arrow.RecordBatch{rec})
}

func appendValue(fb array.Builder, val any) error {
	if val == nil {
		fb.AppendNull()
		return nil
	}
	switch x := fb.(type) {
	case *array.StringBuilder:
		s, ok := val.(string)
		if !ok {
			return sqlerr.New(sqlerr.InternalError, "information_schema: %T for a text column", val)
		}
		x.Append(s)
	case *array.Int32Builder:
		n, ok := val.(int32)
		if !ok {
			return sqlerr.New(sqlerr.InternalError, "information_schema: %T for an integer column", val)
		}
		x.Append(n)
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}
