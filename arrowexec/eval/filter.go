package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// FilterBatch returns the rows of batch for which pred is true (NULL is
// not true). It slices instead of copying when the passing rows are one
// contiguous run: all rows return batch itself, retained; no rows an empty
// slice. The caller releases the result.
func FilterBatch(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch, pred Expr) (arrow.RecordBatch, error) {
	if pred.Type().ID() != arrow.BOOL {
		return nil, sqlerr.New(sqlerr.DatatypeMismatch, "argument of WHERE must be type boolean, not type %s", sqlTypeName(pred.Type()))
	}
	a, err := pred.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	return FilterByMask(ctx, mem, batch, a.(*array.Boolean))
}

// FilterByMask keeps the rows of batch where mask is true (NULL is not
// true), slicing when it can, as FilterBatch.
func FilterByMask(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch, mask *array.Boolean) (arrow.RecordBatch, error) {
	n := mask.Len()
	bits, release := selection(mem, mask)
	defer release()
	first, last, count := -1, -1, 0
	if n > 0 {
		count = bitutil.CountSetBits(bits, 0, n)
	}
	if count > 0 {
		for i := 0; i < n; i++ {
			if bitSet(bits, i) {
				first = i
				break
			}
		}
		for i := n - 1; i >= 0; i-- {
			if bitSet(bits, i) {
				last = i
				break
			}
		}
	}
	switch {
	case count == n:
		batch.Retain()
		return batch, nil
	case count == 0:
		return batch.NewSlice(0, 0), nil
	case last-first+1 == count:
		return batch.NewSlice(int64(first), int64(last+1)), nil
	}
	out, err := FilterRecordBatch(ctx, mem, batch, mask, &compute.FilterOptions{NullSelection: compute.SelectionDropNulls})
	return out, asSQLErr(err)
}

// selection returns mask's true-and-valid bits at offset 0.
func selection(mem memory.Allocator, mask *array.Boolean) ([]byte, func()) {
	n, off := mask.Len(), mask.Data().Offset()
	buf, bits := allocBits(mem, n)
	if n > 0 {
		bitutil.CopyBitmap(mask.Data().Buffers()[1].Bytes(), off, n, bits, 0)
		if mask.NullN() > 0 {
			bitutil.BitmapAnd(bits, mask.NullBitmapBytes(), 0, int64(off), bits, 0, int64(n))
		}
	}
	return bits, buf.Release
}
