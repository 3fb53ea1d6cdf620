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
	"google.golang.org/grpc/credentials/insecure"

	"github.com/medleysql/medley/engine"
)

func TestServeHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runWith(context.Background(), []string{"serve", "--help"}, strings.NewReader(""), &stdout, &stderr, openEngine)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"--listen", "--catalog", "--tls-cert", "--tls-key", "--allow-anonymous", "--token-ttl",
		"Flight SQL", "127.0.0.1:32010", "1h0m0s"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("serve --help lacks %q:\n%s", want, stdout.String())
		}
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
	o := &serveOptions{listen: "127.0.0.1:0", catalog: cat, tokenTTL: 3600e9, logLevel: "info", allocator: mem}
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
	cl.Close()
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "pw") || !strings.Contains(logs.String(), `"msg":"statement"`) {
		t.Errorf("logs:\n%s", logs.String())
	}
}
