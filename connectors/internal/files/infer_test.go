package files

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medleysql/medley/connectors"
)

func TestTableDefs(t *testing.T) {
	base := t.TempDir()
	for _, p := range []string{"a.csv", "b.csv", "sales/2024/x.csv"} {
		touch(t, filepath.Join(base, p))
	}
	entries, err := ImportTables(base, "", []string{".csv"})
	if err != nil {
		t.Fatal(err)
	}
	infer := func(table []string, path string) ([]connectors.ColumnDesc, error) {
		rel, _ := filepath.Rel(base, path)
		return []connectors.ColumnDesc{{Name: table[0] + ":" + filepath.ToSlash(rel), Type: KindText.ArrowType()}}, nil
	}
	opts := func(filename string) map[string]string { return map[string]string{"filename": filename} }
	defs, err := TableDefs(context.Background(), entries, connectors.ImportRequest{Except: []string{"b"}}, infer, opts)
	var out []string
	for _, d := range defs {
		out = append(out, d.Name+" "+d.Options["filename"]+" "+d.Columns[0].Name)
	}
	if err != nil || strings.Join(out, ", ") != "a a.csv a:a.csv, sales sales sales:sales/2024/x.csv" {
		t.Errorf("defs %q, %v", out, err)
	}
	if _, err := TableDefs(context.Background(), entries, connectors.ImportRequest{}, func([]string, string) ([]connectors.ColumnDesc, error) {
		return nil, errors.New("bad sample")
	}, opts); err == nil || err.Error() != "bad sample" {
		t.Errorf("infer error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := TableDefs(ctx, entries, connectors.ImportRequest{}, infer, opts); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestWiden(t *testing.T) {
	for _, c := range []struct{ a, b, want Kind }{
		{KindUnknown, KindInt, KindInt}, {KindInt, KindInt, KindInt}, {KindInt, KindFloat, KindFloat}, {KindFloat, KindInt, KindFloat},
		{KindDate, KindTimestamp, KindTimestamp}, {KindTimestamp, KindDate, KindTimestamp}, {KindBool, KindInt, KindText},
		{KindDate, KindInt, KindText}, {KindText, KindNested, KindNested}, {KindNested, KindBool, KindNested}, {KindUnknown, KindNested, KindNested},
	} {
		if got := Widen(c.a, c.b); got != c.want {
			t.Errorf("Widen(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	if got := fmt.Sprint(KindUnknown.ArrowType(), KindBool.ArrowType(), KindInt.ArrowType(), KindFloat.ArrowType(),
		KindDate.ArrowType(), KindTimestamp.ArrowType(), KindText.ArrowType()); got != "utf8 bool int64 float64 date32 timestamp[us] utf8" {
		t.Errorf("ArrowType: %s", got)
	}
}
