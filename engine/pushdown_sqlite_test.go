package engine

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
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

func TestPushdownCollationSQLite(t *testing.T) {
	RunPushdownCollation(t, sqliteSource(t))
}

// collationTables hold strings that a case-insensitive (MySQL's
// utf8mb4_general_ci, SQLite's NOCASE) or trailing-space-insensitive
// collation merges, and a zero divisor.
var collationTables = []PushdownTable{
	{Name: "ci_a", Columns: []PushdownColumn{{"id", "bigint"}, {"s", "text"}},
		Rows: [][]any{{int64(1), "apple"}, {int64(2), "Apple"}, {int64(3), "APPLE"}, {int64(4), "apple "},
			{int64(5), "äpple"}, {int64(6), "b"}, {int64(7), nil}, {int64(8), "apple"}}},
	{Name: "ci_b", Columns: []PushdownColumn{{"s", "text"}, {"n", "bigint"}},
		Rows: [][]any{{"APPLE", int64(1)}, {"apple", int64(2)}, {"b", int64(0)}, {"Äpple", int64(5)}}},
}

// collationQueries must run remotely (whole) and give the engine's
// results, which compare, group and order strings by byte.
var collationQueries = []struct{ q, want string }{
	{"SELECT s, count(*) FROM ci_a GROUP BY s", "APPLE 1|Apple 1|NULL 1|apple 2|apple  1|b 1|äpple 1"},
	{"SELECT DISTINCT s FROM ci_a", "APPLE|Apple|NULL|apple|apple |b|äpple"},
	{"SELECT count(DISTINCT s), min(s), max(s) FROM ci_a", "6 APPLE äpple"},
	{"SELECT a.id, b.n FROM ci_a a JOIN ci_b b ON a.s = b.s", "1 2|3 1|6 0|8 2"},
	{"SELECT id FROM ci_a a WHERE EXISTS (SELECT 1 FROM ci_b b WHERE b.s = a.s)", "1|3|6|8"},
	{"SELECT id FROM ci_a a WHERE NOT EXISTS (SELECT 1 FROM ci_b b WHERE b.s = a.s)", "2|4|5|7"},
	{"SELECT id, s FROM ci_a WHERE s IS NOT NULL ORDER BY s DESC, id LIMIT 4", "5 äpple|6 b|4 apple |1 apple"},
	{"SELECT b.s, count(*) FROM ci_a a JOIN ci_b b ON a.id = b.n GROUP BY b.s", "APPLE 1|apple 1|Äpple 1"},
	{"SELECT a.id / 2, count(*) FROM ci_a a JOIN ci_b b ON a.s = b.s GROUP BY a.id / 2", "0 1|1 1|3 1|4 1"},
}

// RunPushdownCollation creates collationTables on src and checks that
// string comparisons, grouping, DISTINCT and ordering of a pushed join or
// aggregate are by byte, and that a division by a column (which gives
// NULL remotely for 0) stays local and fails as the engine does (22012).
func RunPushdownCollation(t *testing.T, src PushdownSource) {
	src.Create(t, collationTables)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	db, err := Open(ctx, Config{CatalogPath: filepath.Join(t.TempDir(), "catalog.db"), User: "medley", Allocator: mem,
		SecretKey: []byte("0123456789abcdef0123456789abcdef"), Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sess, err := db.Session(ctx, "medley")
	if err != nil {
		t.Fatal(err)
	}
	must := func(q string) []string {
		t.Helper()
		rows, err := sltRun(ctx, sess, q)
		if err != nil {
			t.Fatalf("%s: %v", q, describeErr(err))
		}
		return rows
	}
	must(fmt.Sprintf("CREATE SERVER src FOREIGN DATA WRAPPER %s OPTIONS (%s)", src.Wrapper, optionList(src.ServerOptions)))
	mapping := "CREATE USER MAPPING FOR CURRENT_USER SERVER src"
	if len(src.UserOptions) > 0 {
		mapping += fmt.Sprintf(" OPTIONS (%s)", optionList(src.UserOptions))
	}
	must(mapping)
	nameOpt := src.TableNameOption
	if nameOpt == "" {
		nameOpt = "table_name"
	}
	opts := map[string]string{}
	for k, v := range src.TableOptions {
		opts[k] = v
	}
	for _, tb := range collationTables {
		var cols []string
		for _, c := range tb.Columns {
			cols = append(cols, c.Name+" "+c.Type)
		}
		opts[nameOpt] = tb.Name
		must(fmt.Sprintf("CREATE FOREIGN TABLE %s (%s) SERVER src OPTIONS (%s)", tb.Name, strings.Join(cols, ", "), optionList(opts)))
	}
	rowsOf := func(q string) string {
		rows := must(q)
		if !strings.Contains(q, "ORDER BY") {
			sort.Strings(rows)
		}
		return strings.ReplaceAll(strings.Join(rows, "|"), "\t", " ")
	}
	for _, c := range collationQueries {
		must("SET pushdown = off")
		off := rowsOf(c.q)
		must("SET pushdown = on")
		on := rowsOf(c.q)
		if off != c.want || on != c.want {
			t.Errorf("%s\n pushdown on:  %s\n pushdown off: %s\n want:         %s", c.q, on, off, c.want)
		}
		if s := pushdownSummary(must("EXPLAIN " + c.q)); s != "remote" {
			t.Errorf("%s: not run remotely: %s", c.q, s)
		}
	}
	// A division by a column: remotely x / 0 is NULL, in the engine 22012.
	q := "SELECT a.id, a.id / b.n FROM ci_a a JOIN ci_b b ON a.s = b.s"
	for _, on := range []string{"off", "on"} {
		must("SET pushdown = " + on)
		if _, err := sltRun(ctx, sess, q); sqlerr.CodeOf(err) != sqlerr.DivisionByZero {
			t.Errorf("pushdown %s: %s: got %v, want 22012", on, q, err)
		}
	}
	if s := pushdownSummary(must("EXPLAIN " + q)); !strings.Contains(s, "divide by a value that may be 0") {
		t.Errorf("EXPLAIN %s: %s", q, s)
	}
}
