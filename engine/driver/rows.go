package driver

import (
	"database/sql/driver"
	"io"
	"reflect"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/medleysql/medley/engine"
)

// rows walks an Arrow record reader row by row.
type rows struct {
	rdr array.RecordReader
	rec arrow.RecordBatch
	i   int
}

func newRows(rdr array.RecordReader) *rows { return &rows{rdr: rdr} }

func (r *rows) Columns() []string {
	fs := r.rdr.Schema().Fields()
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func (r *rows) Close() error {
	if r.rdr != nil {
		r.rdr.Release()
		r.rdr = nil
	}
	return nil
}

func (r *rows) Next(dest []driver.Value) error {
	for r.rec == nil || r.i >= int(r.rec.NumRows()) {
		if r.rdr == nil || !r.rdr.Next() {
			if r.rdr != nil && r.rdr.Err() != nil {
				return r.rdr.Err()
			}
			return io.EOF
		}
		r.rec, r.i = r.rdr.RecordBatch(), 0
	}
	for c := range dest {
		dest[c] = value(r.rec.Column(c), r.i)
	}
	r.i++
	return nil
}

// value converts one Arrow value to a database/sql driver value.
func value(a arrow.Array, i int) driver.Value {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.Binary:
		return append([]byte(nil), a.Value(i)...)
	case *array.Date32:
		return a.Value(i).ToTime()
	case *array.Timestamp:
		return a.Value(i).ToTime(a.DataType().(*arrow.TimestampType).Unit)
	}
	s, _ := engine.FormatValue(a, i)
	return s
}

// ColumnTypeScanType reports the Go type of a column's values.
func (r *rows) ColumnTypeScanType(index int) reflect.Type {
	switch r.rdr.Schema().Field(index).Type.ID() {
	case arrow.BOOL:
		return reflect.TypeOf(false)
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return reflect.TypeOf(int64(0))
	case arrow.FLOAT32, arrow.FLOAT64:
		return reflect.TypeOf(float64(0))
	case arrow.BINARY:
		return reflect.TypeOf([]byte(nil))
	case arrow.DATE32, arrow.TIMESTAMP:
		return reflect.TypeOf(time.Time{})
	}
	return reflect.TypeOf("")
}

// ColumnTypeDatabaseTypeName reports the Arrow type name.
func (r *rows) ColumnTypeDatabaseTypeName(index int) string {
	return r.rdr.Schema().Field(index).Type.String()
}
