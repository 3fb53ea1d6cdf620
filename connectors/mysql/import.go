package mysql

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

var _ connectors.SchemaImporter = (*Conn)(nil)

// ImportSchema lists the tables and views of a remote database from
// information_schema, with LIMIT TO / EXCEPT, mapping each column's type
// with arrowTypeOf. A column of a type without a mapping fails the import
// with an error naming it.
func (c *Conn) ImportSchema(ctx context.Context, req connectors.ImportRequest) ([]connectors.TableDef, error) {
	db := req.RemoteSchema
	var found string
	err := c.db.QueryRowContext(ctx, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", db).Scan(&found)
	if err == sql.ErrNoRows {
		return nil, sqlerr.New(sqlerr.FDWSchemaNotFound, "IMPORT FOREIGN SCHEMA: database %q does not exist on server %q", db, c.server)
	}
	if err != nil {
		return nil, c.queryError(ctx, err, db, "IMPORT FOREIGN SCHEMA")
	}
	rows, err := c.db.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", db)
	if err != nil {
		return nil, c.queryError(ctx, err, db, "IMPORT FOREIGN SCHEMA")
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, c.queryError(ctx, err, db, "IMPORT FOREIGN SCHEMA")
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, c.queryError(ctx, err, db, "IMPORT FOREIGN SCHEMA")
	}
	limit, except := nameSet(req.LimitTo), nameSet(req.Except)
	var defs []connectors.TableDef
	for _, n := range names {
		if (len(limit) > 0 && !limit[n]) || except[n] {
			continue
		}
		rcols, err := c.columns(ctx, db, n)
		if err != nil {
			return nil, c.queryError(ctx, err, n, "IMPORT FOREIGN SCHEMA")
		}
		def := connectors.TableDef{Name: n, Options: map[string]string{"dbname": db, "table_name": n}}
		for _, rc := range rcols {
			t, err := arrowTypeOf(rc)
			if err != nil {
				return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "IMPORT FOREIGN SCHEMA: table %s.%s, column %q: %v", db, n, rc.name, err)
			}
			def.Columns = append(def.Columns, connectors.ColumnDesc{Name: rc.name, Type: t, Nullable: rc.nullable})
		}
		defs = append(defs, def)
	}
	return defs, nil
}

func nameSet(names []string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// arrowTypeOf maps a MySQL column type, as mysql_fdw does: tinyint(1) and
// bit(1) boolean; tinyint, smallint, year int16 (smallint unsigned int32);
// mediumint, int int32 (int unsigned int64); bigint int64 (bigint unsigned
// decimal(20,0): its values reach 2^64-1); decimal(p,s) decimal128(p,s)
// for p <= 38; float float32; double float64; bit(n) int64; char, varchar,
// the text types, enum, set and json utf8; binary, varbinary and the blob
// types binary; date date32; datetime timestamp[us]; timestamp
// timestamp[us, UTC]; time time64[us].
func arrowTypeOf(rc remoteColumn) (arrow.DataType, error) {
	u := rc.unsigned()
	switch rc.dataType {
	case "tinyint":
		if rc.colType == "tinyint(1)" {
			return arrow.FixedWidthTypes.Boolean, nil
		}
		return arrow.PrimitiveTypes.Int16, nil
	case "smallint":
		if u {
			return arrow.PrimitiveTypes.Int32, nil
		}
		return arrow.PrimitiveTypes.Int16, nil
	case "year":
		return arrow.PrimitiveTypes.Int16, nil
	case "mediumint":
		return arrow.PrimitiveTypes.Int32, nil
	case "int", "integer":
		if u {
			return arrow.PrimitiveTypes.Int64, nil
		}
		return arrow.PrimitiveTypes.Int32, nil
	case "bigint":
		if u {
			return &arrow.Decimal128Type{Precision: 20, Scale: 0}, nil
		}
		return arrow.PrimitiveTypes.Int64, nil
	case "decimal", "numeric":
		p, s := int32(rc.prec.Int64), int32(rc.scale.Int64)
		if p < 1 || p > 38 {
			return nil, fmt.Errorf("type %s: decimal precision above 38 has no Arrow decimal128 equivalent", rc.colType)
		}
		return &arrow.Decimal128Type{Precision: p, Scale: s}, nil
	case "float":
		return arrow.PrimitiveTypes.Float32, nil
	case "double", "real":
		return arrow.PrimitiveTypes.Float64, nil
	case "bit":
		if rc.colType == "bit(1)" {
			return arrow.FixedWidthTypes.Boolean, nil
		}
		return arrow.PrimitiveTypes.Int64, nil
	case "date":
		return arrow.FixedWidthTypes.Date32, nil
	case "datetime":
		return &arrow.TimestampType{Unit: arrow.Microsecond}, nil
	case "timestamp":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, nil
	case "time":
		return &arrow.Time64Type{Unit: arrow.Microsecond}, nil
	}
	switch classOf(rc) {
	case rString:
		return arrow.BinaryTypes.String, nil
	case rBinary:
		return arrow.BinaryTypes.Binary, nil
	}
	return nil, fmt.Errorf("type %s is not supported by the mysql wrapper", rc.colType)
}
