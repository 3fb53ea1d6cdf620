package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/medleysql/medley/benchmarks/internal/rowcmp"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/medleysql/medley/benchmarks/cmd/internal/peer"
	"github.com/medleysql/medley/engine"
)

// duckOutput is duckbench's JSON (benchmarks/duckdb/main.go).
type duckOutput struct {
	Version string      `json:"version"`
	Threads int         `json:"threads"`
	Queries []duckQuery `json:"queries"`
}

type duckQuery struct {
	Q       int         `json:"q"`
	SQL     string      `json:"sql"`
	TimesNS []int64     `json:"times_ns"`
	Median  int64       `json:"median_ns"`
	PeakRSS int64       `json:"peak_rss"`
	Columns []string    `json:"columns"`
	Rows    [][]*string `json:"rows"`
	Error   string      `json:"error"`
}

// runDuck runs duckbench with args and decodes its output.
func runDuck(ctx context.Context, bin string, args ...string) (duckOutput, error) {
	var out duckOutput
	f, err := os.CreateTemp("", "duckbench-*.json")
	if err != nil {
		return out, err
	}
	f.Close()
	defer os.Remove(f.Name())
	cmd := exec.CommandContext(ctx, bin, append(args, "-out", f.Name())...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return out, fmt.Errorf("%s %s: %w", bin, strings.Join(args, " "), err)
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		return out, err
	}
	return out, json.Unmarshal(b, &out)
}

// queryPair is one TPC-H query on both engines at one thread count.
type queryPair struct {
	q            int
	rows         int
	medley, duck time.Duration
	medleyRSS    int64
	duckRSS      int64
	checked      bool   // Medley's result equals DuckDB's
	problem      string // why not: an error or the first difference
}

// ratio is Medley/DuckDB, 0 when either is missing.
func (p queryPair) ratio() float64 {
	if !p.checked || p.duck <= 0 {
		return 0
	}
	return p.medley.Seconds() / p.duck.Seconds()
}

type tpchRun struct {
	threads     int
	duckVersion string
	queries     []queryPair
}

func runTPCH(ctx context.Context, c config, dir string, threads int) (tpchRun, error) {
	tr := tpchRun{threads: threads}
	var qs []string
	for _, q := range c.queries {
		qs = append(qs, strconv.Itoa(q))
	}
	duck, err := runDuck(ctx, c.duckbench, "tpch", "-data", dir, "-queries", c.queryDir,
		"-threads", strconv.Itoa(threads), "-runs", strconv.Itoa(c.runs), "-q", strings.Join(qs, ","))
	if err != nil {
		return tr, err
	}
	tr.duckVersion = duck.Version
	byQ := map[int]duckQuery{}
	for _, d := range duck.Queries {
		byQ[d.Q] = d
	}
	db, err := openMedley(ctx, dir, threads)
	if err != nil {
		return tr, err
	}
	defer db.Close()
	for _, q := range c.queries {
		b, err := os.ReadFile(filepath.Join(c.queryDir, fmt.Sprintf("q%d.sql", q)))
		if err != nil {
			return tr, err
		}
		p := compareQuery(ctx, c, db, q, strings.TrimSpace(string(b)), byQ[q])
		fmt.Fprintf(os.Stderr, "threads=%d Q%-2d medley %8s duckdb %8s ratio %5.2f checked %v %s\n", threads, q,
			p.medley.Round(time.Millisecond), p.duck.Round(time.Millisecond), p.ratio(), p.checked, p.problem)
		tr.queries = append(tr.queries, p)
		if ctx.Err() != nil {
			return tr, ctx.Err()
		}
	}
	return tr, nil
}

// openMedley opens an engine with the Parquet files as foreign tables.
func openMedley(ctx context.Context, dir string, threads int) (*engine.DB, error) {
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", User: "bench", Threads: threads})
	if err != nil {
		return nil, err
	}
	for _, q := range []string{
		"CREATE SERVER tpch FOREIGN DATA WRAPPER parquet",
		fmt.Sprintf(`IMPORT FOREIGN SCHEMA "%s" FROM SERVER tpch INTO public`, strings.ReplaceAll(dir, `"`, `""`)),
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	return db, nil
}

// compareQuery runs the query in Medley once (checking its rows against
// DuckDB's), then c.runs times timed.
func compareQuery(ctx context.Context, c config, db *engine.DB, q int, text string, duck duckQuery) queryPair {
	p := queryPair{q: q, duck: time.Duration(duck.Median), duckRSS: duck.PeakRSS}
	if duck.Error != "" {
		p.problem = "DuckDB: " + duck.Error
		return p
	}
	want, err := rowcmp.EncodedRows(duck.Columns, duck.Rows)
	if err != nil {
		p.problem = err.Error()
		return p
	}
	text = strings.TrimSuffix(text, ";")
	peer.ResetPeakRSS()
	got, err := peer.Collect(ctx, c.timeout, db, text)
	if err != nil {
		p.problem = "Medley: " + err.Error()
		return p
	}
	p.rows = len(got.Rows)
	got.Names = want.Names // DuckDB names unaliased expressions its own way
	if d := rowcmp.Diff(want, got, rowcmp.TPCHOrder[q]); len(d) > 0 {
		p.problem = "differs from DuckDB: " + strings.ReplaceAll(d[0], "\n", " ")
		return p
	}
	var times []time.Duration
	for i := 0; i < c.runs; i++ {
		start := time.Now()
		if _, err := peer.Drain(ctx, c.timeout, db, text); err != nil {
			p.problem = "Medley: " + err.Error()
			return p
		}
		times = append(times, time.Since(start))
	}
	p.medleyRSS = peer.PeakRSS()
	p.medley = peer.Median(times)
	p.checked = true
	return p
}
