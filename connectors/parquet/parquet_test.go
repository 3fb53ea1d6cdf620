package parquet

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
)

// writeParquet writes batches to path in row groups of at most rgRows rows.
func writeParquet(t *testing.T, path string, schema *arrow.Schema, batches []arrow.RecordBatch, rgRows int64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	props := parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(rgRows), parquet.WithAllocator(mem))
	w, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)))
	if err != nil {
		t.Fatal(err)
	}
	tbl := array.NewTableFromRecords(schema, batches)
	defer tbl.Release()
	if err := w.WriteTable(tbl, rgRows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// stdFixture writes the standard table as two files of row groups of 50
// rows under dir/std.
func stdFixture(t *testing.T, data []arrow.RecordBatch) conntest.Fixture {
	dir := t.TempDir()
	half := len(data) / 2
	writeParquet(t, filepath.Join(dir, "std", "part-0.parquet"), conntest.Schema(), data[:half], 50)
	writeParquet(t, filepath.Join(dir, "std", "part-1.parquet"), conntest.Schema(), data[half:], 50)
	return conntest.Fixture{
		Server: map[string]string{"directory": dir},
		Table:  map[string]string{"filename": "std"},
		Missing: func(d connectors.TableDesc) connectors.TableDesc {
			d.Options = map[string]string{"filename": "nosuch.parquet"}
			return d
		},
		Import:           &connectors.ImportRequest{RemoteSchema: "."},
		ImportName:       "std",
		ImportExactTypes: true,
		MinPartitions:    2,
	}
}

func TestConformance(t *testing.T) {
	conntest.Run(t, conntest.Harness{Connector: Connector{}, Setup: stdFixture})
}
