// Command duckcmp runs Medley and DuckDB side by side on the same TPC-H
// Parquet files and writes a Markdown report with a chart:
//
//   - the 22 TPC-H queries at each thread count (SET threads in DuckDB,
//     engine.Config.Threads in Medley): every Medley result is checked
//     against DuckDB's before its time counts; median of -runs runs after a
//     warm-up, peak RSS per engine (DuckDB runs in the duckbench binary of
//     the benchmarks/duckdb module, Medley in this process), the ratio
//     Medley/DuckDB and the geometric mean;
//
//   - a full scan of every column of lineitem.parquet (Medley's SELECT *
//     reading every batch against DuckDB's count(*) and min() of every
//     column);
//
//   - Flight SQL: a large result (SELECT * FROM lineitem) streamed from
//     Medley's Flight SQL server (engine/flightsql, in-process) to arrow-go's
//     flightsql client over loopback, in MB/s.
//
//     go run ./benchmarks/cmd/duckcmp -sf 1 -runs 3 -threads 1,all -duckbench benchmarks/.cache/duckbench
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/medleysql/medley/benchmarks/cmd/internal/peer"
	"github.com/medleysql/medley/benchmarks/tpch"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "duckcmp:", err)
		os.Exit(1)
	}
}

type config struct {
	sf        float64
	runs      int
	threads   []int
	cache     string
	out       string
	queryDir  string
	queries   []int
	duckbench string
	skip      map[string]bool
	cpuProf   string
	timeout   time.Duration
}

func parseFlags() (config, error) {
	var c config
	flag.Float64Var(&c.sf, "sf", 1, "scale factor")
	flag.IntVar(&c.runs, "runs", 3, "timed runs per query after one warm-up run (the median is reported)")
	threads := flag.String("threads", "1,all", "comma-separated thread counts; all = every core")
	flag.StringVar(&c.cache, "cache", "benchmarks/.cache", "directory of generated data (sf<SF>/ inside)")
	flag.StringVar(&c.out, "out", "benchmarks/results", "directory of the report")
	flag.StringVar(&c.queryDir, "queries", "sql/parse/testdata/tpch", "directory of q1.sql .. q22.sql")
	only := flag.String("q", "", "comma-separated query numbers (default all 22)")
	flag.StringVar(&c.duckbench, "duckbench", "benchmarks/.cache/duckbench", "the duckbench binary (go build -C benchmarks/duckdb -o ...)")
	skip := flag.String("skip", "", "comma-separated parts to skip: tpch, scan, flight")
	flag.StringVar(&c.cpuProf, "cpuprofile", "", "write a CPU profile of Medley's TPC-H runs to this file")
	flag.DurationVar(&c.timeout, "timeout", time.Hour, "limit of one query run")
	flag.Parse()
	if !(c.sf > 0) || c.runs < 1 {
		return c, errors.New("-sf must be > 0 and -runs ≥ 1")
	}
	for _, s := range strings.Split(*threads, ",") {
		s = strings.TrimSpace(s)
		if s == "all" {
			c.threads = append(c.threads, runtime.NumCPU())
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return c, fmt.Errorf("-threads: %q is not a thread count", s)
		}
		c.threads = append(c.threads, n)
	}
	for q := 1; q <= 22 && *only == ""; q++ {
		c.queries = append(c.queries, q)
	}
	for _, s := range strings.Split(*only, ",") {
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 22 {
			return c, fmt.Errorf("-q: %q is not a TPC-H query number", s)
		}
		c.queries = append(c.queries, n)
	}
	c.skip = map[string]bool{}
	for _, s := range strings.Split(*skip, ",") {
		c.skip[strings.TrimSpace(s)] = true
	}
	return c, nil
}

func run() error {
	c, err := parseFlags()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	dir, err := peer.EnsureData(ctx, c.cache, c.sf, tpch.Parquet)
	if err != nil {
		return err
	}
	rep := &report{cfg: c, machine: peer.Describe(), dir: dir, started: time.Now()}
	if !c.skip["tpch"] {
		if c.cpuProf != "" {
			f, err := os.Create(c.cpuProf)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
		}
		for _, th := range c.threads {
			tr, err := runTPCH(ctx, c, dir, th)
			if err != nil {
				return err
			}
			rep.tpch = append(rep.tpch, tr)
		}
		if c.cpuProf != "" {
			pprof.StopCPUProfile()
		}
	}
	if !c.skip["scan"] {
		for _, th := range c.threads {
			s, err := runScan(ctx, c, dir, th)
			if err != nil {
				return err
			}
			rep.scans = append(rep.scans, s)
		}
	}
	if !c.skip["flight"] {
		f, err := runFlight(ctx, dir, c.threads[len(c.threads)-1], c.runs)
		if err != nil {
			return err
		}
		rep.flight = &f
	}
	rep.loadEnd = peer.LoadAvg()
	paths, err := rep.write()
	if err != nil {
		return err
	}
	for _, p := range paths {
		fmt.Println("wrote", p)
	}
	return nil
}
