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

	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/engine"
)

// orderSpec says how a query's rows are ordered: keys are the output
// columns of its ORDER BY, in order; limited says a LIMIT may cut a tie
// group of the last key.
type orderSpec struct {
	keys    []int
	limited bool
}

// tpchOrder is the ORDER BY of each query, by output column.
var tpchOrder = map[int]orderSpec{
	1: {keys: []int{0, 1}}, 2: {keys: []int{0, 2, 1, 3}, limited: true},
	3: {keys: []int{1, 2}, limited: true}, 4: {keys: []int{0}}, 5: {keys: []int{1}},
	6: {}, 7: {keys: []int{0, 1, 2}}, 8: {keys: []int{0}}, 9: {keys: []int{0, 1}},
	10: {keys: []int{2}, limited: true}, 11: {keys: []int{1}}, 12: {keys: []int{0}},
	13: {keys: []int{1, 0}}, 14: {}, 15: {keys: []int{0}}, 16: {keys: []int{3, 0, 1, 2}},
	17: {}, 18: {keys: []int{4, 3}, limited: true}, 19: {}, 20: {keys: []int{0}},
	21: {keys: []int{1, 0}, limited: true}, 22: {keys: []int{0}},
}

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
			t.Logf("PostgreSQL: %d rows in %s", len(want.rows), time.Since(start).Round(time.Millisecond))
			// A guard against a runaway plan, not a timed assertion.
			qctx, cancel := context.WithTimeout(ctx, time.Duration(max(1, sf*100))*time.Minute)
			defer cancel()
			start = time.Now()
			got, err := medleyRows(qctx, db, text)
			t.Logf("Medley: %d rows in %s", len(got.rowsOrNil()), time.Since(start).Round(time.Millisecond))
			if err != nil {
				t.Fatalf("Medley: %v", err)
			}
			if len(want.rows) == 0 {
				t.Errorf("PostgreSQL returned no rows at SF %g", sf)
			}
			for _, d := range diffResults(want, got, tpchOrder[n]) {
				t.Error(d)
			}
		})
	}
}

// medleyRows runs text in Medley and collects its rows.
func medleyRows(ctx context.Context, db *engine.DB, text string) (*result, error) {
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
	return arrowRows(rdr)
}

// pgRows runs q in PostgreSQL and collects its rows from the text format.
func pgRows(ctx context.Context, conn *pgx.Conn, q string) (*result, error) {
	rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &result{}
	fds := rows.FieldDescriptions()
	for _, fd := range fds {
		res.names = append(res.names, fd.Name)
	}
	for rows.Next() {
		raw := rows.RawValues()
		row := make([]cell, len(raw))
		for i, v := range raw {
			c, err := pgCell(fds[i].DataTypeOID, v)
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", fds[i].Name, err)
			}
			row[i] = c
		}
		res.rows = append(res.rows, row)
	}
	return res, rows.Err()
}
