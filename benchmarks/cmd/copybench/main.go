// Command copybench measures a cross-source copy through the engine:
// INSERT INTO a PostgreSQL foreign table SELECT * FROM a Parquet foreign
// table, with TPC-H lineitem at a given scale factor. It starts a
// throwaway PostgreSQL (connectors/testsrv), and reports rows/s and the
// process's peak RSS, so that memory bounded by the batch size (not the
// table size) can be checked across scale factors.
//
// Each run is either "copy" (the wrapper's default, COPY FROM STDIN binary)
// or "insert" (use_copy 'false': parameterised INSERTs of batch_size rows).
//
//	go run ./benchmarks/cmd/copybench -sf 0.1 -methods copy,insert -batch 1000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	_ "github.com/medleysql/medley/connectors/parquet"
	_ "github.com/medleysql/medley/connectors/postgres"

	"github.com/medleysql/medley/benchmarks/tpch"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/engine"
)

func main() {
	sf := flag.Float64("sf", 0.1, "TPC-H scale factor")
	batch := flag.String("batch", "1000,100", "comma-separated batch_size values (rows per remote INSERT) to run with method insert")
	methods := flag.String("methods", "copy", "comma-separated methods: copy (COPY FROM STDIN binary), insert (use_copy 'false', each -batch)")
	dir := flag.String("dir", "", "directory for the Parquet data, reused when it holds generated data (default: a temporary one)")
	threads := flag.Int("threads", 0, "engine threads (0: all cores)")
	scan := flag.Int("scan", 0, "after the copies, time full scans of the copied table (wrapper into Arrow vs psql COPY TO STDOUT), best of this many runs")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "copybench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*sf, *methods, *batch, *dir, *threads, *scan); err != nil {
		fmt.Fprintln(os.Stderr, "copybench:", err)
		testsrv.StopAll()
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	testsrv.StopAll()
}

// run is one copy of lineitem per method (and batch_size, for insert).
type runSpec struct{ method, batch string }

func run(sf float64, methods, batches, dir string, threads, scanRuns int) error {
	var specs []runSpec
	for _, m := range strings.Split(methods, ",") {
		switch m = strings.TrimSpace(m); m {
		case "copy":
			specs = append(specs, runSpec{"copy", "1"})
		case "insert":
			for _, b := range strings.Split(batches, ",") {
				specs = append(specs, runSpec{"insert", strings.TrimSpace(b)})
			}
		default:
			return fmt.Errorf("unknown method %q (copy or insert)", m)
		}
	}
	ctx := context.Background()
	if dir == "" {
		d, err := os.MkdirTemp("", "copybench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	start := time.Now()
	if m, err := tpch.ReadManifest(dir); err == nil && m.ScaleFactor == sf {
		fmt.Fprintf(os.Stderr, "reusing the data in %s\n", dir)
	} else if err := tpch.Generate(ctx, tpch.Options{ScaleFactor: sf, Dir: dir, Formats: []tpch.Format{tpch.Parquet}, Tables: []string{"lineitem"}}); err != nil {
		return err
	}
	man, err := tpch.ReadManifest(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "generated %d lineitem rows in %s\n", man.Rows["lineitem"], time.Since(start).Round(time.Millisecond))
	pg, err := testsrv.StartPostgres(ctx)
	if err != nil {
		return err
	}
	if err := pg.CreateDatabaseContext(ctx, "copybench"); err != nil {
		return err
	}
	li, _ := tpch.TableByName("lineitem")
	fmt.Printf("| method | batch_size | rows | seconds | rows/s | peak RSS before | peak RSS during |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, sp := range specs {
		if err := pg.ExecContext(ctx, "copybench", "DROP TABLE IF EXISTS lineitem", li.CreateSQL()); err != nil {
			return err
		}
		r, err := copyOnce(ctx, pg, li, dir, sp, threads)
		if err != nil {
			return err
		}
		n, err := remoteCount(ctx, pg)
		if err != nil {
			return err
		}
		if n != r.rows {
			return fmt.Errorf("remote has %d rows, INSERT reported %d", n, r.rows)
		}
		b := sp.batch
		if sp.method == "copy" {
			b = "-"
		}
		fmt.Printf("| %s | %s | %d | %.2f | %.0f | %s | %s |\n", sp.method, b, r.rows, r.d.Seconds(), float64(r.rows)/r.d.Seconds(), mib(r.before), mib(r.peak))
	}
	if scanRuns > 0 {
		return scanBench(ctx, pg, man.Rows["lineitem"], scanRuns)
	}
	return nil
}

type result struct {
	rows         int64
	d            time.Duration
	before, peak int64
}

// copyOnce opens a fresh engine, maps the Parquet file and the remote
// table, and times the INSERT ... SELECT.
func copyOnce(ctx context.Context, pg *testsrv.PG, li tpch.Table, dir string, sp runSpec, threads int) (result, error) {
	var r result
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", User: "bench", Threads: threads})
	if err != nil {
		return r, err
	}
	defer db.Close()
	var cols []string
	for _, c := range li.Columns {
		cols = append(cols, c.Name+" "+c.SQLType+" NOT NULL")
	}
	colList := strings.Join(cols, ", ")
	for _, q := range []string{
		"CREATE SERVER files FOREIGN DATA WRAPPER parquet",
		fmt.Sprintf("CREATE FOREIGN TABLE li_parquet (%s) SERVER files OPTIONS (filename '%s')", colList,
			strings.ReplaceAll(filepath.Join(dir, "lineitem.parquet"), "'", "''")),
		fmt.Sprintf("CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host '%s', port '%d', dbname 'copybench', sslmode 'disable')", pg.Host, pg.Port),
		fmt.Sprintf("CREATE USER MAPPING FOR bench SERVER pg OPTIONS (user '%s', password '%s')", pg.User, pg.Password),
		fmt.Sprintf("CREATE FOREIGN TABLE li_pg (%s) SERVER pg OPTIONS (table_name 'lineitem', batch_size '%s', use_copy '%t')", colList, sp.batch, sp.method == "copy"),
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			// Never print the statement: it holds the password.
			return r, fmt.Errorf("setting up the engine: %w", err)
		}
	}
	runtime.GC()
	resetPeakRSS()
	r.before = peakRSS()
	start := time.Now()
	res, err := db.Exec(ctx, "INSERT INTO li_pg SELECT * FROM li_parquet")
	if err != nil {
		return r, err
	}
	r.d = time.Since(start)
	r.peak = peakRSS()
	r.rows = res.RowsAffected
	fmt.Fprintf(os.Stderr, "%s (batch_size %s): %s in %s\n", sp.method, sp.batch, res.Tag, r.d.Round(time.Millisecond))
	return r, nil
}

func remoteCount(ctx context.Context, pg *testsrv.PG) (int64, error) {
	c, err := pgx.Connect(ctx, pg.DSN("copybench"))
	if err != nil {
		return 0, err
	}
	defer c.Close(ctx)
	var n int64
	err = c.QueryRow(ctx, "SELECT count(*) FROM lineitem").Scan(&n)
	return n, err
}

var peakReset bool

// resetPeakRSS resets the kernel's peak RSS (VmHWM) of this process.
func resetPeakRSS() {
	peakReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS is VmHWM in bytes (since resetPeakRSS), else getrusage's maxrss.
func peakRSS() int64 {
	if peakReset {
		if b, err := os.ReadFile("/proc/self/status"); err == nil {
			for _, l := range strings.Split(string(b), "\n") {
				if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
					if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
						return kb << 10
					}
				}
			}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		return ru.Maxrss << 10
	}
	return 0
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
