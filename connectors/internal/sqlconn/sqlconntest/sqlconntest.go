// Package sqlconntest holds the test helpers the SQL wrappers' own tests
// share (the conformance suite every connector runs is conntest): golden
// files, the pinned remote SQL of scans, rows of pushed-down relations,
// Substrait expressions over a test table, and the checks of remote
// UPDATE and DELETE. Every Arrow allocation goes through a
// memory.NewCheckedAllocator asserted empty at the end.
package sqlconntest

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Golden compares got with testdata/name of the test's package, or
// rewrites the file when the test runs with -update.
func Golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run with -update to accept):\n%s", name, got)
	}
}

// RemoteSQL plans scans of tbl, the conformance suite's standard table,
// and renders what each plan says after its first EXPLAIN line (the remote
// SQL, the filters not shipped and why), its filter support, whether the
// limit is applied and the order kept: every conformance filter, all and
// zero columns, a limit, an ordering with a limit, and a limit with an
// exact computed filter. A golden file of it pins the remote SQL, as
// postgres_fdw's tests pin "Remote SQL".
func RemoteSQL(t *testing.T, tbl connectors.Table) string {
	t.Helper()
	b := conntest.NewBuilder()
	var out strings.Builder
	show := func(name string, req connectors.ScanRequest) {
		plan, err := tbl.Scan(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fmt.Fprintf(&out, "-- %s\n", name)
		for _, l := range plan.Explain[1:] {
			fmt.Fprintf(&out, "%s\n", l)
		}
		for i, s := range plan.FilterSupport {
			fmt.Fprintf(&out, "   filter %d: %s\n", i+1, s)
		}
		fmt.Fprintf(&out, "   limit applied: %v, ordered: %v\n", plan.LimitApplied, plan.Ordered)
	}
	for _, fc := range conntest.FilterCases() {
		show(fc.Name, connectors.ScanRequest{Columns: []int{conntest.ColID}, Filters: []expr.Expression{fc.Build(b)}, Limit: -1})
	}
	show("all columns", connectors.ScanRequest{Columns: []int{0, 1, 2, 3, 4, 5, 6}, Limit: -1})
	show("zero columns", connectors.ScanRequest{Columns: []int{}, Limit: -1})
	show("limit", connectors.ScanRequest{Columns: []int{conntest.ColID}, Limit: 10})
	show("order by s desc nulls first, id, limit", connectors.ScanRequest{Columns: []int{conntest.ColS, conntest.ColID}, Limit: 5,
		Order: []connectors.SortKey{{Column: conntest.ColS, Descending: true, NullsFirst: true}, {Column: conntest.ColID}}})
	show("limit with an exact computed filter", connectors.ScanRequest{Columns: []int{conntest.ColID},
		Filters: []expr.Expression{conntest.FilterCases()[len(conntest.FilterCases())-1].Build(b)}, Limit: 10})
	return out.String()
}

// StdValues are the conformance suite's standard rows as database/sql
// parameters: dates as ISO text, decimals as text, the others as Arrow
// gives them; nil for NULL.
func StdValues(data []arrow.RecordBatch) [][]any {
	var out [][]any
	for _, b := range data {
		for r := 0; r < int(b.NumRows()); r++ {
			vals := make([]any, b.NumCols())
			for c := range vals {
				col := b.Column(c)
				if col.IsNull(r) {
					continue
				}
				switch a := col.(type) {
				case *array.Date32:
					vals[c] = a.Value(r).ToTime().Format("2006-01-02")
				case *array.Decimal128:
					vals[c] = a.ValueStr(r)
				default:
					vals[c] = col.GetOneForMarshal(r)
				}
			}
			out = append(out, vals)
		}
	}
	return out
}

// ReadAll scans every column of tbl and renders its rows as text, a cell
// per column, NULL as "NULL".
func ReadAll(ctx context.Context, tbl connectors.Table, mem memory.Allocator) ([][]string, error) {
	cols := make([]int, tbl.Schema().NumFields())
	for i := range cols {
		cols[i] = i
	}
	plan, err := tbl.Scan(ctx, connectors.ScanRequest{Columns: cols, Limit: -1, MaxPartitions: 1})
	if err != nil {
		return nil, err
	}
	var out [][]string
	for _, p := range plan.Partitions {
		rdr, err := p.Open(ctx, mem)
		if err != nil {
			return out, err
		}
		for rdr.Next() {
			out = append(out, cells(rdr.RecordBatch())...)
		}
		err = rdr.Err()
		rdr.Release()
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// cells renders the rows of b.
func cells(b arrow.RecordBatch) [][]string {
	var out [][]string
	for r := 0; r < int(b.NumRows()); r++ {
		row := make([]string, b.NumCols())
		for c := range row {
			row[c] = "NULL"
			if b.Column(c).IsValid(r) {
				row[c] = b.Column(c).ValueStr(r)
			}
		}
		out = append(out, row)
	}
	return out
}

// sorted joins the cells of each row with "|" and sorts the rows.
func sorted(rows [][]string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Join(r, "|")
	}
	sort.Strings(out)
	return out
}

// QueryRows runs q on the remote database directly and renders each row's
// values as text: NULL as "NULL", bytes as a string, others as fmt prints
// them.
func QueryRows(t *testing.T, h *sql.DB, q string) [][]string {
	t.Helper()
	rows, err := h.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out [][]string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				row[i] = "NULL"
			case []byte:
				row[i] = string(v)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
