package engine

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// dmlCase is one statement of the UPDATE/DELETE tests through SQL: its
// command tag or SQLSTATE, and the remote rows afterwards (read directly
// from the source, "" to skip the check).
type dmlCase struct {
	sql  string
	args []any
	tag  string // the command tag, or the SQLSTATE when code is set
	code sqlerr.Code
	msg  string // a part of the error message
	rows string
}

// dmlRows are the source rows of the tests: (id, n, txt).
var dmlRows = [][]any{
	{1, 10, "apple"},
	{2, 20, "it's"},
	{3, nil, `back\slash`},
	{4, 40, "Ünïcødé ☃"},
	{5, nil, nil},
}

// dmlCases run in order over one table, items (id bigint, n integer,
// s text over remote column txt), and ro, the same table declared with
// updatable 'false'.
var dmlCases = []dmlCase{
	{sql: "UPDATE items SET n = n + 1, s = 'it''s \\ \"q\" ☃' WHERE id = 1", tag: "UPDATE 1",
		rows: `1 11 it's \ "q" ☃|2 20 it's|3 NULL back\slash|4 40 Ünïcødé ☃|5 NULL NULL`},
	{sql: `UPDATE items SET s = NULL WHERE s = 'back\slash'`, tag: "UPDATE 1",
		rows: `1 11 it's \ "q" ☃|2 20 it's|3 NULL NULL|4 40 Ünïcødé ☃|5 NULL NULL`},
	{sql: "UPDATE items SET n = $1 WHERE s = $2", args: []any{int64(7), "Ünïcødé ☃"}, tag: "UPDATE 1",
		rows: `1 11 it's \ "q" ☃|2 20 it's|3 NULL NULL|4 7 Ünïcødé ☃|5 NULL NULL`},
	{sql: "UPDATE items SET n = n WHERE n IS NOT NULL", tag: "UPDATE 3"}, // unchanged rows count
	{sql: "UPDATE items SET n = 0 WHERE n = NULL", tag: "UPDATE 0"},
	{sql: "DELETE FROM items WHERE upper(s) = 'APPLE'", code: sqlerr.FeatureNotSupported, msg: "WHERE clause",
		rows: `1 11 it's \ "q" ☃|2 20 it's|3 NULL NULL|4 7 Ünïcødé ☃|5 NULL NULL`},
	{sql: "UPDATE items SET s = upper(s)", code: sqlerr.FeatureNotSupported, msg: "SET s clause"},
	{sql: "UPDATE ro SET n = 1", code: sqlerr.ReadOnlyTransaction, msg: "not updatable"},
	{sql: "DELETE FROM ro", code: sqlerr.ReadOnlyTransaction, msg: "not updatable"},
	{sql: "INSERT INTO ro VALUES (9, 9, 'x')", code: sqlerr.ReadOnlyTransaction, msg: "not updatable",
		rows: `1 11 it's \ "q" ☃|2 20 it's|3 NULL NULL|4 7 Ünïcødé ☃|5 NULL NULL`},
	{sql: "DELETE FROM items WHERE NOT (n > 10)", tag: "DELETE 1", // NULLs stay
		rows: `1 11 it's \ "q" ☃|2 20 it's|3 NULL NULL|5 NULL NULL`},
	{sql: "DELETE FROM items WHERE s IN ('it''s', 'none') OR n IS NULL", tag: "DELETE 3",
		rows: `1 11 it's \ "q" ☃`},
	{sql: "INSERT INTO items VALUES (6, 60, 'six')", tag: "INSERT 0 1"},
	{sql: "DELETE FROM items", tag: "DELETE 2", rows: ""},
}

