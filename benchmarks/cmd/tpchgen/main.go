// Command tpchgen writes TPC-H data with the benchmarks/tpch generator.
//
//	go run ./benchmarks/cmd/tpchgen -sf 1 -dir /tmp/tpch-sf1 -format parquet,csv
//
// and, to load the CSV files into PostgreSQL as well:
//
//	go run ./benchmarks/cmd/tpchgen -sf 1 -dir /tmp/tpch-sf1 -pg postgres://user:pw@host:5432/db
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/benchmarks/tpch"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tpchgen:", err)
		os.Exit(1)
	}
}

func run() error {
	sf := flag.Float64("sf", 1, "scale factor (1 = 6 million lineitems)")
	dir := flag.String("dir", "", "output directory (required)")
	format := flag.String("format", "parquet,csv", "comma-separated formats: parquet, csv")
	rowGroup := flag.Int("rowgroup", tpch.DefaultRowGroupSize, "rows per Parquet row group")
	delim := flag.String("delim", "|", "CSV delimiter (one byte)")
	tables := flag.String("tables", "", "comma-separated tables to generate (default all)")
	threads := flag.Int("threads", 0, "generator goroutines (default GOMAXPROCS)")
	pgDSN := flag.String("pg", "", "after generating, load the CSV files into this PostgreSQL database")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *dir == "" || len(*delim) != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	opts := tpch.Options{ScaleFactor: *sf, Dir: *dir, RowGroupSize: *rowGroup,
		CSVDelimiter: (*delim)[0], Parallelism: *threads, Allocator: memory.NewGoAllocator()}
	for _, f := range strings.Split(*format, ",") {
		opts.Formats = append(opts.Formats, tpch.Format(strings.TrimSpace(f)))
	}
	if *tables != "" {
		opts.Tables = strings.Split(*tables, ",")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	if err := tpch.Generate(ctx, opts); err != nil {
		return err
	}
	m, err := tpch.ReadManifest(*dir)
	if err != nil {
		return err
	}
	for _, t := range tpch.Tables {
		if n, ok := m.Rows[t.Name]; ok {
			fmt.Printf("%-9s %12d rows\n", t.Name, n)
		}
	}
	fmt.Printf("SF %g in %s: %s\n", *sf, *dir, time.Since(start).Round(time.Millisecond))
	if *pgDSN != "" {
		start = time.Now()
		if err := tpch.LoadPostgres(ctx, *pgDSN, *dir); err != nil {
			return err
		}
		fmt.Printf("loaded into PostgreSQL: %s\n", time.Since(start).Round(time.Millisecond))
	}
	return nil
}
