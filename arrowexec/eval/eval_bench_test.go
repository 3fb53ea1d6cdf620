package eval

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"github.com/substrait-io/substrait-go/v8/expr"
)

// Benchmarks of our kernels against arrow-go's compute functions on a
// 64K-row batch (go test -run XXX -bench . ./arrowexec/eval/).

const benchRows = 1 << 16

func benchBatch(b *testing.B, mem memory.Allocator) arrow.RecordBatch {
	i1 := array.NewInt64Builder(mem)
	i2 := array.NewInt64Builder(mem)
	d1 := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	d2 := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	s := array.NewStringBuilder(mem)
	defer func() {
		i1.Release()
		i2.Release()
		d1.Release()
		d2.Release()
		s.Release()
	}()
	modes := []string{"AIR", "MAIL", "SHIP", "TRUCK", "RAIL", "FOB", "REG AIR"}
	for i := 0; i < benchRows; i++ {
		i1.Append(int64(i * 7 % 1000))
		i2.Append(int64(i % 13))
		d1.Append(decimal128.FromI64(int64(90000 + i%100000)))
		d2.Append(decimal128.FromI64(int64(i % 11)))
		s.Append(modes[i%len(modes)])
	}
	cols := []arrow.Array{i1.NewArray(), i2.NewArray(), d1.NewArray(), d2.NewArray(), s.NewArray()}
	defer releaseAll(cols...)
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: c.DataType(), Nullable: true}
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, benchRows)
}

func benchOurs(b *testing.B, e func(t testing.TB) expr.Expression) {
	mem := memory.NewGoAllocator()
	batch := benchBatch(b, mem)
	defer batch.Release()
	x, err := Compile(e(b), batch.Schema(), Options{})
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
}

func benchArrow(b *testing.B, fn string, args func(batch arrow.RecordBatch) []compute.Datum) {
	mem := memory.NewGoAllocator()
	batch := benchBatch(b, mem)
	defer batch.Release()
	ctx := compute.WithAllocator(context.Background(), mem)
	in := args(batch)
	b.SetBytes(benchRows * 8)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := compute.CallFunction(ctx, fn, nil, in...)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
}

func colDatum(i int) func(arrow.RecordBatch) compute.Datum {
	return func(b arrow.RecordBatch) compute.Datum { return compute.NewDatum(b.Column(i)) }
}

func BenchmarkCompareInt64Literal(b *testing.B) {
	b.Run("eval", func(b *testing.B) {
		benchOurs(b, func(t testing.TB) expr.Expression { return fn(t, "gt", bl, col(t, 0, i64), lit(t, 500)) })
	})
	b.Run("arrow", func(b *testing.B) {
		benchArrow(b, "greater", func(batch arrow.RecordBatch) []compute.Datum {
			return []compute.Datum{colDatum(0)(batch), compute.NewDatum(scalar.NewInt64Scalar(500))}
		})
	})
}

func BenchmarkCompareStringLiteral(b *testing.B) {
	b.Run("eval", func(b *testing.B) {
		benchOurs(b, func(t testing.TB) expr.Expression { return fn(t, "equal", bl, col(t, 4, str), lit(t, "MAIL")) })
	})
	b.Run("arrow", func(b *testing.B) {
		benchArrow(b, "equal", func(batch arrow.RecordBatch) []compute.Datum {
			return []compute.Datum{colDatum(4)(batch), compute.NewDatum(scalar.NewStringScalar("MAIL"))}
		})
	})
}

func BenchmarkAddInt64(b *testing.B) {
	b.Run("eval_checked", func(b *testing.B) {
		benchOurs(b, func(t testing.TB) expr.Expression { return fn(t, "add", i64, col(t, 0, i64), col(t, 1, i64)) })
	})
	b.Run("arrow_unchecked", func(b *testing.B) {
		benchArrow(b, "add_unchecked", func(batch arrow.RecordBatch) []compute.Datum {
			return []compute.Datum{colDatum(0)(batch), colDatum(1)(batch)}
		})
	})
	b.Run("arrow_checked", func(b *testing.B) {
		benchArrow(b, "add", func(batch arrow.RecordBatch) []compute.Datum {
			return []compute.Datum{colDatum(0)(batch), colDatum(1)(batch)}
		})
	})
}

func BenchmarkMultiplyDecimal(b *testing.B) {
	b.Run("eval", func(b *testing.B) {
		benchOurs(b, func(t testing.TB) expr.Expression {
			return fn(t, "multiply", dec(31, 4), col(t, 2, dec(15, 2)), col(t, 3, dec(15, 2)))
		})
	})
	b.Run("arrow", func(b *testing.B) {
		benchArrow(b, "multiply", func(batch arrow.RecordBatch) []compute.Datum {
			return []compute.Datum{colDatum(2)(batch), colDatum(3)(batch)}
		})
	})
}

func BenchmarkFilterBatch(b *testing.B) {
	mem := memory.NewGoAllocator()
	batch := benchBatch(b, mem)
	defer batch.Release()
	x, err := Compile(fn(b, "lt", bl, col(b, 0, i64), lit(b, 100)), batch.Schema(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := FilterBatch(ctx, mem, batch, x)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
}
