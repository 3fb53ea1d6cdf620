package arrowexec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
)

// minMaxAcc keeps the least (or greatest) value per group; any_value keeps
// the first. Integer-like values are held as int64, floats as float64,
// decimals as decimal128, strings as Go strings, intervals as themselves
// (in PostgreSQL's order, compareInterval).
type minMaxAcc struct {
	max, first bool
	dt         arrow.DataType
	seen       []bool
	ints       []int64
	floats     []float64
	decs       []decimal128.Num
	strs       []string
	bools      []bool
	ivs        []arrow.MonthDayNanoInterval
	scratch    []int64
	strBytes   int64
}

func newMinMaxAcc(name string, in arrow.DataType) (accumulator, error) {
	switch {
	case intKeyType(in), in.ID() == arrow.FLOAT32, in.ID() == arrow.FLOAT64, in.ID() == arrow.DECIMAL128,
		in.ID() == arrow.STRING, in.ID() == arrow.LARGE_STRING, in.ID() == arrow.BOOL,
		in.ID() == arrow.INTERVAL_MONTH_DAY_NANO:
	default:
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, in)
	}
	return &minMaxAcc{max: name == "max", first: name == "any_value", dt: in}, nil
}

func (m *minMaxAcc) resize(g int) {
	m.seen = growBool(m.seen, g)
	switch {
	case intKeyType(m.dt):
		m.ints = growI64(m.ints, g)
	case m.dt.ID() == arrow.FLOAT32 || m.dt.ID() == arrow.FLOAT64:
		m.floats = growF64(m.floats, g)
	case m.dt.ID() == arrow.DECIMAL128:
		m.decs = growZero(m.decs, g)
	case m.dt.ID() == arrow.BOOL:
		m.bools = growBool(m.bools, g)
	case m.dt.ID() == arrow.INTERVAL_MONTH_DAY_NANO:
		m.ivs = growZero(m.ivs, g)
	default:
		m.strs = growZero(m.strs, g)
	}
}

func (m *minMaxAcc) copyGroup(dst, src int) {
	m.seen[dst] = m.seen[src]
	switch {
	case m.ints != nil:
		m.ints[dst] = m.ints[src]
	case m.floats != nil:
		m.floats[dst] = m.floats[src]
	case m.decs != nil:
		m.decs[dst] = m.decs[src]
	case m.bools != nil:
		m.bools[dst] = m.bools[src]
	case m.ivs != nil:
		m.ivs[dst] = m.ivs[src]
	case m.strs != nil:
		m.strs[dst] = m.strs[src]
	}
}

func (m *minMaxAcc) memSize() int64 {
	return int64(cap(m.seen)+8*cap(m.ints)+8*cap(m.floats)+16*cap(m.decs)+16*cap(m.strs)+cap(m.bools)+16*cap(m.ivs)) + m.strBytes
}

// better reports whether c (a comparison of new to old) replaces old.
func (m *minMaxAcc) better(c int) bool {
	if m.first {
		return false
	}
	if m.max {
		return c > 0
	}
	return c < 0
}

func (m *minMaxAcc) update(gids []int32, args []arrow.Array) error {
	a := args[0]
	noNulls := a.NullN() == 0
	var vc func(i, g int) int // compares row i to group g's value
	var set func(i, g int)
	switch {
	case intKeyType(m.dt):
		m.scratch = intValues(a, m.scratch)
		v := m.scratch
		vc = func(i, g int) int { return cmp64(v[i], m.ints[g]) }
		set = func(i, g int) { m.ints[g] = v[i] }
	case m.dt.ID() == arrow.FLOAT32 || m.dt.ID() == arrow.FLOAT64:
		vc = func(i, g int) int { return cmpFloat(floatAt(a, i), m.floats[g]) }
		set = func(i, g int) { m.floats[g] = floatAt(a, i) }
	case m.dt.ID() == arrow.DECIMAL128:
		v := a.(*array.Decimal128).Values()
		vc = func(i, g int) int { return v[i].Cmp(m.decs[g]) }
		set = func(i, g int) { m.decs[g] = v[i] }
	case m.dt.ID() == arrow.BOOL:
		b := a.(*array.Boolean)
		vc = func(i, g int) int { return boolCmp(b.Value(i), m.bools[g]) }
		set = func(i, g int) { m.bools[g] = b.Value(i) }
	case m.dt.ID() == arrow.INTERVAL_MONTH_DAY_NANO:
		v := a.(*array.MonthDayNanoInterval).MonthDayNanoIntervalValues()
		vc = func(i, g int) int { return m.intervalCmp(v[i], m.ivs[g]) }
		set = func(i, g int) { m.ivs[g] = v[i] }
	default:
		str := func(i int) string {
			if s, ok := a.(*array.String); ok {
				return s.Value(i)
			}
			return a.(*array.LargeString).Value(i)
		}
		vc = func(i, g int) int { return compareStr(str(i), m.strs[g]) }
		set = func(i, g int) {
			s := string([]byte(str(i))) // own the bytes: the batch is released
			m.strBytes += int64(len(s) - len(m.strs[g]))
			m.strs[g] = s
		}
	}
	for i, g := range gids {
		if g < 0 || (!noNulls && a.IsNull(i)) {
			continue
		}
		if !m.seen[g] {
			m.seen[g] = true
			set(i, int(g))
		} else if m.better(vc(i, int(g))) {
			set(i, int(g))
		}
	}
	return nil
}

