package conntest

import (
	"github.com/substrait-io/substrait-go/v8/expr"
)

// tri is SQL's three-valued logic in the oracle: nil is NULL.
type tri = *bool

func tv(b bool) tri { return &b }

func cmp3[T int32 | int64 | float64 | string](v *T, lit T, f func(a, b T) bool) tri {
	if v == nil {
		return nil
	}
	return tv(f(*v, lit))
}

func and3(a, b tri) tri {
	if (a != nil && !*a) || (b != nil && !*b) {
		return tv(false)
	}
	if a == nil || b == nil {
		return nil
	}
	return tv(true)
}

func or3(a, b tri) tri {
	if (a != nil && *a) || (b != nil && *b) {
		return tv(true)
	}
	if a == nil || b == nil {
		return nil
	}
	return tv(false)
}

func not3(a tri) tri {
	if a == nil {
		return nil
	}
	return tv(!*a)
}

func eq[T comparable](a, b T) bool                       { return a == b }
func ne[T comparable](a, b T) bool                       { return a != b }
func lt[T int32 | int64 | float64 | string](a, b T) bool { return a < b }
func le[T int32 | int64 | float64 | string](a, b T) bool { return a <= b }
func gt[T int32 | int64 | float64 | string](a, b T) bool { return a > b }
func ge[T int32 | int64 | float64 | string](a, b T) bool { return a >= b }

// FilterCase is one filter of the conformance suite with its oracle.
type FilterCase struct {
	Name  string
	Build func(b *Builder) expr.Expression
	Want  func(r Row) tri // the row is kept when Want is true
}

func boolOf(v *bool) *int64 {
	if v == nil {
		return nil
	}
	var i int64
	if *v {
		i = 1
	}
	return &i
}

