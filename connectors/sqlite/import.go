package sqlite

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

var _ connectors.SchemaImporter = (*Conn)(nil)

// ImportSchema lists the tables and views of the file (schema "main") from
// sqlite_master, with LIMIT TO / EXCEPT, and maps each column's declared
// type to an Arrow type (see arrowTypeOf).
func (c *Conn) ImportSchema(ctx context.Context, req connectors.ImportRequest) ([]connectors.TableDef, error) {
	if s := req.RemoteSchema; s != "" && !strings.EqualFold(s, "main") {
		return nil, sqlerr.New(sqlerr.FDWSchemaNotFound, "schema %q does not exist in SQLite file %q; its only schema is \"main\"", s, c.path)
	}
	rows, err := c.db.QueryContext(ctx,
		"SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name")
	if err != nil {
		return nil, c.queryError(ctx, err, c.path, "listing tables")
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, c.queryError(ctx, err, c.path, "listing tables")
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, c.queryError(ctx, err, c.path, "listing tables")
	}
	limit, except := nameSet(req.LimitTo), nameSet(req.Except)
	var defs []connectors.TableDef
	for _, n := range names {
		if (len(limit) > 0 && !limit[n]) || except[n] {
			continue
		}
		info, err := c.tableInfo(ctx, n)
		if err != nil {
			return nil, c.queryError(ctx, err, n, "reading columns")
		}
		def := connectors.TableDef{Name: n, Options: map[string]string{"table": n}}
		for _, rc := range info {
			t, err := arrowTypeOf(rc, len(info))
			if err != nil {
				return nil, sqlerr.Wrap(err, sqlerr.FDWInvalidDataType, "IMPORT FOREIGN SCHEMA: table %q, column %q", n, rc.name)
			}
			def.Columns = append(def.Columns, connectors.ColumnDesc{
				Name: rc.name, Type: t, Nullable: !rc.notNull && !isRowidAlias(rc, info),
			})
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

// isRowidAlias: an INTEGER PRIMARY KEY column is the 64-bit rowid.
func isRowidAlias(rc remoteColumn, all []remoteColumn) bool {
	if rc.pk != 1 || !strings.EqualFold(strings.TrimSpace(rc.decl), "INTEGER") {
		return false
	}
	for _, o := range all {
		if o.pk > 1 {
			return false
		}
	}
	return true
}

var declRE = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z0-9_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$`)

// arrowTypeOf maps a declared type, as sqlite_fdw does by name first and
// then by affinity: BOOL/BOOLEAN boolean; TINYINT, SMALLINT, INT2 int16;
// INT, INTEGER, MEDIUMINT, INT4 int32 (INTEGER PRIMARY KEY, the rowid,
// int64); BIGINT, INT8 and other INT types int64; REAL, FLOAT, DOUBLE
// float64; DECIMAL/NUMERIC(p,s) decimal128(p,s) (bare: decimal(38,10));
// DATE date32; DATETIME, TIMESTAMP timestamp[us]; TIME time64[us]; JSON
// and TEXT-affinity types and an empty type utf8; BLOB binary.
func arrowTypeOf(rc remoteColumn, ncols int) (arrow.DataType, error) {
	m := declRE.FindStringSubmatch(rc.decl)
	base := ""
	if m != nil {
		base = strings.ToUpper(strings.Join(strings.Fields(m[1]), " "))
	}
	switch base {
	case "BOOL", "BOOLEAN":
		return arrow.FixedWidthTypes.Boolean, nil
	case "TINYINT", "SMALLINT", "INT2":
		return arrow.PrimitiveTypes.Int16, nil
	case "INT", "INTEGER", "MEDIUMINT", "INT4":
		if rc.pk == 1 && base == "INTEGER" && ncols > 0 {
			return arrow.PrimitiveTypes.Int64, nil
		}
		return arrow.PrimitiveTypes.Int32, nil
	case "DECIMAL", "NUMERIC":
		if m[2] == "" {
			return &arrow.Decimal128Type{Precision: 38, Scale: 10}, nil
		}
		p, _ := strconv.Atoi(m[2])
		s := 0
		if m[3] != "" {
			s, _ = strconv.Atoi(m[3])
		}
		if p < 1 || p > 38 || s > p {
			return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "type %s: precision must be 1 to %d", rc.decl, 38)
		}
		return &arrow.Decimal128Type{Precision: int32(p), Scale: int32(s)}, nil
	case "DATE":
		return arrow.FixedWidthTypes.Date32, nil
	case "DATETIME", "TIMESTAMP":
		return &arrow.TimestampType{Unit: arrow.Microsecond}, nil
	case "TIME":
		return &arrow.Time64Type{Unit: arrow.Microsecond}, nil
	case "JSON", "":
		if rc.decl == "" || base == "JSON" {
			return arrow.BinaryTypes.String, nil
		}
	}
	switch affinityOf(rc.decl) {
	case affInteger:
		return arrow.PrimitiveTypes.Int64, nil
	case affText:
		return arrow.BinaryTypes.String, nil
	case affReal:
		return arrow.PrimitiveTypes.Float64, nil
	case affBlob:
		return arrow.BinaryTypes.Binary, nil
	}
	return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "declared type %q has no Arrow mapping (declare the foreign table's column yourself)", rc.decl)
}
