package flightsql

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"

	"github.com/medleysql/medley/engine"
)

// holdQuery starts q on a new client and reads its first batch; the
// stream stays open (one running query) until the returned func is called.
func holdQuery(t *testing.T, f *fixture, q string) (stop func()) {
	t.Helper()
	cl, ctx := f.admin()
	info, err := cl.Execute(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithCancel(ctx)
	rdr, err := cl.DoGet(dctx, info.Endpoint[0].Ticket)
	if err != nil {
		t.Fatal(err)
	}
	if !rdr.Next() {
		t.Fatal(rdr.Err())
	}
	return func() { cancel(); rdr.Release() }
}

// waitRunning waits until the server runs at most n statement streams (a
// cancelled stream's handler returns a moment after the client gave up).
func waitRunning(t *testing.T, f *fixture, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for f.srv.Running() > n {
		if time.Now().After(deadline) {
			t.Fatalf("%d statements still running, want at most %d", f.srv.Running(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestMaxQueries(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxQueries = 2 })
	q := bigSetup(f)
	stop1 := holdQuery(t, f, q)
	stop2 := holdQuery(t, f, q)
	if f.srv.Running() != 2 {
		t.Fatalf("running %d, want 2", f.srv.Running())
	}

	// A third query is refused (after a second's grace), to a Flight SQL client and to
	// ADBC; calls that run no statement stream still answer.
	cl, ctx := f.admin()
	_ = got3(t, f, cl, ctx)
	cn, err := adbcOpen(t, f, adbcLogin("admin", adminPW))
	if err != nil {
		t.Fatal(err)
	}
	_, err = adbcTry(cn, "SELECT 1")
	if code, msg := adbcCode(err); code.String() != "ResourceExhausted" || !strings.Contains(msg, "53300") {
		t.Errorf("ADBC over the limit: %v %q", code, msg)
	}
	if _, err := cl.GetSqlInfo(ctx, []flightsql.SqlInfo{flightsql.SqlInfoFlightSqlServerName}); err != nil {
		t.Errorf("GetFlightInfo (no stream) refused: %v", err)
	}

	// When a query ends, its slot is free again.
	stop1()
	waitRunning(t, f, 1)
	if got := queryRows(t, ctx, cl, "SELECT 41 + 1"); strings.Join(got, ",") != "42" {
		t.Errorf("after a slot freed: %q", got)
	}
	stop2()
	waitRunning(t, f, 0)
}

// got3 checks the over-the-limit answer of the arrow-go client.
func got3(t *testing.T, f *fixture, cl *flightsql.Client, ctx context.Context) error {
	t.Helper()
	info, err := cl.Execute(ctx, "SELECT 2")
	if err != nil {
		t.Fatal(err)
	}
	rdr, err := cl.DoGet(ctx, info.Endpoint[0].Ticket)
	if err == nil {
		for rdr.Next() {
		}
		err = rdr.Err()
		rdr.Release()
	}
	if code, msg := codeOf(err); code != "ResourceExhausted" || !strings.HasPrefix(msg, "53300") || !strings.Contains(msg, "at most 2") {
		t.Errorf("third query: %s %q", code, msg)
	}
	// The refused ticket is still valid: the client may retry it.
	_, _ = cl.CancelFlightInfo(ctx, &flight.CancelFlightInfoRequest{Info: info})
	return err
}

func TestMemoryLimit(t *testing.T) {
	f := newFixtureDB(t, func(c *engine.Config) { c.MemoryLimit = 1 << 20 }, nil)
	f.exec("CREATE TABLE d (x bigint)", "INSERT INTO d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)")
	cl, ctx := f.admin()
	q := "SELECT a.x, b.x, c.x, e.x, g.x FROM d a, d b, d c, d e, d g ORDER BY a.x, b.x, c.x, e.x, g.x"
	info, err := cl.Execute(ctx, q)
	if err == nil {
		var rdr interface {
			Next() bool
			Err() error
			Release()
		}
		rdr, err = cl.DoGet(ctx, info.Endpoint[0].Ticket)
		if err == nil {
			for rdr.Next() {
			}
			err = rdr.Err()
			rdr.Release()
		}
	}
	if code, msg := codeOf(err); code != "ResourceExhausted" || !strings.HasPrefix(msg, "53200") {
		t.Errorf("over the memory limit: %s %q", code, msg)
	}
	// The session and the server go on; a small query fits.
	if got := queryRows(t, ctx, cl, "SELECT count(*) FROM d"); strings.Join(got, ",") != "10" {
		t.Errorf("after the limit: %q", got)
	}
	// SET memory_limit raises it for this session only.
	if _, err := cl.ExecuteUpdate(ctx, "SET memory_limit = '256MB'"); err != nil {
		t.Fatal(err)
	}
	if got := queryRows(t, ctx, cl, "SELECT count(*) FROM ("+q+") s"); strings.Join(got, ",") != "100000" {
		t.Errorf("with a larger limit: %q", got)
	}
}

// TestMaxQueriesSequential: one client running statements one after the
// other is never refused, though each call's answer reaches it a moment
// before the server's handler returns and frees the slot.
func TestMaxQueriesSequential(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxQueries = 1 })
	cl, ctx := f.admin()
	if _, err := cl.ExecuteUpdate(ctx, "CREATE TABLE seq (a integer)"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		if _, err := cl.ExecuteUpdate(ctx, "INSERT INTO seq VALUES (1)"); err != nil {
			t.Fatalf("statement %d: %v", i, err)
		}
	}
}
