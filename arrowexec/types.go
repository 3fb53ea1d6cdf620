package arrowexec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/compute/exprs"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/types"
)

var defaultExtSet = exprs.NewExtensionSetDefault(
	expr.NewEmptyExtensionRegistry(extensions.GetDefaultCollectionWithNoError()))

// arrowType maps a Substrait type to its Arrow type (sql/types' table:
// string and varchar are utf8, timestamps microseconds).
func arrowType(t types.Type) (arrow.DataType, error) {
	switch t.(type) {
	case *types.VarCharType, *types.FixedCharType:
		return arrow.BinaryTypes.String, nil
	}
	dt, _, err := exprs.FromSubstraitType(t, defaultExtSet)
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.FeatureNotSupported, "type %s", t)
	}
	return dt, nil
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
