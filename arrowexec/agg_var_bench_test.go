package arrowexec

import (
	"math/rand"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// BenchmarkVarAccumulator folds batches of 8192 rows (TPC-H prices:
// numeric(15,2); doubles) into one group or 1000, next to sum's.
func BenchmarkVarAccumulator(b *testing.B) {
	const rows = 8192
	rng := rand.New(rand.NewSource(1))
	mem := memory.NewGoAllocator()
	db := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	fb := array.NewFloat64Builder(mem)
	for i := 0; i < rows; i++ {
		v := rng.Int63n(50000000)
		db.Append(decimal128.FromI64(v))
		fb.Append(float64(v) / 100)
	}
	decs, floats := db.NewArray(), fb.NewArray()
	defer decs.Release()
	defer floats.Release()
	one, many := make([]int32, rows), make([]int32, rows)
	for i := range many {
		many[i] = int32(rng.Intn(1000))
	}
	for _, bc := range []struct {
		name, fn string
		arg      arrow.Array
		out      arrow.DataType
		gids     []int32
	}{
		{"stddev/decimal/1", "stddev_samp", decs, statOut, one},
		{"stddev/decimal/1000", "stddev_samp", decs, statOut, many},
		{"stddev/float/1", "stddev_samp", floats, arrow.PrimitiveTypes.Float64, one},
		{"stddev/float/1000", "stddev_samp", floats, arrow.PrimitiveTypes.Float64, many},
		{"sum/decimal/1", "sum", decs, &arrow.Decimal128Type{Precision: 38, Scale: 2}, one},
		{"sum/decimal/1000", "sum", decs, &arrow.Decimal128Type{Precision: 38, Scale: 2}, many},
	} {
		b.Run(bc.name, func(b *testing.B) {
			acc, err := newAccumulator(bc.fn, []arrow.DataType{bc.arg.DataType()}, bc.out)
			if err != nil {
				b.Fatal(err)
			}
			acc.resize(1000)
			b.SetBytes(rows * 16)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := acc.update(bc.gids, []arrow.Array{bc.arg}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			r, err := acc.result(mem, 0, 1000)
			if err != nil {
				b.Fatal(err)
			}
			r.Release()
		})
	}
}

// BenchmarkVarResult is the final computation per group: PostgreSQL's
// numeric division and square root over the exact sums.
func BenchmarkVarResult(b *testing.B) {
	const groups = 10000
	rng := rand.New(rand.NewSource(1))
	mem := memory.NewGoAllocator()
	db := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	gids := make([]int32, 8*groups)
	for i := range gids {
		db.Append(decimal128.FromI64(rng.Int63n(50000000)))
		gids[i] = int32(i % groups)
	}
	decs := db.NewArray()
	defer decs.Release()
	acc, err := newAccumulator("stddev_samp", []arrow.DataType{decs.DataType()}, statOut)
	if err != nil {
		b.Fatal(err)
	}
	acc.resize(groups)
	if err := acc.update(gids, []arrow.Array{decs}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := acc.result(mem, 0, groups)
		if err != nil {
			b.Fatal(err)
		}
		r.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*groups), "ns/group")
}
