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

// FilterRecordBatch is compute.FilterRecordBatch for every type the engine
// produces: month_day_nano interval columns, which arrow-go's filter kernel
// lacks (it fails, and leaks the columns filtered before), are filtered as
// 16-byte fixed-size binary and relabelled.
func FilterRecordBatch(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch, mask arrow.Array, opts *compute.FilterOptions) (arrow.RecordBatch, error) {
	ctx = compute.WithAllocator(ctx, mem)
	var relabelled []int
	for i, f := range batch.Schema().Fields() {
		if f.Type.ID() == arrow.INTERVAL_MONTH_DAY_NANO {
			relabelled = append(relabelled, i)
		}
	}
	if len(relabelled) == 0 {
		return compute.FilterRecordBatch(ctx, batch, mask, opts)
	}
	fsb := &arrow.FixedSizeBinaryType{ByteWidth: arrow.MonthDayNanoIntervalSizeBytes}
	fields := append([]arrow.Field(nil), batch.Schema().Fields()...)
	cols := append([]arrow.Array(nil), batch.Columns()...)
	for _, i := range relabelled {
		fields[i].Type = fsb
		d := relabelData(cols[i].Data(), fsb)
		cols[i] = array.MakeFromData(d)
		d.Release()
		defer cols[i].Release()
	}
	view := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, batch.NumRows())
	defer view.Release()
	out, err := compute.FilterRecordBatch(ctx, view, mask, opts)
	if err != nil {
		return nil, err
	}
	defer out.Release()
	res := append([]arrow.Array(nil), out.Columns()...)
	for _, i := range relabelled {
		d := relabelData(res[i].Data(), batch.Schema().Field(i).Type)
		res[i] = array.MakeFromData(d)
		d.Release()
		defer res[i].Release()
	}
	return array.NewRecordBatch(batch.Schema(), res, out.NumRows()), nil
}
