package optimize

import (
	"math"
	"math/big"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/medleysql/medley/sql/plan"
)

// Constant evaluation for folding. Every function returns ok=false when it
// cannot evaluate at compile time exactly as the executor would (overflow,
// division by zero, unknown types): the expression is then left alone and
// fails, or not, at run time.

func lit(e plan.Expr) (*plan.Literal, bool) {
	l, ok := e.(*plan.Literal)
	return l, ok
}

func isNull(e plan.Expr) bool {
	l, ok := lit(e)
	return ok && l.Value == nil
}

func boolLit(v bool) *plan.Literal { return &plan.Literal{Value: v, Typ: plan.Bool} }

// toRat converts a numeric literal to an exact rational.
func toRat(l *plan.Literal) (*big.Rat, bool) {
	switch v := l.Value.(type) {
	case int64:
		return new(big.Rat).SetInt64(v), true
	case decimal128.Num:
		d := l.Typ.(*arrow.Decimal128Type)
		den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil)
		return new(big.Rat).SetFrac(v.BigInt(), den), true
	}
	return nil, false
}

// fromRat converts a rational to a literal of integer or decimal type t,
// rounding half away from zero.
func fromRat(r *big.Rat, t arrow.DataType) (*plan.Literal, bool) {
	switch t.ID() {
	case arrow.INT16, arrow.INT32, arrow.INT64:
		if !r.IsInt() || !r.Num().IsInt64() {
			return nil, false
		}
		v := r.Num().Int64()
		lim := map[arrow.Type]int64{arrow.INT16: math.MaxInt16, arrow.INT32: math.MaxInt32, arrow.INT64: math.MaxInt64}[t.ID()]
		if v > lim || v < -lim-1 {
			return nil, false
		}
		return &plan.Literal{Value: v, Typ: t}, true
	case arrow.DECIMAL128:
		d := t.(*arrow.Decimal128Type)
		scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil)))
		n := roundHalfAway(scaled)
		num := decimal128.FromBigInt(n)
		if n.BitLen() > 126 || !num.FitsInPrecision(d.Precision) {
			return nil, false
		}
		return &plan.Literal{Value: num, Typ: t}, true
	}
	return nil, false
}

func roundHalfAway(r *big.Rat) *big.Int {
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(r.Denom()) >= 0 {
		if r.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

func toFloat(l *plan.Literal) (float64, bool) {
	switch v := l.Value.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case decimal128.Num:
		return v.ToFloat64(l.Typ.(*arrow.Decimal128Type).Scale), true
	}
	return 0, false
}

// arith evaluates + - * / % on numeric literals of the call's type.
func arith(fn string, a, b *plan.Literal, t arrow.DataType) (*plan.Literal, bool) {
	if t.ID() == arrow.FLOAT64 || t.ID() == arrow.FLOAT32 {
		x, ok1 := toFloat(a)
		y, ok2 := toFloat(b)
		if !ok1 || !ok2 {
			return nil, false
		}
		var r float64
		switch fn {
		case "add":
			r = x + y
		case "subtract":
			r = x - y
		case "multiply":
			r = x * y
		case "divide":
			if y == 0 {
				return nil, false
			}
			r = x / y
		default:
			return nil, false
		}
		return &plan.Literal{Value: r, Typ: t}, true
	}
	x, ok1 := toRat(a)
	y, ok2 := toRat(b)
	if !ok1 || !ok2 {
		return nil, false
	}
	r := new(big.Rat)
	switch fn {
	case "add":
		r.Add(x, y)
	case "subtract":
		r.Sub(x, y)
	case "multiply":
		r.Mul(x, y)
	case "divide":
		if y.Sign() == 0 {
			return nil, false
		}
		r.Quo(x, y)
		if t.ID() != arrow.DECIMAL128 { // integer division truncates
			r.SetInt(new(big.Int).Quo(r.Num(), r.Denom()))
		}
	default:
		return nil, false
	}
	return fromRat(r, t)
}

// compare orders two literals of the same type: -1, 0, 1.
func compare(a, b *plan.Literal) (int, bool) {
	if x, ok := toRat(a); ok {
		if y, ok := toRat(b); ok {
			return x.Cmp(y), true
		}
	}
	switch x := a.Value.(type) {
	case float64:
		if y, ok := b.Value.(float64); ok {
			return cmpOrdered(x, y), true
		}
	case string:
		if y, ok := b.Value.(string); ok {
			return cmpOrdered(x, y), true
		}
	case bool:
		if y, ok := b.Value.(bool); ok {
			return cmpOrdered(b2i(x), b2i(y)), true
		}
	case arrow.Date32:
		if y, ok := b.Value.(arrow.Date32); ok {
			return cmpOrdered(x, y), true
		}
	case arrow.Timestamp:
		if y, ok := b.Value.(arrow.Timestamp); ok {
			return cmpOrdered(x, y), true
		}
	}
	return 0, false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cmpOrdered[T int | int32 | int64 | float64 | string | arrow.Date32 | arrow.Timestamp](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var compareResults = map[string]func(int) bool{
	"equal": func(c int) bool { return c == 0 }, "not_equal": func(c int) bool { return c != 0 },
	"lt": func(c int) bool { return c < 0 }, "lte": func(c int) bool { return c <= 0 },
	"gt": func(c int) bool { return c > 0 }, "gte": func(c int) bool { return c >= 0 },
}

// dateArith evaluates date ± interval and timestamp ± interval.
func dateArith(fn string, a, b *plan.Literal, t arrow.DataType) (*plan.Literal, bool) {
	iv, ok := b.Value.(arrow.MonthDayNanoInterval)
	if !ok || t.ID() != arrow.TIMESTAMP {
		return nil, false
	}
	var base time.Time
	switch v := a.Value.(type) {
	case arrow.Date32:
		base = v.ToTime()
	case arrow.Timestamp:
		base = time.UnixMicro(int64(v)).UTC()
	default:
		return nil, false
	}
	sign := 1
	if fn == "subtract" {
		sign = -1
	} else if fn != "add" {
		return nil, false
	}
	m := base.AddDate(0, sign*int(iv.Months), 0)
	if m.Day() != base.Day() {
		return nil, false // PostgreSQL clamps to the month's end; leave it to run time
	}
	r := m.AddDate(0, 0, sign*int(iv.Days)).Add(time.Duration(int64(sign) * iv.Nanoseconds))
	return &plan.Literal{Value: arrow.Timestamp(r.UnixMicro()), Typ: t}, true
}
