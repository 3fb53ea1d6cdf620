package eval

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/types"
)

// BenchmarkDateTrunc: date_trunc over 64K timestamps spread over 30 years
// (go test -run XXX -bench DateTrunc ./arrowexec/eval/).
func BenchmarkDateTrunc(b *testing.B) {
	mem := memory.NewGoAllocator()
	tb := array.NewTimestampBuilder(mem, ts.(*arrow.TimestampType))
	defer tb.Release()
	for i := 0; i < benchRows; i++ {
		tb.Append(arrow.Timestamp(int64(i) * 14_437_000_123)) // ~4 hours apart
	}
	col := tb.NewArray()
	defer col.Release()
	batch := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "c0", Type: ts, Nullable: true}}, nil),
		[]arrow.Array{col}, benchRows)
	defer batch.Release()
	for _, field := range []string{"SECOND", "DAY", "WEEK", "MONTH", "YEAR", "CENTURY"} {
		b.Run(field, func(b *testing.B) {
			x, err := Compile(fn(b, "date_trunc", ts, types.Enum(field), col0(b)), batch.Schema(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.SetBytes(benchRows * 8)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				a, err := x.Eval(ctx, mem, batch)
				if err != nil {
					b.Fatal(err)
				}
				a.Release()
			}
		})
	}
}

func col0(b testing.TB) types.FuncArg { return col(b, 0, ts) }
