package eval

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// Date and time arithmetic, as PostgreSQL's operators (sql/types.Arithmetic
// lists them): the session time zone is UTC, so timestamp and timestamptz
// compute alike. Adding months clamps the day to the month's end
// (2020-01-31 + 1 month = 2020-02-29), then days, then the time part.

// civil returns year, month, day of days since 1970-01-01 (proleptic
// Gregorian; H. Hinnant's algorithm, no allocation).
func civil(days int64) (y, m, d int64) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// daysFromCivil is the inverse of civil.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// addMonths adds n months to a day number, clamping the day of month.
func addMonths(days, n int64) int64 {
	if n == 0 {
		return days
	}
	y, m, d := civil(days)
	t := y*12 + (m - 1) + n
	y, m = floorDiv(t, 12), t-floorDiv(t, 12)*12+1
	return daysFromCivil(y, m, min(d, daysIn(y, m)))
}

// addInterval adds an interval to microseconds since the epoch.
func addInterval(us int64, v arrow.MonthDayNanoInterval, sign int64) (int64, bool) {
	if v.Months != 0 {
		day := floorDiv(us, microsPerDay)
		us = addMonths(day, sign*int64(v.Months))*microsPerDay + (us - day*microsPerDay)
	}
	add := sign * (int64(v.Days)*microsPerDay + v.Nanoseconds/1000)
	r := us + add
	return r, (us^r)&(add^r) >= 0
}

func tsOverflow() error {
	return sqlerr.New(sqlerr.DatetimeFieldOverflow, "timestamp out of range")
}

// buildDatetimeArith handles + and - with a date, time, timestamp or
// interval operand.
func buildDatetimeArith(k *call, op arithOp) (Expr, error) {
	l, r := k.args[0], k.args[1]
	lt, rt := l.Type().ID(), r.Type().ID()
	if (op == opAdd) && (isInteger(l.Type()) || lt == arrow.INTERVAL_MONTH_DAY_NANO && rt != arrow.INTERVAL_MONTH_DAY_NANO ||
		lt == arrow.TIME64 && rt == arrow.DATE32) {
		l, r = r, l // put the date/time first: the operators are commutative
		lt, rt = rt, lt
	}
	noOp := sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %s %s",
		sqlTypeName(l.Type()), arithSymbols[op], sqlTypeName(r.Type()))
	var kern binKernel
	switch {
	case lt == arrow.DATE32 && isInteger(r.Type()) && op != opMul && op != opDiv:
		r = mustCast(r, arrow.PrimitiveTypes.Int64)
		kern = dateAddDays(op)
	case lt == arrow.DATE32 && rt == arrow.DATE32 && op == opSub:
		kern = dateDiff
	case lt == arrow.DATE32 && rt == arrow.TIME64 && op == opAdd:
		kern = dateAddTime
	case (lt == arrow.DATE32 || lt == arrow.TIMESTAMP) && rt == arrow.INTERVAL_MONTH_DAY_NANO && (op == opAdd || op == opSub):
		if k.out.ID() != arrow.TIMESTAMP {
			// a client asked for date ± interval → date: compute the timestamp, then truncate
			ts := *k
			ts.out = tsOf(l, r)
			x, err := buildDatetimeArith(&ts, op)
			if err != nil {
				return nil, err
			}
			return newCast(x, k.out)
		}
		l = mustCast(l, k.out)
		kern = tsAddInterval(op)
	case (lt == arrow.DATE32 || lt == arrow.TIMESTAMP) && (rt == arrow.DATE32 || rt == arrow.TIMESTAMP) && op == opSub:
		l, r = mustCast(l, tsOf(l, r)), mustCast(r, tsOf(l, r))
		kern = tsDiff
	case lt == arrow.TIME64 && rt == arrow.INTERVAL_MONTH_DAY_NANO && (op == opAdd || op == opSub):
		kern = timeAddInterval(op)
	case lt == arrow.TIME64 && rt == arrow.TIME64 && op == opSub:
		kern = tsDiff
	case lt == arrow.INTERVAL_MONTH_DAY_NANO && rt == arrow.INTERVAL_MONTH_DAY_NANO && (op == opAdd || op == opSub):
		kern = intervalAdd(op)
	case lt == arrow.INTERVAL_MONTH_DAY_NANO && isNumeric(r.Type()) && (op == opMul || op == opDiv):
		r = mustCast(r, arrow.PrimitiveTypes.Float64)
		kern = intervalScale(op)
	case isNumeric(l.Type()) && rt == arrow.INTERVAL_MONTH_DAY_NANO && op == opMul:
		l, r = r, mustCast(l, arrow.PrimitiveTypes.Float64)
		kern = intervalScale(op)
	default:
		return nil, noOp
	}
	if l == nil || r == nil {
		return nil, noOp
	}
	return &arithNode{l: fold(l, l), r: fold(r, r), out: k.out, kernel: kern}, nil
}

