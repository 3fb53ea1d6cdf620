package arrowexec

import (
	"context"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"
)

// genTable is an endless table of int64 batches in parts partitions.
type genTable struct {
	parts  int
	rows   int // per batch
	limit  int // batches per partition; 0 = endless
	opened atomic.Int64
}

var genSchema = arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

func (g *genTable) Schema() *arrow.Schema { return genSchema }
func (g *genTable) Statistics(context.Context) (connectors.Statistics, error) {
	return connectors.UnknownStatistics, nil
}

func (g *genTable) Scan(_ context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	sp := &connectors.ScanPlan{Schema: genSchema, FilterSupport: make([]connectors.FilterSupport, len(req.Filters))}
	for i := 0; i < g.parts; i++ {
		sp.Partitions = append(sp.Partitions, genPart{g})
	}
	return sp, nil
}

type genPart struct{ g *genTable }

func (p genPart) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	p.g.opened.Add(1)
	return &genReader{ctx: ctx, mem: mem, g: p.g, refs: 1}, nil
}

type genReader struct {
	ctx  context.Context
	mem  memory.Allocator
	g    *genTable
	cur  arrow.RecordBatch
	n    int
	err  error
	refs int64
}

func (r *genReader) Schema() *arrow.Schema { return genSchema }
func (r *genReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return false
	}
	if r.g.limit > 0 && r.n >= r.g.limit {
		return false
	}
	b := array.NewInt64Builder(r.mem)
	defer b.Release()
	for i := 0; i < r.g.rows; i++ {
		b.Append(int64(r.n*r.g.rows + i))
	}
	a := b.NewArray()
	defer a.Release()
	r.cur = array.NewRecordBatch(genSchema, []arrow.Array{a}, int64(r.g.rows))
	r.n++
	return true
}
func (r *genReader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *genReader) Record() arrow.RecordBatch      { return r.cur }
func (r *genReader) Err() error                     { return r.err }
func (r *genReader) Retain()                        { r.refs++ }
func (r *genReader) Release() {
	r.refs--
	if r.refs == 0 && r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

// checkGoroutines fails when more goroutines run than before, after a
// short grace period.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(time.Millisecond)
	}
}

func genPlan(t *testing.T, g *genTable, sorted bool) *plan.Plan {
	b := plan.NewBuilderDefault()
	var rel plan.Rel = b.NamedScan([]string{"g"}, namedStruct(t, genSchema))
	if sorted {
		ref := mustT[*expr.FieldReference](t)(b.RootFieldRef(rel, 0))
		rel = mustT[*plan.SortRel](t)(b.Sort(rel, expr.SortField{Expr: ref, Kind: types.SortDescNullsLast}))
	}
	return planOf(t, b, rel)
}

func TestMemoryLimit(t *testing.T) {
	before := runtime.NumGoroutine()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	g := &genTable{parts: 4, rows: 4096, limit: 50}
	_, err := runPlan(t, mem, genPlan(t, g, true), resolver{"g": g}, Options{Threads: 4, MemoryLimit: 1 << 20})
	if !sqlerr.Is(err, sqlerr.OutOfMemory) || !strings.Contains(err.Error(), "memory limit of 1048576 bytes exceeded") {
		t.Fatalf("got %v", err)
	}
	checkGoroutines(t, before)
	// the same query fits in a larger limit
	rows, err := runPlan(t, mem, genPlan(t, g, true), resolver{"g": g}, Options{Threads: 4, MemoryLimit: 64 << 20})
	if err != nil || len(rows) != 4*4096*50 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
}

func TestCancelMidQuery(t *testing.T) {
	for _, sorted := range []bool{false, true} {
		before := runtime.NumGoroutine()
		mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
		g := &genTable{parts: 8, rows: 1024}
		ctx, cancel := context.WithCancel(context.Background())
		rdr, err := Execute(ctx, genPlan(t, g, sorted), resolver{"g": g}, Options{Threads: 4, Allocator: mem})
		if err != nil {
			t.Fatal(err)
		}
		if !sorted && !rdr.Next() {
			t.Fatal(rdr.Err())
		}
		time.AfterFunc(20*time.Millisecond, cancel)
		start := time.Now()
		for rdr.Next() {
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("cancel took %s", took)
		}
		if !sqlerr.Is(rdr.Err(), sqlerr.QueryCanceled) {
			t.Fatalf("got %v", rdr.Err())
		}
		rdr.Release()
		checkGoroutines(t, before)
		mem.AssertSize(t, 0)
	}
}

func TestReleaseEarly(t *testing.T) {
	before := runtime.NumGoroutine()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	g := &genTable{parts: 8, rows: 1024}
	rdr, err := Execute(context.Background(), genPlan(t, g, false), resolver{"g": g}, Options{Threads: 4, Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3 && rdr.Next(); i++ {
	}
	rdr.Release()
	checkGoroutines(t, before)
}

func TestErrorMidStream(t *testing.T) {
	before := runtime.NumGoroutine()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	tbl, res := fixture(mem, connectors.Unsupported)
	defer tbl.release()
	tbl.failAt = 1
	b := plan.NewBuilderDefault()
	scan := b.NamedScan([]string{"t"}, namedStruct(t, tbl.sch))
	for _, threads := range []int{1, 3} {
		_, err := runPlan(t, mem, planOf(t, b, scan), res, Options{Threads: threads})
		if !sqlerr.Is(err, sqlerr.IOError) {
			t.Fatalf("got %v", err)
		}
	}
	checkGoroutines(t, before)
}

func TestLimitStopsUpstream(t *testing.T) {
	before := runtime.NumGoroutine()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	g := &genTable{parts: 4, rows: 100}
	b := plan.NewBuilderDefault()
	scan := b.NamedScan([]string{"g"}, namedStruct(t, genSchema))
	f := mustT[*plan.FetchRel](t)(b.Fetch(scan, 50, 120))
	rows, err := runPlan(t, mem, planOf(t, b, f), resolver{"g": g}, Options{Threads: 2})
	if err != nil || len(rows) != 120 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	checkGoroutines(t, before)
}
