package files

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/sqlerr"
)

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

func tables(es []Entry) string {
	var out []string
	for _, e := range es {
		out = append(out, e.Table+"="+e.Path)
	}
	return strings.Join(out, " ")
}

func TestImportTables(t *testing.T) {
	base := t.TempDir()
	touch(t, filepath.Join(base, "a.csv"))
	touch(t, filepath.Join(base, "_skip.csv"))
	touch(t, filepath.Join(base, "notes.txt"))
	touch(t, filepath.Join(base, "events", "2024", "p1.csv"))
	touch(t, filepath.Join(base, "sales", "b.csv"))
	exts := []string{".csv"}
	for _, c := range []struct{ remote, want string }{
		{"", "a=a.csv events=events sales=sales"},
		{".", "a=a.csv events=events sales=sales"},
		{"public", "a=a.csv events=events sales=sales"}, // no sub-directory "public": the directory itself
		{"sales", "b=sales/b.csv"},
	} {
		got, err := ImportTables(base, c.remote, exts)
		if err != nil {
			t.Fatalf("%q: %v", c.remote, err)
		}
		if tables(got) != c.want {
			t.Errorf("%q: got %s, want %s", c.remote, tables(got), c.want)
		}
	}
	// A sub-directory named public wins over the fallback.
	touch(t, filepath.Join(base, "public", "c.csv"))
	if got, err := ImportTables(base, "public", exts); err != nil || tables(got) != "c=public/c.csv" {
		t.Errorf("public sub-directory: %s %v", tables(got), err)
	}
	_, err := ImportTables(base, "nosuch", exts)
	if !sqlerr.Is(err, sqlerr.FDWSchemaNotFound) || !strings.Contains(err.Error(), `"nosuch"`) {
		t.Errorf("missing schema: %v", err)
	}
}
