package parquet

import (
	"context"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/files"
)

// ImportSchema lists the Parquet tables of a directory (see the package
// documentation) honouring LIMIT TO and EXCEPT.
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
		cols, err := importColumns(e.Table, e.Files[0])
		if err != nil {
			return nil, err
		}
		defs = append(defs, connectors.TableDef{
			Name:    e.Table,
			Options: map[string]string{"filename": filepath.ToSlash(e.Path)},
			Columns: cols,
		})
	}
	return defs, nil
}

// importColumns reads a file's schema and maps it to declarable columns.
func importColumns(table, path string) ([]connectors.ColumnDesc, error) {
	_, man, err := readFooter([]string{table}, path)
	if err != nil {
		return nil, err
	}
	var cols []connectors.ColumnDesc
	for _, f := range man.Fields {
		if len(f.Children) > 0 || f.ColIndex < 0 {
			continue
		}
		t, ok := ImportType(f.Field.Type)
		if !ok {
			continue
		}
		cols = append(cols, connectors.ColumnDesc{Name: f.Field.Name, Type: t, Nullable: f.Field.Nullable})
	}
	return cols, nil
}

// ImportType maps a Parquet file's Arrow type to the type IMPORT FOREIGN
// SCHEMA declares (one of the types listed in sql/substrait/CONVENTIONS.md),
// or false for types it leaves out.
func ImportType(t arrow.DataType) (arrow.DataType, bool) {
	switch t.ID() {
	case arrow.BOOL, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
		arrow.STRING, arrow.BINARY, arrow.DATE32:
		return t, true
	case arrow.INT8, arrow.UINT8:
		return arrow.PrimitiveTypes.Int16, true
	case arrow.UINT16:
		return arrow.PrimitiveTypes.Int32, true
	case arrow.UINT32:
		return arrow.PrimitiveTypes.Int64, true
	case arrow.FLOAT16:
		return arrow.PrimitiveTypes.Float32, true
	case arrow.LARGE_STRING, arrow.STRING_VIEW:
		return arrow.BinaryTypes.String, true
	case arrow.LARGE_BINARY, arrow.BINARY_VIEW:
		return arrow.BinaryTypes.Binary, true
	case arrow.DATE64:
		return arrow.FixedWidthTypes.Date32, true
	case arrow.TIME32, arrow.TIME64:
		return arrow.FixedWidthTypes.Time64us, true
	case arrow.TIMESTAMP:
		if t.(*arrow.TimestampType).TimeZone != "" {
			return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, true
		}
		return &arrow.TimestampType{Unit: arrow.Microsecond}, true
	case arrow.DECIMAL128, arrow.DECIMAL256:
		d := t.(arrow.DecimalType)
		if d.GetPrecision() <= 38 {
			return &arrow.Decimal128Type{Precision: d.GetPrecision(), Scale: d.GetScale()}, true
		}
	}
	return nil, false
}
