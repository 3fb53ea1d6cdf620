package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// writeParquet writes one batch of (id bigint, name text) rows to path.
func writeParquet(t *testing.T, path string, ids []int64, names []string) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	ib := array.NewInt64Builder(mem)
	defer ib.Release()
	ib.AppendValues(ids, nil)
	sb := array.NewStringBuilder(mem)
	defer sb.Release()
	sb.AppendValues(names, nil)
	ia, sa := ib.NewArray(), sb.NewArray()
	defer ia.Release()
	defer sa.Release()
	rec := array.NewRecordBatch(schema, []arrow.Array{ia, sa}, int64(len(ids)))
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(schema, f, nil, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem)))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestEndToEndParquet: the CLI attaches a directory of Parquet files with
// IMPORT FOREIGN SCHEMA and joins its tables with a memory table.
func TestEndToEndParquet(t *testing.T) {
	e := newE2E(t)
	dir := filepath.Join(t.TempDir(), "shop")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeParquet(t, filepath.Join(dir, "customers.parquet"), []int64{1, 2, 3}, []string{"ann", "bo", "cy"})
	writeParquet(t, filepath.Join(dir, "orders.parquet"), []int64{1, 1, 3, 9}, []string{"pen", "ink", "cap", "lost"})
	script := `CREATE SERVER files FOREIGN DATA WRAPPER parquet OPTIONS (directory '` + filepath.Dir(dir) + `');
IMPORT FOREIGN SCHEMA shop FROM SERVER files INTO public;
CREATE TABLE vip (id bigint);
INSERT INTO vip VALUES (1);
SELECT c.name, count(o.id) AS orders, bool_or(v.id IS NOT NULL) AS vip
FROM customers c LEFT JOIN orders o ON o.id = c.id LEFT JOIN vip v ON v.id = c.id
GROUP BY c.name ORDER BY c.name;
`
	stdout, stderr, code := e.run(script, "-q", "-A", "-t")
	want := "ann|2|t\nbo|0|f\ncy|1|f\n"
	if code != 0 || stdout != want {
		t.Fatalf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}
	stdout, _, _ = e.run("", "-A", "-t", "-c", `\det`)
	if stdout != "public|customers|files\npublic|orders|files\n" { // memory tables are not foreign tables
		t.Errorf("\\det:\n%s", stdout)
	}
}