// intervalCmp compares a new interval to a group's. Of equal spans ('1
// mon', '30 days') the new one wins, as PostgreSQL's interval_larger and
// interval_smaller keep their second argument, the value read later.
func (m *minMaxAcc) intervalCmp(v, old arrow.MonthDayNanoInterval) int {
	if c := compareInterval(v, old); c != 0 || v == old {
		return c
	}
	if m.max {
		return 1
	}
	return -1
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (m *minMaxAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	n := hi - lo
	if intKeyType(m.dt) {
		w := m.dt.(arrow.FixedWidthDataType).BitWidth() / 8
		data := memory.NewResizableBuffer(mem)
		data.Resize(n * w)
		valid := memory.NewResizableBuffer(mem)
		valid.Resize(int(bitutil.BytesForBits(int64(n))))
		nulls := 0
		for g := lo; g < hi; g++ {
			i := g - lo
			if !m.seen[g] {
				bitutil.ClearBit(valid.Bytes(), i)
				nulls++
				putInt(data.Bytes()[i*w:(i+1)*w], 0)
				continue
			}
			bitutil.SetBit(valid.Bytes(), i)
			putInt(data.Bytes()[i*w:(i+1)*w], m.ints[g])
		}
		return newFixed(m.dt, n, nulls, valid, data), nil
	}
	b := array.NewBuilder(mem, m.dt)
	defer b.Release()
	for g := lo; g < hi; g++ {
		if !m.seen[g] {
			b.AppendNull()
			continue
		}
		switch bb := b.(type) {
		case *array.Float64Builder:
			bb.Append(m.floats[g])
		case *array.Float32Builder:
			bb.Append(float32(m.floats[g]))
		case *array.Decimal128Builder:
			bb.Append(m.decs[g])
		case *array.BooleanBuilder:
			bb.Append(m.bools[g])
		case *array.MonthDayNanoIntervalBuilder:
			bb.Append(m.ivs[g])
		case *array.StringBuilder:
			bb.Append(m.strs[g])
		case *array.LargeStringBuilder:
			bb.Append(m.strs[g])
		}
	}
	return b.NewArray(), nil
}

// --- bool_and / bool_or ----------------------------------------------------------

type boolAcc struct {
	and       bool
	seen, val []bool
}

func (b *boolAcc) resize(g int) {
	b.seen = growBool(b.seen, g)
	for len(b.val) < g {
		b.val = append(b.val, b.and)
	}
}

func (b *boolAcc) memSize() int64 { return int64(cap(b.seen) + cap(b.val)) }

func (b *boolAcc) copyGroup(dst, src int) { b.seen[dst], b.val[dst] = b.seen[src], b.val[src] }

func (b *boolAcc) update(gids []int32, args []arrow.Array) error {
	a := args[0].(*array.Boolean)
	for i, g := range gids {
		if g < 0 || a.IsNull(i) {
			continue
		}
		b.seen[g] = true
		if b.and {
			b.val[g] = b.val[g] && a.Value(i)
		} else {
			b.val[g] = b.val[g] || a.Value(i)
		}
	}
	return nil
}

func (b *boolAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	bb := array.NewBooleanBuilder(mem)
	defer bb.Release()
	bb.AppendValues(b.val[lo:hi], b.seen[lo:hi])
	return bb.NewArray(), nil
}

// --- string_agg ------------------------------------------------------------------------

// stringAggAcc concatenates non-NULL values with the separator of each
// row after the first, as PostgreSQL does.
type stringAggAcc struct {
	vals  [][]byte
	seen  []bool
	bytes int64
}

func (s *stringAggAcc) resize(g int) {
	s.seen = growBool(s.seen, g)
	s.vals = growZero(s.vals, g)
}

func (s *stringAggAcc) copyGroup(dst, src int) {
	s.seen[dst] = s.seen[src]
	s.vals[dst] = append([]byte(nil), s.vals[src]...)
	s.bytes += int64(len(s.vals[dst]))
}

func (s *stringAggAcc) memSize() int64 { return int64(cap(s.seen)+24*cap(s.vals)) + s.bytes }

func (s *stringAggAcc) update(gids []int32, args []arrow.Array) error {
	v, ok1 := args[0].(*array.String)
	sep, ok2 := args[1].(*array.String)
	if !ok1 || !ok2 {
		return sqlerr.New(sqlerr.UndefinedFunction, "function string_agg(%s, %s) does not exist", args[0].DataType(), args[1].DataType())
	}
	for i, g := range gids {
		if g < 0 || v.IsNull(i) {
			continue
		}
		before := len(s.vals[g])
		if s.seen[g] && sep.IsValid(i) {
			s.vals[g] = append(s.vals[g], sep.Value(i)...)
		}
		s.seen[g] = true
		s.vals[g] = append(s.vals[g], v.Value(i)...)
		s.bytes += int64(len(s.vals[g]) - before)
	}
	return nil
}

func (s *stringAggAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for g := lo; g < hi; g++ {
		if !s.seen[g] {
			b.AppendNull()
			continue
		}
		b.BinaryBuilder.Append(s.vals[g])
	}
	return b.NewArray(), nil
}
