package mysql

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/sql/sqlerr"
)

// readAll scans every column of tbl and renders the rows as text, each
// value after its column's name.
func readAll(ctx context.Context, tbl connectors.Table, mem memory.Allocator) ([]string, error) {
	rows, err := sqlconntest.ReadAll(ctx, tbl, mem)
	out := make([]string, len(rows))
	for i, r := range rows {
		for c, v := range r {
			r[c] = tbl.Schema().Field(c).Name + "=" + v
		}
		out[i] = strings.Join(r, " ")
	}
	return out, err
}

const typesDDL = "CREATE TABLE types (id int PRIMARY KEY, ti tinyint, tu tinyint unsigned, si smallint, su smallint unsigned, " +
	"mi mediumint, i int, iu int unsigned, bi bigint, bu bigint unsigned, fl float, db double, de decimal(38,10), dz decimal(5,0), " +
	"c char(5), vc varchar(10), tx text, bl blob, bn binary(3), vb varbinary(5), dt date, dtt datetime(6), ts timestamp(6) NULL, tm time(6), " +
	"b1 bit(1), b8 bit(8), tb tinyint(1), js json, yr year, en enum('a','b'))"

const typesRows = "INSERT INTO types VALUES " +
	"(1, -128, 255, -32768, 65535, -8388608, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, " +
	"1.5, 2.2250738585072014e-308, 1234567890123456789012345678.0123456789, -99999, " +
	"'ab', 'héllo', 'line\\nbreak', X'00FF', X'0102', X'', '1000-01-01', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', " +
	"'23:59:59.999999', b'1', b'10000001', 1, '{\"a\": [1, 2]}', 2155, 'b'), " +
	"(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, " +
	"NULL, NULL, NULL, NULL, NULL, NULL, NULL), " +
	"(3, 0, 0, 0, 0, 0, 0, 0, 9223372036854775807, 0, -0.0, 1e308, -0.0000000001, 0, '', '', '', X'', X'000000', X'', '2024-02-29', " +
	"'1970-01-01 00:00:00', '1970-01-01 00:00:01', '00:00:00', b'0', b'0', 0, 'null', 1901, 'a')"

// TestTypes imports a table of every supported type and reads extreme
// values and NULLs back through the imported declaration.
func TestTypes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	m.Exec(t, db, typesDDL+"; "+typesRows+"; CREATE TABLE geo (g geometry)")
	c := connectTo(t, m)
	ctx := context.Background()
	defs, err := c.ImportSchema(ctx, connectors.ImportRequest{RemoteSchema: db, LimitTo: []string{"types"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 1 {
		t.Fatalf("LIMIT TO types imported %d tables", len(defs))
	}
	var out strings.Builder
	for _, cd := range defs[0].Columns {
		fmt.Fprintf(&out, "%s %s nullable=%v\n", cd.Name, cd.Type, cd.Nullable)
	}
	tbl, err := c.Table(ctx, connectors.TableDesc{Name: []string{"public", "types"}, Options: defs[0].Options, Columns: defs[0].Columns})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(ctx, tbl, mem)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		out.WriteString(r + "\n")
	}
	sqlconntest.Golden(t, "types.golden", out.String())

	// A type without a mapping fails the import, naming the column.
	_, err = c.ImportSchema(ctx, connectors.ImportRequest{RemoteSchema: db, Except: []string{"types"}})
	if !sqlerr.Is(err, sqlerr.FDWInvalidDataType) || !strings.Contains(err.Error(), `"g"`) {
		t.Errorf("import of a geometry column: %v", err)
	}
	if _, err := c.ImportSchema(ctx, connectors.ImportRequest{RemoteSchema: "no_such_db"}); !sqlerr.Is(err, sqlerr.FDWSchemaNotFound) {
		t.Errorf("import of a missing database: %v", err)
	}
}

// TestStrictValues declares columns narrower than the remote values: each
// read fails naming table, column and row, with 22003 or 22008.
func TestStrictValues(t *testing.T) {
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	m.Exec(t, db, typesDDL+"; "+typesRows+"; INSERT INTO types (id, dt) VALUES (4, '0000-00-00')")
	c := connectTo(t, m)
	ctx := context.Background()
	cases := []struct {
		col  string
		typ  arrow.DataType
		code sqlerr.Code
	}{
		{"bu", arrow.PrimitiveTypes.Int64, sqlerr.NumericValueOutOfRange},
		{"iu", arrow.PrimitiveTypes.Int32, sqlerr.NumericValueOutOfRange},
		{"de", &arrow.Decimal128Type{Precision: 10, Scale: 2}, sqlerr.NumericValueOutOfRange},
		{"si", arrow.PrimitiveTypes.Int8, sqlerr.NumericValueOutOfRange},
		{"dt", arrow.FixedWidthTypes.Date32, sqlerr.DatetimeFieldOverflow},
		{"b8", arrow.PrimitiveTypes.Int8, sqlerr.NumericValueOutOfRange},
	}
	for _, tc := range cases {
		t.Run(tc.col, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			d := connectors.TableDesc{Name: []string{"public", "narrow"}, Options: map[string]string{"dbname": db, "table_name": "types"},
				Columns: []connectors.ColumnDesc{{Name: "x", Type: tc.typ, Nullable: true, Options: map[string]string{"column_name": tc.col}}}}
			tbl, err := c.Table(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			_, err = readAll(ctx, tbl, mem)
			if !sqlerr.Is(err, tc.code) || !strings.Contains(err.Error(), `"public.narrow"`) || !strings.Contains(err.Error(), `"x"`) ||
				!strings.Contains(err.Error(), "row ") {
				t.Errorf("got %v (%s), want %s naming table, column and row", err, sqlerr.CodeOf(err), tc.code)
			}
		})
	}
	// An incompatible declaration fails at Table, naming the column.
	d := connectors.TableDesc{Name: []string{"public", "bad"}, Options: map[string]string{"dbname": db, "table_name": "types"},
		Columns: []connectors.ColumnDesc{{Name: "vc", Type: arrow.FixedWidthTypes.Date32}}}
	if _, err := c.Table(ctx, d); !sqlerr.Is(err, sqlerr.FDWInvalidDataType) || !strings.Contains(err.Error(), `"vc"`) {
		t.Errorf("date over varchar: %v", err)
	}
	var se *sqlerr.Error
	_, err := c.Table(ctx, connectors.TableDesc{Name: []string{"public", "bad"}, Options: map[string]string{"dbname": db, "table_name": "types"},
		Columns: []connectors.ColumnDesc{{Name: "nope", Type: arrow.PrimitiveTypes.Int32}}})
	if !errors.As(err, &se) || se.Code != sqlerr.FDWColumnNameNotFound {
		t.Errorf("missing column: %v", err)
	}
}
