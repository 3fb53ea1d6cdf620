// Command tpchbench times the 22 TPC-H queries in Medley over Parquet files
// and writes a Markdown report.
//
//	go run ./benchmarks/cmd/tpchbench -sf 1 -runs 5
//
// It generates the scale factor once into the cache directory
// (benchmarks/.cache/sf<SF>, git-ignored), then for each thread count
// (-threads, default 1 and all cores) runs every query once to warm up and
// -runs more times, and reports the median time, the rows returned and the
// peak resident memory of the process during the query. The report goes to
// benchmarks/results/<date>-medley-sf<SF>.md with the machine (CPU model,
// cores, RAM, Go version) and the git commit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/benchmarks/tpch"
	"github.com/medleysql/medley/engine"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tpchbench:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	sf       float64
	runs     int
	threads  []int
	cache    string
	out      string
	queryDir string
	queries  []int
	timeout  time.Duration
	cpuProf  string
	memProf  string
}

func parseFlags() (config, error) {
	root := moduleRoot()
	var c config
	flag.Float64Var(&c.sf, "sf", 1, "scale factor")
	flag.IntVar(&c.runs, "runs", 3, "timed runs per query after one warm-up run (the median is reported)")
	threads := flag.String("threads", "1,all", "comma-separated thread counts; all = every core")
	flag.StringVar(&c.cache, "cache", filepath.Join(root, "benchmarks", ".cache"), "directory of generated data (sf<SF>/ inside)")
	flag.StringVar(&c.out, "out", filepath.Join(root, "benchmarks", "results"), "directory of the Markdown report")
	flag.StringVar(&c.queryDir, "queries", filepath.Join(root, "sql", "parse", "testdata", "tpch"), "directory of q1.sql .. q22.sql")
	only := flag.String("q", "", "comma-separated query numbers (default all 22)")
	flag.DurationVar(&c.timeout, "timeout", time.Hour, "limit of one query run")
	flag.StringVar(&c.cpuProf, "cpuprofile", "", "write a CPU profile of the query runs to this file")
	flag.StringVar(&c.memProf, "memprofile", "", "write an allocation profile (after the runs) to this file")
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
	if *only == "" {
		for q := 1; q <= 22; q++ {
			c.queries = append(c.queries, q)
		}
	} else {
		for _, s := range strings.Split(*only, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 || n > 22 {
				return c, fmt.Errorf("-q: %q is not a TPC-H query number", s)
			}
			c.queries = append(c.queries, n)
		}
	}
	return c, nil
}

// moduleRoot is the directory of go.mod above the working directory, or
// the working directory.
func moduleRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return wd
		}
	}
}

func run() error {
	c, err := parseFlags()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	dir, genTime, err := ensureData(ctx, c)
	if err != nil {
		return err
	}
	texts := make(map[int]string, len(c.queries))
	for _, q := range c.queries {
		b, err := os.ReadFile(filepath.Join(c.queryDir, fmt.Sprintf("q%d.sql", q)))
		if err != nil {
			return err
		}
		texts[q] = strings.TrimSpace(string(b))
	}
	if c.cpuProf != "" {
		f, err := os.Create(c.cpuProf)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if c.memProf != "" {
		runtime.MemProfileRate = 512 * 1024
		defer writeMemProfile(c.memProf)
	}
	rep := &report{cfg: c, machine: describeMachine(), dataDir: dir, genTime: genTime, started: time.Now()}
	for _, th := range c.threads {
		res, err := runAll(ctx, c, dir, th, texts)
		if err != nil {
			return err
		}
		rep.byThreads = append(rep.byThreads, res)
	}
	path, err := rep.write()
	if err != nil {
		return err
	}
	fmt.Println("wrote", path)
	return nil
}

// writeMemProfile writes the allocation profile to path.
func writeMemProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tpchbench:", err)
		return
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		fmt.Fprintln(os.Stderr, "tpchbench:", err)
	}
}

