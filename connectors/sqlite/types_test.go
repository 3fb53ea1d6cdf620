package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
	"github.com/medleysql/medley/sql/sqlerr"
)

// TestStrictValues reads cells that SQLite's dynamic typing let in but that
// do not fit the declared type: each is an error naming table, column and
// row; values that fit, and NULLs, read back exactly.
func TestStrictValues(t *testing.T) {
	path := newFile(t, "CREATE TABLE m (id INTEGER PRIMARY KEY, v)",
		"INSERT INTO m VALUES (1, 42), (2, NULL), (3, 'abc'), (4, 3000000000), (5, 2.5), (6, '2024-02-29'), (7, 1709164800),"+
			"(8, '123456789.125'), (9, x'ff'), (10, '99999999999.99')")
	c := open(t, path)
	ctx := context.Background()
	cases := []struct {
		typ  arrow.DataType
		unix bool
		ids  string // rows read in order
		want []string
		code sqlerr.Code // of the first failing row
		row  string
	}{
		{arrow.PrimitiveTypes.Int32, false, "1,2", []string{"42", "NULL"}, "", ""},
		{arrow.PrimitiveTypes.Int32, false, "1,3", nil, sqlerr.InvalidTextRepr, "row 2"},
		{arrow.PrimitiveTypes.Int32, false, "4", nil, sqlerr.NumericValueOutOfRange, "row 1"},
		{arrow.PrimitiveTypes.Int64, false, "5", nil, sqlerr.InvalidTextRepr, "row 1"},
		{arrow.PrimitiveTypes.Float64, false, "1,5", []string{"42", "2.5"}, "", ""},
		{arrow.FixedWidthTypes.Date32, false, "6,2", []string{"2024-02-29", "NULL"}, "", ""},
		{arrow.FixedWidthTypes.Date32, false, "7", nil, sqlerr.InvalidTextRepr, "row 1"},
		{arrow.FixedWidthTypes.Date32, true, "7", []string{"2024-02-29"}, "", ""},
		{&arrow.Decimal128Type{Precision: 12, Scale: 2}, false, "8,1", []string{"123456789.13", "42"}, "", ""},
		{&arrow.Decimal128Type{Precision: 12, Scale: 2}, false, "10", nil, sqlerr.NumericValueOutOfRange, "row 1"},
		{arrow.BinaryTypes.String, false, "9", nil, sqlerr.InvalidTextRepr, "row 1"},
		{arrow.FixedWidthTypes.Boolean, false, "5", nil, sqlerr.InvalidTextRepr, "row 1"},
	}
	for _, tc := range cases {
		t.Run(tc.typ.String()+"/"+tc.ids, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			_, err := c.db.Exec("DROP VIEW IF EXISTS w; CREATE VIEW w AS SELECT v FROM m WHERE id IN (" + tc.ids + ") ORDER BY instr('," + tc.ids + ",', ','||id||',')")
			if err != nil {
				t.Fatal(err)
			}
			cd := col("x", tc.typ)
			cd.Options = map[string]string{"column_name": "v"}
			if tc.unix {
				cd.Options["column_type"] = "INT"
			}
			tbl, err := c.Table(ctx, desc("w", cd))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := sqlconntest.ReadAll(context.Background(), tbl, mem)
			if tc.code != "" {
				if !sqlerr.Is(err, tc.code) || !strings.Contains(err.Error(), `"public.w"`) || !strings.Contains(err.Error(), `"x"`) ||
					!strings.Contains(err.Error(), tc.row) {
					t.Errorf("err = %v (%s), want %s naming table, column and %s", err, sqlerr.CodeOf(err), tc.code, tc.row)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r[0])
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := c.Table(ctx, desc("m", col("v", arrow.FixedWidthTypes.MonthDayNanoInterval))); !sqlerr.Is(err, sqlerr.FDWInvalidDataType) {
		t.Errorf("interval column: %v", err)
	}
	if _, err := c.Table(ctx, desc("m", col("nope", arrow.PrimitiveTypes.Int32))); !sqlerr.Is(err, sqlerr.FDWColumnNameNotFound) {
		t.Errorf("missing column: %v", err)
	}
}
