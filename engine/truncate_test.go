package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/sql/sqlerr"
)

// TestTruncatePostgres: TRUNCATE empties a postgres foreign table and a
// memory table in one statement, tagged TRUNCATE TABLE; it needs the
// DELETE privilege, and a source that refuses to delete keeps its rows.
func TestTruncatePostgres(t *testing.T) {
	e := newWriteEnv(t)
	e.exec(`INSERT INTO items (id, qty, note) VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, NULL)`)
	e.exec(`CREATE TABLE m (x int)`)
	e.exec(`INSERT INTO m VALUES (1), (2)`)
	checkTag(t, e.exec(`TRUNCATE TABLE items, m`), "TRUNCATE TABLE", 0)
	if got := e.remote(); got != "" {
		t.Errorf("remote rows after TRUNCATE: %q", got)
	}
	if rows, err := sltRun(context.Background(), e.sess, `SELECT count(*) FROM m`); err != nil || strings.Join(rows, "") != "0" {
		t.Errorf("memory table after TRUNCATE: %v %v", rows, err)
	}

	e.exec(`INSERT INTO items (id, qty) VALUES (4, 40)`)
	e.exec(`CREATE FOREIGN TABLE ro (id int NOT NULL, qty int NOT NULL, note text, code char(3)) SERVER pg OPTIONS (table_name 'items', updatable 'false')`)
	e.fails(e.sess, sqlerr.ReadOnlyTransaction, `TRUNCATE ro`, "not updatable")

	e.exec(`CREATE USER bob`)
	e.exec(`CREATE USER MAPPING FOR bob SERVER pg OPTIONS (user 'medley_bob', password 'bobpw')`)
	e.exec(`GRANT USAGE ON FOREIGN SERVER pg TO bob`)
	e.exec(`GRANT SELECT, INSERT, UPDATE ON items TO bob`)
	bob, err := e.db.Session(context.Background(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	const text = `TRUNCATE ONLY items`
	_, err = e.run(bob, text)
	var se *sqlerr.Error
	if !errors.As(err, &se) || se.Code != sqlerr.InsufficientPrivilege || se.Position != strings.Index(text, "items")+1 {
		t.Errorf("%s without DELETE: %v, want 42501 at the table's name", text, err)
	}
	if got, want := e.remote(), "4:40:NULL"; got != want {
		t.Errorf("remote rows %s, want %s", got, want)
	}
	e.exec(`GRANT DELETE ON items TO bob`)
	if res, err := e.run(bob, text); err != nil || res.Tag != "TRUNCATE TABLE" {
		t.Fatalf("%s with DELETE: %v %v", text, res, err)
	}
	if got := e.remote(); got != "" {
		t.Errorf("remote rows after TRUNCATE: %q", got)
	}
}

func TestTruncateSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "src.db")
	h := truncateSource(t, "sqlite", path, "CREATE TABLE upd (id INTEGER PRIMARY KEY, n INTEGER, txt TEXT)", "?")
	runTruncate(t, "sqlite", map[string]string{"database": path}, nil, map[string]string{"table": "upd"}, h)
}

func TestTruncateMariaDB(t *testing.T) {
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	h := truncateSource(t, "mysql", m.DSN(db), "CREATE TABLE upd (id bigint NOT NULL PRIMARY KEY, n int, txt varchar(40)) CHARACTER SET utf8mb4", "?")
	runTruncate(t, "mysql", map[string]string{"host": m.Host, "port": strconv.Itoa(m.Port)},
		map[string]string{"username": m.User, "password": m.Password}, map[string]string{"dbname": db, "table_name": "upd"}, h)
}

// truncateSource creates the remote table upd with dmlRows through
// database/sql's driver, with placeholder mark.
func truncateSource(t *testing.T, driver, dsn, create, mark string) *sql.DB {
	t.Helper()
	h, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if _, err := h.Exec(create); err != nil {
		t.Fatal(err)
	}
	for _, r := range dmlRows {
		if _, err := h.Exec(fmt.Sprintf("INSERT INTO upd VALUES (%s, %s, %s)", mark, mark, mark), r...); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// runTruncate maps upd as the foreign table items of server src and as
// ro (updatable 'false'), then truncates them.
func runTruncate(t *testing.T, wrapper string, server, user, table map[string]string, h *sql.DB) {
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
	must := func(q string) *Result {
		t.Helper()
		res, err := sess.Run(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, describeErr(err))
		}
		return res
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
	remote := func() string { return dmlRemoteRows(t, h, "SELECT id, n, txt FROM upd ORDER BY id") }
	before := remote()
	if _, err := sess.Run(ctx, "TRUNCATE ro"); !sqlerr.Is(err, sqlerr.ReadOnlyTransaction) {
		t.Errorf("TRUNCATE ro: %v, want 25006", err)
	}
	if got := remote(); got != before {
		t.Errorf("after a refused TRUNCATE: %s, want %s", got, before)
	}
	if res := must("TRUNCATE items"); res.Tag != "TRUNCATE TABLE" || res.RowsAffected != 0 {
		t.Errorf("TRUNCATE items: tag %q (%d rows)", res.Tag, res.RowsAffected)
	}
	if got := remote(); got != "" {
		t.Errorf("after TRUNCATE: %s", got)
	}
	must("INSERT INTO items VALUES (7, 70, 'seven')")
	if rows, err := sltRun(ctx, sess, "SELECT id, n, s FROM items"); err != nil || strings.Join(rows, "|") != "7\t70\tseven" {
		t.Errorf("SELECT after TRUNCATE and INSERT: %v, %v", rows, err)
	}
}
