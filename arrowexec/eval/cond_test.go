package eval

import (
	"testing"

	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/sql/sqlerr"
)

func ifThen(t testing.TB, els expr.Expression, pairs ...expr.Expression) expr.Expression {
	t.Helper()
	first := expr.IfThenPair{If: pairs[0], Then: pairs[1]}
	var rest []expr.IfThenPair
	for i := 2; i < len(pairs); i += 2 {
		rest = append(rest, expr.IfThenPair{If: pairs[i], Then: pairs[i+1]})
	}
	e, err := expr.NewIfThen(first, els, rest...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func inList(t testing.TB, v expr.Expression, opts ...expr.Expression) expr.Expression {
	return &expr.SingularOrList{Value: v, Options: opts}
}

func TestCase(t *testing.T) {
	x := c(i64, 0, 1, 2, nil, 5)
	cases := []exprCase{
		{name: "searched", cols: []column{x}, e: func(t testing.TB) expr.Expression {
			return ifThen(t, lit(t, "other"),
				fn(t, "equal", bl, col(t, 0, i64), lit(t, 1)), lit(t, "one"),
				fn(t, "gt", bl, col(t, 0, i64), lit(t, 1)), lit(t, "many"))
		}, want: "other|one|many|other|many"},
		{name: "lazy division", cols: []column{x}, e: func(t testing.TB) expr.Expression {
			// CASE WHEN x = 0 THEN 0 ELSE 10 / x END
			return ifThen(t, fn(t, "divide", i64, lit(t, 10), col(t, 0, i64)),
				fn(t, "equal", bl, col(t, 0, i64), lit(t, 0)), lit(t, 0))
		}, want: "0|10|5|NULL|2"},
		{name: "division in untaken branch", cols: []column{c(i64, 1, 2)}, e: func(t testing.TB) expr.Expression {
			return ifThen(t, lit(t, 0),
				fn(t, "gt", bl, col(t, 0, i64), lit(t, 5)), fn(t, "divide", i64, col(t, 0, i64), lit(t, 0)))
		}, want: "0|0"},
		{name: "division in taken branch", cols: []column{c(i64, 1, 7)}, e: func(t testing.TB) expr.Expression {
			return ifThen(t, lit(t, 0),
				fn(t, "gt", bl, col(t, 0, i64), lit(t, 5)), fn(t, "divide", i64, col(t, 0, i64), lit(t, 0)))
		}, code: sqlerr.DivisionByZero},
		{name: "null else", cols: []column{x}, e: func(t testing.TB) expr.Expression {
			return ifThen(t, nullLit(t, i64), fn(t, "lt", bl, col(t, 0, i64), lit(t, 2)), col(t, 0, i64))
		}, want: "0|1|NULL|NULL|NULL"},
		{name: "tpch q14 shape", cols: []column{c(str, "PROMO BRUSHED", "STANDARD", nil), c(dec(15, 2), "10.00", "20.00", "30.00")},
			e: func(t testing.TB) expr.Expression {
				return ifThen(t, decLit(t, "0", 15, 2),
					fn(t, "like", bl, col(t, 0, str), lit(t, "PROMO%")),
					fn(t, "multiply", dec(15, 2), col(t, 1, dec(15, 2)), decLit(t, "1", 1, 0)))
			}, want: "10.00|0.00|0.00"},
		{name: "empty batch", cols: []column{c(i64)}, e: func(t testing.TB) expr.Expression {
			return ifThen(t, lit(t, 2), fn(t, "gt", bl, col(t, 0, i64), lit(t, 5)), lit(t, 1))
		}, want: ""},
	}
	runCases(t, cases)
}

func TestInList(t *testing.T) {
	x := c(i64, 1, 2, 3, nil)
	cases := []exprCase{
		{name: "constants", cols: []column{x}, e: func(t testing.TB) expr.Expression {
			return inList(t, col(t, 0, i64), lit(t, 1), lit(t, 3))
		}, want: "true|false|true|NULL"},
		{name: "null in list", cols: []column{x}, e: func(t testing.TB) expr.Expression {
			return inList(t, col(t, 0, i64), lit(t, 1), nullLit(t, i64))
		}, want: "true|NULL|NULL|NULL"},
		{name: "not in with null", cols: []column{x}, e: func(t testing.TB) expr.Expression {
			return fn(t, "not", bl, inList(t, col(t, 0, i64), lit(t, 1), nullLit(t, i64)))
		}, want: "false|NULL|NULL|NULL"},
		{name: "strings", cols: []column{c(str, "MAIL", "SHIP", "AIR")}, e: func(t testing.TB) expr.Expression {
			return inList(t, col(t, 0, str), lit(t, "MAIL"), lit(t, "SHIP"))
		}, want: "true|true|false"},
		{name: "column option", cols: []column{x, c(i64, 0, 2, nil, 1)}, e: func(t testing.TB) expr.Expression {
			return inList(t, col(t, 0, i64), col(t, 1, i64), lit(t, 3))
		}, want: "false|true|true|NULL"},
		{name: "int32 vs int64", cols: []column{c(i32, 1, 2)}, e: func(t testing.TB) expr.Expression {
			return inList(t, col(t, 0, i32), lit(t, 2))
		}, want: "false|true"},
	}
	runCases(t, cases)
}

func TestCoalesceNullIfGreatest(t *testing.T) {
	cols := []column{c(i64, 1, nil, nil), c(i64, 10, 20, nil)}
	cases := []exprCase{
		{name: "coalesce", cols: cols, e: func(t testing.TB) expr.Expression {
			return fn(t, "coalesce", i64, col(t, 0, i64), col(t, 1, i64), lit(t, 0))
		}, want: "1|20|0"},
		{name: "coalesce no nulls", cols: []column{c(str, "a")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "coalesce", str, col(t, 0, str), lit(t, "z"))
		}, want: "a"},
		{name: "nullif", cols: []column{c(i64, 1, 2, nil)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "nullif", i64, col(t, 0, i64), lit(t, 2))
		}, want: "1|NULL|NULL"},
		{name: "greatest", cols: cols, e: func(t testing.TB) expr.Expression {
			return fn(t, "greatest", i64, col(t, 0, i64), col(t, 1, i64), lit(t, 5))
		}, want: "10|20|5"},
		{name: "least", cols: cols, e: func(t testing.TB) expr.Expression {
			return fn(t, "least", i64, col(t, 0, i64), col(t, 1, i64))
		}, want: "1|20|NULL"},
	}
	runCases(t, cases)
}
