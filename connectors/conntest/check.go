package conntest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"github.com/medleysql/medley/connectors"
)

// vals is a row rendered column by column (name -> text, "NULL" for NULL).
type vals map[string]string

func (v vals) String() string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += fmt.Sprintf("%s=%q ", k, v[k])
	}
	return s
}

// renderBatch renders every row of b by id.
func renderBatch(b arrow.RecordBatch) (map[int64]vals, error) {
	idx := b.Schema().FieldIndices("id")
	if len(idx) != 1 {
		return nil, fmt.Errorf("batch has no id column")
	}
	ids, ok := b.Column(idx[0]).(*array.Int64)
	if !ok {
		return nil, fmt.Errorf("id column is %s, want int64", b.Column(idx[0]).DataType())
	}
	out := map[int64]vals{}
	for r := 0; r < int(b.NumRows()); r++ {
		v := vals{}
		for c, f := range b.Schema().Fields() {
			col := b.Column(c)
			if col.IsNull(r) {
				v[f.Name] = "NULL"
			} else {
				v[f.Name] = col.ValueStr(r)
			}
		}
		if _, dup := out[ids.Value(r)]; dup {
			return nil, fmt.Errorf("id %d returned twice", ids.Value(r))
		}
		out[ids.Value(r)] = v
	}
	return out, nil
}

func render(b arrow.RecordBatch, _ []string) map[int64]vals {
	out, err := renderBatch(b)
	if err != nil {
		panic(err)
	}
	return out
}

// result is what a scan returned.
type result struct {
	plan  *connectors.ScanPlan
	rows  map[int64]vals // when the id column was read
	count int64
	parts []int64 // rows per partition
}

// scan plans and reads a scan, opening all partitions concurrently, with a
// checked allocator.
func (s *suite) scan(t *testing.T, req connectors.ScanRequest) result {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	plan, err := s.table.Scan(ctx, req)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	checkPlan(t, req, plan)
	res := result{plan: plan, rows: map[int64]vals{}, parts: make([]int64, len(plan.Partitions))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(plan.Partitions))
	for i, p := range plan.Partitions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = readPartition(ctx, p, mem, plan.Schema, func(b arrow.RecordBatch) error {
				mu.Lock()
				defer mu.Unlock()
				res.count += b.NumRows()
				res.parts[i] += b.NumRows()
				if b.Schema().HasField("id") {
					rows, err := renderBatch(b)
					if err != nil {
						return err
					}
					for id, v := range rows {
						if _, dup := res.rows[id]; dup {
							return fmt.Errorf("id %d returned twice", id)
						}
						res.rows[id] = v
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("partition %d: %v", i, err)
		}
	}
	return res
}

func readPartition(ctx context.Context, p connectors.Partition, mem memory.Allocator, schema *arrow.Schema, each func(arrow.RecordBatch) error) error {
	rdr, err := p.Open(ctx, mem)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer rdr.Release()
	if !rdr.Schema().Equal(schema) {
		return fmt.Errorf("reader schema %v, plan schema %v", rdr.Schema(), schema)
	}
	for rdr.Next() {
		b := rdr.RecordBatch()
		if !b.Schema().Equal(schema) {
			return fmt.Errorf("batch schema %v, plan schema %v", b.Schema(), schema)
		}
		if err := each(b); err != nil {
			return err
		}
	}
	return rdr.Err()
}

func checkPlan(t *testing.T, req connectors.ScanRequest, plan *connectors.ScanPlan) {
	t.Helper()
	if plan == nil {
		t.Fatal("Scan returned a nil plan")
	}
	if len(plan.Partitions) == 0 {
		t.Fatal("plan has no partitions")
	}
	if req.MaxPartitions > 0 && len(plan.Partitions) > req.MaxPartitions {
		t.Errorf("%d partitions, MaxPartitions %d", len(plan.Partitions), req.MaxPartitions)
	}
	if len(plan.FilterSupport) != len(req.Filters) {
		t.Fatalf("%d filter answers for %d filters", len(plan.FilterSupport), len(req.Filters))
	}
	full := Schema()
	if plan.Schema.NumFields() != len(req.Columns) {
		t.Fatalf("plan schema has %d fields, %d columns requested", plan.Schema.NumFields(), len(req.Columns))
	}
	for i, c := range req.Columns {
		if !arrow.TypeEqual(plan.Schema.Field(i).Type, full.Field(c).Type) || plan.Schema.Field(i).Name != full.Field(c).Name {
			t.Errorf("plan schema field %d = %v, want %v", i, plan.Schema.Field(i), full.Field(c))
		}
	}
	if plan.Ordered && len(plan.Partitions) != 1 {
		t.Errorf("Ordered with %d partitions", len(plan.Partitions))
	}
}

func (s *suite) nullCounts() []int64 {
	n := make([]int64, Schema().NumFields())
	for _, r := range s.rows {
		for i, isNull := range []bool{false, r.I32 == nil, r.F64 == nil, r.S == nil, r.D == nil, r.Dec == nil, r.B == nil} {
			if isNull {
				n[i]++
			}
		}
	}
	return n
}

func checkIDRange(t *testing.T, c connectors.ColumnStatistics) {
	t.Helper()
	if c.Min != nil {
		if v, ok := c.Min.(*scalar.Int64); !ok {
			t.Errorf("id Min is %T, want *scalar.Int64", c.Min)
		} else if v.Value > 1 {
			t.Errorf("id Min = %d, want <= 1", v.Value)
		}
	}
	if c.Max != nil {
		if v, ok := c.Max.(*scalar.Int64); !ok {
			t.Errorf("id Max is %T, want *scalar.Int64", c.Max)
		} else if v.Value < NumRows {
			t.Errorf("id Max = %d, want >= %d", v.Value, NumRows)
		}
	}
}

// allColumns is every column index of the standard table.
func allColumns() []int {
	cols := make([]int, Schema().NumFields())
	for i := range cols {
		cols[i] = i
	}
	return cols
}

// expectRows checks that got holds exactly the rows of ids with the
// wanted values of its columns.
func (s *suite) expectRows(t *testing.T, got map[int64]vals, ids []int64) {
	t.Helper()
	if len(got) != len(ids) {
		t.Errorf("got %d rows, want %d", len(got), len(ids))
	}
	for _, id := range ids {
		g, ok := got[id]
		if !ok {
			t.Errorf("row id=%d missing", id)
			continue
		}
		w := s.want[id]
		for k, v := range g {
			if w[k] != v {
				t.Errorf("row id=%d column %s = %q, want %q", id, k, v, w[k])
			}
		}
	}
}

type arrowBatch = arrow.RecordBatch

// memFor returns a checked allocator asserted empty when t ends.
func (s *suite) memFor(t *testing.T) memory.Allocator {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}
