package arrowexec

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
)

// groupKeys rebuilds the key columns of groups [lo, hi) of h, whose keys
// have the types dts (as encoded by encodeKeys).
func groupKeys(mem memory.Allocator, h *hashTable, dts []arrow.DataType, lo, hi int) ([]arrow.Array, error) {
	n := hi - lo
	if len(dts) == 1 && intKeyType(dts[0]) && len(h.arena) == 0 {
		w := dts[0].(arrow.FixedWidthDataType).BitWidth() / 8
		data := memory.NewResizableBuffer(mem)
		data.Resize(n * w)
		valid := memory.NewResizableBuffer(mem)
		valid.Resize(int(bitutil.BytesForBits(int64(n))))
		vb, db := valid.Bytes(), data.Bytes()
		nulls := 0
		for g := lo; g < hi; g++ {
			i := g - lo
			if int32(g+1) == h.nullGroup {
				bitutil.ClearBit(vb, i)
				nulls++
				putInt(db[i*w:(i+1)*w], 0)
				continue
			}
			bitutil.SetBit(vb, i)
			putInt(db[i*w:(i+1)*w], h.ints[g])
		}
		return []arrow.Array{newFixed(dts[0], n, nulls, valid, data)}, nil
	}
	pos := make([]int, n)
	for g := lo; g < hi; g++ {
		pos[g-lo] = h.offs[g]
	}
	out := make([]arrow.Array, len(dts))
	for c, dt := range dts {
		a, err := decodeColumn(mem, dt, h.arena, pos)
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		out[c] = a
	}
	return out, nil
}

func putInt(b []byte, v int64) {
	switch len(b) {
	case 1:
		b[0] = byte(v)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	case 8:
		binary.LittleEndian.PutUint64(b, uint64(v))
	}
}

func newFixed(dt arrow.DataType, n, nulls int, valid, data *memory.Buffer) arrow.Array {
	d := array.NewData(dt, n, []*memory.Buffer{valid, data}, nil, nulls, 0)
	valid.Release()
	data.Release()
	defer d.Release()
	return array.MakeFromData(d)
}

// decodeColumn reads one encoded column at pos (advancing it).
func decodeColumn(mem memory.Allocator, dt arrow.DataType, arena []byte, pos []int) (arrow.Array, error) {
	n := len(pos)
	switch dt.ID() {
	case arrow.STRING, arrow.BINARY, arrow.LARGE_STRING:
		b := array.NewBuilder(mem, dt)
		defer b.Release()
		for i, p := range pos {
			l := int(binary.LittleEndian.Uint32(arena[p+1:]))
			switch {
			case arena[p] == 0:
				b.AppendNull()
			case dt.ID() == arrow.BINARY:
				b.(*array.BinaryBuilder).Append(arena[p+5 : p+5+l])
			case dt.ID() == arrow.LARGE_STRING:
				b.(*array.LargeStringBuilder).Append(string(arena[p+5 : p+5+l]))
			default:
				b.(*array.StringBuilder).BinaryBuilder.Append(arena[p+5 : p+5+l])
			}
			pos[i] = p + 5 + l
		}
		return b.NewArray(), nil
	case arrow.BOOL:
		b := array.NewBooleanBuilder(mem)
		defer b.Release()
		for i, p := range pos {
			if arena[p] == 0 {
				b.AppendNull()
			} else {
				b.Append(arena[p+1] == 1)
			}
			pos[i] = p + 2
		}
		return b.NewArray(), nil
	}
	fw, ok := dt.(arrow.FixedWidthDataType)
	if !ok {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "cannot group by values of type %s", dt)
	}
	w := fw.BitWidth() / 8
	data := memory.NewResizableBuffer(mem)
	data.Resize(n * w)
	valid := memory.NewResizableBuffer(mem)
	valid.Resize(int(bitutil.BytesForBits(int64(n))))
	vb, db := valid.Bytes(), data.Bytes()
	nulls := 0
	for i, p := range pos {
		if arena[p] == 0 {
			bitutil.ClearBit(vb, i)
			nulls++
		} else {
			bitutil.SetBit(vb, i)
		}
		copy(db[i*w:(i+1)*w], arena[p+1:p+1+w])
		pos[i] = p + 1 + w
	}
	return newFixed(dt, n, nulls, valid, data), nil
}
