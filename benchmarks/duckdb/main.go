// Command duckbench runs the DuckDB side of Medley's peer benchmarks over the
// same Parquet files Medley reads, in its own process (so that its peak RSS
// is DuckDB's alone), and writes the timings and results as JSON for the
// Medley side (benchmarks/cmd/duckcmp) to check and report.
//
//	duckbench tpch -data benchmarks/.cache/sf1 -queries sql/parse/testdata/tpch -threads 1 -runs 3 -out d.json
//	duckbench scan -file benchmarks/.cache/sf1/lineitem.parquet -threads 2 -runs 3 -out s.json
//
// It lives in its own Go module (benchmarks/duckdb) so that the main module
// never depends on DuckDB or cgo.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: duckbench tpch|scan [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "tpch":
		err = runTPCH(os.Args[2:])
	case "scan":
		err = runScan(os.Args[2:])
	default:
		err = fmt.Errorf("unknown mode %q (tpch or scan)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "duckbench:", err)
		os.Exit(1)
	}
}

// Output is the JSON document duckbench writes.
type Output struct {
	Engine  string        `json:"engine"`
	Version string        `json:"version"`
	Threads int           `json:"threads"`
	Queries []QueryResult `json:"queries"`
}

// QueryResult is one query: its timed runs, the peak RSS over its runs and
// the rows of the warm-up run. Cells are "N:<unscaled>:<scale>" (exact
// numbers), "F:<float>", "T:<text>" (dates as YYYY-MM-DD) or null.
type QueryResult struct {
	Q       int         `json:"q"`
	SQL     string      `json:"sql,omitempty"`
	TimesNS []int64     `json:"times_ns"`
	Median  int64       `json:"median_ns"`
	PeakRSS int64       `json:"peak_rss"`
	Columns []string    `json:"columns"`
	Rows    [][]*string `json:"rows"`
	Error   string      `json:"error,omitempty"`
}

type common struct {
	threads int
	runs    int
	out     string
}

func (c *common) flags(fs *flag.FlagSet) {
	fs.IntVar(&c.threads, "threads", 1, "DuckDB threads (SET threads)")
	fs.IntVar(&c.runs, "runs", 3, "timed runs after one warm-up run")
	fs.StringVar(&c.out, "out", "", "JSON output file (default stdout)")
}

func open(ctx context.Context, threads int) (*sql.DB, string, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, "", err
	}
	db.SetMaxOpenConns(1) // one connection: SET applies to every statement
	if _, err := db.ExecContext(ctx, fmt.Sprintf("SET threads = %d", threads)); err != nil {
		db.Close()
		return nil, "", err
	}
	var v string
	if err := db.QueryRowContext(ctx, "SELECT version()").Scan(&v); err != nil {
		db.Close()
		return nil, "", err
	}
	return db, v, nil
}

func runTPCH(args []string) error {
	fs := flag.NewFlagSet("tpch", flag.ExitOnError)
	var c common
	c.flags(fs)
	data := fs.String("data", "", "directory of the TPC-H Parquet files (<table>.parquet)")
	qdir := fs.String("queries", "", "directory of q1.sql .. q22.sql")
	only := fs.String("q", "", "comma-separated query numbers (default all 22)")
	fs.Parse(args)
	if *data == "" || *qdir == "" {
		return errors.New("tpch: -data and -queries are required")
	}
	ctx := context.Background()
	db, version, err := open(ctx, c.threads)
	if err != nil {
		return err
	}
	defer db.Close()
	abs, err := filepath.Abs(*data)
	if err != nil {
		return err
	}
	for _, t := range []string{"region", "nation", "supplier", "part", "partsupp", "customer", "orders", "lineitem"} {
		p := strings.ReplaceAll(filepath.Join(abs, t+".parquet"), "'", "''")
		if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet('%s')", t, p)); err != nil {
			return err
		}
	}
	qs, err := queryNumbers(*only)
	if err != nil {
		return err
	}
	out := Output{Engine: "duckdb", Version: version, Threads: c.threads}
	for _, q := range qs {
		b, err := os.ReadFile(filepath.Join(*qdir, fmt.Sprintf("q%d.sql", q)))
		if err != nil {
			return err
		}
		r := timeQuery(ctx, db, dialect(string(b)), c.runs)
		r.Q = q
		if r.Error != "" {
			fmt.Fprintf(os.Stderr, "duckdb threads=%d Q%d: %s\n", c.threads, q, r.Error)
		} else {
			fmt.Fprintf(os.Stderr, "duckdb threads=%d Q%-2d median %8s  rows %6d  peak RSS %d MiB\n", c.threads, q,
				time.Duration(r.Median).Round(time.Millisecond), len(r.Rows), r.PeakRSS>>20)
		}
		out.Queries = append(out.Queries, r)
	}
	return write(c.out, out)
}

