package pred

import (
	"cmp"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Tri is a three-valued logic result.
type Tri = byte

// The values of Tri.
const (
	False Tri = 0
	True  Tri = 1
	Null  Tri = 2
)

// Columns gives Eval the column arrays of a batch by table column index.
type Columns func(col int) arrow.Array

// Eval evaluates n on nrows rows, SQL three-valued. The result is
// owned by the caller.
func Eval(n *Node, cols Columns, nrows int) []Tri {
	out := make([]Tri, nrows)
	eval(n, cols, out)
	return out
}

func eval(n *Node, cols Columns, out []Tri) {
	switch n.Op {
	case And, Or:
		eval(n.Args[0], cols, out)
		tmp := make([]Tri, len(out))
		for _, a := range n.Args[1:] {
			eval(a, cols, tmp)
			if n.Op == And {
				for i := range out {
					out[i] = and3(out[i], tmp[i])
				}
			} else {
				for i := range out {
					out[i] = or3(out[i], tmp[i])
				}
			}
		}
	case Not:
		eval(n.Args[0], cols, out)
		for i, v := range out {
			if v != Null {
				out[i] = 1 - v
			}
		}
	case IsNull, IsNotNull:
		arr := cols(n.Col)
		for i := range out {
			out[i] = b2t(arr.IsNull(i) == (n.Op == IsNull))
		}
	case In:
		evalIn(n, cols(n.Col), out)
	default:
		compare(cols(n.Col), n.Op, n.Val, out)
	}
}

func and3(a, b Tri) Tri {
	if a == False || b == False {
		return False
	}
	if a == Null || b == Null {
		return Null
	}
	return True
}

func or3(a, b Tri) Tri {
	if a == True || b == True {
		return True
	}
	if a == Null || b == Null {
		return Null
	}
	return False
}

func b2t(b bool) Tri {
	if b {
		return True
	}
	return False
}

// test applies op to the result c of comparing a value with the literal.
func test(c int, op Op) bool {
	switch op {
	case Eq:
		return c == 0
	case Ne:
		return c != 0
	case Lt:
		return c < 0
	case Le:
		return c <= 0
	case Gt:
		return c > 0
	default:
		return c >= 0
	}
}

func evalIn(n *Node, arr arrow.Array, out []Tri) {
	hasNull := false
	for _, v := range n.List {
		if v == nil {
			hasNull = true
		}
	}
	for i := range out {
		out[i] = False
	}
	tmp := make([]Tri, len(out))
	for _, v := range n.List {
		if v == nil {
			continue
		}
		compare(arr, Eq, v, tmp)
		for i := range out {
			out[i] = or3(out[i], tmp[i])
		}
	}
	for i := range out {
		if out[i] == False && (hasNull || arr.IsNull(i)) {
			out[i] = Null
		}
	}
}

// CompareFloat orders floats as PostgreSQL does: NaN equals NaN and is
// greater than every other value.
func CompareFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32
}

func cmpInts[T integer](arr arrow.Array, vals []T, lit int64, op Op, out []Tri) {
	for i, x := range vals {
		if arr.IsNull(i) {
			out[i] = Null
			continue
		}
		out[i] = b2t(test(cmp.Compare(int64(x), lit), op))
	}
}

func cmpFloats[T float32 | float64](arr arrow.Array, vals []T, lit float64, op Op, out []Tri) {
	for i, x := range vals {
		if arr.IsNull(i) {
			out[i] = Null
			continue
		}
		out[i] = b2t(test(CompareFloat(float64(x), lit), op))
	}
}

func cmpValues(arr arrow.Array, op Op, out []Tri, cmpAt func(i int) int) {
	for i := range out {
		if arr.IsNull(i) {
			out[i] = Null
			continue
		}
		out[i] = b2t(test(cmpAt(i), op))
	}
}

// compare evaluates "column op literal" for every row.
func compare(arr arrow.Array, op Op, v Value, out []Tri) {
	if v == nil {
		for i := range out {
			out[i] = Null
		}
		return
	}
	switch a := arr.(type) {
	case *array.Int8:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Int16:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Int32:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Int64:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Uint8:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Uint16:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Uint32:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Date32:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Date64:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Timestamp:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Time32:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Time64:
		cmpInts(a, a.Values(), v.(int64), op, out)
	case *array.Float32:
		cmpFloats(a, a.Values(), v.(float64), op, out)
	case *array.Float64:
		cmpFloats(a, a.Values(), v.(float64), op, out)
	case *array.String:
		s := v.(string)
		cmpValues(a, op, out, func(i int) int { return cmp.Compare(a.Value(i), s) })
	case *array.LargeString:
		s := v.(string)
		cmpValues(a, op, out, func(i int) int { return cmp.Compare(a.Value(i), s) })
	case *array.Binary:
		s := v.(string)
		cmpValues(a, op, out, func(i int) int { return cmp.Compare(a.ValueString(i), s) })
	case *array.LargeBinary:
		s := v.(string)
		cmpValues(a, op, out, func(i int) int { return cmp.Compare(string(a.Value(i)), s) })
	case *array.Boolean:
		b := v.(bool)
		cmpValues(a, op, out, func(i int) int { return CompareBool(a.Value(i), b) })
	case *array.Decimal128:
		d := v.(decimal128.Num)
		cmpValues(a, op, out, func(i int) int { return a.Value(i).Cmp(d) })
	default:
		for i := range out {
			out[i] = Null // Parse rejects other types; never reached
		}
	}
}

// CompareBool orders false before true.
func CompareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// CompareValues compares two Values of the same column representation.
func CompareValues(a, b Value) int {
	switch x := a.(type) {
	case int64:
		return cmp.Compare(x, b.(int64))
	case float64:
		return CompareFloat(x, b.(float64))
	case string:
		return cmp.Compare(x, b.(string))
	case bool:
		return CompareBool(x, b.(bool))
	case decimal128.Num:
		return x.Cmp(b.(decimal128.Num))
	}
	return 0
}
