package arrowexec

import (
	"context"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"
)

// winLayout is the rows of one window function's input sorted by
// (partition, ordering), with partition and peer-group boundaries.
type winLayout struct {
	n         int
	perm      []int64 // sorted position -> row
	partStart []int   // per sorted position: first position of its partition
	partEnd   []int   // exclusive
	peerStart []int   // first position of its peer group
	peerEnd   []int   // exclusive
	parts     int
}

func (s *windowStream) layout(ctx context.Context, all arrow.RecordBatch, wf *expr.WindowFunction) (*winLayout, error) {
	n := int(all.NumRows())
	pids := make([]int32, n)
	if len(wf.Partitions) > 0 {
		evs := make([]evaluator, len(wf.Partitions))
		for i, p := range wf.Partitions {
			ev, err := s.r.compile(p, all.Schema())
			if err != nil {
				return nil, err
			}
			evs[i] = ev
		}
		keys, err := evalAll(ctx, s.mem, evs, all)
		if err != nil {
			return nil, err
		}
		defer releaseAll(keys)
		var kb keyBatch
		if err := encodeKeys(keys, n, &kb); err != nil {
			return nil, err
		}
		ht := newHashTable()
		for i := range pids {
			pids[i], _ = ht.groupRow(&kb, i)
		}
	}
	var cmps []cmpFunc
	for _, sf := range wf.Sorts {
		sk, err := sortKeyOf(sf.Kind)
		if err != nil {
			return nil, err
		}
		ev, err := s.r.compile(sf.Expr, all.Schema())
		if err != nil {
			return nil, err
		}
		a, err := ev.Eval(ctx, s.mem, all)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		c, err := keyCmp(a, sk)
		if err != nil {
			return nil, err
		}
		cmps = append(cmps, c)
	}
	l := &winLayout{n: n, perm: make([]int64, n)}
	for i := range l.perm {
		l.perm[i] = int64(i)
	}
	s.mem.reserve(int64(48 * n))
	defer s.mem.reserve(-int64(48 * n))
	cmpRows := func(i, j int) int {
		for _, c := range cmps {
			if r := c(i, j); r != 0 {
				return r
			}
		}
		return 0
	}
	sort.SliceStable(l.perm, func(a, b int) bool {
		i, j := int(l.perm[a]), int(l.perm[b])
		if pids[i] != pids[j] {
			return pids[i] < pids[j]
		}
		return cmpRows(i, j) < 0
	})
	l.bounds(pids, cmpRows)
	return l, nil
}

// bounds fills the partition and peer boundaries.
func (l *winLayout) bounds(pids []int32, cmpRows func(i, j int) int) {
	n := l.n
	l.partStart, l.partEnd = make([]int, n), make([]int, n)
	l.peerStart, l.peerEnd = make([]int, n), make([]int, n)
	for i := 0; i < n; i++ {
		newPart := i == 0 || pids[l.perm[i]] != pids[l.perm[i-1]]
		switch {
		case newPart:
			l.parts++
			l.partStart[i], l.peerStart[i] = i, i
		case cmpRows(int(l.perm[i-1]), int(l.perm[i])) != 0:
			l.partStart[i], l.peerStart[i] = l.partStart[i-1], i
		default:
			l.partStart[i], l.peerStart[i] = l.partStart[i-1], l.peerStart[i-1]
		}
	}
	for i := n - 1; i >= 0; i-- {
		if i == n-1 || l.partStart[i+1] != l.partStart[i] {
			l.partEnd[i] = i + 1
		} else {
			l.partEnd[i] = l.partEnd[i+1]
		}
		if i == n-1 || l.peerStart[i+1] != l.peerStart[i] {
			l.peerEnd[i] = i + 1
		} else {
			l.peerEnd[i] = l.peerEnd[i+1]
		}
	}
}

