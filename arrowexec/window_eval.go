package arrowexec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/arrowexec/eval"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
)

// ranking computes row_number, rank, dense_rank, percent_rank, cume_dist
// and ntile, written at each row's original position. Peers (rows equal
// in the ordering) share rank, dense_rank, percent_rank and cume_dist.
func (s *windowStream) ranking(name string, l *winLayout, args []arrow.Array) (arrow.Array, error) {
	if name == "ntile" {
		return s.ntiles(l, args)
	}
	ints := make([]int64, l.n)
	var floats []float64
	if name == "percent_rank" || name == "cume_dist" {
		floats = make([]float64, l.n)
	}
	dense := int64(0)
	for i := 0; i < l.n; i++ {
		ps, pe := l.partStart[i], l.partEnd[i]
		if i == ps {
			dense = 0
		}
		if i == l.peerStart[i] {
			dense++
		}
		row := l.perm[i]
		switch name {
		case "row_number":
			ints[row] = int64(i - ps + 1)
		case "rank":
			ints[row] = int64(l.peerStart[i] - ps + 1)
		case "dense_rank":
			ints[row] = dense
		case "percent_rank": // (rank - 1) / (rows - 1), 0 for one row
			if pe-ps > 1 {
				floats[row] = float64(l.peerStart[i]-ps) / float64(pe-ps-1)
			}
		case "cume_dist": // rows up to the last peer / rows
			floats[row] = float64(l.peerEnd[i]-ps) / float64(pe-ps)
		}
	}
	if floats != nil {
		b := array.NewFloat64Builder(s.mem)
		defer b.Release()
		b.AppendValues(floats, nil)
		return b.NewArray(), nil
	}
	b := array.NewInt64Builder(s.mem)
	defer b.Release()
	b.AppendValues(ints, nil)
	return b.NewArray(), nil
}

// ntiles computes ntile(k) as PostgreSQL does: k is read at the first row
// of the partition where it is not NULL and holds for the rest of the
// partition, buckets counted from that row; rows before it (all rows, if k
// is NULL throughout) are NULL. k <= 0 is error 22014.
func (s *windowStream) ntiles(l *winLayout, args []arrow.Array) (arrow.Array, error) {
	if len(args) != 1 {
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "ntile needs one argument")
	}
	arg := newIntArg(args[0])
	ints := make([]int64, l.n)
	valid := make([]bool, l.n)
	var k int64
	first := -1 // sorted position where k was read in this partition
	for i := 0; i < l.n; i++ {
		ps := l.partStart[i]
		if i == ps {
			first = -1
		}
		row := l.perm[i]
		if first < 0 {
			v, ok := arg.at(row)
			if !ok {
				continue
			}
			if v <= 0 {
				return nil, sqlerr.New(errNtileArgument, "argument of ntile must be greater than zero")
			}
			k, first = v, i
		}
		ints[row], valid[row] = ntile(int64(i-first), int64(l.partEnd[i]-ps), k), true
	}
	b := array.NewInt64Builder(s.mem)
	defer b.Release()
	b.AppendValues(ints, valid)
	return b.NewArray(), nil
}

// ntile is PostgreSQL's bucket of 0-based row r of n rows in k buckets:
// the first n%k buckets get one row more.
func ntile(r, n, k int64) int64 {
	if k > n {
		return r + 1
	}
	per, extra := n/k, n%k
	big := extra * (per + 1)
	if r < big {
		return r/(per+1) + 1
	}
	return extra + (r-big)/per + 1
}

// frameAgg computes an aggregate over each row's frame with the hash
// aggregate's accumulators: one group per sorted position, plus one
// running group per partition for frames that start at the partition.
func (s *windowStream) frameAgg(ctx context.Context, wf *expr.WindowFunction, l *winLayout, args []arrow.Array, out arrow.DataType) (arrow.Array, error) {
	types := make([]arrow.DataType, len(args))
	sorted := make([]arrow.Array, len(args))
	defer releaseAll(sorted)
	pa := array.NewInt64Builder(s.mem)
	pa.AppendValues(l.perm, nil)
	permArr := pa.NewArray()
	pa.Release()
	defer permArr.Release()
	for i, a := range args {
		types[i] = a.DataType()
		t, err := eval.Take(ctx, s.mem, a, permArr)
		if err != nil {
			return nil, err
		}
		sorted[i] = t
	}
	acc, err := newAccumulator(wf.Name(), types, out)
	if err != nil {
		return nil, err
	}
	acc.resize(l.n + l.parts)
	_, running := wf.LowerBound.(expr.Unbounded)
	running = running || wf.LowerBound == nil
	var gids []int32
	feed := func(g, lo, hi int) error {
		gids = gids[:0]
		for k := lo; k < hi; k++ {
			gids = append(gids, int32(g))
		}
		part := make([]arrow.Array, len(sorted))
		for c, a := range sorted {
			part[c] = array.NewSlice(a, int64(lo), int64(hi))
		}
		defer releaseAll(part)
		return acc.update(gids, part)
	}
	part := -1
	fed, scratch := 0, 0
	for i := 0; i < l.n; i++ {
		if i == l.partStart[i] {
			part++
			fed, scratch = i, l.n+part
		}
		fs, fe := l.frame(i, wf)
		if running && fs == l.partStart[i] {
			if fe > fed {
				if err := feed(scratch, fed, fe); err != nil {
					return nil, err
				}
				fed = fe
			}
			acc.copyGroup(i, scratch)
			continue
		}
		if fe > fs {
			if err := feed(i, fs, fe); err != nil {
				return nil, err
			}
		}
	}
	res, err := acc.result(s.mem, 0, l.n)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	// back to the original row order
	inv := make([]int64, l.n)
	for i, r := range l.perm {
		inv[r] = int64(i)
	}
	ib := array.NewInt64Builder(s.mem)
	defer ib.Release()
	ib.AppendValues(inv, nil)
	ia := ib.NewArray()
	defer ia.Release()
	return eval.Take(ctx, s.mem, res, ia)
}
