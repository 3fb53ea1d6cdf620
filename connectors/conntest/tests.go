package conntest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
)

func allIDs() []int64 {
	ids := make([]int64, NumRows)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	return ids
}

func (s *suite) testFullScan(t *testing.T) {
	for _, parts := range []int{1, 4} {
		res := s.scan(t, connectors.ScanRequest{Columns: allColumns(), Limit: -1, MaxPartitions: parts})
		if parts == 1 && len(res.plan.Partitions) != 1 {
			t.Errorf("MaxPartitions 1 gave %d partitions", len(res.plan.Partitions))
		}
		s.expectRows(t, res.rows, allIDs())
	}
}

func (s *suite) testProjection(t *testing.T) {
	t.Run("reordered", func(t *testing.T) {
		res := s.scan(t, connectors.ScanRequest{Columns: []int{ColS, ColDec, ColID}, Limit: -1, MaxPartitions: 2})
		s.expectRows(t, res.rows, allIDs())
	})
	t.Run("one", func(t *testing.T) {
		res := s.scan(t, connectors.ScanRequest{Columns: []int{ColID}, Limit: -1, MaxPartitions: 1})
		s.expectRows(t, res.rows, allIDs())
	})
	t.Run("zero", func(t *testing.T) {
		res := s.scan(t, connectors.ScanRequest{Columns: []int{}, Limit: -1, MaxPartitions: 3})
		if res.count != NumRows {
			t.Errorf("zero-column scan counted %d rows, want %d", res.count, NumRows)
		}
	})
}

