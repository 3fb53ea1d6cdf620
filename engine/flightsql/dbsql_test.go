package flightsql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/flight/flightsql/driver"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// sqlOpen opens a database/sql pool on arrow-go's Flight SQL driver
// ("flightsql://user:password@host:port" or "?token="), closed at the end
// of the test. The driver sends the credentials on every call.
func sqlOpen(t *testing.T, f *fixture, dsn string) *sql.DB {
	t.Helper()
	cfg, err := driver.NewDriverConfigFromDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn := &driver.Connector{}
	if err := conn.ConfigureWithAllocator(cfg, f.mem); err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	t.Cleanup(func() { db.Close() })
	return db
}

func sqlDSN(f *fixture, user, pw string) string {
	return fmt.Sprintf("flightsql://%s:%s@%s?timeout=1m", user, pw, f.addr)
}

func sqlRows(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := sqlTry(db, q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return rows
}

func sqlTry(db *sql.DB, q string, args ...any) ([]string, error) {
	rs, err := db.QueryContext(context.Background(), q, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		var s []string
		for _, v := range vals {
			s = append(s, fmt.Sprint(v))
		}
		out = append(out, strings.Join(s, "|"))
	}
	return out, rs.Err()
}

// grpcCodeOf finds the gRPC status in a (possibly wrapped) error.
func grpcCodeOf(err error) (codes.Code, string) {
	if err == nil {
		return codes.OK, ""
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if st, ok := status.FromError(e); ok {
			return st.Code(), st.Message()
		}
	}
	return codes.Unknown, err.Error()
}

func TestDatabaseSQL(t *testing.T) {
	f := newFixture(t, nil)
	cross, crossRows, _ := clientSetup(t, f)
	db := sqlOpen(t, f, sqlDSN(f, "admin", adminPW))
	ctx := context.Background()

	// database/sql has no metadata calls: catalogs, schemas and tables
	// through information_schema, as its users do.
	if got := sqlRows(t, db, "SELECT DISTINCT table_catalog FROM information_schema.tables"); strings.Join(got, ",") != "medley" {
		t.Errorf("catalogs %q", got)
	}
	if got := strings.Join(sqlRows(t, db, "SELECT schema_name FROM information_schema.schemata ORDER BY schema_name"), ","); !strings.Contains(got, "public") {
		t.Errorf("schemas %q", got)
	}
	got := strings.Join(sqlRows(t, db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"), ",")
	if got != "orders,people,salaries" {
		t.Errorf("tables %q", got)
	}

	if got := sqlRows(t, db, cross); strings.Join(got, ",") != strings.Join(crossRows, ",") {
		t.Errorf("cross-source rows %q, want %q", got, crossRows)
	}

	st, err := db.PrepareContext(ctx, "SELECT id FROM orders WHERE amount >= $1 ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		min  int64
		want string
	}{{200, "11,13"}, {80, "10,11,13"}} {
		rs, err := st.QueryContext(ctx, c.min)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for rs.Next() {
			var id int64
			if err := rs.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, fmt.Sprint(id))
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
		rs.Close()
		if strings.Join(ids, ",") != c.want {
			t.Errorf("amount >= %d: %v, want %s", c.min, ids, c.want)
		}
	}
	st.Close()

	res, err := db.ExecContext(ctx, "INSERT INTO orders VALUES (14, 2, 40)")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Errorf("RowsAffected %d, %v", n, err)
	}
	if got := sqlRows(t, db, "SELECT count(*) FROM orders"); strings.Join(got, ",") != "5" {
		t.Errorf("count after insert %q", got)
	}

	// A Substrait plan: database/sql has no call for one; the plan is
	// compiled by the engine and run through EXPLAIN's text is not
	// possible either, so Substrait is covered by ADBC (TestADBC) and
	// arrow-go's client (TestSubstrait).

	// Cancel: the context of a running query ends; the server's statement
	// ends with an error (57014) and its memory is freed (fixture's
	// checked allocator).
	q := bigSetup(f)
	done := make(chan error, 1)
	f.srv.mu.Lock()
	f.srv.onQueryDone = func(_ string, err error) { done <- err }
	f.srv.mu.Unlock()
	qctx, cancel := context.WithCancel(ctx)
	rs, err := db.QueryContext(qctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !rs.Next() {
		t.Fatal(rs.Err())
	}
	cancel()
	for rs.Next() {
	}
	rs.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("the cancelled statement ended without error")
		}
	case <-time.After(time.Minute):
		t.Fatal("cancel did not stop the statement")
	}
	f.srv.mu.Lock()
	f.srv.onQueryDone = nil
	f.srv.mu.Unlock()

	// Per-call Basic credentials reuse one session: SET lasts.
	if _, err := db.ExecContext(ctx, "SET search_path = 'sales'"); err != nil {
		t.Fatal(err)
	}
	if got := sqlRows(t, db, "SHOW search_path"); strings.Join(got, ",") != "sales" {
		t.Errorf("search_path after SET: %q", got)
	}
}

func TestDatabaseSQLAuthErrors(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TokenTTL = time.Minute })
	_, _, csvPath := clientSetup(t, f)

	_, err := sqlTry(sqlOpen(t, f, sqlDSN(f, "admin", "wrong-pw")), "SELECT 1")
	if code, msg := grpcCodeOf(err); code != codes.Unauthenticated || !strings.HasPrefix(msg, "28P01") || strings.Contains(msg, "wrong-pw") {
		t.Errorf("wrong password: %v %q", code, msg)
	}
	_, err = sqlTry(sqlOpen(t, f, fmt.Sprintf("flightsql://%s?token=forged-AAAA", f.addr)), "SELECT 1")
	if code, msg := grpcCodeOf(err); code != codes.Unauthenticated || !strings.HasPrefix(msg, "28000") {
		t.Errorf("forged token: %v %q", code, msg)
	}

	// A real token (from a handshake) that expires.
	cl := f.client()
	actx := f.login(cl, "bob", bobPW)
	md, _ := metadata.FromOutgoingContext(actx)
	token := strings.TrimPrefix(md.Get("authorization")[0], "Bearer ")
	bob := sqlOpen(t, f, fmt.Sprintf("flightsql://%s?token=%s", f.addr, token))
	if got := sqlRows(t, bob, "SELECT count(*) FROM orders"); strings.Join(got, ",") != "4" {
		t.Errorf("bob: %q", got)
	}
	for _, q := range []string{"SELECT * FROM salaries", "SELECT * FROM people",
		"CREATE FOREIGN TABLE mine (id integer) SERVER pg", "IMPORT FOREIGN SCHEMA public FROM SERVER pg INTO public"} {
		_, err := sqlTry(bob, q)
		code, msg := grpcCodeOf(err)
		noSecrets(t, q, msg, csvPath)
		if code != codes.PermissionDenied || !strings.HasPrefix(msg, "42501") {
			t.Errorf("bob %s: %v %q", q, code, msg)
		}
	}
	f.advance(2 * time.Minute)
	_, err = sqlTry(bob, "SELECT 1")
	if code, msg := grpcCodeOf(err); code != codes.Unauthenticated || !strings.Contains(msg, "expired") {
		t.Errorf("expired token: %v %q", code, msg)
	}
}
