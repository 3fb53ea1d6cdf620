package postgres

import (
	"context"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// arrowTypeOf maps a remote column type (pg_type.typname, atttypmod) to the
// Arrow type IMPORT FOREIGN SCHEMA declares (see types.go).
func arrowTypeOf(typname string, typmod int32, isArray bool) arrow.DataType {
	if isArray {
		return arrow.BinaryTypes.String
	}
	switch typname {
	case "bool":
		return arrow.FixedWidthTypes.Boolean
	case "int2":
		return arrow.PrimitiveTypes.Int16
	case "int4":
		return arrow.PrimitiveTypes.Int32
	case "int8":
		return arrow.PrimitiveTypes.Int64
	case "float4":
		return arrow.PrimitiveTypes.Float32
	case "float8":
		return arrow.PrimitiveTypes.Float64
	case "numeric":
		if typmod >= 4 {
			p, s := (typmod-4)>>16&0xffff, (typmod-4)&0xffff
			if p <= 38 && s <= p {
				return &arrow.Decimal128Type{Precision: p, Scale: s}
			}
		}
		return arrow.BinaryTypes.String
	case "bytea":
		return arrow.BinaryTypes.Binary
	case "date":
		return arrow.FixedWidthTypes.Date32
	case "time":
		return arrow.FixedWidthTypes.Time64us
	case "timestamp":
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	case "timestamptz":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case "interval":
		return arrow.FixedWidthTypes.MonthDayNanoInterval
	}
	return arrow.BinaryTypes.String // text, varchar, bpchar, name, uuid, json, jsonb, enums, ...
}

// ImportSchema lists the tables, views and foreign tables of a remote
// schema from pg_catalog, honouring LIMIT TO and EXCEPT.
func (c *Conn) ImportSchema(ctx context.Context, req connectors.ImportRequest) ([]connectors.TableDef, error) {
	pc, err := c.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer c.release(pc)
	var exists bool
	if err := pc.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", req.RemoteSchema).Scan(&exists); err != nil {
		return nil, c.remoteError(ctx, err, "IMPORT FOREIGN SCHEMA %s", req.RemoteSchema)
	}
	if !exists {
		return nil, sqlerr.New(sqlerr.FDWSchemaNotFound, "schema %q does not exist on server %q", req.RemoteSchema, c.server)
	}
	rows, err := pc.Query(ctx, `SELECT c.relname, a.attname, a.attnotnull, t.typname, a.atttypmod, t.typcategory = 'A'
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		JOIN pg_type t ON t.oid = a.atttypid
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
		  AND (cardinality($2::text[]) = 0 OR c.relname = ANY ($2))
		  AND NOT (c.relname = ANY ($3))
		ORDER BY c.relname, a.attnum`, req.RemoteSchema, nonNil(req.LimitTo), nonNil(req.Except))
	if err != nil {
		return nil, c.remoteError(ctx, err, "IMPORT FOREIGN SCHEMA %s", req.RemoteSchema)
	}
	defer rows.Close()
	var defs []connectors.TableDef
	for rows.Next() {
		var table, col, typname string
		var notNull, isArray bool
		var typmod int32
		if err := rows.Scan(&table, &col, &notNull, &typname, &typmod, &isArray); err != nil {
			return nil, c.remoteError(ctx, err, "IMPORT FOREIGN SCHEMA %s", req.RemoteSchema)
		}
		if len(defs) == 0 || defs[len(defs)-1].Name != table {
			defs = append(defs, connectors.TableDef{Name: table,
				Options: map[string]string{"schema_name": req.RemoteSchema, "table_name": table}})
		}
		d := &defs[len(defs)-1]
		d.Columns = append(d.Columns, connectors.ColumnDesc{Name: col, Type: arrowTypeOf(typname, typmod, isArray),
			Nullable: !notNull, Options: map[string]string{"column_name": col}})
	}
	if err := rows.Err(); err != nil {
		return nil, c.remoteError(ctx, err, "IMPORT FOREIGN SCHEMA %s", req.RemoteSchema)
	}
	return defs, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
