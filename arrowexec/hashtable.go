package arrowexec

import "bytes"

// hashTable maps keys to dense group ids 0..n-1 (open addressing, linear
// probing). Keys are either int64s or byte strings, never both.
type hashTable struct {
	islots []intSlot // int keys: key and group inline, one cache line per probe
	slots  []int32   // byte keys: group id + 1; 0 = empty
	mask   uint64
	hashes []uint64 // per group
	ints   []int64  // per group, int keys
	arena  []byte   // byte keys back to back
	offs   []int    // per group start in arena, plus the end
	n      int
	// nullGroup is the group of the NULL int key + 1 (0: none yet). It has
	// no slot: int keys cannot encode NULL.
	nullGroup int32
}

// intSlot is a slot of an int-keyed table; g is the group id + 1 (0 =
// empty).
type intSlot struct {
	key int64
	g   int32
}

func newHashTable() *hashTable {
	return &hashTable{mask: 1023, offs: []int{0}}
}

// memSize is the table's Go memory.
func (h *hashTable) memSize() int64 {
	return int64(16*cap(h.islots) + 4*cap(h.slots) + 8*cap(h.hashes) + 8*cap(h.ints) + cap(h.arena) + 8*cap(h.offs))
}

func (h *hashTable) grow() {
	size := int(h.mask+1) * 2
	h.mask = uint64(size - 1)
	// Per-group slices get the capacity of the next grow now: one copy per
	// doubling instead of append's 1.25x steps over large slices.
	h.hashes = withCap(h.hashes, size/2+1)
	if h.islots != nil {
		h.ints = withCap(h.ints, size/2+1)
		h.islots = make([]intSlot, size)
		for g, v := range h.ints {
			if int32(g+1) == h.nullGroup {
				continue
			}
			i := h.hashes[g] & h.mask
			for h.islots[i].g != 0 {
				i = (i + 1) & h.mask
			}
			h.islots[i] = intSlot{key: v, g: int32(g + 1)}
		}
		return
	}
	h.offs = withCap(h.offs, size/2+2)
	h.slots = make([]int32, size)
	for g, hv := range h.hashes {
		if int32(g+1) == h.nullGroup {
			continue
		}
		i := hv & h.mask
		for h.slots[i] != 0 {
			i = (i + 1) & h.mask
		}
		h.slots[i] = int32(g + 1)
	}
}

// reserveInt sizes an empty int-keyed table for n keys without growing.
func (h *hashTable) reserveInt(n int) {
	if h.n > 0 || h.islots != nil {
		return
	}
	size := 1024
	for size < 2*n+2 {
		size *= 2
	}
	h.mask = uint64(size - 1)
	h.islots = make([]intSlot, size)
	h.hashes = make([]uint64, 0, size/2+1)
	h.ints = make([]int64, 0, size/2+1)
}

// withCap returns s with capacity at least c.
func withCap[T any](s []T, c int) []T {
	if cap(s) >= c {
		return s
	}
	out := make([]T, len(s), c)
	copy(out, s)
	return out
}

// insertInt returns v's group, adding it if new.
func (h *hashTable) insertInt(hv uint64, v int64) (int32, bool) {
	if h.islots == nil {
		h.islots = make([]intSlot, h.mask+1)
	}
	i := hv & h.mask
	for {
		s := &h.islots[i]
		if s.g == 0 {
			break
		}
		if s.key == v {
			return s.g - 1, false
		}
		i = (i + 1) & h.mask
	}
	g := int32(h.n)
	h.n++
	h.islots[i] = intSlot{key: v, g: g + 1}
	h.hashes = append(h.hashes, hv)
	h.ints = append(h.ints, v)
	if h.n*2 > len(h.islots) {
		h.grow()
	}
	return g, true
}

// findInt returns v's group or -1.
func (h *hashTable) findInt(hv uint64, v int64) int32 {
	if h.islots == nil {
		return -1
	}
	i := hv & h.mask
	for {
		s := &h.islots[i]
		if s.g == 0 {
			return -1
		}
		if s.key == v {
			return s.g - 1
		}
		i = (i + 1) & h.mask
	}
}

// insert returns key's group, adding it if new.
func (h *hashTable) insert(hv uint64, key []byte) (int32, bool) {
	if h.slots == nil {
		h.slots = make([]int32, h.mask+1)
	}
	i := hv & h.mask
	for {
		s := h.slots[i]
		if s == 0 {
			break
		}
		if g := s - 1; h.hashes[g] == hv && bytes.Equal(h.arena[h.offs[g]:h.offs[g+1]], key) {
			return g, false
		}
		i = (i + 1) & h.mask
	}
	g := int32(h.n)
	h.n++
	h.slots[i] = g + 1
	h.hashes = append(h.hashes, hv)
	h.arena = append(h.arena, key...)
	h.offs = append(h.offs, len(h.arena))
	if h.n*2 > len(h.slots) {
		h.grow()
	}
	return g, true
}

// find returns key's group or -1.
func (h *hashTable) find(hv uint64, key []byte) int32 {
	if h.slots == nil {
		return -1
	}
	i := hv & h.mask
	for {
		s := h.slots[i]
		if s == 0 {
			return -1
		}
		if g := s - 1; h.hashes[g] == hv && bytes.Equal(h.arena[h.offs[g]:h.offs[g+1]], key) {
			return g
		}
		i = (i + 1) & h.mask
	}
}

// insertRow adds row i of k and returns its group.
func (h *hashTable) insertRow(k *keyBatch, i int) (int32, bool) {
	if k.isInt {
		return h.insertInt(k.hashes[i], k.ints[i])
	}
	return h.insert(k.hashes[i], k.key(i))
}

// findRow returns the group of row i of k, or -1.
func (h *hashTable) findRow(k *keyBatch, i int) int32 {
	if k.isInt {
		return h.findInt(k.hashes[i], k.ints[i])
	}
	return h.find(k.hashes[i], k.key(i))
}

// groupRow is insertRow where a NULL key is a group of its own (GROUP BY,
// DISTINCT, set operations).
func (h *hashTable) groupRow(k *keyBatch, i int) (int32, bool) {
	if k.isInt && k.anyNull[i] {
		if h.nullGroup > 0 {
			return h.nullGroup - 1, false
		}
		g := int32(h.n)
		h.n++
		h.hashes = append(h.hashes, 0)
		h.ints = append(h.ints, 0)
		h.nullGroup = g + 1
		return g, true
	}
	return h.insertRow(k, i)
}

// findGroup is findRow where a NULL key finds the NULL group.
func (h *hashTable) findGroup(k *keyBatch, i int) int32 {
	if k.isInt && k.anyNull[i] {
		return h.nullGroup - 1
	}
	return h.findRow(k, i)
}
