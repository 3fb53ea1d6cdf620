package arrowexec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/types"

	sqltypes "github.com/medleysql/medley/sql/types"
)

// arrowType maps a Substrait type to its Arrow type by sql/types' table
// (string and varchar are utf8, timestamps microseconds, interval_compound
// month_day_nano), the one the compiler and arrowexec/eval use.
func arrowType(t types.Type) (arrow.DataType, error) {
	dt, _, err := sqltypes.FromSubstrait(t)
	return dt, err
}

// colName is the name of an unnamed intermediate column.
func colName(i int) string { return fmt.Sprintf("$%d", i) }

// schemaOf builds a schema of nullable fields.
func schemaOf(names []string, dts []arrow.DataType) *arrow.Schema {
	fields := make([]arrow.Field, len(dts))
	for i, dt := range dts {
		n := colName(i)
		if i < len(names) && names[i] != "" {
			n = names[i]
		}
		fields[i] = arrow.Field{Name: n, Type: dt, Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// concatSchemas is left's fields followed by right's, all nullable when
// nullable is set.
func concatSchemas(left, right *arrow.Schema, nullLeft, nullRight bool) *arrow.Schema {
	fields := make([]arrow.Field, 0, left.NumFields()+right.NumFields())
	for _, f := range left.Fields() {
		f.Nullable = f.Nullable || nullLeft
		fields = append(fields, f)
	}
	for _, f := range right.Fields() {
		f.Nullable = f.Nullable || nullRight
		fields = append(fields, f)
	}
	return arrow.NewSchema(fields, nil)
}
