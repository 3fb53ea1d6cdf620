package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/medleysql/medley/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// sampleSchema has one column of each kind psql formats differently.
var sampleSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "price", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}, Nullable: true},
	{Name: "ok", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
	{Name: "ratio", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
}, nil)

const sampleRows = `[
 {"id": 1, "name": "alice", "price": "12.50", "ok": true, "day": "2024-01-02", "at": "2024-01-02 03:04:05", "ratio": 0.5},
 {"id": 22, "name": "bob, \"the\" builder", "price": "-3.00", "ok": false, "day": "1999-12-31", "at": "2024-01-02 03:04:05.25", "ratio": 1e20},
 {"id": 333, "name": null, "price": null, "ok": null, "day": null, "at": null, "ratio": null},
 {"id": 4, "name": "two\nlines", "price": "0.07", "ok": true, "day": "2024-02-29", "at": "2024-02-29 23:59:59", "ratio": -0.0001}
]`

func sampleBackend(t *testing.T, mem memory.Allocator) *fakeBackend {
	mk := func(mem memory.Allocator) arrow.RecordBatch { return recordFromJSON(t, mem, sampleSchema, sampleRows) }
	return &fakeBackend{mem: mem, stmts: map[string]func(memory.Allocator) (*engine.Result, error){
		"select * from t": rowsResult(mk),
		"select 1":        rowsResult(mk),
		"create server s": tagResult("CREATE SERVER"),
	}}
}

// TestFormatsGolden prints the sample through every text format and
// option and compares with testdata/*.golden (go test -update rewrites).
func TestFormatsGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"table", nil},
		{"table_tuples_only", []string{"-t"}},
		{"table_null", []string{"--null", "(null)"}},
		{"unaligned", []string{"-A"}},
		{"unaligned_tuples_sep", []string{"-A", "-t", "-F", ","}},
		{"csv", []string{"--format", "csv"}},
		{"csv_tuples_null", []string{"--format", "csv", "-t", "--null", `\N`}},
		{"json", []string{"--format", "json"}},
		{"ndjson", []string{"--format", "ndjson"}},
		{"expanded", []string{"-x"}},
		{"expanded_tuples_only", []string{"-x", "-t"}},
		{"expanded_unaligned", []string{"-x", "-A"}},
		{"tag", []string{"-c", "create server s"}},
		{"tag_quiet", []string{"-q", "-c", "create server s"}},
		{"tag_json", []string{"--format", "json", "-c", "create server s"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			args := tc.args
			if !contains(args, "-c") {
				args = append(args, "-c", "select * from t")
			}
			stdout, stderr, code := runFake(t, sampleBackend(t, mem), "", args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			golden(t, tc.name, stdout)
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// golden compares got with testdata/NAME.golden, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// TestArrowAndParquetRoundTrip writes the sample as an Arrow IPC stream and
// as Parquet (to -o files) and reads them back.
func TestArrowAndParquetRoundTrip(t *testing.T) {
	for _, format := range []string{formatArrow, formatParquet} {
		t.Run(format, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			out := filepath.Join(t.TempDir(), "out."+format)
			_, stderr, code := runFake(t, sampleBackend(t, mem), "", "--format", format, "-o", out, "-c", "select * from t")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			want := recordFromJSON(t, mem, sampleSchema, sampleRows)
			defer want.Release()
			got := readBack(t, mem, format, data)
			defer got.Release()
			if !array.RecordEqual(want, got) {
				t.Errorf("round trip differs:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func readBack(t *testing.T, mem memory.Allocator, format string, data []byte) arrow.RecordBatch {
	t.Helper()
	if format == formatArrow {
		rdr, err := ipc.NewReader(bytes.NewReader(data), ipc.WithAllocator(mem))
		if err != nil {
			t.Fatal(err)
		}
		defer rdr.Release()
		if !rdr.Next() {
			t.Fatalf("no batch: %v", rdr.Err())
		}
		rec := rdr.RecordBatch()
		rec.Retain()
		return rec
	}
	pf, err := file.NewParquetReader(bytes.NewReader(data), file.WithReadProps(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	tr := array.NewTableReader(tbl, -1)
	defer tr.Release()
	if !tr.Next() {
		t.Fatal("empty parquet table")
	}
	rec := tr.RecordBatch()
	rec.Retain()
	return rec
}

// TestParquetOneResultPerFile refuses a second result set in one file.
func TestParquetOneResultPerFile(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	out := filepath.Join(t.TempDir(), "out.parquet")
	_, stderr, code := runFake(t, sampleBackend(t, mem), "", "--format", "parquet", "-o", out,
		"-c", "select * from t; select 1")
	if code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	if want := "ERROR:  a Parquet file holds one result"; !bytes.Contains([]byte(stderr), []byte(want)) {
		t.Errorf("stderr %q lacks %q", stderr, want)
	}
}

// TestAlignedWideCharacters matches psql 15 on East Asian wide text.
func TestAlignedWideCharacters(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "名前", Type: arrow.BinaryTypes.String}, {Name: "n", Type: arrow.PrimitiveTypes.Int32}}, nil)
	rec := recordFromJSON(t, mem, schema, `[{"名前": "日本語", "n": 1}, {"名前": "ab", "n": 22}]`)
	defer rec.Release()
	rdr, _ := array.NewRecordReader(schema, []arrow.RecordBatch{rec})
	defer rdr.Release()
	var b bytes.Buffer
	if _, err := printRows(&b, rdr, printOpts{format: formatTable}, mem); err != nil {
		t.Fatal(err)
	}
	want := "  名前  | n  \n--------+----\n 日本語 |  1\n ab     | 22\n(2 rows)\n\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestRecordRule matches psql 15's rules of expanded display.
func TestRecordRule(t *testing.T) {
	cases := []struct {
		record, hwidth, dwidth int
		want                   string
	}{
		{1, 23, 1, "-[ RECORD 1 ]-----------+--"},
		{0, 23, 1, "------------------------+--"},
		{1, 5, 22, "-[ RECORD 1 ]-----------------"},
		{0, 1, 1, "--+--"},
		{12, 3, 12, "-[ RECORD 12 ]----"},
	}
	for _, tc := range cases {
		if got := recordRule(tc.record, tc.hwidth, tc.dwidth); got != tc.want {
			t.Errorf("recordRule(%d, %d, %d) = %q, want %q", tc.record, tc.hwidth, tc.dwidth, got, tc.want)
		}
	}
}