// matching returns the ids the oracle keeps.
func (s *suite) matching(want func(Row) tri) []int64 {
	var ids []int64
	for _, r := range s.rows {
		if v := want(r); v != nil && *v {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

func (s *suite) checkFiltered(t *testing.T, res result, support connectors.FilterSupport, ids []int64) {
	t.Helper()
	if support == connectors.Exact {
		s.expectRows(t, res.rows, ids)
		return
	}
	for _, id := range ids {
		if _, ok := res.rows[id]; !ok {
			t.Errorf("%s filter dropped matching row id=%d", support, id)
		}
	}
}

func (s *suite) testFilters(t *testing.T) {
	b := NewBuilder()
	for _, c := range FilterCases() {
		t.Run(c.Name, func(t *testing.T) {
			req := connectors.ScanRequest{Columns: []int{ColID}, Filters: []expr.Expression{c.Build(b)}, Limit: -1, MaxPartitions: 2}
			res := s.scan(t, req)
			s.checkFiltered(t, res, res.plan.FilterSupport[0], s.matching(c.Want))
		})
	}
	t.Run("conjunction", func(t *testing.T) {
		cases := FilterCases()
		f1, f2 := cases[4], cases[20] // i32<0, s is null
		req := connectors.ScanRequest{Columns: []int{ColS, ColID}, Filters: []expr.Expression{f1.Build(b), f2.Build(b)}, Limit: -1, MaxPartitions: 2}
		res := s.scan(t, req)
		want := s.matching(func(r Row) tri { return and3(f1.Want(r), f2.Want(r)) })
		sup := connectors.Exact
		for _, fs := range res.plan.FilterSupport {
			sup = min(sup, fs)
		}
		s.checkFiltered(t, res, sup, want)
	})
}

func (s *suite) testLimit(t *testing.T) {
	b := NewBuilder()
	cases := []struct {
		name    string
		filters []expr.Expression
		want    func(Row) tri
	}{
		{"no filter", nil, func(Row) tri { return tv(true) }},
		{"with filter", []expr.Expression{FilterCases()[3].Build(b)}, FilterCases()[3].Want},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			const limit = 7
			res := s.scan(t, connectors.ScanRequest{Columns: []int{ColID, ColI32}, Filters: c.filters, Limit: limit, MaxPartitions: 2})
			match := map[int64]bool{}
			for _, id := range s.matching(c.want) {
				match[id] = true
			}
			exact := true
			for _, fs := range res.plan.FilterSupport {
				exact = exact && fs == connectors.Exact
			}
			if res.plan.LimitApplied {
				if !exact {
					t.Error("LimitApplied with filters not all Exact")
				}
				for i, n := range res.parts {
					if n > limit {
						t.Errorf("partition %d returned %d rows with limit %d applied", i, n, limit)
					}
				}
			}
			if res.count < limit {
				t.Errorf("returned %d rows, need at least %d", res.count, limit)
			}
			for id := range res.rows {
				if exact && !match[id] {
					t.Errorf("row id=%d does not match the exact filters", id)
				}
			}
			s.expectRows(t, res.rows, keys(res.rows))
		})
	}
}

func keys(m map[int64]vals) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func (s *suite) testPartitions(t *testing.T) {
	res := s.scan(t, connectors.ScanRequest{Columns: allColumns(), Limit: -1, MaxPartitions: 8})
	if n := len(res.plan.Partitions); n < max(s.f.MinPartitions, 1) {
		t.Errorf("%d partitions, want at least %d", n, s.f.MinPartitions)
	}
	s.expectRows(t, res.rows, allIDs())
	one := s.scan(t, connectors.ScanRequest{Columns: allColumns(), Limit: -1, MaxPartitions: 1})
	if len(one.plan.Partitions) != 1 {
		t.Errorf("MaxPartitions 1 gave %d partitions", len(one.plan.Partitions))
	}
}

func (s *suite) testCancel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	plan, err := s.table.Scan(context.Background(), connectors.ScanRequest{Columns: allColumns(), Limit: -1, MaxPartitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rdr, err := plan.Partitions[0].Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Release()
	if !rdr.Next() {
		t.Fatalf("no first batch: %v", rdr.Err())
	}
	cancel()
	if rdr.Next() {
		t.Fatal("Next returned a batch after cancellation")
	}
	if !errors.Is(rdr.Err(), context.Canceled) {
		t.Errorf("Err() = %v, want context.Canceled", rdr.Err())
	}
	// A cancelled context before Open fails at Open or at the first Next.
	if r2, err := plan.Partitions[0].Open(ctx, mem); err == nil {
		if r2.Next() || !errors.Is(r2.Err(), context.Canceled) {
			t.Errorf("reader opened with a cancelled context: Err() = %v", r2.Err())
		}
		r2.Release()
	} else if !errors.Is(err, context.Canceled) && !sqlerr.Is(err, sqlerr.QueryCanceled) {
		t.Errorf("Open with a cancelled context: %v", err)
	}
}

// checkSourceError checks an error of a missing table or file.
func checkSourceError(t *testing.T, err error, name []string) {
	t.Helper()
	code := string(sqlerr.CodeOf(err))
	if !strings.HasPrefix(code, "HV") && !strings.HasPrefix(code, "58") && !strings.HasPrefix(code, "42") {
		t.Errorf("error %q has SQLSTATE %s, want class HV, 58 or 42", err, code)
	}
	if !strings.Contains(err.Error(), strings.Join(name, ".")) {
		t.Errorf("error %q does not name the table %s", err, strings.Join(name, "."))
	}
}

func (s *suite) testErrors(t *testing.T) {
	if s.f.Missing == nil {
		t.Skip("the harness defines no missing table")
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	d := s.f.Missing(s.f.Desc())
	tbl, err := s.conn.Table(ctx, d)
	if err != nil {
		checkSourceError(t, err, d.Name)
		return
	}
	plan, err := tbl.Scan(ctx, connectors.ScanRequest{Columns: allColumns(), Limit: -1, MaxPartitions: 1})
	if err != nil {
		checkSourceError(t, err, d.Name)
		return
	}
	for _, p := range plan.Partitions {
		err := readPartition(ctx, p, mem, plan.Schema, func(arrowBatch) error { return nil })
		if err == nil {
			t.Fatal("reading a missing table succeeded")
		}
		checkSourceError(t, err, d.Name)
	}
}
