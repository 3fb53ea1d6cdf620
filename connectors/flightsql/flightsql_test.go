package flightsql_test

import (
	"context"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	fsql "github.com/medleysql/medley/connectors/flightsql"
	"github.com/medleysql/medley/engine"
	server "github.com/medleysql/medley/engine/flightsql"
	"github.com/medleysql/medley/sql/sqlerr"
)

const adminPW = "fdw-s3cret"

// startServer starts a Medley Flight SQL server on loopback with a memory
// catalog whose admin has password adminPW. Cleanup stops it, checks the
// engine's allocator and that no goroutine outlives the server and the
// test's connections.
func startServer(t *testing.T) (*engine.DB, string) {
	t.Helper()
	before := runtime.NumGoroutine()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	ctx := context.Background()
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", SecretKey: make([]byte, 32), User: "admin",
		Allocator: mem, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "ALTER USER admin PASSWORD '"+adminPW+"'"); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{DB: db, Allocator: mem, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(lis) }()
	t.Cleanup(func() {
		srv.Stop()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		db.Close()
		mem.AssertSize(t, 0)
		checkGoroutines(t, before)
	})
	return db, lis.Addr().String()
}

// checkGoroutines waits for the goroutines started since before to end
// (gRPC's end asynchronously after Close and Stop); it fails with their
// stacks if some are still there after a generous bound.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Errorf("goroutines leaked: %d before, %d after\n%s", before, runtime.NumGoroutine(), buf[:n])
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConformance(t *testing.T) {
	conntest.Run(t, conntest.Harness{
		Connector: mustLookup(t),
		Setup: func(t *testing.T, data []arrow.RecordBatch) conntest.Fixture {
			db, addr := startServer(t)
			loadStd(t, db, data)
			return conntest.Fixture{
				Server: map[string]string{"uri": "grpc://" + addr},
				User:   map[string]string{"username": "admin", "password": adminPW},
				Table:  map[string]string{"schema_name": "public", "table_name": "std"},
				Missing: func(d connectors.TableDesc) connectors.TableDesc {
					d.Options = map[string]string{"schema_name": "public", "table_name": "no_such_table"}
					return d
				},
				Import:           &connectors.ImportRequest{RemoteSchema: "public"},
				ImportName:       "std",
				ImportExactTypes: true,
			}
		},
	})
}

// loadStd stores the standard rows in the memory table public.std.
func loadStd(t *testing.T, db *engine.DB, data []arrow.RecordBatch) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.Exec(ctx, "CREATE TABLE public.std (id bigint NOT NULL, i32 integer, f64 double precision, "+
		"s text, d date, dec numeric(10,2), b boolean)"); err != nil {
		t.Fatal(err)
	}
	sess, err := db.Session(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	rdr, err := array.NewRecordReader(conntest.Schema(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Release()
	if n, err := sess.Ingest(ctx, "public", "std", rdr, engine.IngestAppend); err != nil || n != conntest.NumRows {
		t.Fatalf("Ingest: %d rows, %v", n, err)
	}
}

func mustLookup(t *testing.T) connectors.Connector {
	c, ok := connectors.Lookup(fsql.Name)
	if !ok {
		t.Fatalf("connector %q is not registered", fsql.Name)
	}
	return c
}

// TestWrongPassword: a refused login is 28P01, names the server and never
// shows the password.
func TestWrongPassword(t *testing.T) {
	_, addr := startServer(t)
	const wrong = "not-the-password-42"
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	conn, err := mustLookup(t).Connect(context.Background(), connectors.ConnectParams{
		Server: "remote_medley", ServerOptions: map[string]string{"uri": "grpc://" + addr},
		UserOptions: map[string]string{"username": "admin", "password": wrong},
		User:        "tester", Logger: zap.NewNop(), Allocator: mem,
	})
	if err == nil {
		conn.Close()
		t.Fatal("Connect with a wrong password succeeded")
	}
	if got := sqlerr.CodeOf(err); got != sqlerr.InvalidPassword {
		t.Errorf("SQLSTATE %s, want %s: %v", got, sqlerr.InvalidPassword, err)
	}
	if !strings.Contains(err.Error(), `"remote_medley"`) {
		t.Errorf("error %q does not name the server", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error %q shows the password", err)
	}
}
