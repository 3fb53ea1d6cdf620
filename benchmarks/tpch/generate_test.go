package tpch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

var (
	sharedOnce sync.Once
	sharedDir  string
	sharedErr  error
)

// loadSF is the scale factor of the PostgreSQL load test:
// go test ./benchmarks/tpch -run Load -tpch.sf 1
var loadSF = flag.Float64("tpch.sf", 0.01, "scale factor of TestLoadPostgres")

// generated returns a directory with SF 0.01 in both formats, made once per
// test binary (TestMain removes it).
func generated(t *testing.T) string {
	t.Helper()
	sharedOnce.Do(func() {
		sharedDir, sharedErr = os.MkdirTemp("", "tpch-test-")
		if sharedErr == nil {
			sharedErr = Generate(context.Background(), Options{ScaleFactor: 0.01, Dir: sharedDir,
				Allocator: memory.NewGoAllocator()})
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedDir
}

func TestGenerateCounts(t *testing.T) {
	dir := generated(t)
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"region": 5, "nation": 25, "supplier": 100, "part": 2000,
		"partsupp": 8000, "customer": 1500, "orders": 15000}
	for name, n := range want {
		if m.Rows[name] != n {
			t.Errorf("%s: %d rows, want %d", name, m.Rows[name], n)
		}
		tb, _ := TableByName(name)
		if got, exact := tb.Rows(0.01); got != n || !exact {
			t.Errorf("Table(%s).Rows(0.01) = %d, %v; want %d, true", name, got, exact, n)
		}
	}
	if n := m.Rows["lineitem"]; n < 15000*38/10 || n > 15000*42/10 {
		t.Errorf("lineitem: %d rows, want about 4 × 15000", n)
	}
	for _, tb := range Tables {
		checkParquet(t, filepath.Join(dir, tb.Name+".parquet"), tb, m.Rows[tb.Name])
	}
}

// checkParquet reads a file back: schema, row count, statistics.
func checkParquet(t *testing.T, path string, tb Table, rows int64) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	if rdr.NumRows() != rows {
		t.Errorf("%s: %d rows in Parquet, manifest says %d", tb.Name, rdr.NumRows(), rows)
	}
	if st, err := rdr.MetaData().RowGroup(0).ColumnChunk(0); err != nil {
		t.Fatal(err)
	} else if ok, _ := st.StatsSet(); !ok {
		t.Errorf("%s: no column statistics", tb.Name)
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 4096}, mem)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	got, want := tbl.Schema().Fields(), tb.Schema().Fields()
	if len(got) != len(want) {
		t.Fatalf("%s: %d columns read back, want %d", tb.Name, len(got), len(want))
	}
	for i := range got { // ignoring the field ids Parquet adds as metadata
		if got[i].Name != want[i].Name || !arrow.TypeEqual(got[i].Type, want[i].Type) || got[i].Nullable != want[i].Nullable {
			t.Errorf("%s: column %d read back as %s, want %s", tb.Name, i, got[i], want[i])
		}
	}
	if tbl.NumRows() != rows {
		t.Errorf("%s: read %d rows, want %d", tb.Name, tbl.NumRows(), rows)
	}
}

// hashDir returns the SHA-256 of each file of dir with the given suffix.
func hashDir(t *testing.T, dir, suffix string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"+suffix))
	sort.Strings(files)
	out := map[string]string{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		if _, err := io.Copy(h, fh); err != nil {
			t.Fatal(err)
		}
		fh.Close()
		out[filepath.Base(f)] = hex.EncodeToString(h.Sum(nil))
	}
	return out
}

// csvHashes pin the CSV output at SF 0.01: a change here changes the data
// every test and benchmark sees, so update it only on purpose.
var csvHashes = map[string]string{
	"customer.csv": "54dd19e1103c2e0495fbee3911abb826105a354876f49cba22fc15d9b363b8f0",
	"lineitem.csv": "3d080ee34b2f40e8793aabe3f57c7232f0f42291e2150402dca4669d00efec9e",
	"nation.csv":   "130c26d461432d7cdd5b9b839938f8742f4563a57838a1534a8784c7d87523ed",
	"orders.csv":   "856560730e0a1d0d838055f884848e015c3d53da4b883f5911e46efdcd2569ed",
	"part.csv":     "43674ac69e30572066058d389ebb8eac2d73a7817763d4020e7e7e791927254d",
	"partsupp.csv": "fa0001786621fc57e66fe4a511e45c03cdf2205ed1afbef7898337505f25328a",
	"region.csv":   "c06fa1a0e4d9303aed332ed5d617b46a1c4c393c5467aa43e09a79c5c2339a21",
	"supplier.csv": "2f0c333e8842e70f0ac39850601613f1597f0dc477ea904b8a22dca895cbb4d2",
}

func TestDeterministic(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	a := generated(t)
	b := t.TempDir()
	// Other parallelism and a smaller row group: the same rows.
	if err := Generate(context.Background(), Options{ScaleFactor: 0.01, Dir: b, Parallelism: 1,
		Allocator: mem}); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{".csv", ".parquet", ".json"} {
		ha, hb := hashDir(t, a, suffix), hashDir(t, b, suffix)
		if len(ha) == 0 {
			t.Fatalf("no %s files", suffix)
		}
		for name, h := range ha {
			if hb[name] != h {
				t.Errorf("%s differs between runs", name)
			}
		}
		if suffix != ".csv" {
			continue
		}
		for name, h := range ha {
			if want, ok := csvHashes[name]; ok && want != h {
				t.Errorf("%s: sha256 %s, pinned %s", name, h, want)
			} else if !ok {
				t.Logf("%q: %q,", name, h)
			}
		}
	}
}

func TestGenerateCancel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Generate(ctx, Options{ScaleFactor: 0.01, Dir: dir, Allocator: mem})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("files left after cancel: %v", left)
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"zero scale", Options{Dir: "x"}},
		{"negative scale", Options{ScaleFactor: -1, Dir: "x"}},
		{"no dir", Options{ScaleFactor: 1}},
		{"bad format", Options{ScaleFactor: 1, Dir: "x", Formats: []Format{"orc"}}},
		{"bad table", Options{ScaleFactor: 1, Dir: "x", Tables: []string{"lineitems"}}},
		{"bad delimiter", Options{ScaleFactor: 1, Dir: "x", CSVDelimiter: '"'}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := Generate(context.Background(), tc.opts); err == nil {
				t.Error("no error")
			}
		})
	}
}
