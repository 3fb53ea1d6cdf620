package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// allocFixed allocates an uninitialised buffer of n values of T from mem and
// returns it with a typed view of its bytes.
func allocFixed[T arrow.FixedWidthType](mem memory.Allocator, n int) (*memory.Buffer, []T) {
	var zero T
	size := n * int(sizeOf(zero))
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(size)
	if n == 0 {
		return buf, nil
	}
	return buf, arrow.GetData[T](buf.Bytes())[:n]
}

// allocBits allocates a zeroed bitmap for n bits.
func allocBits(mem memory.Allocator, n int) (*memory.Buffer, []byte) {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(n))))
	b := buf.Bytes()
	clear(b)
	return buf, b
}

// allocSetBits allocates a bitmap for n bits, all set.
func allocSetBits(mem memory.Allocator, n int) (*memory.Buffer, []byte) {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(n))))
	b := buf.Bytes()
	for i := range b {
		b[i] = 0xff
	}
	return buf, b
}

// validity returns the AND of the validity bitmaps of arrs (all of length n),
// as a new buffer at offset 0, and its null count. It returns nil, 0 when no
// array has nulls. Arrays given as nil are ignored (constants).
func validity(mem memory.Allocator, n int, arrs ...arrow.Array) (*memory.Buffer, int) {
	var out *memory.Buffer
	for _, a := range arrs {
		if a == nil || a.NullN() == 0 {
			continue
		}
		bm, off := a.NullBitmapBytes(), a.Data().Offset()
		if out == nil {
			var b []byte
			out, b = allocBits(mem, n)
			bitutil.CopyBitmap(bm, off, n, b, 0)
			continue
		}
		b := out.Bytes()
		bitutil.BitmapAnd(b, bm, 0, int64(off), b, 0, int64(n))
	}
	if out == nil {
		return nil, 0
	}
	nulls := n - bitutil.CountSetBits(out.Bytes(), 0, n)
	if nulls == 0 {
		out.Release()
		return nil, 0
	}
	return out, nulls
}

// makeArray builds an array of type dt and length n from buffers (the first
// being the validity bitmap, possibly nil) and releases the caller's
// references to them.
func makeArray(dt arrow.DataType, n, nulls int, bufs ...*memory.Buffer) arrow.Array {
	data := array.NewData(dt, n, bufs, nil, nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer data.Release()
	return array.MakeFromData(data)
}

// isValid reports whether row i of a (which may be nil for "no nulls") is
// not NULL.
func isValid(a arrow.Array, i int) bool {
	return a == nil || a.NullN() == 0 || a.IsValid(i)
}

// validBits returns the validity bitmap bytes of a buffer made by validity,
// or nil.
func validBits(b *memory.Buffer) []byte {
	if b == nil {
		return nil
	}
	return b.Bytes()
}

// bitSet reports whether bit i is set in bm; a nil bitmap means all set.
func bitSet(bm []byte, i int) bool {
	return bm == nil || bm[i>>3]&(1<<(i&7)) != 0
}

// releaseAll releases every non-nil array.
func releaseAll(arrs ...arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}
