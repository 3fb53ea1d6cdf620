package tpch

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"
	"github.com/medleysql/medley/connectors/testsrv"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testsrv.StopAll()
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// queryDir holds the 22 TPC-H queries (qN.sql), written for the SQL
// front end's tests; $TPCH_QUERIES overrides it.
func queryDir() string {
	if d := os.Getenv("TPCH_QUERIES"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "sql", "parse", "testdata", "tpch")
}

// loadedPG generates SF 0.01 (or -tpch.sf) and loads it into a fresh database of the
// shared PostgreSQL server; it returns a connection to it.
func loadedPG(t *testing.T) (*pgx.Conn, string) {
	t.Helper()
	pg := testsrv.Postgres(t)
	dir := generated(t)
	if *loadSF != 0.01 {
		dir = t.TempDir()
		start := time.Now()
		if err := Generate(context.Background(), Options{ScaleFactor: *loadSF, Dir: dir, Formats: []Format{CSV},
			Allocator: memory.NewGoAllocator()}); err != nil {
			t.Fatal(err)
		}
		t.Logf("generated SF %g in %s", *loadSF, time.Since(start))
	}
	start := time.Now()
	db := pg.NewDatabase(t)
	ctx := context.Background()
	if err := LoadPostgres(ctx, pg.DSN(db), dir); err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded into PostgreSQL in %s", time.Since(start))
	conn, err := pgx.Connect(ctx, pg.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn, dir
}

// Q1 and Q6 of the specification, with the validation parameters: the
// minimal check that runs even without the query directory.
const (
	q1 = `select l_returnflag, l_linestatus, sum(l_quantity) as sum_qty,
 sum(l_extendedprice) as sum_base_price, sum(l_extendedprice * (1 - l_discount)) as sum_disc_price,
 sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) as sum_charge, avg(l_quantity) as avg_qty,
 avg(l_extendedprice) as avg_price, avg(l_discount) as avg_disc, count(*) as count_order
from lineitem where l_shipdate <= date '1998-12-01' - interval '90' day
group by l_returnflag, l_linestatus order by l_returnflag, l_linestatus`
	q6 = `select sum(l_extendedprice * l_discount) as revenue from lineitem
where l_shipdate >= date '1994-01-01' and l_shipdate < date '1994-01-01' + interval '1' year
 and l_discount between .06 - 0.01 and .06 + 0.01 and l_quantity < 24`
)

func TestLoadPostgres(t *testing.T) {
	conn, dir := loadedPG(t)
	ctx := context.Background()
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range Tables {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+tb.Name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != m.Rows[tb.Name] {
			t.Errorf("%s: %d rows in PostgreSQL, %d generated", tb.Name, n, m.Rows[tb.Name])
		}
	}
	t.Run("integrity", func(t *testing.T) { checkIntegrity(t, conn) })
	t.Run("Q1", func(t *testing.T) {
		if n := countRows(t, conn, q1); n != 4 {
			t.Errorf("Q1 returned %d groups, want 4 (A/F, N/F, N/O, R/F)", n)
		}
	})
	t.Run("Q6", func(t *testing.T) {
		var revenue *float64
		if err := conn.QueryRow(ctx, q6).Scan(&revenue); err != nil {
			t.Fatal(err)
		}
		if revenue == nil || *revenue <= 0 {
			t.Errorf("Q6 revenue = %v, want > 0", revenue)
		}
	})
	t.Run("queries", func(t *testing.T) { runQueryDir(t, conn) })
}

// runQueryDir runs every qN.sql of queryDir in PostgreSQL and checks that
// it returns rows.
func runQueryDir(t *testing.T, conn *pgx.Conn) {
	files, _ := filepath.Glob(filepath.Join(queryDir(), "q*.sql"))
	if len(files) == 0 {
		t.Fatalf("no TPC-H queries in %s", queryDir())
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".sql")
		t.Run(name, func(t *testing.T) {
			if n := countRows(t, conn, forPostgres(string(b))); n == 0 {
				t.Errorf("%s returned no rows at SF %g", name, *loadSF)
			}
		})
	}
}

// intervalPrecision matches the spec's "interval '90' day (3)", which
// PostgreSQL does not accept.
var intervalPrecision = regexp.MustCompile(`(?i)(interval\s+'[^']*'\s+(?:year|month|day))\s*\(\s*\d+\s*\)`)

// forPostgres rewrites the spec's SQL where PostgreSQL's dialect differs.
func forPostgres(q string) string { return intervalPrecision.ReplaceAllString(q, "$1") }

// countRows runs q and returns how many rows it returned with at least one
// non-NULL value.
func countRows(t *testing.T, conn *pgx.Conn, q string) int {
	t.Helper()
	rows, err := conn.Query(context.Background(), q, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if v != nil {
				n++
				break
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}
