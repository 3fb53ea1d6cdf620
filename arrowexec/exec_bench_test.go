package arrowexec

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
)

// benchTable is rows rows of (k int64 in [0, keys), v int64, s string of
// k) in batches of 64K rows.
func benchTable(mem memory.Allocator, rows, keys int) *testTable {
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	t := &testTable{sch: sch, failAt: -1}
	for lo := 0; lo < rows; lo += outBatchRows {
		hi := min(lo+outBatchRows, rows)
		kb, vb, sb := array.NewInt64Builder(mem), array.NewInt64Builder(mem), array.NewStringBuilder(mem)
		for i := lo; i < hi; i++ {
			k := (i * 7919) % keys
			kb.Append(int64(k))
			vb.Append(int64(i))
			sb.Append(fmt.Sprintf("key-%08d", k))
		}
		cols := []arrow.Array{kb.NewArray(), vb.NewArray(), sb.NewArray()}
		t.batches = append(t.batches, array.NewRecordBatch(sch, cols, int64(hi-lo)))
		releaseAll(cols)
		kb.Release()
		vb.Release()
		sb.Release()
	}
	return t
}

func drain(b *testing.B, p *plan.Plan, res resolver, opts Options) int64 {
	rdr, err := Execute(context.Background(), p, res, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer rdr.Release()
	var n int64
	for rdr.Next() {
		n += rdr.RecordBatch().NumRows()
	}
	if err := rdr.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkHashAggregate: SELECT key, count(*), sum(v) FROM 1M rows GROUP BY
// key, with 100K groups, on an int64 key and on a string key.
func BenchmarkHashAggregate(b *testing.B) {
	mem := memory.NewGoAllocator()
	tbl := benchTable(mem, 1<<20, 100_000)
	defer tbl.release()
	for _, key := range []int32{0, 2} {
		for _, threads := range []int{1, 4} {
			b.Run(fmt.Sprintf("key=%s/threads=%d", tbl.sch.Field(int(key)).Name, threads), func(b *testing.B) {
				bld := plan.NewBuilderDefault()
				scan := bld.NamedScan([]string{"t"}, namedStruct(b, tbl.sch))
				agg := buildAggB(b, bld, scan, key)
				p := planOf(b, bld, agg)
				b.SetBytes(int64(1 << 20 * 8))
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if n := drain(b, p, resolver{"t": tbl}, Options{Threads: threads, Allocator: mem}); n != 100_000 {
						b.Fatalf("%d groups", n)
					}
				}
				b.ReportMetric(float64(1<<20)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
			})
		}
	}
}

func buildAggB(b *testing.B, bld plan.Builder, scan plan.Rel, key int32) *plan.AggregateRel {
	eb := bld.GetExprBuilder()
	ref := mustT[*expr.FieldReference](b)(bld.RootFieldRef(scan, 1))
	cnt := mustT[*expr.AggregateFunction](b)(eb.AggFunc(idOf(aggURN, "count")).Build())
	sum := mustT[*expr.AggregateFunction](b)(eb.AggFunc(idOf(arithURN, "sum")).Args(eb.Expression(ref)).Build())
	return mustT[*plan.AggregateRel](b)(bld.AggregateColumns(scan, []plan.AggRelMeasure{bld.Measure(cnt, nil), bld.Measure(sum, nil)}, key))
}

// BenchmarkHashJoin: 1M probe rows joined to 100K build rows on an int64
// key and on a string key (every probe row matches once).
func BenchmarkHashJoin(b *testing.B) {
	mem := memory.NewGoAllocator()
	fact := benchTable(mem, 1<<20, 100_000)
	defer fact.release()
	dim := benchTable(mem, 100_000, 100_000)
	defer dim.release()
	res := resolver{"fact": fact, "dim": dim}
	for _, key := range []int32{0, 2} {
		for _, threads := range []int{1, 4} {
			b.Run(fmt.Sprintf("key=%s/threads=%d", fact.sch.Field(int(key)).Name, threads), func(b *testing.B) {
				bld := plan.NewBuilderDefault()
				l := bld.NamedScan([]string{"fact"}, namedStruct(b, fact.sch))
				r := bld.NamedScan([]string{"dim"}, namedStruct(b, dim.sch))
				lk := mustT[*expr.FieldReference](b)(bld.JoinedRecordFieldRef(l, r, key))
				rk := mustT[*expr.FieldReference](b)(bld.JoinedRecordFieldRef(l, r, 3+key))
				eq := mustT[*expr.ScalarFunction](b)(bld.ScalarFn(cmpURN, "equal", nil, lk, rk))
				j := mustT[*plan.JoinRel](b)(bld.Join(l, r, eq, plan.JoinTypeInner))
				p := planOf(b, bld, j)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if n := drain(b, p, res, Options{Threads: threads, Allocator: mem}); n != 1<<20 {
						b.Fatalf("%d rows", n)
					}
				}
				b.ReportMetric(float64(1<<20)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
			})
		}
	}
}
