package tpch

// The differential test of the executor: the 22 TPC-H queries in
// PostgreSQL 15 and in Medley over Parquet files of the same data, results
// compared exactly. At SF 0.01 it runs in go test ./...; at a larger scale:
//
//	go test ./benchmarks/tpch -run Differential -tpch.sf 1 -timeout 60m
//
// ($TPCH_SF does the same as -tpch.sf.)

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"

	"github.com/medleysql/medley/benchmarks/internal/rowcmp"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/engine"
)

// diffSF is the scale factor of the differential test.
func diffSF(t *testing.T) float64 {
	if s := os.Getenv("TPCH_SF"); s != "" {
		sf, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("TPCH_SF=%q: %v", s, err)
		}
		return sf
	}
	return *loadSF
}

// diffData returns a directory with the data in both formats at sf.
func diffData(t *testing.T, sf float64) string {
	t.Helper()
	if sf == 0.01 {
		return generated(t)
	}
	dir := t.TempDir()
	start := time.Now()
	if err := Generate(context.Background(), Options{ScaleFactor: sf, Dir: dir,
		Allocator: memory.NewGoAllocator()}); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated SF %g in %s", sf, time.Since(start))
	return dir
}

func TestDifferentialTPCH(t *testing.T) {
	sf := diffSF(t)
	pg := testsrv.Postgres(t)
	dir := diffData(t, sf)
	ctx := context.Background()
	pgdb := pg.NewDatabase(t)
	start := time.Now()
	if err := LoadPostgres(ctx, pg.DSN(pgdb), dir); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, pg.DSN(pgdb))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// PostgreSQL runs the correlated subqueries of Q17 and Q20 once per
	// outer row; without this index each run scans lineitem (hours at SF 1).
	for _, q := range []string{"CREATE INDEX lineitem_part_supp ON lineitem (l_partkey, l_suppkey)", "ANALYZE lineitem"} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("loaded SF %g into PostgreSQL in %s", sf, time.Since(start))

	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", User: "medley", Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE SERVER tpch FOREIGN DATA WRAPPER parquet",
		fmt.Sprintf(`IMPORT FOREIGN SCHEMA "%s" FROM SERVER tpch INTO public`, abs),
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	for n := 1; n <= 22; n++ {
		name := fmt.Sprintf("q%d", n)
		b, err := os.ReadFile(filepath.Join(queryDir(), name+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.TrimSpace(string(b))
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			want, err := pgRows(ctx, conn, forPostgres(text))
			if err != nil {
				t.Fatalf("PostgreSQL: %v", err)
			}
			t.Logf("PostgreSQL: %d rows in %s", len(want.Rows), time.Since(start).Round(time.Millisecond))
			// A guard against a runaway plan, not a timed assertion.
			qctx, cancel := context.WithTimeout(ctx, time.Duration(max(1, sf*100))*time.Minute)
			defer cancel()
			start = time.Now()
			got, err := medleyRows(qctx, db, text)
			if err != nil {
				t.Fatalf("Medley: %v", err)
			}
			t.Logf("Medley: %d rows in %s", len(got.Rows), time.Since(start).Round(time.Millisecond))
			if len(want.Rows) == 0 {
				t.Errorf("PostgreSQL returned no rows at SF %g", sf)
			}
			for _, d := range rowcmp.Diff(want, got, rowcmp.TPCHOrder[n]) {
				t.Error(d)
			}
		})
	}
}

// medleyRows runs text in Medley and collects its rows.
func medleyRows(ctx context.Context, db *engine.DB, text string) (*rowcmp.Result, error) {
	stmts, rest := engine.SplitStatements(text)
	if strings.TrimSpace(rest) != "" {
		stmts = append(stmts, rest)
	}
	if len(stmts) != 1 {
		return nil, fmt.Errorf("%d statements", len(stmts))
	}
	rdr, err := db.Query(ctx, stmts[0])
	if err != nil {
		return nil, err
	}
	defer rdr.Release()
	return rowcmp.ArrowRows(rdr)
}

// pgRows runs q in PostgreSQL and collects its rows from the text format.
func pgRows(ctx context.Context, conn *pgx.Conn, q string) (*rowcmp.Result, error) {
	rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &rowcmp.Result{}
	fds := rows.FieldDescriptions()
	for _, fd := range fds {
		res.Names = append(res.Names, fd.Name)
	}
	for rows.Next() {
		raw := rows.RawValues()
		row := make([]rowcmp.Cell, len(raw))
		for i, v := range raw {
			c, err := rowcmp.PGCell(fds[i].DataTypeOID, v)
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", fds[i].Name, err)
			}
			row[i] = c
		}
		res.Rows = append(res.Rows, row)
	}
	return res, rows.Err()
}
