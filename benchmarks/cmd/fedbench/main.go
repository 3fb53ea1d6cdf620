// Command fedbench measures Medley's federation against the way a
// PostgreSQL user federates today, and its PostgreSQL source throughput:
//
//   - TPC-H Q3, Q5, Q10, Q12, Q14 and Q19 with lineitem and orders in
//     Parquet files and customer, nation, region, supplier, part and
//     partsupp in PostgreSQL (a throwaway cluster from connectors/testsrv,
//     loaded with tpch.LoadPostgres). Medley reads them through parquet and
//     postgres foreign tables; PostgreSQL itself through postgres_fdw (a
//     second database reaching the first) plus file_fdw over the CSV files
//     of lineitem and orders. Results are checked equal, then timed.
//
//   - A full scan of lineitem from PostgreSQL into Arrow by Medley (SELECT
//     of every column through a postgres foreign table, every batch read)
//     against psql's COPY lineitem TO STDOUT (FORMAT binary), the physical
//     limit of reading the table out of PostgreSQL.
//
//     go run ./benchmarks/cmd/fedbench -sf 1 -runs 3
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/medleysql/medley/benchmarks/cmd/internal/peer"
	"github.com/medleysql/medley/benchmarks/tpch"
	"github.com/medleysql/medley/connectors/testsrv"
)

// fedQueries are the federated TPC-H queries.
var fedQueries = []int{3, 5, 10, 12, 14, 19}

type config struct {
	sf       float64
	runs     int
	threads  int
	cache    string
	out      string
	queryDir string
	queries  []int
	skipScan bool
	timeout  time.Duration
}

func main() {
	err := run()
	testsrv.StopAll()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fedbench:", err)
		os.Exit(1)
	}
}

func parseFlags() (config, error) {
	var c config
	flag.Float64Var(&c.sf, "sf", 1, "scale factor")
	flag.IntVar(&c.runs, "runs", 3, "timed runs per query after one warm-up run (the median is reported)")
	flag.IntVar(&c.threads, "threads", runtime.NumCPU(), "Medley's threads")
	flag.StringVar(&c.cache, "cache", "benchmarks/.cache", "directory of generated data (sf<SF>/, sf<SF>-csv/)")
	flag.StringVar(&c.out, "out", "benchmarks/results", "directory of the report")
	flag.StringVar(&c.queryDir, "queries", "sql/parse/testdata/tpch", "directory of q1.sql .. q22.sql")
	only := flag.String("q", "", "comma-separated query numbers (default 3,5,10,12,14,19)")
	flag.BoolVar(&c.skipScan, "noscan", false, "skip the PostgreSQL scan throughput")
	flag.DurationVar(&c.timeout, "timeout", time.Hour, "limit of one query run")
	flag.Parse()
	if !(c.sf > 0) || c.runs < 1 || c.threads < 1 {
		return c, errors.New("-sf must be > 0, -runs and -threads ≥ 1")
	}
	c.queries = fedQueries
	if *only != "" {
		c.queries = nil
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

func run() error {
	c, err := parseFlags()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep := &report{cfg: c, machine: peer.Describe(), started: time.Now()}
	parquetDir, err := peer.EnsureData(ctx, c.cache, c.sf, tpch.Parquet)
	if err != nil {
		return err
	}
	csvDir, err := peer.EnsureData(ctx, c.cache, c.sf, tpch.CSV)
	if err != nil {
		return err
	}
	pg, err := testsrv.StartPostgres(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := pg.CreateDatabaseContext(ctx, srcDB); err != nil {
		return err
	}
	if err := tpch.LoadPostgres(ctx, pg.DSN(srcDB), csvDir); err != nil {
		return err
	}
	rep.loadTime = time.Since(start)
	fmt.Fprintf(os.Stderr, "loaded SF %g into PostgreSQL in %s\n", c.sf, rep.loadTime.Round(time.Second))
	if err := setupFDW(ctx, pg, csvDir); err != nil {
		return err
	}
	db, err := openMedley(ctx, pg, parquetDir, c.threads)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, q := range c.queries {
		r, err := runQuery(ctx, c, pg, db, q)
		if err != nil {
			return err
		}
		rep.queries = append(rep.queries, r)
	}
	if !c.skipScan {
		if rep.scan, err = runPGScan(ctx, c, pg, db); err != nil {
			return err
		}
	}
	rep.loadEnd = peer.LoadAvg()
	path, err := rep.write()
	if err != nil {
		return err
	}
	fmt.Println("wrote", path)
	return nil
}
