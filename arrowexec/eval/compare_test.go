package eval

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/sql/sqlerr"
)

func TestCompare(t *testing.T) {
	cmp := func(name string, a, b func(t testing.TB) expr.Expression) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression { return fn(t, name, bl, a(t), b(t)) }
	}
	c0 := func(dt any) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression { return col(t, 0, dtOf(dt)) }
	}
	c1 := func(dt any) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression { return col(t, 1, dtOf(dt)) }
	}
	l := func(v any) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression { return lit(t, v) }
	}
	ints := []column{c(i64, 1, 2, 3, nil, 5, 6, 7, 8, 9, 10), c(i64, 3, 2, 1, 1, nil, 6, 8, 7, 9, 0)}
	cases := []exprCase{
		{name: "eq", cols: ints, e: cmp("equal", c0(i64), c1(i64)), want: "false|true|false|NULL|NULL|true|false|false|true|false"},
		{name: "lt", cols: ints, e: cmp("lt", c0(i64), c1(i64)), want: "true|false|false|NULL|NULL|false|true|false|false|false"},
		{name: "gte literal", cols: ints, e: cmp("gte", c0(i64), l(5)), want: "false|false|false|NULL|true|true|true|true|true|true"},
		{name: "literal left flips", cols: ints, e: cmp("lt", l(5), c0(i64)), want: "false|false|false|NULL|false|true|true|true|true|true"},
		{name: "ne", cols: ints, e: cmp("not_equal", c0(i64), l(2)), want: "true|false|true|NULL|true|true|true|true|true|true"},
		{name: "mixed int widths", cols: []column{c(i32, 1, 2)}, e: cmp("equal", c0(i32), l(2)), want: "false|true"},
		{name: "decimal vs int", cols: []column{c(dec(10, 2), "1.00", "1.50")}, e: cmp("gt", c0(dec(10, 2)), l(1)), want: "false|true"},
		{name: "decimal scales", cols: []column{c(dec(10, 2), "0.05", "0.07")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "lte", bl, col(t, 0, dec(10, 2)), decLit(t, "0.060", 4, 3))
		}, want: "true|false"},
		{name: "strings bytewise", cols: []column{c(str, "a", "B", "é", "", nil), c(str, "b", "a", "z", "", "x")},
			e: cmp("lt", c0(str), c1(str)), want: "true|true|false|false|NULL"},
		{name: "string literal", cols: []column{c(str, "BUILDING", "AUTO")}, e: cmp("equal", c0(str), l("BUILDING")), want: "true|false"},
		{name: "dates", cols: []column{c(dt32, "1998-12-01", "1998-09-02")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "lte", bl, col(t, 0, dt32), dateLit(t, "1998-09-02"))
		}, want: "false|true"},
		{name: "bools", cols: []column{c(bl, true, false)}, e: cmp("equal", c0(bl), l(true)), want: "true|false"},
		{name: "floats", cols: []column{c(f64, 1.5, -2)}, e: cmp("gt", c0(f64), l(0)), want: "true|false"},
		{name: "no operator", cols: []column{c(str, "a")}, e: cmp("equal", c0(str), l(1)), code: sqlerr.UndefinedFunction},
		{name: "is_null", cols: ints, e: func(t testing.TB) expr.Expression { return fn(t, "is_null", bl, col(t, 0, i64)) },
			want: "false|false|false|true|false|false|false|false|false|false"},
		{name: "is_not_null", cols: []column{c(i64, 1, nil)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "is_not_null", bl, col(t, 0, i64))
		}, want: "true|false"},
		{name: "is_distinct_from", cols: []column{c(i64, 1, nil, nil, 2), c(i64, 1, nil, 3, 3)},
			e: cmp("is_distinct_from", c0(i64), c1(i64)), want: "false|false|true|true"},
		{name: "is_not_distinct_from", cols: []column{c(i64, 1, nil, nil, 2), c(i64, 1, nil, 3, 3)},
			e: cmp("is_not_distinct_from", c0(i64), c1(i64)), want: "true|true|false|false"},
		{name: "between", cols: []column{c(i64, 1, 5, 10, nil)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "between", bl, col(t, 0, i64), lit(t, 5), lit(t, 10))
		}, want: "false|true|true|NULL"},
	}
	runCases(t, cases)
}

