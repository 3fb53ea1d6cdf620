package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// choose assembles an array of n rows where row i is row at[i] of
// pieces[from[i]], or NULL when from[i] < 0. It serves CASE, COALESCE,
// GREATEST and LEAST for every type: one concatenation and one take with
// arrow-go's kernels. All pieces must have type dt.
func choose(ctx context.Context, mem memory.Allocator, dt arrow.DataType, pieces []arrow.Array, from, at []int32) (arrow.Array, error) {
	n := len(from)
	if p, ok := identity(pieces, from, at); ok {
		pieces[p].Retain()
		return pieces[p], nil
	}
	live := make([]arrow.Array, 0, len(pieces))
	offsets := make([]int32, len(pieces))
	total := int32(0)
	for i, p := range pieces {
		offsets[i] = total
		if p != nil {
			live = append(live, p)
			total += int32(p.Len())
		}
	}
	if len(live) == 0 {
		return array.MakeArrayOfNull(mem, dt, n), nil
	}
	values := live[0]
	if len(live) > 1 {
		var err error
		if values, err = array.Concatenate(live, mem); err != nil {
			return nil, asSQLErr(err)
		}
		defer values.Release()
	}
	buf, idx := allocFixed[int32](mem, n)
	vbuf, vbits := allocSetBits(mem, n)
	nulls := 0
	for i, p := range from {
		if p < 0 {
			idx[i] = 0
			vbits[i>>3] &^= 1 << (i & 7)
			nulls++
			continue
		}
		idx[i] = offsets[p] + at[i]
	}
	if nulls == 0 {
		vbuf.Release()
		vbuf = nil
	}
	indices := makeArray(arrow.PrimitiveTypes.Int32, n, nulls, vbuf, buf)
	defer indices.Release()
	out, err := Take(ctx, mem, values, indices)
	return out, asSQLErr(err)
}

// identity reports whether the selection is exactly one whole piece.
func identity(pieces []arrow.Array, from, at []int32) (int, bool) {
	if len(from) == 0 {
		return 0, false
	}
	p := from[0]
	if p < 0 || pieces[p] == nil || pieces[p].Len() != len(from) {
		return 0, false
	}
	for i := range from {
		if from[i] != p || at[i] != int32(i) {
			return 0, false
		}
	}
	return int(p), true
}