func tsOf(a, b Expr) arrow.DataType {
	for _, x := range []Expr{a, b} {
		if x.Type().ID() == arrow.TIMESTAMP {
			return x.Type()
		}
	}
	return tsMicro
}

var tsMicro = &arrow.TimestampType{Unit: arrow.Microsecond}

func mustCast(x Expr, to arrow.DataType) Expr {
	y, err := newCast(x, to)
	if err != nil {
		return nil
	}
	return y
}

// tsMicros reads timestamp, date or time values as microseconds.
func tsMicros(a arrow.Array, bk *constNode, i int) int64 {
	var dt arrow.DataType
	if bk != nil {
		dt = bk.dt
	} else {
		dt = a.DataType()
	}
	switch dt := dt.(type) {
	case *arrow.Date32Type:
		if bk != nil {
			return int64(constValue[int32](bk)) * microsPerDay
		}
		return int64(arrow.GetValues[int32](a.Data(), 1)[i]) * microsPerDay
	case *arrow.TimestampType:
		if bk != nil {
			return toMicros(constValue[int64](bk), dt.Unit)
		}
		return toMicros(arrow.GetValues[int64](a.Data(), 1)[i], dt.Unit)
	case *arrow.Time64Type:
		if bk != nil {
			return toMicros(constValue[int64](bk), dt.Unit)
		}
		return toMicros(arrow.GetValues[int64](a.Data(), 1)[i], dt.Unit)
	}
	return 0
}

func dateAddDays(op arithOp) binKernel {
	return func(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
		as := arrow.GetValues[int32](a.Data(), 1)
		ds, dv := []int64(nil), int64(0)
		if bk != nil {
			dv = constValue[int64](bk)
		} else {
			ds = arrow.GetValues[int64](b.Data(), 1)
		}
		return mapRows[int32](mem, a, b, out, func(i int) (int32, bool) {
			d := pick(ds, dv, i)
			if op == opSub {
				d = -d
			}
			r := int64(as[i]) + d
			return int32(r), r >= math.MinInt32 && r <= math.MaxInt32
		}, func() error { return sqlerr.New(sqlerr.DatetimeFieldOverflow, "date out of range") })
	}
}

func dateDiff(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
	as, bs, bv := operands[int32](a, b, bk)
	r, err := mapRows[int32](mem, a, b, arrow.PrimitiveTypes.Int32, func(i int) (int32, bool) {
		return as[i] - pick(bs, bv, i), true
	}, nil)
	if err != nil || isInteger(out) && out.ID() == arrow.INT32 {
		return r, err
	}
	defer r.Release()
	return castNumeric(r.DataType(), out)(mem, r, out)
}

func dateAddTime(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
	unit := out.(*arrow.TimestampType).Unit
	return mapRows[int64](mem, a, b, out, func(i int) (int64, bool) {
		return fromMicros(tsMicros(a, nil, i)+tsMicros(b, bk, i), unit), true
	}, nil)
}

func tsAddInterval(op arithOp) binKernel {
	sign := int64(1)
	if op == opSub {
		sign = -1
	}
	return func(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
		unit := out.(*arrow.TimestampType).Unit
		var bs []arrow.MonthDayNanoInterval
		var iv arrow.MonthDayNanoInterval
		if bk == nil {
			bs = arrow.GetValues[arrow.MonthDayNanoInterval](b.Data(), 1)
		} else {
			iv = constValue[arrow.MonthDayNanoInterval](bk)
		}
		return mapRows[int64](mem, a, b, out, func(i int) (int64, bool) {
			us, ok := addInterval(tsMicros(a, nil, i), pick(bs, iv, i), sign)
			return fromMicros(us, unit), ok
		}, tsOverflow)
	}
}

