package arrowexec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/arrowexec/eval"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
)

// The SQLSTATEs of bad window function arguments (PostgreSQL's
// invalid_argument_for_ntile_function and _nth_value_function).
const (
	errNtileArgument    sqlerr.Code = "22014"
	errNthValueArgument sqlerr.Code = "22016"
)

// intArg is an integer argument of a window function by row (ntile's
// buckets, nth_value's position, lag's offset); a NULL-typed array is NULL
// throughout.
type intArg struct {
	a    arrow.Array
	vals []int64
}

func newIntArg(a arrow.Array) intArg {
	x := intArg{a: a}
	if a.DataType().ID() != arrow.NULL {
		x.vals = intValues(a, nil)
	}
	return x
}

// at returns the argument at row, ok false when it is NULL.
func (x intArg) at(row int64) (int64, bool) {
	if int(row) >= len(x.vals) || x.a.IsNull(int(row)) {
		return 0, false
	}
	return x.vals[row], true
}

// Where navTarget sends a row besides a sorted position.
const (
	navNull    = -1 // the result is NULL
	navDefault = -2 // outside the partition: lag's and lead's default
)

// navigate computes lag, lead, first_value, last_value and nth_value: the
// sorted position each row takes its value from (or the default, or NULL),
// then one Take of the argument in the original row order. The default
// is taken from the same row (it is evaluated at the current row).
func (s *windowStream) navigate(ctx context.Context, wf *expr.WindowFunction, l *winLayout, args []arrow.Array) (arrow.Array, error) {
	name := wf.Name()
	if len(args) == 0 || name == "nth_value" && len(args) != 2 {
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "%s has the wrong number of arguments", name)
	}
	var n *intArg
	if len(args) > 1 {
		a := newIntArg(args[1])
		n = &a
	}
	values, hasDefault := args[0], len(args) > 2 && (name == "lag" || name == "lead")
	if hasDefault { // gather from values ++ default
		both, err := array.Concatenate([]arrow.Array{args[0], args[2]}, s.mem)
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
		j, err := navTarget(name, l, wf, i, row, n)
		if err != nil {
			return nil, err
		}
		switch {
		case j >= 0:
			idx[row], valid[row] = int32(l.perm[j]), true
		case j == navDefault && hasDefault:
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

// navTarget is the sorted position that sorted position i takes its value
// from, navNull or navDefault. lag and lead move by their offset (1 if
// absent, negative the other way, NULL gives NULL) within the partition;
// first_value, last_value and nth_value (1-based, NULL gives NULL, <= 0 is
// error 22016) pick a row of i's frame, NULL when the frame is too short.
func navTarget(name string, l *winLayout, wf *expr.WindowFunction, i int, row int64, n *intArg) (int, error) {
	if name == "lag" || name == "lead" {
		off := int64(1)
		if n != nil {
			v, ok := n.at(row)
			if !ok {
				return navNull, nil
			}
			off = v
		}
		if name == "lag" {
			off = -off
		}
		if k := int64(i) + off; k >= int64(l.partStart[i]) && k < int64(l.partEnd[i]) {
			return int(k), nil
		}
		return navDefault, nil
	}
	fs, fe := l.frame(i, wf)
	switch name {
	case "first_value":
		if fe > fs {
			return fs, nil
		}
	case "last_value":
		if fe > fs {
			return fe - 1, nil
		}
	case "nth_value":
		k, ok := n.at(row)
		if !ok {
			return navNull, nil
		}
		if k <= 0 {
			return 0, sqlerr.New(errNthValueArgument, "argument of nth_value must be greater than zero")
		}
		if k <= int64(fe-fs) {
			return fs + int(k) - 1, nil
		}
	}
	return navNull, nil
}