// runDMLCases declares the server src (wrapper, options, user mapping
// when user is non-nil) and the tables items and ro over remote table
// upd, then runs dmlCases, reading the remote rows with remote.
func runDMLCases(t *testing.T, wrapper string, server, user, table map[string]string, remote func() string) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	db, err := Open(ctx, Config{CatalogPath: filepath.Join(t.TempDir(), "catalog.db"), User: "medley", Allocator: mem,
		SecretKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sess, err := db.Session(ctx, "medley")
	if err != nil {
		t.Fatal(err)
	}
	must := func(q string) {
		t.Helper()
		if _, err := sltRun(ctx, sess, q); err != nil {
			t.Fatalf("%s: %v", q, describeErr(err))
		}
	}
	must(fmt.Sprintf("CREATE SERVER src FOREIGN DATA WRAPPER %s OPTIONS (%s)", wrapper, optionList(server)))
	if user != nil {
		must(fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER src OPTIONS (%s)", optionList(user)))
	}
	const cols = "(id bigint NOT NULL, n integer, s text OPTIONS (column_name 'txt'))"
	must(fmt.Sprintf("CREATE FOREIGN TABLE items %s SERVER src OPTIONS (%s)", cols, optionList(table)))
	ro := map[string]string{"updatable": "false"}
	for k, v := range table {
		ro[k] = v
	}
	must(fmt.Sprintf("CREATE FOREIGN TABLE ro %s SERVER src OPTIONS (%s)", cols, optionList(ro)))
	for _, tc := range dmlCases {
		res, err := sess.Run(ctx, tc.sql, tc.args...)
		switch {
		case tc.code != "":
			if !sqlerr.Is(err, tc.code) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s: %v, want %s %q", tc.sql, describeErr(err), tc.code, tc.msg)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.sql, describeErr(err))
			continue
		default:
			if res.Reader != nil {
				res.Reader.Release()
			}
			if res.Tag != tc.tag || fmt.Sprint(res.RowsAffected) != strings.Fields(tc.tag)[len(strings.Fields(tc.tag))-1] {
				t.Errorf("%s: tag %q (%d rows), want %q", tc.sql, res.Tag, res.RowsAffected, tc.tag)
			}
		}
		if tc.rows != "" || tc.sql == "DELETE FROM items" {
			if got := remote(); got != tc.rows {
				t.Errorf("%s: remote rows\n got %s\nwant %s", tc.sql, got, tc.rows)
			}
		}
	}
	// What the engine reads back is what the source holds.
	must("INSERT INTO items VALUES (7, 70, 'seven')")
	must("UPDATE items SET n = n * 2 WHERE s LIKE 's%'")
	rows, err := sltRun(ctx, sess, "SELECT id, n, s FROM items")
	if err != nil || strings.Join(rows, "|") != "7\t140\tseven" {
		t.Errorf("SELECT after the writes: %v, %v", rows, describeErr(err))
	}
}

// dmlRemoteRows renders rows of (id, n, txt) read with database/sql.
func dmlRemoteRows(t *testing.T, h *sql.DB, q string) string {
	t.Helper()
	rows, err := h.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var n sql.NullInt64
		var s sql.NullString
		if err := rows.Scan(&id, &n, &s); err != nil {
			t.Fatal(err)
		}
		ns, ss := "NULL", "NULL"
		if n.Valid {
			ns = fmt.Sprint(n.Int64)
		}
		if s.Valid {
			ss = s.String
		}
		out = append(out, fmt.Sprintf("%d %s %s", id, ns, ss))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "|")
}

func TestWriteSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "src.db")
	h, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Exec("CREATE TABLE upd (id INTEGER PRIMARY KEY, n INTEGER, txt TEXT)"); err != nil {
		t.Fatal(err)
	}
	for _, r := range dmlRows {
		if _, err := h.Exec("INSERT INTO upd VALUES (?, ?, ?)", r...); err != nil {
			t.Fatal(err)
		}
	}
	runDMLCases(t, "sqlite", map[string]string{"database": path}, nil, map[string]string{"table": "upd"},
		func() string { return dmlRemoteRows(t, h, "SELECT id, n, txt FROM upd ORDER BY id") })
}
