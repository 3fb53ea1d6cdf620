package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/medleysql/medley/benchmarks/tpch"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/engine"
)

// The PostgreSQL databases: srcDB holds the loaded tables, fdwDB reaches
// them through postgres_fdw and the CSV files through file_fdw.
const (
	srcDB = "tpch"
	fdwDB = "fdw"
)

// fileTables are in files (Parquet for Medley, CSV for file_fdw); the
// others are in PostgreSQL.
var fileTables = map[string]bool{"lineitem": true, "orders": true}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func columns(t tpch.Table) string {
	var cols []string
	for _, c := range t.Columns {
		cols = append(cols, c.Name+" "+c.SQLType+" NOT NULL")
	}
	return strings.Join(cols, ", ")
}

// setupFDW creates fdwDB as a PostgreSQL user would federate: postgres_fdw
// to srcDB for the dimension tables, file_fdw over the CSV files for
// lineitem and orders, then ANALYZE of every foreign table so that the
// planner has statistics.
func setupFDW(ctx context.Context, pg *testsrv.PG, csvDir string) error {
	if err := pg.CreateDatabaseContext(ctx, fdwDB); err != nil {
		return err
	}
	stmts := []string{
		"CREATE EXTENSION postgres_fdw",
		"CREATE EXTENSION file_fdw",
		fmt.Sprintf("CREATE SERVER src FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host %s, port '%d', dbname %s)",
			quote(pg.Host), pg.Port, quote(srcDB)),
		fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER src OPTIONS (user %s, password %s)", quote(pg.User), quote(pg.Password)),
		"CREATE SERVER files FOREIGN DATA WRAPPER file_fdw",
	}
	var remote []string
	for _, t := range tpch.Tables {
		if fileTables[t.Name] {
			stmts = append(stmts, fmt.Sprintf("CREATE FOREIGN TABLE %s (%s) SERVER files OPTIONS (filename %s, format 'csv', delimiter '|')",
				t.Name, columns(t), quote(filepath.Join(csvDir, t.Name+".csv"))))
		} else {
			remote = append(remote, t.Name)
		}
	}
	stmts = append(stmts, "IMPORT FOREIGN SCHEMA public LIMIT TO ("+strings.Join(remote, ", ")+") FROM SERVER src INTO public")
	for _, t := range tpch.Tables {
		stmts = append(stmts, "ANALYZE "+t.Name)
	}
	if err := pg.ExecContext(ctx, fdwDB, stmts...); err != nil {
		return fmt.Errorf("setting up postgres_fdw and file_fdw: %w", err)
	}
	return nil
}

// openMedley opens an engine with lineitem and orders as parquet foreign
// tables, the others as postgres foreign tables of srcDB, and li_pg, the
// PostgreSQL copy of lineitem, for the scan.
func openMedley(ctx context.Context, pg *testsrv.PG, parquetDir string, threads int) (*engine.DB, error) {
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", User: "bench", Threads: threads})
	if err != nil {
		return nil, err
	}
	stmts := []string{
		"CREATE SERVER files FOREIGN DATA WRAPPER parquet",
		fmt.Sprintf("CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host %s, port '%d', dbname %s, sslmode 'disable')",
			quote(pg.Host), pg.Port, quote(srcDB)),
		fmt.Sprintf("CREATE USER MAPPING FOR bench SERVER pg OPTIONS (user %s, password %s)", quote(pg.User), quote(pg.Password)),
	}
	for _, t := range tpch.Tables {
		if fileTables[t.Name] {
			stmts = append(stmts, fmt.Sprintf("CREATE FOREIGN TABLE %s (%s) SERVER files OPTIONS (filename %s)",
				t.Name, columns(t), quote(filepath.Join(parquetDir, t.Name+".parquet"))))
		} else {
			stmts = append(stmts, fmt.Sprintf("CREATE FOREIGN TABLE %s (%s) SERVER pg OPTIONS (table_name %s)", t.Name, columns(t), quote(t.Name)))
		}
	}
	li, _ := tpch.TableByName("lineitem")
	stmts = append(stmts, fmt.Sprintf("CREATE FOREIGN TABLE li_pg (%s) SERVER pg OPTIONS (table_name 'lineitem')", columns(li)))
	for _, q := range stmts {
		if _, err := db.Exec(ctx, q); err != nil {
			db.Close()
			// Never print the statement: it may hold the password.
			return nil, fmt.Errorf("setting up Medley: %w", err)
		}
	}
	return db, nil
}