// FilterCases are the filters every connector is offered, one kind each,
// over columns with NULLs.
func FilterCases() []FilterCase {
	d0 := BaseDate + 100
	return []FilterCase{
		{"id=42", func(b *Builder) expr.Expression { return b.Call("equal", b.Col(ColID), b.Int64(42)) },
			func(r Row) tri { return cmp3(&r.ID, 42, eq) }},
		{"10<id (literal first)", func(b *Builder) expr.Expression { return b.Call("lt", b.Int64(10), b.Col(ColID)) },
			func(r Row) tri { return cmp3(&r.ID, 10, gt) }},
		{"i32=2", func(b *Builder) expr.Expression { return b.Call("equal", b.Col(ColI32), b.Int32(2)) },
			func(r Row) tri { return cmp3(r.I32, 2, eq) }},
		{"i32<>0", func(b *Builder) expr.Expression { return b.Call("not_equal", b.Col(ColI32), b.Int32(0)) },
			func(r Row) tri { return cmp3(r.I32, 0, ne) }},
		{"i32<0", func(b *Builder) expr.Expression { return b.Call("lt", b.Col(ColI32), b.Int32(0)) },
			func(r Row) tri { return cmp3(r.I32, 0, lt) }},
		{"i32<=-1", func(b *Builder) expr.Expression { return b.Call("lte", b.Col(ColI32), b.Int32(-1)) },
			func(r Row) tri { return cmp3(r.I32, -1, le) }},
		{"i32>1", func(b *Builder) expr.Expression { return b.Call("gt", b.Col(ColI32), b.Int32(1)) },
			func(r Row) tri { return cmp3(r.I32, 1, gt) }},
		{"i32>=3", func(b *Builder) expr.Expression { return b.Call("gte", b.Col(ColI32), b.Int32(3)) },
			func(r Row) tri { return cmp3(r.I32, 3, ge) }},
		{"f64<10.25", func(b *Builder) expr.Expression { return b.Call("lt", b.Col(ColF64), b.Float64(10.25)) },
			func(r Row) tri { return cmp3(r.F64, 10.25, lt) }},
		{"f64>=100", func(b *Builder) expr.Expression { return b.Call("gte", b.Col(ColF64), b.Float64(100)) },
			func(r Row) tri { return cmp3(r.F64, 100, ge) }},
		{"s='s05'", func(b *Builder) expr.Expression { return b.Call("equal", b.Col(ColS), b.String("s05")) },
			func(r Row) tri { return cmp3(r.S, "s05", eq) }},
		{"s=''", func(b *Builder) expr.Expression { return b.Call("equal", b.Col(ColS), b.String("")) },
			func(r Row) tri { return cmp3(r.S, "", eq) }},
		{"s>'s30'", func(b *Builder) expr.Expression { return b.Call("gt", b.Col(ColS), b.String("s30")) },
			func(r Row) tri { return cmp3(r.S, "s30", gt) }},
		{"s<>'s01'", func(b *Builder) expr.Expression { return b.Call("not_equal", b.Col(ColS), b.String("s01")) },
			func(r Row) tri { return cmp3(r.S, "s01", ne) }},
		{"d between", func(b *Builder) expr.Expression {
			return b.Call("and", b.Expr(b.Call("gte", b.Col(ColD), b.Date(d0))), b.Expr(b.Call("lte", b.Col(ColD), b.Date(d0+300))))
		}, func(r Row) tri { return and3(cmp3(r.D, d0, ge), cmp3(r.D, d0+300, le)) }},
		{"d<date", func(b *Builder) expr.Expression { return b.Call("lt", b.Col(ColD), b.Date(BaseDate)) },
			func(r Row) tri { return cmp3(r.D, BaseDate, lt) }},
		{"dec>50.00", func(b *Builder) expr.Expression { return b.Call("gt", b.Col(ColDec), b.Decimal(5000)) },
			func(r Row) tri { return cmp3(r.Dec, 5000, gt) }},
		{"dec=12.50", func(b *Builder) expr.Expression { return b.Call("equal", b.Col(ColDec), b.Decimal(1250)) },
			func(r Row) tri { return cmp3(r.Dec, 1250, eq) }},
		{"b=true", func(b *Builder) expr.Expression { return b.Call("equal", b.Col(ColB), b.Bool(true)) },
			func(r Row) tri { return cmp3(boolOf(r.B), 1, eq) }},
		{"b<>true", func(b *Builder) expr.Expression { return b.Call("not_equal", b.Col(ColB), b.Bool(true)) },
			func(r Row) tri { return cmp3(boolOf(r.B), 1, ne) }},
		{"s is null", func(b *Builder) expr.Expression { return b.Call("is_null", b.Col(ColS)) },
			func(r Row) tri { return tv(r.S == nil) }},
		{"dec is not null", func(b *Builder) expr.Expression { return b.Call("is_not_null", b.Col(ColDec)) },
			func(r Row) tri { return tv(r.Dec != nil) }},
		{"i32>0 and b", func(b *Builder) expr.Expression {
			return b.Call("and", b.Expr(b.Call("gt", b.Col(ColI32), b.Int32(0))), b.Expr(b.Call("equal", b.Col(ColB), b.Bool(true))))
		}, func(r Row) tri { return and3(cmp3(r.I32, 0, gt), cmp3(boolOf(r.B), 1, eq)) }},
		{"i32=1 or s is null", func(b *Builder) expr.Expression {
			return b.Call("or", b.Expr(b.Call("equal", b.Col(ColI32), b.Int32(1))), b.Expr(b.Call("is_null", b.Col(ColS))))
		}, func(r Row) tri { return or3(cmp3(r.I32, 1, eq), tv(r.S == nil)) }},
		{"not i32=2", func(b *Builder) expr.Expression {
			return b.Call("not", b.Expr(b.Call("equal", b.Col(ColI32), b.Int32(2))))
		}, func(r Row) tri { return not3(cmp3(r.I32, 2, eq)) }},
		{"i32 in (1,2)", func(b *Builder) expr.Expression { return b.In(ColI32, b.Int32(1), b.Int32(2)) },
			func(r Row) tri { return or3(cmp3(r.I32, 1, eq), cmp3(r.I32, 2, eq)) }},
		{"not i32 in (1,NULL)", func(b *Builder) expr.Expression {
			return b.Call("not", b.Expr(b.In(ColI32, b.Int32(1), b.NullInt32())))
		}, func(r Row) tri { return not3(or3(cmp3(r.I32, 1, eq), nil)) }},
		{"s in ('s01','s02')", func(b *Builder) expr.Expression { return b.In(ColS, b.String("s01"), b.String("s02")) },
			func(r Row) tri { return or3(cmp3(r.S, "s01", eq), cmp3(r.S, "s02", eq)) }},
		{"i32=NULL", func(b *Builder) expr.Expression { return b.Call("equal", b.Col(ColI32), b.NullInt32()) },
			func(r Row) tri { return nil }},
		{"id+1=5 (computed)", func(b *Builder) expr.Expression {
			return b.Call("equal", b.Expr(b.Call("add", b.Col(ColID), b.Int64(1))), b.Int64(5))
		}, func(r Row) tri { return tv(r.ID+1 == 5) }},
	}
}
