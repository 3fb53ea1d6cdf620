package flightsql

import (
	"context"
	"errors"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/medleysql/medley/engine"
)

// fixture is a server on a fresh in-memory catalog, started on loopback.
type fixture struct {
	t    *testing.T
	mem  *memory.CheckedAllocator
	db   *engine.DB
	srv  *Server
	addr string
	now  time.Time
	mu   sync.Mutex

	// leakedClients counts client connections a third-party driver is
	// known to leave open (ADBC v1.9.0 does not close its Flight client
	// when the Basic handshake of Database.Open fails); their idle gRPC
	// goroutines are not the server's.
	leakedClients int
}

const adminPW = "s3cret-pw"

func newFixture(t *testing.T, mutate func(*Config)) *fixture {
	t.Helper()
	return newFixtureDB(t, nil, mutate)
}

// newFixtureDB is newFixture with the engine's configuration changed by
// dbMutate first.
func newFixtureDB(t *testing.T, dbMutate func(*engine.Config), mutate func(*Config)) *fixture {
	t.Helper()
	before := runtime.NumGoroutine()
	f := &fixture{t: t, mem: memory.NewCheckedAllocator(memory.DefaultAllocator), now: time.Unix(1_700_000_000, 0)}
	ctx := context.Background()
	ecfg := engine.Config{CatalogPath: ":memory:", SecretKey: make([]byte, 32), User: "admin",
		Allocator: f.mem, Threads: 2}
	if dbMutate != nil {
		dbMutate(&ecfg)
	}
	db, err := engine.Open(ctx, ecfg)
	if err != nil {
		t.Fatal(err)
	}
	f.db = db
	if _, err := db.Exec(ctx, "ALTER USER admin PASSWORD '"+adminPW+"'"); err != nil {
		t.Fatal(err)
	}
	cfg := Config{DB: db, Allocator: f.mem, Now: f.clock, Version: "test"}
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = lis.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(lis) }()
	t.Cleanup(func() {
		srv.Stop()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		db.Close()
		f.mem.AssertSize(t, 0)
		checkGoroutinesAllowing(t, before, 3*f.leakedClients)
	})
	return f
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// checkGoroutinesAllowing waits for the goroutines started since before to
// end (gRPC's connection goroutines end asynchronously after Stop) and fails
// with their stacks if some never do, not counting up to allow idle gRPC
// client goroutines (a ClientConn's callback serializers) that a
// third-party driver leaked.
func checkGoroutinesAllowing(t *testing.T, before, allow int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine()-min(allow, idleClientGoroutines()) > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Errorf("goroutines leaked: %d before, %d after\n%s", before, runtime.NumGoroutine(), buf[:n])
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// client dials the server; close it before the test ends.
func (f *fixture) client(opts ...grpc.DialOption) *flightsql.Client {
	f.t.Helper()
	if len(opts) == 0 {
		opts = []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	}
	cl, err := flightsql.NewClient(f.addr, nil, nil, opts...)
	if err != nil {
		f.t.Fatal(err)
	}
	cl.Alloc = f.mem
	f.t.Cleanup(func() { cl.Close() })
	return cl
}

// login authenticates as admin and returns the context carrying the token.
func (f *fixture) login(cl *flightsql.Client, user, pw string) context.Context {
	f.t.Helper()
	ctx, err := cl.Client.AuthenticateBasicToken(context.Background(), user, pw)
	if err != nil {
		f.t.Fatalf("login %s: %v", user, err)
	}
	return ctx
}

// admin returns a logged-in client as admin.
func (f *fixture) admin() (*flightsql.Client, context.Context) {
	cl := f.client()
	return cl, f.login(cl, "admin", adminPW)
}

func (f *fixture) exec(sqls ...string) {
	f.t.Helper()
	for _, s := range sqls {
		if _, err := f.db.Exec(context.Background(), s); err != nil {
			f.t.Fatalf("%s: %v", s, err)
		}
	}
}

// readAll reads every endpoint of info and returns the batches' rows
// rendered as text and the batch count.
func readAll(t *testing.T, ctx context.Context, cl *flightsql.Client, info *flight.FlightInfo) ([]string, int, *arrow.Schema) {
	t.Helper()
	var rows []string
	batches := 0
	var schema *arrow.Schema
	for _, ep := range info.Endpoint {
		rdr, err := cl.DoGet(ctx, ep.Ticket)
		if err != nil {
			t.Fatalf("DoGet: %v", err)
		}
		schema = rdr.Schema()
		for rdr.Next() {
			b := rdr.RecordBatch()
			batches++
			for i := 0; i < int(b.NumRows()); i++ {
				var vals []string
				for c := 0; c < int(b.NumCols()); c++ {
					vals = append(vals, b.Column(c).ValueStr(i))
				}
				rows = append(rows, strings.Join(vals, "|"))
			}
		}
		err = rdr.Err()
		rdr.Release()
		if err != nil {
			t.Fatalf("reading: %v", err)
		}
	}
	return rows, batches, schema
}

func queryRows(t *testing.T, ctx context.Context, cl *flightsql.Client, sql string) []string {
	t.Helper()
	info, err := cl.Execute(ctx, sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	rows, _, _ := readAll(t, ctx, cl, info)
	return rows
}

// codeOf returns the gRPC code and message of err.
func codeOf(err error) (string, string) {
	if err == nil {
		return "OK", ""
	}
	st, ok := status.FromError(err)
	if !ok {
		if st2, ok2 := status.FromError(errors.Unwrap(err)); ok2 {
			st = st2
		}
	}
	return st.Code().String(), st.Message()
}

func idleClientGoroutines() int {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	count := 0
	for _, g := range strings.Split(string(buf[:n]), "\n\n") {
		if strings.Contains(g, "grpcsync.(*CallbackSerializer).run") && !strings.Contains(g, "grpc.(*Server)") {
			count++
		}
	}
	return count
}
