package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Take gathers values[indices] (a NULL index gives NULL), as compute.Take
// does, for every type the engine produces: arrow-go's take kernel has no
// month_day_nano interval, which is taken as 16-byte fixed-size binary and
// relabelled.
func Take(ctx context.Context, mem memory.Allocator, values, indices arrow.Array) (arrow.Array, error) {
	ctx = compute.WithAllocator(ctx, mem)
	if values.DataType().ID() != arrow.INTERVAL_MONTH_DAY_NANO {
		return compute.TakeArray(ctx, values, indices)
	}
	view := relabelData(values.Data(), &arrow.FixedSizeBinaryType{ByteWidth: arrow.MonthDayNanoIntervalSizeBytes})
	defer view.Release()
	va := array.MakeFromData(view)
	defer va.Release()
	out, err := compute.TakeArray(ctx, va, indices)
	if err != nil {
		return nil, err
	}
	defer out.Release()
	d := relabelData(out.Data(), values.DataType())
	defer d.Release()
	return array.MakeFromData(d), nil
}

// relabelData is d's buffers under type dt (of the same physical layout).
func relabelData(d arrow.ArrayData, dt arrow.DataType) arrow.ArrayData {
	return array.NewData(dt, d.Len(), d.Buffers(), nil, d.NullN(), d.Offset())
}
