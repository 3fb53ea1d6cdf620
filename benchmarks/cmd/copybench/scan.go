package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/testsrv"
)

// scanBench times a full scan of the copied lineitem through the postgres
// wrapper into Arrow (all columns, no filter) with 1 and 2 partitions,
// against `COPY lineitem TO STDOUT (FORMAT binary)` through psql into
// /dev/null, best of runs each.
func scanBench(ctx context.Context, pg *testsrv.PG, rows int64, runs int) error {
	if err := pg.ExecContext(ctx, "copybench", "VACUUM ANALYZE lineitem"); err != nil {
		return err
	}
	best := func(f func() error) (time.Duration, error) {
		var b time.Duration
		for i := 0; i < runs; i++ {
			start := time.Now()
			if err := f(); err != nil {
				return 0, err
			}
			if d := time.Since(start); b == 0 || d < b {
				b = d
			}
		}
		return b, nil
	}
	psql := func() error {
		cmd := exec.CommandContext(ctx, filepath.Join(pg.BinDir, "psql"), "-X", "-q", "-h", pg.Host, "-p", strconv.Itoa(pg.Port),
			"-U", pg.User, "-d", "copybench", "-c", "COPY lineitem TO STDOUT (FORMAT binary)")
		cmd.Env = append(os.Environ(), "PGPASSWORD="+pg.Password)
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		defer devnull.Close()
		cmd.Stdout, cmd.Stderr = devnull, os.Stderr
		return cmd.Run()
	}
	c, ok := connectors.Lookup("postgres")
	if !ok {
		return fmt.Errorf("no postgres wrapper")
	}
	conn, cerr := c.Connect(ctx, connectors.ConnectParams{Server: "pg", Logger: zap.NewNop(), Allocator: memory.DefaultAllocator,
		ServerOptions: map[string]string{"host": pg.Host, "port": strconv.Itoa(pg.Port), "dbname": "copybench", "sslmode": "disable"},
		UserOptions:   map[string]string{"user": pg.User, "password": pg.Password}})
	if cerr != nil {
		return cerr
	}
	defer conn.Close()
	defs, ierr := conn.(connectors.SchemaImporter).ImportSchema(ctx, connectors.ImportRequest{RemoteSchema: "public", LimitTo: []string{"lineitem"}})
	if ierr != nil || len(defs) != 1 {
		return fmt.Errorf("importing lineitem: %v", ierr)
	}
	tbl, terr := conn.Table(ctx, connectors.TableDesc{Name: []string{"public", "lineitem"}, Options: defs[0].Options, Columns: defs[0].Columns})
	if terr != nil {
		return terr
	}
	all := make([]int, len(defs[0].Columns))
	for i := range all {
		all[i] = i
	}
	wrapper := func(parts int) func() error {
		return func() error {
			sp, err := tbl.Scan(ctx, connectors.ScanRequest{Columns: all, Limit: -1, MaxPartitions: parts})
			if err != nil {
				return err
			}
			var n int64
			var mu sync.Mutex
			var wg sync.WaitGroup
			errs := make([]error, len(sp.Partitions))
			for i, p := range sp.Partitions {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rd, err := p.Open(ctx, memory.DefaultAllocator)
					if err != nil {
						errs[i] = err
						return
					}
					defer rd.Release()
					var k int64
					for rd.Next() {
						k += rd.RecordBatch().NumRows()
					}
					errs[i] = rd.Err()
					mu.Lock()
					n += k
					mu.Unlock()
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					return err
				}
			}
			if n != rows {
				return fmt.Errorf("scan read %d rows, want %d", n, rows)
			}
			return nil
		}
	}
	fmt.Printf("\n| scan of lineitem (%d rows, best of %d) | seconds | rows/s | vs COPY |\n| --- | ---: | ---: | ---: |\n", rows, runs)
	base, err := best(psql)
	if err != nil {
		return fmt.Errorf("psql COPY TO STDOUT: %w", err)
	}
	fmt.Printf("| psql COPY lineitem TO STDOUT (FORMAT binary) > /dev/null | %.2f | %.0f | 100%% |\n", base.Seconds(), float64(rows)/base.Seconds())
	for _, parts := range []int{1, 2} {
		d, err := best(wrapper(parts))
		if err != nil {
			return err
		}
		fmt.Printf("| postgres wrapper into Arrow, MaxPartitions %d | %.2f | %.0f | %.0f%% |\n", parts, d.Seconds(), float64(rows)/d.Seconds(), 100*base.Seconds()/d.Seconds())
	}
	return nil
}
