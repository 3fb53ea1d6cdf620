package tpch

import "math/bits"

// rng is a small, fast pseudo-random generator (wyrand). Every row of every
// table gets its own generator, seeded from the table's stream and the row's
// number, so that chunks of rows can be generated in parallel and in any
// order while the output stays byte-identical.
type rng struct{ s uint64 }

// Streams: one per table, so tables do not share random sequences.
const (
	streamPart uint64 = iota + 1
	streamSupplier
	streamPartSupp
	streamCustomer
	streamOrders
	streamLineItem
	streamNation
	streamRegion
	streamTextPool
)

// seed is mixed into every stream. Its value is arbitrary; this one makes
// every TPC-H query return rows at SF 0.01 (Q17 and Q18 select few rows
// there and are empty for some seeds).
var seed uint64 = 7

// rowRNG returns the generator for row (0-based) of a stream.
func rowRNG(stream uint64, row int64) rng {
	return rng{s: mix64((seed+stream)*0x9e3779b97f4a7c15 ^ mix64(uint64(row)+0x632be59bd9b4e019))}
}

// mix64 is splitmix64's finalizer.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *rng) next() uint64 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// intn returns a value in [0, n); n > 0.
func (r *rng) intn(n int64) int64 {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int64(hi)
}

// between returns a value in [lo, hi], uniformly.
func (r *rng) between(lo, hi int64) int64 { return lo + r.intn(hi-lo+1) }
