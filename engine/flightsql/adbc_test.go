package flightsql

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-adbc/go/adbc"
	adbcfs "github.com/apache/arrow-adbc/go/adbc/driver/flightsql"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"google.golang.org/grpc/codes"

	"github.com/medleysql/medley/sql/substrait"
)

// adbcOpen opens an ADBC Flight SQL database and connection with opts
// added to the server's URI; both close at the end of the test.
func adbcOpen(t *testing.T, f *fixture, opts map[string]string) (adbc.Connection, error) {
	t.Helper()
	o := map[string]string{adbc.OptionKeyURI: "grpc://" + f.addr}
	for k, v := range opts {
		o[k] = v
	}
	db, err := adbcfs.NewDriver(f.mem).NewDatabase(o)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { db.Close() })
	cn, err := db.Open(context.Background())
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { cn.Close() })
	return cn, nil
}

func adbcLogin(user, pw string) map[string]string {
	return map[string]string{adbc.OptionKeyUsername: user, adbc.OptionKeyPassword: pw}
}

// adbcCode is the gRPC code under an ADBC error (the driver keeps it as
// the vendor code) and its message.
func adbcCode(err error) (codes.Code, string) {
	var ae adbc.Error
	if !errors.As(err, &ae) {
		if err == nil {
			return codes.OK, ""
		}
		return codes.Unknown, err.Error()
	}
	return codes.Code(ae.VendorCode), ae.Msg
}

func adbcQuery(t *testing.T, cn adbc.Connection, sql string) []string {
	t.Helper()
	st, err := cn.NewStatement()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SetSqlQuery(sql); err != nil {
		t.Fatal(err)
	}
	rdr, _, err := st.ExecuteQuery(context.Background())
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rdr.Release()
	return rowsOf(t, rdr)
}

