package flightsql_test

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/sql/sqlerr"
)

// TestWriteSQL writes through foreign tables of a local engine over a
// remote Medley: INSERT ... VALUES and INSERT ... SELECT, UPDATE, DELETE,
// a refused clause, a remote constraint and updatable 'false', as SQL.
func TestWriteSQL(t *testing.T) {
	remote, addr := startServer(t)
	ctx := context.Background()
	if _, err := remote.Exec(ctx, "CREATE TABLE public.w (id bigint NOT NULL, n integer, s text, amount numeric(10,2), ts timestamp)"); err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", SecretKey: make([]byte, 32), User: "admin",
		Allocator: mem, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE SERVER src FOREIGN DATA WRAPPER flightsql OPTIONS (uri 'grpc://" + addr + "')",
		"CREATE USER MAPPING FOR CURRENT_USER SERVER src OPTIONS (username 'admin', password '" + adminPW + "')",
		"CREATE FOREIGN TABLE items (id bigint NOT NULL, n integer, s text, price numeric(10,2) OPTIONS (column_name 'amount'), ts timestamp) " +
			"SERVER src OPTIONS (schema_name 'public', table_name 'w')",
		"CREATE FOREIGN TABLE ro (id bigint NOT NULL, n integer) SERVER src OPTIONS (schema_name 'public', table_name 'w', updatable 'false')",
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tests := []struct {
		sql  string
		n    int64
		code sqlerr.Code
		msg  string
		rows string
	}{
		{sql: "INSERT INTO items VALUES (1, 10, 'it''s', 12.34, '2024-02-29 23:59:58.5'), (2, NULL, NULL, NULL, NULL)", n: 2,
			rows: `1 10 it's 12.34 2024-02-29T23:59:58.5|2 (null) (null) (null) (null)`},
		{sql: "INSERT INTO items (id, price) SELECT id + 10, price * 2 FROM items", n: 2,
			rows: `1 10 it's 12.34 2024-02-29T23:59:58.5|2 (null) (null) (null) (null)|11 (null) (null) 24.68 (null)|12 (null) (null) (null) (null)`},
		{sql: "INSERT INTO items (id) VALUES (20), (NULL)", code: sqlerr.NotNullViolation},
		{sql: "UPDATE items SET n = 7, s = 'x' WHERE id > 10 OR n = 10", n: 3,
			rows: `1 7 x 12.34 2024-02-29T23:59:58.5|2 (null) (null) (null) (null)|11 7 x 24.68 (null)|12 7 x (null) (null)`},
		{sql: "UPDATE items SET s = upper(s)", code: sqlerr.FeatureNotSupported, msg: "SET s clause"},
		{sql: "DELETE FROM items WHERE upper(s) = 'X'", code: sqlerr.FeatureNotSupported, msg: "WHERE clause"},
		{sql: "UPDATE ro SET n = 1", code: sqlerr.ReadOnlyTransaction, msg: "not updatable"},
		{sql: "INSERT INTO ro VALUES (30, 30)", code: sqlerr.ReadOnlyTransaction, msg: "not updatable"},
		{sql: "DELETE FROM ro", code: sqlerr.ReadOnlyTransaction, msg: "not updatable"},
		{sql: "DELETE FROM items WHERE n IS NULL OR s = 'x' AND price IS NULL", n: 2,
			rows: `1 7 x 12.34 2024-02-29T23:59:58.5|11 7 x 24.68 (null)`},
	}
	last := ""
	for _, tc := range tests {
		res, err := db.Exec(ctx, tc.sql)
		if tc.code != "" {
			if !sqlerr.Is(err, tc.code) || !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), adminPW) {
				t.Errorf("%s: %v, want %s %q", tc.sql, err, tc.code, tc.msg)
			}
			if got := remoteRows(t, remote); got != last {
				t.Errorf("%s: remote rows changed: %s", tc.sql, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		if res.RowsAffected != tc.n {
			t.Errorf("%s: %d rows, want %d", tc.sql, res.RowsAffected, tc.n)
		}
		if got := remoteRows(t, remote); got != tc.rows {
			t.Errorf("%s: remote rows\n got %s\nwant %s", tc.sql, got, tc.rows)
		}
		last = tc.rows
	}
}
