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
// and ntile, written at each row's original position.
func (s *windowStream) ranking(name string, l *winLayout, args []arrow.Array) (arrow.Array, error) {
	ints := make([]int64, l.n)
	var floats []float64
	if name == "percent_rank" || name == "cume_dist" {
		floats = make([]float64, l.n)
	}
	var buckets arrow.Array
	var nbuckets []int64
	if name == "ntile" {
		if len(args) != 1 {
			return nil, sqlerr.New(sqlerr.UndefinedFunction, "ntile needs one argument")
		}
		buckets = args[0]
		nbuckets = intValues(buckets, nil)
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
		size := pe - ps
		switch name {
		case "row_number":
			ints[row] = int64(i - ps + 1)
		case "rank":
			ints[row] = int64(l.peerStart[i] - ps + 1)
		case "dense_rank":
			ints[row] = dense
		case "percent_rank":
			if size > 1 {
				floats[row] = float64(l.peerStart[i]-ps) / float64(size-1)
			}
		case "cume_dist":
			floats[row] = float64(l.peerEnd[i]-ps) / float64(size)
		case "ntile":
			k := nbuckets[row]
			if buckets.IsNull(int(row)) || k <= 0 {
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "argument of ntile must be greater than zero")
			}
			ints[row] = ntile(int64(i-ps), int64(size), k)
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

// navigate computes lag, lead, first_value and last_value by gathering
// the argument at another row (or the default, or NULL).
func (s *windowStream) navigate(ctx context.Context, wf *expr.WindowFunction, l *winLayout, args []arrow.Array) (arrow.Array, error) {
	if len(args) == 0 {
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "%s needs an argument", wf.Name())
	}
	name := wf.Name()
	src := args[0]
	var offsets []int64
	if (name == "lag" || name == "lead") && len(args) > 1 {
		offsets = intValues(args[1], nil)
	}
	values := src
	if len(args) > 2 { // the default: gather from src ++ default
		both, err := array.Concatenate([]arrow.Array{src, args[2]}, s.mem)
		if err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.DatatypeMismatch, "%s default", name)
		}
		defer both.Release()
		values = both
	}
	idx := make([]int32, l.n)
	valid := make([]bool, l.n)
	for i := 0; i < l.n; i++ {
		row := l.perm[i]
		j := -1
		switch name {
		case "lag", "lead":
			off := int64(1)
			if offsets != nil {
				off = offsets[row]
			}
			if name == "lag" {
				off = -off
			}
			if k := int64(i) + off; k >= int64(l.partStart[i]) && k < int64(l.partEnd[i]) {
				j = int(k)
			}
		case "first_value", "last_value":
			fs, fe := l.frame(i, wf)
			if fe > fs {
				j = fs
				if name == "last_value" {
					j = fe - 1
				}
			}
		}
		switch {
		case j >= 0:
			idx[row], valid[row] = int32(l.perm[j]), true
		case len(args) > 2:
			idx[row], valid[row] = int32(int64(l.n)+row), true
		}
	}
	ib := array.NewInt32Builder(s.mem)
	defer ib.Release()
	ib.AppendValues(idx, valid)
	ia := ib.NewArray()
	defer ia.Release()
	return eval.Take(ctx, s.mem, values, ia)
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
