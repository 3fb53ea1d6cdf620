package json

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// readAll scans every column of a table over content and renders it.
func readAll(t *testing.T, content string, cols []connectors.ColumnDesc) (string, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "f.json"), content)
	conn, _ := Connector{}.Connect(context.Background(), connectors.ConnectParams{ServerOptions: map[string]string{"directory": dir}})
	tbl, err := conn.Table(context.Background(), connectors.TableDesc{Name: []string{"public", "j"}, Options: map[string]string{"filename": "f.json"}, Columns: cols})
	if err != nil {
		return "", err
	}
	all := make([]int, len(cols))
	for i := range all {
		all[i] = i
	}
	plan, err := tbl.Scan(context.Background(), connectors.ScanRequest{Columns: all, Limit: -1, MaxPartitions: 1})
	if err != nil {
		return "", err
	}
	rdr, err := plan.Partitions[0].Open(context.Background(), mem)
	if err != nil {
		return "", err
	}
	defer rdr.Release()
	var sb strings.Builder
	for rdr.Next() {
		b := rdr.RecordBatch()
		for r := 0; r < int(b.NumRows()); r++ {
			for c, col := range b.Columns() {
				if c > 0 {
					sb.WriteByte('|')
				}
				sb.WriteString(col.ValueStr(r))
			}
			sb.WriteByte('\n')
		}
	}
	return sb.String(), rdr.Err()
}

var (
	i64 = arrow.PrimitiveTypes.Int64
	str = arrow.BinaryTypes.String
)

func TestRead(t *testing.T) {
	cols := []connectors.ColumnDesc{
		{Name: "a", Type: i64, Nullable: true},
		{Name: "bee", Type: str, Nullable: true, Options: map[string]string{"column_name": "b"}},
	}
	got, err := readAll(t, "{\"a\":1,\"b\":\"x\",\"extra\":{\"n\":[1,2]}}\n\n{\"b\":\"y\"}\n  {\"a\":\"3\"}  \r\n", cols)
	if err != nil {
		t.Fatal(err)
	}
	if want := "1|x\n(null)|y\n3|(null)\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestBadData(t *testing.T) {
	cols := []connectors.ColumnDesc{{Name: "a", Type: i64, Nullable: true}}
	tests := []struct {
		name, content string
		mention       []string
	}{
		{"bad value", "{\"a\":1}\n{\"a\":\"x\"}\n", []string{"line 2", "public.j", "f.json"}},
		{"not an object", "{\"a\":1}\n[1]\n", []string{"line 2", "not a JSON object"}},
		{"truncated", "{\"a\":1\n", []string{"line 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, tc.content, cols)
			if sqlerr.CodeOf(err) != sqlerr.InvalidTextRepr {
				t.Fatalf("got %v (%s)", err, sqlerr.CodeOf(err))
			}
			for _, m := range tc.mention {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
	_, err := readAll(t, "{}\n", []connectors.ColumnDesc{{Name: "l", Type: arrow.ListOf(i64)}})
	if sqlerr.CodeOf(err) != sqlerr.FDWInvalidDataType {
		t.Errorf("list column: %v", err)
	}
}

func TestInference(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ev.ndjson"), "{\"id\":1,\"tags\":[\"a\"],\"at\":\"2024-01-01\"}\n{\"id\":2.5,\"x\":null,\"at\":\"2024-01-02 10:00:00\",\"ok\":true}\n")
	conn, _ := Connector{}.Connect(context.Background(), connectors.ConnectParams{ServerOptions: map[string]string{"directory": dir}})
	defs, err := conn.(connectors.SchemaImporter).ImportSchema(context.Background(), connectors.ImportRequest{})
	if err != nil || len(defs) != 1 {
		t.Fatalf("%v %v", err, defs)
	}
	var got []string
	for _, c := range defs[0].Columns {
		got = append(got, c.Name+" "+c.Type.String())
	}
	if want := "id float64, at timestamp[us], x utf8, ok bool"; strings.Join(got, ", ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, ", "), want)
	}
}