func TestADBC(t *testing.T) {
	f := newFixture(t, nil)
	cross, crossRows, _ := clientSetup(t, f)
	ctx := context.Background()
	cn, err := adbcOpen(t, f, adbcLogin("admin", adminPW))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("metadata", func(t *testing.T) {
		rdr, err := cn.GetObjects(ctx, adbc.ObjectDepthTables, nil, nil, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := objects(t, rdr)
		rdr.Release()
		for _, want := range []string{"medley", "medley.public", "medley.public.orders", "medley.public.people", "medley.public.salaries"} {
			if !got[want] {
				t.Errorf("GetObjects lacks %s: %v", want, got)
			}
		}
		sc, err := cn.GetTableSchema(ctx, nil, nil, "people")
		if err != nil {
			t.Fatal(err)
		}
		if sc.NumFields() != 2 || sc.Field(1).Name != "name" || sc.Field(1).Type.ID() != arrow.STRING {
			t.Errorf("people schema %v", sc)
		}
	})

	t.Run("cross-source", func(t *testing.T) {
		if got := adbcQuery(t, cn, cross); strings.Join(got, ",") != strings.Join(crossRows, ",") {
			t.Errorf("rows %q, want %q", got, crossRows)
		}
	})

	t.Run("prepared", func(t *testing.T) {
		st, err := cn.NewStatement()
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.SetSqlQuery("SELECT id FROM orders WHERE amount >= $1 ORDER BY id"); err != nil {
			t.Fatal(err)
		}
		if err := st.Prepare(ctx); err != nil {
			t.Fatal(err)
		}
		ps, err := st.GetParameterSchema()
		if err != nil || ps.NumFields() != 1 || ps.Field(0).Type.ID() != arrow.INT64 {
			t.Fatalf("parameter schema %v, %v", ps, err)
		}
		for _, c := range []struct {
			min  int64
			want string
		}{{200, "11,13"}, {80, "10,11,13"}} {
			b := array.NewInt64Builder(f.mem)
			b.Append(c.min)
			col := b.NewArray()
			b.Release()
			rec := array.NewRecordBatch(ps, []arrow.Array{col}, 1)
			col.Release()
			if err := st.Bind(ctx, rec); err != nil {
				t.Fatal(err)
			}
			rec.Release()
			rdr, _, err := st.ExecuteQuery(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := rowsOf(t, rdr)
			rdr.Release()
			if strings.Join(got, ",") != c.want {
				t.Errorf("amount >= %d: %q, want %s", c.min, got, c.want)
			}
		}
	})

	t.Run("insert", func(t *testing.T) {
		st, err := cn.NewStatement()
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.SetSqlQuery("INSERT INTO orders VALUES (14, 2, 40), (15, 3, 60)"); err != nil {
			t.Fatal(err)
		}
		n, err := st.ExecuteUpdate(ctx)
		if err != nil || n != 2 {
			t.Fatalf("INSERT: %d, %v", n, err)
		}
		if got := adbcQuery(t, cn, "SELECT count(*) FROM orders"); strings.Join(got, ",") != "6" {
			t.Errorf("count after insert %q", got)
		}
	})

	t.Run("substrait", func(t *testing.T) {
		text := strings.Join(adbcQuery(t, cn, "EXPLAIN (FORMAT SUBSTRAIT) SELECT name FROM people WHERE id > 1 ORDER BY name"), "\n")
		p, err := substrait.FromJSON([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		bin, err := substrait.ToBinary(p)
		if err != nil {
			t.Fatal(err)
		}
		st, err := cn.NewStatement()
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.SetSubstraitPlan(bin); err != nil {
			t.Fatal(err)
		}
		rdr, _, err := st.ExecuteQuery(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := rowsOf(t, rdr)
		rdr.Release()
		if strings.Join(got, ",") != "bo,cy" {
			t.Errorf("substrait rows %q", got)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		q := bigSetup(f)
		done := make(chan error, 1)
		f.srv.mu.Lock()
		f.srv.onQueryDone = func(_ string, err error) { done <- err }
		f.srv.mu.Unlock()
		defer func() { f.srv.mu.Lock(); f.srv.onQueryDone = nil; f.srv.mu.Unlock() }()
		st, err := cn.NewStatement()
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.SetSqlQuery(q); err != nil {
			t.Fatal(err)
		}
		qctx, cancel := context.WithCancel(ctx)
		rdr, _, err := st.ExecuteQuery(qctx)
		if err != nil {
			t.Fatal(err)
		}
		if !rdr.Next() {
			t.Fatal(rdr.Err())
		}
		cancel()
		for rdr.Next() {
		}
		rdr.Release()
		select {
		case err := <-done:
			if err == nil {
				t.Error("the cancelled statement ended without error")
			}
		case <-time.After(time.Minute):
			t.Fatal("cancel did not stop the statement")
		}
	})
}

func TestADBCAuthErrors(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TokenTTL = time.Minute })
	_, _, csvPath := clientSetup(t, f)
	ctx := context.Background()

	// ADBC's Open leaks its client when the handshake fails (see
	// fixture.leakedClients): two such opens below.
	f.leakedClients += 2
	_, err := adbcOpen(t, f, adbcLogin("admin", "wrong-pw"))
	if code, msg := adbcCode(err); code != codes.Unauthenticated || !strings.Contains(msg, "28P01") || strings.Contains(msg, "wrong-pw") {
		t.Errorf("wrong password: %v %q", code, msg)
	}
	_, err = adbcOpen(t, f, adbcLogin("nobody", "x"))
	if code, msg := adbcCode(err); code != codes.Unauthenticated || !strings.Contains(msg, "28P01") {
		t.Errorf("unknown user: %v %q", code, msg)
	}

	// A forged bearer token: the driver sends it as the authorization header.
	cn, err := adbcOpen(t, f, map[string]string{adbcfs.OptionAuthorizationHeader: "Bearer forged-token-AAAA"})
	if err == nil {
		_, err = adbcTry(cn, "SELECT 1")
	}
	if code, msg := adbcCode(err); code != codes.Unauthenticated || !strings.Contains(msg, "28000") {
		t.Errorf("forged token: %v %q", code, msg)
	}

	// Bob logs in, may read orders, but has no USAGE on either server.
	bob, err := adbcOpen(t, f, adbcLogin("bob", bobPW))
	if err != nil {
		t.Fatal(err)
	}
	if got := adbcQuery(t, bob, "SELECT count(*) FROM orders"); strings.Join(got, ",") != "4" {
		t.Errorf("bob: %q", got)
	}
	for _, q := range []string{
		"SELECT * FROM salaries",
		"SELECT * FROM people",
		"CREATE FOREIGN TABLE mine (id integer) SERVER pg",
		"IMPORT FOREIGN SCHEMA public FROM SERVER pg INTO public",
		"SELECT srvoptions FROM pg_foreign_server",
		"SELECT * FROM medley.connections",
	} {
		_, err := adbcTry(bob, q)
		code, msg := adbcCode(err)
		noSecrets(t, q, msg, csvPath)
		if strings.HasPrefix(q, "SELECT srvoptions") || strings.HasPrefix(q, "SELECT * FROM medley.connections") {
			continue // may fail or answer; either way without secrets (checked above)
		}
		if code != codes.PermissionDenied || !strings.Contains(msg, "42501") {
			t.Errorf("bob %s: %v %q", q, code, msg)
		}
	}
	if rows, err := adbcTry(bob, "SELECT * FROM medley.connections"); err == nil {
		noSecrets(t, "medley.connections", strings.Join(rows, "\n"), csvPath)
	}

	// Bob's token expires: the next call is refused.
	f.advance(2 * time.Minute)
	_, err = adbcTry(bob, "SELECT 1")
	if code, msg := adbcCode(err); code != codes.Unauthenticated || !strings.Contains(msg, "expired") {
		t.Errorf("expired token: %v %q", code, msg)
	}
	_ = ctx
}

// adbcTry runs a query and returns its rows or the error.
func adbcTry(cn adbc.Connection, sql string) ([]string, error) {
	st, err := cn.NewStatement()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := st.SetSqlQuery(sql); err != nil {
		return nil, err
	}
	rdr, _, err := st.ExecuteQuery(context.Background())
	if err != nil {
		return nil, err
	}
	defer rdr.Release()
	var rows []string
	for rdr.Next() {
		b := rdr.RecordBatch()
		for i := 0; i < int(b.NumRows()); i++ {
			var vals []string
			for c := 0; c < int(b.NumCols()); c++ {
				vals = append(vals, b.Column(c).ValueStr(i))
			}
			rows = append(rows, strings.Join(vals, "|"))
		}
	}
	return rows, rdr.Err()
}
