package postgres

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	"github.com/medleysql/medley/connectors/testsrv"
)

// TestConformancePartitioned runs the conformance suite over a standard
// table spread over many blocks (fillfactor 10) with partition_threshold
// '0', so that every scan that may be split is.
func TestConformancePartitioned(t *testing.T) {
	pg := testsrv.Postgres(t)
	conntest.Run(t, conntest.Harness{
		Connector: connector{},
		Setup: func(t *testing.T, data []arrow.RecordBatch) conntest.Fixture {
			db := pg.NewDatabase(t)
			loadStd(t, pg, db)
			pg.Exec(t, db, "ALTER TABLE std SET (fillfactor = 10)")
			pg.Exec(t, db, "VACUUM FULL std")
			pg.Exec(t, db, "ANALYZE std")
			server, user := fixture(pg, db)
			return conntest.Fixture{
				Server: server, User: user,
				Table:         map[string]string{"schema_name": "public", "table_name": "std", "partition_threshold": "0"},
				MinPartitions: 2,
			}
		},
	})
}

// bigTable is a remote table of n rows (id 1..n) above the default
// partition_threshold.
func bigTable(t *testing.T, pg *testsrv.PG, db string, n int) {
	pg.Exec(t, db, `CREATE TABLE big (id bigint NOT NULL, v numeric(12,2), s text)`)
	pg.Exec(t, db, `INSERT INTO big SELECT g, g * 0.01, md5(g::text) FROM generate_series(1, `+itoa(int64(n))+`) g`)
	pg.Exec(t, db, "ANALYZE big")
}

func bigDesc() connectors.TableDesc {
	return connectors.TableDesc{Name: []string{"public", "big"}, Columns: []connectors.ColumnDesc{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "v", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}}
}

// readParts opens every partition at once (as the engine does, one per
// thread), reads them concurrently and returns id → "v s" counts.
func readParts(t *testing.T, parts []connectors.Partition, mem memory.Allocator) map[int64]map[string]int {
	t.Helper()
	out := map[int64]map[string]int{}
	var mu sync.Mutex
	var rds []array.RecordReader
	for _, p := range parts {
		rd, err := p.Open(context.Background(), mem)
		if err != nil {
			t.Fatal(err)
		}
		rds = append(rds, rd)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(rds))
	for i, rd := range rds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer rd.Release()
			for rd.Next() {
				b := rd.RecordBatch()
				ids := b.Column(0).(*array.Int64)
				vs := b.Column(1).(*array.Decimal128)
				ss := b.Column(2).(*array.String)
				mu.Lock()
				for r := 0; r < int(b.NumRows()); r++ {
					key := vs.ValueStr(r) + " " + ss.Value(r)
					if out[ids.Value(r)] == nil {
						out[ids.Value(r)] = map[string]int{}
					}
					out[ids.Value(r)][key]++
				}
				mu.Unlock()
			}
			errs[i] = rd.Err()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestPartitionedScan: a table above partition_threshold is read as
// MaxPartitions ctid ranges whose rows, as a multiset, equal those of the
// one-partition scan; a limit or an ordering keeps one partition.
func TestPartitionedScan(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	const n = 150000
	bigTable(t, pg, db, n)
	c := connectTo(t, pg, db, mem)
	tbl, err := c.Table(context.Background(), bigDesc())
	if err != nil {
		t.Fatal(err)
	}
	scan := func(req connectors.ScanRequest) *connectors.ScanPlan {
		t.Helper()
		sp, err := tbl.Scan(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return sp
	}
	all := []int{0, 1, 2}
	one := scan(connectors.ScanRequest{Columns: all, Limit: -1, MaxPartitions: 1})
	four := scan(connectors.ScanRequest{Columns: all, Limit: -1, MaxPartitions: 4})
	if len(one.Partitions) != 1 || len(four.Partitions) != 4 {
		t.Fatalf("partitions: %d and %d, want 1 and 4", len(one.Partitions), len(four.Partitions))
	}
	if ex := strings.Join(four.Explain, "\n"); !strings.Contains(ex, "Partitions: 4 ctid ranges") {
		t.Errorf("EXPLAIN does not show the ranges:\n%s", ex)
	}
	want, got := readParts(t, one.Partitions, mem), readParts(t, four.Partitions, mem)
	if len(want) != n || len(got) != n {
		t.Fatalf("ids: %d in one partition, %d in four, want %d", len(want), len(got), n)
	}
	for id, w := range want {
		g := got[id]
		for k, c := range w {
			if g[k] != c || len(g) != len(w) {
				t.Fatalf("id %d: %v in four partitions, %v in one", id, g, w)
			}
		}
	}
	for _, req := range []connectors.ScanRequest{
		{Columns: all, Limit: 10, MaxPartitions: 4},
		{Columns: all, Limit: -1, MaxPartitions: 4, Order: []connectors.SortKey{{Column: 0}}},
	} {
		if sp := scan(req); len(sp.Partitions) != 1 {
			t.Errorf("limit %d, order %v: %d partitions, want 1", req.Limit, req.Order, len(sp.Partitions))
		}
	}
	// Below the threshold: one partition.
	small := bigDesc()
	small.Options = map[string]string{"partition_threshold": itoa(n + 1)}
	st, err := c.Table(context.Background(), small)
	if err != nil {
		t.Fatal(err)
	}
	if sp, err := st.Scan(context.Background(), connectors.ScanRequest{Columns: all, Limit: -1, MaxPartitions: 4}); err != nil || len(sp.Partitions) != 1 {
		t.Errorf("below partition_threshold: %v partitions, %v", sp, err)
	}
}

// TestPartitionSnapshot: the partitions of one scan see one snapshot. Rows
// committed after the first partition opened (appended at the end of the
// table, in the last partition's range) are not seen by the last one
// either.
func TestPartitionSnapshot(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	const n = 120000
	bigTable(t, pg, db, n)
	c := connectTo(t, pg, db, mem)
	tbl, err := c.Table(context.Background(), bigDesc())
	if err != nil {
		t.Fatal(err)
	}
	sp, err := tbl.Scan(context.Background(), connectors.ScanRequest{Columns: []int{0, 1, 2}, Limit: -1, MaxPartitions: 3})
	if err != nil || len(sp.Partitions) != 3 {
		t.Fatalf("scan: %v, %v", sp, err)
	}
	first, err := sp.Partitions[0].Open(context.Background(), mem)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	pg.Exec(t, db, "INSERT INTO big SELECT g, 0, 'late' FROM generate_series(1, 5000) g")
	got := readParts(t, sp.Partitions[1:], mem)
	count := 0
	for first.Next() {
		count += int(first.RecordBatch().NumRows())
	}
	if err := first.Err(); err != nil {
		t.Fatal(err)
	}
	for _, m := range got {
		for k, c := range m {
			if strings.HasSuffix(k, " late") {
				t.Fatalf("a partition sees a row committed after the scan's snapshot")
			}
			count += c
		}
	}
	if count != n {
		t.Errorf("%d rows, want %d (the table when the scan started)", count, n)
	}
}