// frame returns the frame [start, end) of sorted position i.
func (l *winLayout) frame(i int, wf *expr.WindowFunction) (int, int) {
	ps, pe := l.partStart[i], l.partEnd[i]
	rows := wf.BoundsType == types.BoundsTypeRows || (wf.BoundsType != types.BoundsTypeRange && len(wf.Sorts) == 0)
	lower, upper := wf.LowerBound, wf.UpperBound
	if upper == nil && len(wf.Sorts) == 0 {
		upper = expr.Unbounded{}
	}
	s, e := ps, pe
	switch b := lower.(type) {
	case expr.PrecedingBound:
		s = i - int(b)
	case expr.FollowingBound:
		s = i + int(b)
	case expr.CurrentRow:
		s = i
		if !rows {
			s = l.peerStart[i]
		}
	}
	switch b := upper.(type) {
	case expr.PrecedingBound:
		e = i - int(b) + 1
	case expr.FollowingBound:
		e = i + int(b) + 1
	case expr.Unbounded:
		e = pe
	default: // CURRENT ROW, the default with ORDER BY
		e = i + 1
		if !rows {
			e = l.peerEnd[i]
		}
	}
	s, e = max(s, ps), min(e, pe)
	if e < s {
		e = s
	}
	return s, e
}

func (s *windowStream) windowFunc(ctx context.Context, all arrow.RecordBatch, wf *expr.WindowFunction) (arrow.Array, error) {
	if wf.Invocation() == types.AggInvocationDistinct {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "DISTINCT window function %s is not supported", wf.Name())
	}
	if err := standardStatWindow(wf); err != nil {
		return nil, err
	}
	if !rangeBoundsOK(wf) {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "RANGE frames with an offset are not supported")
	}
	out, err := arrowType(wf.GetType())
	if err != nil {
		return nil, err
	}
	l, err := s.layout(ctx, all, wf)
	if err != nil {
		return nil, err
	}
	var args []arrow.Array
	for i := 0; i < wf.NArgs(); i++ {
		e, ok := wf.Arg(i).(expr.Expression)
		if !ok {
			continue
		}
		ev, err := s.r.compile(e, all.Schema())
		if err != nil {
			releaseAll(args)
			return nil, err
		}
		a, err := ev.Eval(ctx, s.mem, all)
		if err != nil {
			releaseAll(args)
			return nil, err
		}
		args = append(args, a)
	}
	defer releaseAll(args)
	var res arrow.Array
	switch wf.Name() {
	case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile":
		res, err = s.ranking(wf.Name(), l, args)
	case "lag", "lead", "first_value", "last_value", "nth_value":
		res, err = s.navigate(ctx, wf, l, args)
	default:
		res, err = s.frameAgg(ctx, wf, l, args, out)
	}
	if err != nil {
		return nil, err
	}
	if arrow.TypeEqual(res.DataType(), out) {
		return res, nil
	}
	defer res.Release()
	return compute.CastArray(withAlloc(ctx, s.mem), res, compute.SafeCastOptions(out))
}

// standardStatWindow accepts Substrait's std_dev and variance as window
// functions only for the SAMPLE distribution, the one the frame
// aggregate computes for those names.
func standardStatWindow(wf *expr.WindowFunction) error {
	if wf.Name() != "std_dev" && wf.Name() != "variance" {
		return nil
	}
	var args []types.FuncArg
	for i := 0; i < wf.NArgs(); i++ {
		args = append(args, wf.Arg(i))
	}
	name, err := standardStat(wf.Name(), args, wf.GetOptions())
	if err == nil && (name == "stddev_pop" || name == "var_pop") {
		err = sqlerr.New(sqlerr.FeatureNotSupported, "window function %s with distribution POPULATION is not supported", wf.Name())
	}
	return err
}

func rangeBoundsOK(wf *expr.WindowFunction) bool {
	if wf.BoundsType != types.BoundsTypeRange {
		return true
	}
	for _, b := range []expr.Bound{wf.LowerBound, wf.UpperBound} {
		switch b.(type) {
		case expr.PrecedingBound, expr.FollowingBound:
			return false
		}
	}
	return true
}

var _ = array.NewInt64Builder