func timeAddInterval(op arithOp) binKernel {
	sign := int64(1)
	if op == opSub {
		sign = -1
	}
	return func(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
		unit := out.(*arrow.Time64Type).Unit
		var bs []arrow.MonthDayNanoInterval
		var iv arrow.MonthDayNanoInterval
		if bk == nil {
			bs = arrow.GetValues[arrow.MonthDayNanoInterval](b.Data(), 1)
		} else {
			iv = constValue[arrow.MonthDayNanoInterval](bk)
		}
		return mapRows[int64](mem, a, b, out, func(i int) (int64, bool) {
			us := tsMicros(a, nil, i) + sign*(pick(bs, iv, i).Nanoseconds/1000)
			us -= floorDiv(us, microsPerDay) * microsPerDay
			return fromMicros(us, unit), true
		}, nil)
	}
}

// tsDiff is timestamp - timestamp (and time - time): an interval of days
// and time, as PostgreSQL.
func tsDiff(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
	return mapRows[arrow.MonthDayNanoInterval](mem, a, b, out, func(i int) (arrow.MonthDayNanoInterval, bool) {
		d := tsMicros(a, nil, i) - tsMicros(b, bk, i)
		days := d / microsPerDay
		return arrow.MonthDayNanoInterval{Days: int32(days), Nanoseconds: (d - days*microsPerDay) * 1000}, true
	}, nil)
}

func intervalAdd(op arithOp) binKernel {
	return func(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
		as, bs, bv := operands[arrow.MonthDayNanoInterval](a, b, bk)
		return mapRows[arrow.MonthDayNanoInterval](mem, a, b, out, func(i int) (arrow.MonthDayNanoInterval, bool) {
			x, y := as[i], pick(bs, bv, i)
			if op == opSub {
				y = arrow.MonthDayNanoInterval{Months: -y.Months, Days: -y.Days, Nanoseconds: -y.Nanoseconds}
			}
			return arrow.MonthDayNanoInterval{Months: x.Months + y.Months, Days: x.Days + y.Days,
				Nanoseconds: x.Nanoseconds + y.Nanoseconds}, true
		}, nil)
	}
}

// intervalScale multiplies or divides an interval by a number; fractional
// months carry into days (30 per month) and fractional days into time, as
// PostgreSQL does.
func intervalScale(op arithOp) binKernel {
	return func(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
		as := arrow.GetValues[arrow.MonthDayNanoInterval](a.Data(), 1)
		fs, fv := []float64(nil), float64(0)
		if bk != nil {
			fv = constValue[float64](bk)
		} else {
			fs = arrow.GetValues[float64](b.Data(), 1)
		}
		zero := false
		r, err := mapRows[arrow.MonthDayNanoInterval](mem, a, b, out, func(i int) (arrow.MonthDayNanoInterval, bool) {
			f := pick(fs, fv, i)
			if op == opDiv {
				if f == 0 {
					zero = true
					return arrow.MonthDayNanoInterval{}, false
				}
				f = 1 / f
			}
			v := as[i]
			months := float64(v.Months) * f
			days := float64(v.Days)*f + (months-math.Trunc(months))*30
			nanos := float64(v.Nanoseconds)*f + (days-math.Trunc(days))*86400e9
			return arrow.MonthDayNanoInterval{Months: int32(months), Days: int32(days), Nanoseconds: int64(math.Round(nanos/1000) * 1000)}, true
		}, func() error {
			if zero {
				return divByZero()
			}
			return sqlerr.New(sqlerr.DatetimeFieldOverflow, "interval out of range")
		})
		return r, err
	}
}

// mapRows builds an array of type out from f over the rows valid in a and
// b; f returns false for a row out of range (errFn's error).
func mapRows[T arrow.FixedWidthType](mem memory.Allocator, a, b arrow.Array, out arrow.DataType,
	f func(i int) (T, bool), errFn func() error) (arrow.Array, error) {
	n := a.Len()
	valid, nulls := validity(mem, n, a, b)
	vb := validBits(valid)
	buf, dst := allocFixed[T](mem, n)
	for i := 0; i < n; i++ {
		if !bitSet(vb, i) {
			var zero T
			dst[i] = zero
			continue
		}
		v, ok := f(i)
		if !ok {
			buf.Release()
			if valid != nil {
				valid.Release()
			}
			return nil, errFn()
		}
		dst[i] = v
	}
	return makeArray(out, n, nulls, valid, buf), nil
}
