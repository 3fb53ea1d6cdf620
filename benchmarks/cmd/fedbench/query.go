package main

import (
	"context"
	"fmt"
	"github.com/medleysql/medley/benchmarks/internal/rowcmp"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/medleysql/medley/benchmarks/cmd/internal/peer"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/engine"
)

// queryResult is one federated query on both sides.
type queryResult struct {
	q         int
	rows      int
	medley    time.Duration
	postgres  time.Duration
	medleyRSS int64
	checked   bool
	problem   string
	plan      string // Medley's EXPLAIN
}

func (r queryResult) speedup() float64 {
	if !r.checked || r.medley <= 0 {
		return 0
	}
	return r.postgres.Seconds() / r.medley.Seconds()
}

func runQuery(ctx context.Context, c config, pg *testsrv.PG, db *engine.DB, q int) (queryResult, error) {
	r := queryResult{q: q}
	b, err := os.ReadFile(filepath.Join(c.queryDir, fmt.Sprintf("q%d.sql", q)))
	if err != nil {
		return r, err
	}
	text := strings.TrimSuffix(strings.TrimSpace(string(b)), ";")
	conn, err := pgx.Connect(ctx, pg.DSN(fdwDB))
	if err != nil {
		return r, err
	}
	defer conn.Close(context.Background())
	want, err := pgRows(ctx, conn, text)
	if err != nil {
		r.problem = "PostgreSQL: " + err.Error()
		return r, nil
	}
	var times []time.Duration
	for i := 0; i < c.runs; i++ {
		start := time.Now()
		if _, err := pgRows(ctx, conn, text); err != nil {
			r.problem = "PostgreSQL: " + err.Error()
			return r, nil
		}
		times = append(times, time.Since(start))
	}
	r.postgres = peer.Median(times)
	peer.ResetPeakRSS()
	got, err := peer.Collect(ctx, c.timeout, db, text)
	if err != nil {
		r.problem = "Medley: " + err.Error()
		return r, nil
	}
	r.rows = len(got.Rows)
	if d := rowcmp.Diff(want, got, rowcmp.TPCHOrder[q]); len(d) > 0 {
		r.problem = "differs from PostgreSQL: " + strings.ReplaceAll(d[0], "\n", " ")
		return r, nil
	}
	times = times[:0]
	for i := 0; i < c.runs; i++ {
		start := time.Now()
		if _, err := peer.Drain(ctx, c.timeout, db, text); err != nil {
			r.problem = "Medley: " + err.Error()
			return r, nil
		}
		times = append(times, time.Since(start))
	}
	r.medleyRSS = peer.PeakRSS()
	r.medley = peer.Median(times)
	r.checked = true
	if plan, err := peer.Collect(ctx, c.timeout, db, "EXPLAIN "+text); err == nil {
		var lines []string
		for _, row := range plan.Rows {
			for _, cell := range row {
				lines = append(lines, cell.Text())
			}
		}
		r.plan = strings.Join(lines, "\n")
	}
	fmt.Fprintf(os.Stderr, "Q%-2d postgres_fdw+file_fdw %8s  medley %8s  speedup %.1fx\n", q,
		r.postgres.Round(time.Millisecond), r.medley.Round(time.Millisecond), r.speedup())
	return r, nil
}

// pgRows runs sql over the simple protocol (text results) and reads them.
func pgRows(ctx context.Context, conn *pgx.Conn, sql string) (*rowcmp.Result, error) {
	results, err := conn.PgConn().Exec(ctx, sql).ReadAll()
	if err != nil {
		return nil, err
	}
	res := &rowcmp.Result{}
	last := results[len(results)-1]
	for _, f := range last.FieldDescriptions {
		res.Names = append(res.Names, f.Name)
	}
	for _, row := range last.Rows {
		cells := make([]rowcmp.Cell, len(row))
		for j, v := range row {
			if cells[j], err = rowcmp.PGCell(last.FieldDescriptions[j].DataTypeOID, v); err != nil {
				return nil, err
			}
		}
		res.Rows = append(res.Rows, cells)
	}
	return res, nil
}

// scanResult is lineitem read out of PostgreSQL.
type scanResult struct {
	rows       int64
	arrowBytes int64
	copyBytes  int64
	medley     time.Duration
	copy       time.Duration
	medleyRSS  int64
	copyCmd    string
}

func runPGScan(ctx context.Context, c config, pg *testsrv.PG, db *engine.DB) (scanResult, error) {
	var s scanResult
	psql := filepath.Join(pg.BinDir, "psql")
	copySQL := "COPY lineitem TO STDOUT (FORMAT binary)"
	s.copyCmd = fmt.Sprintf(`psql -h 127.0.0.1 -p <port> -d %s -c "%s" > /dev/null`, srcDB, copySQL)
	psqlRun := func(out io.Writer) (time.Duration, error) {
		cmd := exec.CommandContext(ctx, psql, "-X", "-q", "-h", pg.Host, "-p", fmt.Sprint(pg.Port), "-U", pg.User, "-d", srcDB, "-c", copySQL)
		cmd.Env = append(os.Environ(), "PGPASSWORD="+pg.Password)
		cmd.Stdout, cmd.Stderr = out, os.Stderr
		start := time.Now()
		err := cmd.Run()
		return time.Since(start), err
	}
	var cnt counter
	if _, err := psqlRun(&cnt); err != nil { // warm-up, counting the bytes
		return s, fmt.Errorf("psql COPY: %w", err)
	}
	s.copyBytes = int64(cnt)
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return s, err
	}
	defer devNull.Close()
	var times []time.Duration
	for i := 0; i < c.runs; i++ {
		d, err := psqlRun(devNull)
		if err != nil {
			return s, fmt.Errorf("psql COPY: %w", err)
		}
		times = append(times, d)
	}
	s.copy = peer.Median(times)
	peer.ResetPeakRSS()
	times = times[:0]
	for i := 0; i <= c.runs; i++ {
		start := time.Now()
		rows, bytes, err := scanAll(ctx, db, "SELECT * FROM li_pg")
		if err != nil {
			return s, err
		}
		if i == 0 {
			s.rows, s.arrowBytes = rows, bytes
		} else {
			times = append(times, time.Since(start))
		}
	}
	s.medleyRSS = peer.PeakRSS()
	s.medley = peer.Median(times)
	fmt.Fprintf(os.Stderr, "PostgreSQL scan: COPY binary %s, Medley %s (%d rows)\n", s.copy.Round(time.Millisecond),
		s.medley.Round(time.Millisecond), s.rows)
	return s, nil
}

type counter int64

func (c *counter) Write(p []byte) (int, error) { *c += counter(len(p)); return len(p), nil }

func scanAll(ctx context.Context, db *engine.DB, sql string) (rows, bytes int64, err error) {
	rdr, err := db.Query(ctx, sql)
	if err != nil {
		return 0, 0, err
	}
	defer rdr.Release()
	for rdr.Next() {
		b := rdr.RecordBatch()
		rows += b.NumRows()
		for _, col := range b.Columns() {
			for _, buf := range col.Data().Buffers() {
				if buf != nil {
					bytes += int64(buf.Len())
				}
			}
		}
	}
	return rows, bytes, rdr.Err()
}
