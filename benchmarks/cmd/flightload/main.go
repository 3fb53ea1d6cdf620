// Command flightload is a load test of Medley's Flight SQL server: it
// starts the server in-process on 127.0.0.1 over TPC-H Parquet files
// (generated at -sf if -dir has none), connects -clients Flight SQL
// clients, each authenticated with a password, and has them run the 22
// TPC-H queries round-robin for -duration. It reports queries per second,
// errors, and the goroutine count and heap in use before and after the
// load (after a GC, clients still connected), then stops the server and
// checks that the engine's checked allocator is back to 0 bytes.
//
//	go run ./benchmarks/cmd/flightload -duration 60s -out benchmarks/results/DATE-flightsql-load.md
//
// It exits 1 when a query failed, memory leaked, or goroutines or heap grew
// by more than -growth. It is not part of go test ./...: it runs for as
// long as it is told to.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/zap"

	"github.com/medleysql/medley/benchmarks/tpch"
	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/engine/flightsql"
)

type config struct {
	clients    int
	duration   time.Duration
	sf         float64
	dir        string
	queriesDir string
	out        string
	threads    int
	maxQueries int
	growth     float64
}

func main() {
	var c config
	flag.IntVar(&c.clients, "clients", 16, "concurrent Flight SQL clients")
	flag.DurationVar(&c.duration, "duration", 60*time.Second, "how long the clients run queries")
	flag.Float64Var(&c.sf, "sf", 0.01, "TPC-H scale factor generated when -dir holds no data")
	flag.StringVar(&c.dir, "dir", "", "TPC-H Parquet directory (default: a temporary one, generated)")
	flag.StringVar(&c.queriesDir, "queries", "", "directory of q1.sql..q22.sql (default sql/parse/testdata/tpch of the module)")
	flag.StringVar(&c.out, "out", "", "also write the report as Markdown to this file")
	flag.IntVar(&c.threads, "threads", 0, "engine threads per query (default all cores)")
	flag.IntVar(&c.maxQueries, "max-queries", flightsql.DefaultMaxQueries, "server's concurrent query limit")
	flag.Float64Var(&c.growth, "growth", 0.25, "allowed relative growth of heap in use (goroutines must not grow at all)")
	flag.Parse()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := run(ctx, c)
	if rep != nil {
		text := rep.markdown(c)
		fmt.Print(text)
		if c.out != "" {
			if werr := os.WriteFile(c.out, []byte(text), 0o644); werr != nil {
				fmt.Fprintln(os.Stderr, "flightload:", werr)
				os.Exit(1)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "flightload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) (*report, error) {
	if c.clients <= 0 || c.duration <= 0 {
		return nil, errors.New("-clients and -duration must be positive")
	}
	dir, cleanup, err := dataDir(ctx, c)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	texts, err := loadQueries(c.queriesDir)
	if err != nil {
		return nil, err
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	goroutinesAtStart := runtime.NumGoroutine()
	db, err := openDB(ctx, dir, mem, c.threads)
	if err != nil {
		return nil, err
	}
	srv, err := flightsql.New(flightsql.Config{DB: db, Logger: zap.NewNop(), Allocator: mem, MaxQueries: c.maxQueries,
		Version: "flightload"})
	if err != nil {
		db.Close()
		return nil, err
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		db.Close()
		return nil, err
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()

	rep, lerr := load(ctx, c, lis.Addr().String(), texts)
	srv.Stop()
	if err := <-served; err != nil && lerr == nil {
		lerr = err
	}
	db.Close()
	rep.leakedBytes = mem.CurrentAlloc()
	rep.goroutinesAtStart = goroutinesAtStart
	rep.goroutinesAfterStop = settledGoroutines(goroutinesAtStart)
	if lerr != nil {
		return rep, lerr
	}
	return rep, rep.verdict(c)
}

// dataDir returns -dir, generating TPC-H Parquet into it (or into a
// temporary directory) when it holds none.
func dataDir(ctx context.Context, c config) (string, func(), error) {
	dir, cleanup := c.dir, func() {}
	if dir == "" {
		d, err := os.MkdirTemp("", "flightload-tpch-")
		if err != nil {
			return "", nil, err
		}
		dir, cleanup = d, func() { os.RemoveAll(d) }
	}
	if _, err := os.Stat(filepath.Join(dir, "lineitem.parquet")); err == nil {
		return dir, cleanup, nil
	}
	start := time.Now()
	if err := tpch.Generate(ctx, tpch.Options{ScaleFactor: c.sf, Dir: dir, Formats: []tpch.Format{tpch.Parquet}}); err != nil {
		cleanup()
		return "", nil, err
	}
	fmt.Fprintf(os.Stderr, "generated TPC-H SF %g Parquet in %s (%s)\n", c.sf, dir, time.Since(start).Round(time.Millisecond))
	return dir, cleanup, nil
}

const (
	loadUser = "load"
	loadPW   = "load-pw"
)

func openDB(ctx context.Context, dir string, mem memory.Allocator, threads int) (*engine.DB, error) {
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", SecretKey: make([]byte, 32), User: loadUser,
		Allocator: mem, Threads: threads})
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, q := range []string{
		"ALTER USER " + loadUser + " PASSWORD '" + loadPW + "'",
		"CREATE SERVER tpch FOREIGN DATA WRAPPER parquet",
		fmt.Sprintf(`IMPORT FOREIGN SCHEMA "%s" FROM SERVER tpch INTO public`, strings.ReplaceAll(abs, `"`, `""`)),
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	return db, nil
}

// loadQueries reads q1..q22 from dir (default: the module's testdata).
func loadQueries(dir string) ([]query, error) {
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			return nil, err
		}
		dir = filepath.Join(root, "sql", "parse", "testdata", "tpch")
	}
	var qs []query
	for i := 1; i <= 22; i++ {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("q%d.sql", i)))
		if err != nil {
			return nil, err
		}
		stmts, rest := engine.SplitStatements(string(b))
		if strings.TrimSpace(rest) != "" {
			stmts = append(stmts, rest)
		}
		if len(stmts) != 1 {
			return nil, fmt.Errorf("q%d.sql holds %d statements", i, len(stmts))
		}
		qs = append(qs, query{n: i, sql: stmts[0]})
	}
	return qs, nil
}

func moduleRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", errors.New("not inside the Medley module: pass -queries")
		}
		d = parent
	}
}

// settledGoroutines waits (at most 10 s) for the goroutine count to fall to
// want and returns it.
func settledGoroutines(want int) int {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	return runtime.NumGoroutine()
}
