package tpch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
)

// LoadPostgres creates the TPC-H tables in the PostgreSQL database at dsn
// (dropping existing ones of the same names) and loads them from the CSV
// files in dir written by Generate, with COPY FROM STDIN; then it adds the
// primary keys and analyzes the tables. Tables without a CSV file in dir
// are skipped; a dir without any is an error. Tables load in parallel on up
// to four connections.
func LoadPostgres(ctx context.Context, dsn string, dir string) error {
	delim := "|"
	if m, err := ReadManifest(dir); err == nil && m.CSVDelimiter != "" {
		delim = m.CSVDelimiter
	}
	var todo []Table
	for _, t := range Tables {
		if _, err := os.Stat(csvPath(dir, t)); err == nil {
			todo = append(todo, t)
		}
	}
	if len(todo) == 0 {
		return fmt.Errorf("tpch: no TPC-H CSV files in %s (generate with the csv format)", dir)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan Table)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range work {
				if errs[w] == nil {
					if errs[w] = loadTable(ctx, dsn, dir, t, delim); errs[w] != nil {
						cancel()
					}
				}
			}
		}()
	}
	for _, t := range todo {
		work <- t
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}

func csvPath(dir string, t Table) string { return filepath.Join(dir, t.Name+".csv") }

// loadTable loads one table on its own connection.
func loadTable(ctx context.Context, dsn, dir string, t Table, delim string) error {
	if ctx.Err() != nil {
		return nil // another table failed; its error is reported
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("tpch: load %s: connect: %w", t.Name, err)
	}
	defer conn.Close(context.Background())
	f, err := os.Open(csvPath(dir, t))
	if err != nil {
		return fmt.Errorf("tpch: load %s: %w", t.Name, err)
	}
	defer f.Close()
	if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+t.Name+" CASCADE"); err != nil {
		return fmt.Errorf("tpch: load %s: %w", t.Name, err)
	}
	if _, err := conn.Exec(ctx, t.CreateSQL()); err != nil {
		return fmt.Errorf("tpch: load %s: %w", t.Name, err)
	}
	copySQL := fmt.Sprintf("COPY %s FROM STDIN (FORMAT csv, DELIMITER '%s')",
		t.Name, strings.ReplaceAll(delim, "'", "''"))
	if _, err := conn.PgConn().CopyFrom(ctx, f, copySQL); err != nil {
		return fmt.Errorf("tpch: load %s from %s: %w", t.Name, f.Name(), err)
	}
	for _, q := range []string{t.PrimaryKeySQL(), "ANALYZE " + t.Name} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("tpch: load %s: %w", t.Name, err)
		}
	}
	return nil
}
