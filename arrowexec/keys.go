package arrowexec

import (
	"encoding/binary"
	"hash/maphash"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/sql/sqlerr"
)

// keyBatch is the hash keys of one batch's rows: either one integer key
// (ints) or every key column encoded into bytes (data/offs). anyNull[i]
// reports that some key of row i is NULL.
type keyBatch struct {
	n       int
	isInt   bool
	ints    []int64
	data    []byte
	offs    []int32 // n+1 offsets into data
	hashes  []uint64
	anyNull []bool
	nulls   int
}

func (k *keyBatch) key(i int) []byte { return k.data[k.offs[i]:k.offs[i+1]] }

// memSize is the Go memory the batch holds.
func (k *keyBatch) memSize() int64 {
	return int64(8*len(k.ints) + len(k.data) + 4*len(k.offs) + 8*len(k.hashes) + len(k.anyNull))
}

var hashSeed = maphash.MakeSeed()

// mix64 is a fast integer hash (the finalizer of SplitMix64).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// intKeyType reports whether dt is keyed by its int64 value.
func intKeyType(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16,
		arrow.UINT32, arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP, arrow.TIME32, arrow.TIME64:
		return true
	}
	return false
}

// intValues returns the values of an integer-like array as int64.
func intValues(a arrow.Array, out []int64) []int64 {
	out = out[:0]
	switch a := a.(type) {
	case *array.Int64:
		return append(out, a.Int64Values()...)
	case *array.Int32:
		for _, v := range a.Int32Values() {
			out = append(out, int64(v))
		}
	case *array.Int16:
		for _, v := range a.Int16Values() {
			out = append(out, int64(v))
		}
	case *array.Int8:
		for _, v := range a.Int8Values() {
			out = append(out, int64(v))
		}
	case *array.Uint8:
		for _, v := range a.Uint8Values() {
			out = append(out, int64(v))
		}
	case *array.Uint16:
		for _, v := range a.Uint16Values() {
			out = append(out, int64(v))
		}
	case *array.Uint32:
		for _, v := range a.Uint32Values() {
			out = append(out, int64(v))
		}
	case *array.Date32:
		for _, v := range a.Date32Values() {
			out = append(out, int64(v))
		}
	case *array.Date64:
		for _, v := range a.Date64Values() {
			out = append(out, int64(v))
		}
	case *array.Timestamp:
		for _, v := range a.TimestampValues() {
			out = append(out, int64(v))
		}
	case *array.Time32:
		for _, v := range a.Time32Values() {
			out = append(out, int64(v))
		}
	case *array.Time64:
		for _, v := range a.Time64Values() {
			out = append(out, int64(v))
		}
	}
	return out
}

// encodeKeys computes the keys of n rows from the key columns, reusing k's
// slices.
func encodeKeys(cols []arrow.Array, n int, k *keyBatch) error {
	k.n = n
	k.anyNull = resize(k.anyNull, n)
	k.hashes = resizeU64(k.hashes, n)
	k.nulls = 0
	for i := range k.anyNull {
		k.anyNull[i] = false
	}
	for _, c := range cols {
		if c.NullN() == 0 {
			continue
		}
		for i := 0; i < n; i++ {
			if c.IsNull(i) && !k.anyNull[i] {
				k.anyNull[i] = true
				k.nulls++
			}
		}
	}
	if len(cols) == 1 && intKeyType(cols[0].DataType()) {
		k.isInt = true
		k.ints = intValues(cols[0], k.ints)
		for i, v := range k.ints {
			if k.anyNull[i] {
				k.hashes[i] = 0
				continue
			}
			k.hashes[i] = mix64(uint64(v))
		}
		return nil
	}
	k.isInt = false
	return encodeBytes(cols, n, k)
}

func resize(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	return b[:n]
}

func resizeU64(b []uint64, n int) []uint64 {
	if cap(b) < n {
		return make([]uint64, n)
	}
	return b[:n]
}

