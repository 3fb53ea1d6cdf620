package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/medleysql/medley/engine"
)

func TestServeHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runWith(context.Background(), []string{"serve", "--help"}, strings.NewReader(""), &stdout, &stderr, openEngine)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"--listen", "--catalog", "--tls-cert", "--tls-key", "--allow-anonymous", "--token-ttl", "--max-queries", "--memory-limit",
		"Flight SQL", "127.0.0.1:32010", "1h0m0s"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("serve --help lacks %q:\n%s", want, stdout.String())
		}
	}
	code = runWith(context.Background(), []string{"serve", "--max-queries", "-1"}, strings.NewReader(""), &stdout, &stderr, openEngine)
	if code != exitFailed || !strings.Contains(stderr.String(), "invalid --max-queries -1") {
		t.Errorf("--max-queries -1: exit %d, %s", code, stderr.String())
	}
	code = runWith(context.Background(), []string{"serve", "--tls-cert", "x.pem"}, strings.NewReader(""), &stdout, &stderr, openEngine)
	if code != exitFailed || !strings.Contains(stderr.String(), "--tls-cert and --tls-key go together") {
		t.Errorf("cert without key: exit %d, %s", code, stderr.String())
	}
}

// TestServe runs the serve command on a catalog, queries it with the real
// Flight SQL client and stops it by cancelling its context.
func TestServe(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	t.Setenv("MEDLEY_SECRET_KEY", strings.Repeat("ab", 32))
	cat := filepath.Join(t.TempDir(), "c.db")
	ctx := context.Background()
	db, err := engine.Open(ctx, engine.Config{CatalogPath: cat, User: "alice", Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"ALTER USER alice PASSWORD 'pw'"} {
		if _, err := db.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	sctx, stop := context.WithCancel(ctx)
	addrc := make(chan string, 1)
	var logs bytes.Buffer
	done := make(chan error, 1)
	o := &serveOptions{listen: "127.0.0.1:0", catalog: cat, tokenTTL: 3600e9, logLevel: "info", allocator: mem,
		maxQueries: 1, memoryLimit: "1MB"}
	go func() { done <- runServe(sctx, o, &logs, func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}
	cl, err := flightsql.NewClient(addr, nil, nil, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	cl.Alloc = mem
	actx, err := cl.Client.AuthenticateBasicToken(ctx, "alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"CREATE TABLE t (a integer)", "INSERT INTO t VALUES (1), (2)"} {
		if _, err := cl.ExecuteUpdate(actx, s); err != nil {
			t.Fatal(err)
		}
	}
	info, err := cl.Execute(actx, "SELECT sum(a) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	rdr, err := cl.DoGet(actx, info.Endpoint[0].Ticket)
	if err != nil {
		t.Fatal(err)
	}
	if !rdr.Next() || rdr.RecordBatch().Column(0).ValueStr(0) != "3" {
		t.Errorf("sum: %v", rdr.Err())
	}
	for rdr.Next() {
	}
	rdr.Release()

	// --memory-limit reaches the engine: a query over it gets
	// RESOURCE_EXHAUSTED with 53200.
	big := "SELECT a.a, b.a, c.a FROM t a, t b, t c, t d, t e, t f, t g, t h, t i, t j, t k, t l, t m, t n, t o, t p, t q ORDER BY 1, 2, 3"
	info, err = cl.Execute(actx, big)
	if err == nil {
		rdr, err = cl.DoGet(actx, info.Endpoint[0].Ticket)
		if err == nil {
			for rdr.Next() {
			}
			err = rdr.Err()
			rdr.Release()
		}
	}
	if st, _ := status.FromError(err); st.Code() != codes.ResourceExhausted || !strings.HasPrefix(st.Message(), "53200") {
		t.Errorf("over --memory-limit: %v", err)
	}
	// --max-queries 1: a second stream while one is open is refused.
	stream := "SELECT a.a FROM t a, t b, t c, t d, t e, t f, t g, t h, t i, t j, t k, t l, t m, t n, t o, t p, t q, t r, t s"
	if _, err := cl.ExecuteUpdate(actx, "SET memory_limit = '256MB'"); err != nil {
		t.Fatal(err)
	}
	info, err = cl.Execute(actx, stream)
	if err != nil {
		t.Fatal(err)
	}
	hctx, cancelHold := context.WithCancel(actx)
	hold, err := cl.DoGet(hctx, info.Endpoint[0].Ticket)
	if err != nil {
		t.Fatal(err)
	}
	if !hold.Next() {
		t.Fatalf("holding stream: %v", hold.Err())
	}
	info, err = cl.Execute(actx, "SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.DoGet(actx, info.Endpoint[0].Ticket)
	if st, _ := status.FromError(err); st.Code() != codes.ResourceExhausted || !strings.HasPrefix(st.Message(), "53300") {
		t.Errorf("over --max-queries: %v", err)
	}
	cancelHold()
	hold.Release()
	cl.Close()
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "pw") || !strings.Contains(logs.String(), `"msg":"statement"`) {
		t.Errorf("logs:\n%s", logs.String())
	}
}
