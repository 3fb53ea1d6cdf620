package parquet

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	"github.com/medleysql/medley/sql/sqlerr"
)

func TestErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	data := conntest.Data(mem)
	dir := t.TempDir()
	writeParquet(t, filepath.Join(dir, "std.parquet"), conntest.Schema(), data, 100)
	for _, b := range data {
		b.Release()
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.parquet"), []byte("this is not parquet at all, just some text"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	std := conntest.Fixture{}.Desc()
	col := func(name string, typ arrow.DataType, opts map[string]string) []connectors.ColumnDesc {
		return []connectors.ColumnDesc{{Name: name, Type: typ, Nullable: true, Options: opts}}
	}
	tests := []struct {
		name     string
		filename string
		cols     []connectors.ColumnDesc
		code     sqlerr.Code
		mention  []string
	}{
		{"missing file", "nosuch.parquet", std.Columns, sqlerr.FDWTableNotFound, []string{"nosuch.parquet"}},
		{"empty directory", "empty", std.Columns, sqlerr.FDWTableNotFound, []string{"empty"}},
		{"glob matches nothing", "*.nothing", std.Columns, sqlerr.FDWTableNotFound, []string{"*.nothing"}},
		{"malformed file", "bad.parquet", std.Columns, sqlerr.FDWError, []string{"bad.parquet"}},
		{"missing column", "std.parquet", col("nope", arrow.PrimitiveTypes.Int64, nil), sqlerr.FDWColumnNameNotFound, []string{"nope", "std.parquet"}},
		{"missing column_name", "std.parquet", col("id", arrow.PrimitiveTypes.Int64, map[string]string{"column_name": "zz"}), sqlerr.FDWColumnNameNotFound, []string{"zz"}},
		{"type mismatch", "std.parquet", col("s", arrow.PrimitiveTypes.Int64, nil), sqlerr.FDWInvalidDataType, []string{`"s"`, "int64", "utf8", "std.parquet"}},
		{"narrowing", "std.parquet", col("id", arrow.PrimitiveTypes.Int32, nil), sqlerr.FDWInvalidDataType, []string{"id"}},
	}
	conn, _ := Connector{}.Connect(context.Background(), connectors.ConnectParams{ServerOptions: map[string]string{"directory": dir}})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := connectors.TableDesc{Name: []string{"public", "t1"}, Options: map[string]string{"filename": tc.filename}, Columns: tc.cols}
			_, err := conn.Table(context.Background(), d)
			if err == nil {
				t.Fatal("no error")
			}
			if code := sqlerr.CodeOf(err); code != tc.code {
				t.Errorf("code %s, want %s: %v", code, tc.code, err)
			}
			for _, m := range append(tc.mention, "public.t1") {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	conn, _ := Connector{}.Connect(context.Background(), connectors.ConnectParams{ServerOptions: map[string]string{"directory": t.TempDir()}})
	_, err := conn.(connectors.SchemaImporter).ImportSchema(context.Background(), connectors.ImportRequest{RemoteSchema: "nosuchdir"})
	if sqlerr.CodeOf(err) != sqlerr.FDWSchemaNotFound || !strings.Contains(err.Error(), "nosuchdir") {
		t.Errorf("got %v", err)
	}
}