// encodeBytes encodes each row's keys: per column a NULL marker byte, then
// the fixed-width value or a 4-byte length and the bytes.
func encodeBytes(cols []arrow.Array, n int, k *keyBatch) error {
	if cap(k.offs) < n+1 {
		k.offs = make([]int32, n+1)
	}
	k.offs = k.offs[:n+1]
	sizes := k.offs[1:]
	for i := range sizes {
		sizes[i] = 0
	}
	for _, c := range cols {
		if err := addSizes(c, sizes); err != nil {
			return err
		}
	}
	k.offs[0] = 0
	for i := 1; i <= n; i++ {
		k.offs[i] += k.offs[i-1]
	}
	total := int(k.offs[n])
	if cap(k.data) < total {
		k.data = make([]byte, total)
	}
	k.data = k.data[:total]
	pos := make([]int32, n)
	copy(pos, k.offs[:n])
	for _, c := range cols {
		writeKeys(c, k.data, pos)
	}
	for i := 0; i < n; i++ {
		k.hashes[i] = maphash.Bytes(hashSeed, k.key(i))
	}
	return nil
}

func addSizes(c arrow.Array, sizes []int32) error {
	switch a := c.(type) {
	case *array.String:
		for i := range sizes {
			sizes[i] += 5 + int32(a.ValueLen(i))
		}
	case *array.Binary:
		for i := range sizes {
			sizes[i] += 5 + int32(a.ValueLen(i))
		}
	case *array.LargeString:
		for i := range sizes {
			sizes[i] += 5 + int32(len(a.Value(i)))
		}
	case *array.Boolean:
		for i := range sizes {
			sizes[i] += 2
		}
	default:
		fw, ok := c.DataType().(arrow.FixedWidthDataType)
		if !ok || fw.BitWidth()%8 != 0 {
			return sqlerr.New(sqlerr.FeatureNotSupported, "cannot hash values of type %s", c.DataType())
		}
		w := int32(fw.BitWidth() / 8)
		for i := range sizes {
			sizes[i] += 1 + w
		}
	}
	return nil
}

func writeKeys(c arrow.Array, data []byte, pos []int32) {
	switch a := c.(type) {
	case *array.String:
		for i := range pos {
			pos[i] = writeVar(data, pos[i], a.IsNull(i), a.Value(i))
		}
	case *array.LargeString:
		for i := range pos {
			pos[i] = writeVar(data, pos[i], a.IsNull(i), a.Value(i))
		}
	case *array.Binary:
		for i := range pos {
			pos[i] = writeVar(data, pos[i], a.IsNull(i), string(a.Value(i)))
		}
	case *array.Boolean:
		for i := range pos {
			p := pos[i]
			data[p], data[p+1] = 1, 0
			if a.IsNull(i) {
				data[p] = 0
			} else if a.Value(i) {
				data[p+1] = 1
			}
			pos[i] = p + 2
		}
	default:
		writeFixed(c, data, pos)
	}
}

func writeVar(data []byte, p int32, null bool, s string) int32 {
	if null {
		data[p] = 0
		binary.LittleEndian.PutUint32(data[p+1:], 0)
		return p + 5
	}
	data[p] = 1
	binary.LittleEndian.PutUint32(data[p+1:], uint32(len(s)))
	copy(data[p+5:], s)
	return p + 5 + int32(len(s))
}

// writeFixed copies fixed-width values from the array's data buffer; NULLs
// are zeroed so that every NULL encodes alike. Floats are normalized so
// -0 = +0 and every NaN is equal.
func writeFixed(c arrow.Array, data []byte, pos []int32) {
	w := c.DataType().(arrow.FixedWidthDataType).BitWidth() / 8
	buf := c.Data().Buffers()[1].Bytes()
	off := c.Data().Offset() * w
	isF64 := c.DataType().ID() == arrow.FLOAT64
	for i := range pos {
		p := pos[i]
		v := data[p+1 : int(p)+1+w]
		if c.IsNull(i) {
			data[p] = 0
			clear(v)
		} else {
			data[p] = 1
			copy(v, buf[off+i*w:off+(i+1)*w])
			if isF64 {
				f := math.Float64frombits(binary.LittleEndian.Uint64(v))
				if f == 0 {
					f = 0
				} else if f != f {
					f = math.NaN()
				}
				binary.LittleEndian.PutUint64(v, math.Float64bits(f))
			}
		}
		pos[i] = p + 1 + int32(w)
	}
}
