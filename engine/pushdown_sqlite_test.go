package engine

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// sqlitePushdownType spells a conformance column's type in SQLite; text
// columns use the NOCASE collation, which the wrapper must override.
func sqlitePushdownType(t string) string {
	switch t {
	case "bigint", "integer":
		return "INTEGER"
	case "double precision":
		return "REAL"
	case "text":
		return "TEXT COLLATE NOCASE"
	case "boolean":
		return "BOOLEAN"
	}
	panic("sqlitePushdownType: " + t)
}

// sqliteSource is a fresh SQLite file in a temporary directory.
func sqliteSource(t *testing.T) PushdownSource {
	path := filepath.Join(t.TempDir(), "pushdown.sqlite")
	return PushdownSource{
		Wrapper:         "sqlite",
		ServerOptions:   map[string]string{"database": path},
		TableNameOption: "table",
		GoldenReplace:   map[string]string{path: "<database>"},
		Create: func(t *testing.T, tables []PushdownTable) {
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			createPushdownTables(t, db, tables, sqlitePushdownType)
		},
	}
}

func TestPushdownSQLite(t *testing.T) {
	RunPushdownConformance(t, sqliteSource(t), "sqlite")
}