func TestBoolean(t *testing.T) {
	// all nine combinations of true, false, NULL
	cols := []column{
		c(bl, true, true, true, false, false, false, nil, nil, nil),
		c(bl, true, false, nil, true, false, nil, true, false, nil),
	}
	two := func(name string) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression { return fn(t, name, bl, col(t, 0, bl), col(t, 1, bl)) }
	}
	cases := []exprCase{
		{name: "and", cols: cols, e: two("and"), want: "true|false|NULL|false|false|false|NULL|false|NULL"},
		{name: "or", cols: cols, e: two("or"), want: "true|true|true|true|false|NULL|true|NULL|NULL"},
		{name: "xor", cols: cols, e: two("xor"), want: "false|true|NULL|true|false|NULL|NULL|NULL|NULL"},
		{name: "not", cols: cols, e: func(t testing.TB) expr.Expression { return fn(t, "not", bl, col(t, 0, bl)) },
			want: "false|false|false|true|true|true|NULL|NULL|NULL"},
		{name: "and literal", cols: cols, e: func(t testing.TB) expr.Expression {
			return fn(t, "and", bl, col(t, 0, bl), lit(t, false))
		}, want: "false|false|false|false|false|false|false|false|false"},
		{name: "or three", cols: cols, e: func(t testing.TB) expr.Expression {
			return fn(t, "or", bl, col(t, 0, bl), col(t, 1, bl), nullLit(t, bl))
		}, want: "true|true|true|true|NULL|NULL|true|NULL|NULL"},
		{name: "not a boolean", cols: []column{c(i64, 1)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "and", bl, col(t, 0, i64), lit(t, true))
		}, code: sqlerr.DatatypeMismatch},
	}
	runCases(t, cases)
}

func TestFilterBatch(t *testing.T) {
	cases := []struct {
		name string
		vals []any
		want string
	}{
		{"some", []any{1, 5, 2, 7, nil, 9}, "5|7|9"},
		{"all", []any{5, 6}, "5|6"},
		{"none", []any{1, nil}, ""},
		{"contiguous", []any{1, 5, 6, 2}, "5|6"},
		{"empty", []any{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			b := batch(t, mem, c(i64, tc.vals...), c(str, strsFor(tc.vals)...))
			defer b.Release()
			pred, err := Compile(fn(t, "gt", bl, col(t, 0, i64), lit(t, 4)), b.Schema(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			out, err := FilterBatch(context.Background(), mem, b, pred)
			if err != nil {
				t.Fatal(err)
			}
			defer out.Release()
			if got := joinRows(show(t, out.Column(0))); got != tc.want {
				t.Fatalf("got %s want %s", got, tc.want)
			}
			if got := joinRows(show(t, out.Column(1))); got != tc.want {
				t.Fatalf("strings: got %s want %s", got, tc.want)
			}
		})
	}
}

func TestScalarAndParams(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	e := fn(t, "multiply", i64, lit(t, 6), lit(t, 7))
	x, err := Compile(e, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Scalar(context.Background(), mem, x)
	if err != nil || sc.String() != "42" {
		t.Fatalf("got %v, %v", sc, err)
	}
	// a division by zero between constants is deferred to evaluation
	x, err = Compile(fn(t, "divide", i64, lit(t, 1), lit(t, 0)), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Scalar(context.Background(), mem, x); sqlerr.CodeOf(err) != sqlerr.DivisionByZero {
		t.Fatalf("got %v", err)
	}
	// cancellation
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := batch(t, mem, c(i64, 1))
	defer b.Release()
	x, err = Compile(fn(t, "add", i64, col(t, 0, i64), lit(t, 1)), b.Schema(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Eval(ctx, mem, b); sqlerr.CodeOf(err) != sqlerr.QueryCanceled {
		t.Fatalf("got %v", err)
	}
}
