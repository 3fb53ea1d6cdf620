package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"

	_ "github.com/medleysql/medley/connectors/memory"
	_ "github.com/medleysql/medley/connectors/postgres"

	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/sql/sqlerr"
)

// writeEnv is an engine with a foreign server "pg" on a fresh database of
// the test PostgreSQL server, and a remote table items with a CHECK
// constraint, mapped as the foreign table items (and items4, the same
// table with batch_size 4 and use_copy false: parameterised INSERTs).
type writeEnv struct {
	t    *testing.T
	db   *DB
	sess *Session
	conn *pgx.Conn // to the remote database, to check what happened there
}

func newWriteEnv(t *testing.T) *writeEnv {
	t.Helper()
	pg := testsrv.Postgres(t)
	dbname := pg.NewDatabase(t)
	pg.Exec(t, dbname, `CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL CHECK (qty >= 0), note text, code char(3));
		DO $$ BEGIN CREATE ROLE medley_bob LOGIN PASSWORD 'bobpw'; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
		GRANT ALL ON items TO medley_bob`)
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	db, err := Open(ctx, Config{CatalogPath: filepath.Join(t.TempDir(), "catalog.db"), User: "medley", Allocator: mem,
		SecretKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sess, err := db.Session(ctx, "medley")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, pg.DSN(dbname))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	e := &writeEnv{t: t, db: db, sess: sess, conn: conn}
	e.exec(fmt.Sprintf(`CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host '%s', port '%s', dbname '%s', sslmode 'disable')`,
		pg.Host, strconv.Itoa(pg.Port), dbname))
	e.exec(fmt.Sprintf(`CREATE USER MAPPING FOR medley SERVER pg OPTIONS (user '%s', password '%s')`, pg.User, pg.Password))
	e.exec(`CREATE FOREIGN TABLE items (id int NOT NULL, qty int NOT NULL, note text, code char(3)) SERVER pg OPTIONS (table_name 'items')`)
	e.exec(`CREATE FOREIGN TABLE items4 (id int NOT NULL, qty int NOT NULL, note text, code char(3)) SERVER pg OPTIONS (table_name 'items', batch_size '4', use_copy 'false')`)
	return e
}

func (e *writeEnv) run(s *Session, sql string, args ...any) (*Result, error) {
	res, err := s.Run(context.Background(), sql, args...)
	if err == nil && res.Reader != nil {
		res.Reader.Release()
	}
	return res, err
}

func (e *writeEnv) exec(sql string, args ...any) *Result {
	e.t.Helper()
	res, err := e.run(e.sess, sql, args...)
	if err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return res
}

// fails runs sql and checks its error's SQLSTATE and that the message
// holds each of msgs.
func (e *writeEnv) fails(s *Session, code sqlerr.Code, sql string, msgs ...string) {
	e.t.Helper()
	_, err := e.run(s, sql)
	var se *sqlerr.Error
	if !errors.As(err, &se) {
		e.t.Fatalf("%s: got %v, want a *sqlerr.Error %s", sql, err, code)
	}
	if se.Code != code {
		e.t.Errorf("%s: got %s %q, want %s", sql, se.Code, se.Error(), code)
	}
	for _, m := range msgs {
		if !strings.Contains(se.Error(), m) {
			e.t.Errorf("%s: error %q does not contain %q", sql, se.Error(), m)
		}
	}
}

// remote returns the remote rows as "id:qty:note", ordered by id.
func (e *writeEnv) remote() string {
	e.t.Helper()
	rows, err := e.conn.Query(context.Background(), `SELECT id || ':' || qty || ':' || coalesce(note, 'NULL') FROM items ORDER BY id`)
	if err != nil {
		e.t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		e.t.Fatal(err)
	}
	return strings.Join(out, " ")
}

func checkTag(t *testing.T, res *Result, tag string, n int64) {
	t.Helper()
	if res.Tag != tag || res.RowsAffected != n {
		t.Errorf("tag %q, rows %d; want %q, %d", res.Tag, res.RowsAffected, tag, n)
	}
}

// TestWritePostgresDecimal updates numeric columns with arithmetic whose
// result is cast back to the column's type: the cast rounds at the server
// exactly as the engine would, so the statement is sent.
func TestWritePostgresDecimal(t *testing.T) {
	e := newWriteEnv(t)
	ctx := context.Background()
	if _, err := e.conn.Exec(ctx, `CREATE TABLE prices (id int PRIMARY KEY, price numeric(12,2))`); err != nil {
		t.Fatal(err)
	}
	e.exec(`CREATE FOREIGN TABLE prices (id int NOT NULL, price numeric(12,2)) SERVER pg`)
	checkTag(t, e.exec(`INSERT INTO prices VALUES (1, 10.25), (2, 0.05), (3, NULL)`), "INSERT 0 3", 3)
	checkTag(t, e.exec(`UPDATE prices SET price = price * 2 WHERE id = 1`), "UPDATE 1", 1)
	checkTag(t, e.exec(`UPDATE prices SET price = price * 1.5 + 0.001 WHERE id >= 2`), "UPDATE 2", 2)
	e.fails(e.sess, sqlerr.NumericValueOutOfRange, `UPDATE prices SET price = price * 100000000000`)
	var got string
	if err := e.conn.QueryRow(ctx, `SELECT string_agg(id || ':' || coalesce(price::text, 'NULL'), ' ' ORDER BY id) FROM prices`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := "1:20.50 2:0.08 3:NULL"; got != want {
		t.Errorf("after UPDATE: %s, want %s", got, want)
	}
}

func TestWritePostgres(t *testing.T) {
	e := newWriteEnv(t)
	checkTag(t, e.exec(`INSERT INTO items (id, qty, note) VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, NULL)`), "INSERT 0 3", 3)
	checkTag(t, e.exec(`UPDATE items SET qty = qty + 1, note = 'x' WHERE id >= 2`), "UPDATE 2", 2)
	// A SET value the server cannot compute with the same meaning is
	// refused before anything is sent.
	e.fails(e.sess, sqlerr.FeatureNotSupported, `UPDATE items SET note = 'x' || id WHERE id >= 2`, "SET note clause cannot be sent", "concat")
	if got, want := e.remote(), "1:10:a 2:21:x 3:31:x"; got != want {
		t.Errorf("after UPDATE: %s, want %s", got, want)
	}
	// Parameters become literals of the remote statement.
	checkTag(t, e.exec(`UPDATE items SET qty = $1 WHERE id = $2`, 7, 1), "UPDATE 1", 1)
	checkTag(t, e.exec(`UPDATE items SET note = NULL WHERE note = 'nosuch'`), "UPDATE 0", 0)
	checkTag(t, e.exec(`DELETE FROM items WHERE qty > 25`), "DELETE 1", 1)
	if got, want := e.remote(), "1:7:a 2:21:x"; got != want {
		t.Errorf("after DELETE: %s, want %s", got, want)
	}
	// A remote constraint violation keeps its SQLSTATE.
	e.fails(e.sess, sqlerr.Code("23514"), `UPDATE items SET qty = qty - 10`, "items")
	if got, want := e.remote(), "1:7:a 2:21:x"; got != want {
		t.Errorf("after a failed UPDATE: %s, want %s", got, want)
	}
	// A clause the server cannot evaluate with the same meaning is refused
	// before anything is sent (char(n) comparisons ignore trailing spaces there).
	e.fails(e.sess, sqlerr.FeatureNotSupported, `DELETE FROM items WHERE code = 'ab'`, "WHERE clause cannot be sent")
	checkTag(t, e.exec(`DELETE FROM items`), "DELETE 2", 2)
	if got := e.remote(); got != "" {
		t.Errorf("after DELETE of all rows: %q", got)
	}
}

// TestInsertAtomicPostgres: an INSERT that fails on row N of M leaves no
// row behind, whether the rows go one per statement or in batches.
func TestInsertAtomicPostgres(t *testing.T) {
	e := newWriteEnv(t)
	e.exec(`CREATE TABLE src (id int, qty int)`)
	e.exec(`INSERT INTO src SELECT x, CASE WHEN x = 7 THEN -1 ELSE x END FROM (VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10)) v(x)`)
	e.fails(e.sess, sqlerr.Code("23514"), `INSERT INTO items (id, qty) SELECT id, qty FROM src ORDER BY id`, "row 7")
	if got := e.remote(); got != "" {
		t.Errorf("rows left after a failed INSERT: %s", got)
	}
	e.fails(e.sess, sqlerr.Code("23514"), `INSERT INTO items4 (id, qty) SELECT id, qty FROM src ORDER BY id`, "rows 5 to 8")
	if got := e.remote(); got != "" {
		t.Errorf("rows left after a failed batched INSERT: %s", got)
	}
	// NOT NULL at the remote, on the last row.
	e.fails(e.sess, sqlerr.NotNullViolation, `INSERT INTO items (id, qty) VALUES (1, 1), (2, 2), (3, NULL)`)
	if got := e.remote(); got != "" {
		t.Errorf("rows left after a failed INSERT: %s", got)
	}
	e.fails(e.sess, sqlerr.InvalidTextRepr, `INSERT INTO items (id, qty) VALUES (1, 1), (2, 'two')`, `column "qty", row 2`)
	checkTag(t, e.exec(`INSERT INTO items4 (id, qty) SELECT id, abs(qty) FROM src`), "INSERT 0 10", 10)
	var n int
	if err := e.conn.QueryRow(context.Background(), `SELECT count(*) FROM items`).Scan(&n); err != nil || n != 10 {
		t.Errorf("remote count %d (%v), want 10", n, err)
	}
}

// TestWritePrivileges: writes need the table privilege and USAGE on the
// server.
func TestWritePrivileges(t *testing.T) {
	e := newWriteEnv(t)
	e.exec(`CREATE USER bob`)
	e.exec(`CREATE USER MAPPING FOR bob SERVER pg OPTIONS (user 'medley_bob', password 'bobpw')`)
	e.exec(`GRANT INSERT ON items TO bob`)
	bob, err := e.db.Session(context.Background(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	e.fails(bob, sqlerr.InsufficientPrivilege, `INSERT INTO items (id, qty) VALUES (1, 1)`, "pg")
	e.exec(`GRANT USAGE ON FOREIGN SERVER pg TO bob`)
	if _, err := e.run(bob, `INSERT INTO items (id, qty) VALUES (1, 1)`); err != nil {
		t.Fatal(err)
	}
	e.fails(bob, sqlerr.InsufficientPrivilege, `UPDATE items SET qty = 2`, "items")
	e.fails(bob, sqlerr.InsufficientPrivilege, `DELETE FROM items`, "items")
	e.exec(`GRANT UPDATE, DELETE ON items TO bob`)
	if _, err := e.run(bob, `UPDATE items SET qty = 2`); err != nil {
		t.Fatal(err)
	}
	e.exec(`REVOKE USAGE ON FOREIGN SERVER pg FROM bob`)
	e.fails(bob, sqlerr.InsufficientPrivilege, `DELETE FROM items`, "pg")
	if got, want := e.remote(), "1:2:NULL"; got != want {
		t.Errorf("remote rows %s, want %s", got, want)
	}
}