// ensureData generates the scale factor into the cache unless a complete
// generation (its manifest) is there already.
func ensureData(ctx context.Context, c config) (string, time.Duration, error) {
	dir := filepath.Join(c.cache, "sf"+strconv.FormatFloat(c.sf, 'g', -1, 64))
	if m, err := tpch.ReadManifest(dir); err == nil && m.ScaleFactor == c.sf {
		for _, f := range m.Formats {
			if f == tpch.Parquet {
				fmt.Fprintf(os.Stderr, "using SF %g in %s\n", c.sf, dir)
				return dir, 0, nil
			}
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", 0, err
	}
	fmt.Fprintf(os.Stderr, "generating SF %g into %s\n", c.sf, dir)
	start := time.Now()
	err := tpch.Generate(ctx, tpch.Options{ScaleFactor: c.sf, Dir: dir, Formats: []tpch.Format{tpch.Parquet},
		Allocator: memory.NewGoAllocator()})
	return dir, time.Since(start), err
}

// queryResult is one query at one thread count.
type queryResult struct {
	q       int
	rows    int64
	times   []time.Duration // the timed runs
	median  time.Duration
	peakRSS int64 // bytes; 0 when unknown
	err     error
}

// threadResult is every query at one thread count.
type threadResult struct {
	threads int
	queries []queryResult
}

// runAll opens a fresh engine on the data and times every query.
func runAll(ctx context.Context, c config, dir string, threads int, texts map[int]string) (threadResult, error) {
	res := threadResult{threads: threads}
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", User: "bench", Threads: threads})
	if err != nil {
		return res, err
	}
	defer db.Close()
	abs, err := filepath.Abs(dir)
	if err != nil {
		return res, err
	}
	for _, q := range []string{
		"CREATE SERVER tpch FOREIGN DATA WRAPPER parquet",
		fmt.Sprintf(`IMPORT FOREIGN SCHEMA "%s" FROM SERVER tpch INTO public`, strings.ReplaceAll(abs, `"`, `""`)),
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			return res, fmt.Errorf("%s: %w", q, err)
		}
	}
	for _, q := range c.queries {
		qr := timeQuery(ctx, c, db, q, texts[q])
		if qr.err != nil {
			fmt.Fprintf(os.Stderr, "threads=%d Q%d: %v\n", threads, q, qr.err)
		} else {
			fmt.Fprintf(os.Stderr, "threads=%d Q%-2d median %8s  rows %6d  peak RSS %s\n",
				threads, q, qr.median.Round(time.Millisecond), qr.rows, mib(qr.peakRSS))
		}
		res.queries = append(res.queries, qr)
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	return res, nil
}

// timeQuery runs one query once to warm up and c.runs times timed.
func timeQuery(ctx context.Context, c config, db *engine.DB, q int, text string) queryResult {
	qr := queryResult{q: q}
	stmts, rest := engine.SplitStatements(text)
	if strings.TrimSpace(rest) != "" {
		stmts = append(stmts, rest)
	}
	if len(stmts) != 1 {
		qr.err = fmt.Errorf("q%d.sql holds %d statements", q, len(stmts))
		return qr
	}
	resetPeakRSS()
	for i := 0; i <= c.runs; i++ {
		start := time.Now()
		n, err := drain(ctx, c.timeout, db, stmts[0])
		d := time.Since(start)
		if err != nil {
			qr.err = err
			return qr
		}
		qr.rows = n
		if i > 0 {
			qr.times = append(qr.times, d)
		}
	}
	qr.peakRSS = peakRSS()
	sorted := append([]time.Duration(nil), qr.times...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	qr.median = sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		qr.median = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
	}
	return qr
}

// drain runs sql and reads every batch of its result.
func drain(ctx context.Context, timeout time.Duration, db *engine.DB, sql string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rdr, err := db.Query(ctx, sql)
	if err != nil {
		return 0, err
	}
	defer rdr.Release()
	var n int64
	for rdr.Next() {
		n += rdr.RecordBatch().NumRows()
	}
	return n, rdr.Err()
}