// runScan times a full read of every column of one Parquet file: a count
// of all rows and min() of each column, which DuckDB can only answer by
// decoding the column (count(column) it answers from the Parquet metadata).
func runScan(args []string) error {
	fs := flag.NewFlagSet("scan", flag.ExitOnError)
	var c common
	c.flags(fs)
	file := fs.String("file", "", "the Parquet file")
	agg := fs.String("agg", "min", "aggregate applied to every column: min by default, because DuckDB answers count(column) of a Parquet file from its metadata without reading the column")
	explain := fs.Bool("explain", false, "print the physical plan of the scan query to stderr")
	fs.Parse(args)
	if *file == "" {
		return errors.New("scan: -file is required")
	}
	ctx := context.Background()
	db, version, err := open(ctx, c.threads)
	if err != nil {
		return err
	}
	defer db.Close()
	src := fmt.Sprintf("read_parquet('%s')", strings.ReplaceAll(*file, "'", "''"))
	rows, err := db.QueryContext(ctx, "SELECT column_name FROM (DESCRIBE SELECT * FROM "+src+")")
	if err != nil {
		return err
	}
	var aggs []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		aggs = append(aggs, fmt.Sprintf(`%s("%s")`, *agg, n))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	q := "SELECT count(*), " + strings.Join(aggs, ", ") + " FROM " + src
	if *explain {
		_, plan, err := query(ctx, db, "EXPLAIN "+q, true)
		if err != nil {
			return err
		}
		for _, row := range plan {
			for _, c := range row {
				if c != nil {
					fmt.Fprintln(os.Stderr, *c)
				}
			}
		}
	}
	r := timeQuery(ctx, db, q, c.runs)
	r.SQL = q
	if r.Error != "" {
		return errors.New(r.Error)
	}
	fmt.Fprintf(os.Stderr, "duckdb threads=%d scan median %s\n", c.threads, time.Duration(r.Median).Round(time.Millisecond))
	return write(c.out, Output{Engine: "duckdb", Version: version, Threads: c.threads, Queries: []QueryResult{r}})
}

// timeQuery runs text once to warm up (keeping its rows) and runs times.
func timeQuery(ctx context.Context, db *sql.DB, text string, runs int) QueryResult {
	var r QueryResult
	resetPeakRSS()
	for i := 0; i <= runs; i++ {
		start := time.Now()
		cols, rows, err := query(ctx, db, text, i == 0)
		d := time.Since(start)
		if err != nil {
			r.Error = err.Error()
			return r
		}
		if i == 0 {
			r.Columns, r.Rows = cols, rows
		} else {
			r.TimesNS = append(r.TimesNS, d.Nanoseconds())
		}
	}
	r.PeakRSS = peakRSS()
	s := append([]int64(nil), r.TimesNS...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	r.Median = s[len(s)/2]
	if len(s)%2 == 0 {
		r.Median = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return r
}

// query runs text and reads every row; keep converts the rows to cells.
func query(ctx context.Context, db *sql.DB, text string, keep bool) ([]string, [][]*string, error) {
	rows, err := db.QueryContext(ctx, text)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out [][]*string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		if keep {
			row := make([]*string, len(vals))
			for i, v := range vals {
				row[i] = cellOf(v)
			}
			out = append(out, row)
		}
	}
	return cols, out, rows.Err()
}

// dialect adapts the specification's text to DuckDB: DuckDB's parser takes
// no interval leading-field precision ("interval '90' day (3)" in Q1).
func dialect(q string) string {
	return strings.ReplaceAll(q, "day (3)", "day")
}

func write(path string, out Output) error {
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	if path == "" {
		_, err = os.Stdout.Write(append(b, '\n'))
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func queryNumbers(only string) ([]int, error) {
	var qs []int
	if only == "" {
		for q := 1; q <= 22; q++ {
			qs = append(qs, q)
		}
		return qs, nil
	}
	for _, s := range strings.Split(only, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 22 {
			return nil, fmt.Errorf("-q: %q is not a TPC-H query number", s)
		}
		qs = append(qs, n)
	}
	return qs, nil
}

var peakReset bool

// resetPeakRSS resets the kernel's peak RSS (VmHWM) of this process.
func resetPeakRSS() {
	peakReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS is VmHWM in bytes, 0 when unknown.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
