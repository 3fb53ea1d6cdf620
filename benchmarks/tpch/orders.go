package tpch

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

func epochDay(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// The dates of clause 4.2.2.12 and 4.2.3, as days since 1970-01-01.
var (
	startDate   = epochDay(1992, 1, 1)
	endDate     = epochDay(1998, 12, 31)
	currentDate = epochDay(1995, 6, 17)
	// Orders are placed up to 151 days before the end date, so that every
	// line is shipped (at most 121 days later) and received (30 more).
	lastOrderDate = endDate - 151
)

// orderKey returns the key of the i-th order (1-based): keys are sparse,
// only the first 8 of every 32 are used (clause 4.2.3), as dbgen makes them.
func orderKey(i int64) int64 { return (i>>3)<<5 | i&7 }

// lineBuilders are the typed builders of lineitem's columns.
type lineBuilders struct {
	orderkey                                                *array.Int64Builder
	partkey, suppkey, linenumber                            *array.Int32Builder
	quantity, extended, discount, taxes                     *array.Decimal128Builder
	returnflag, linestatus, shipinstruct, shipmode, comment *array.StringBuilder
	shipdate, commitdate, receiptdate                       *array.Date32Builder
}

func newLineBuilders(b *array.RecordBuilder) lineBuilders {
	return lineBuilders{
		orderkey: i64b(b, 0), partkey: i32b(b, 1), suppkey: i32b(b, 2), linenumber: i32b(b, 3),
		quantity: decb(b, 4), extended: decb(b, 5), discount: decb(b, 6), taxes: decb(b, 7),
		returnflag: strb(b, 8), linestatus: strb(b, 9), shipdate: datb(b, 10),
		commitdate: datb(b, 11), receiptdate: datb(b, 12), shipinstruct: strb(b, 13),
		shipmode: strb(b, 14), comment: strb(b, 15),
	}
}

// genOrders fills orders [first, first+n) (0-based sequence numbers) and
// their lines: bs[0] is orders, bs[1] lineitem.
func genOrders(s scale, bs []*array.RecordBuilder, first, n int64, scratch *[]byte) {
	o := bs[0]
	key, cust, status, total, odate := i64b(o, 0), i32b(o, 1), strb(o, 2), decb(o, 3), datb(o, 4)
	prio, clerk, ship, cmt := strb(o, 5), strb(o, 6), i32b(o, 7), strb(o, 8)
	lb := newLineBuilders(bs[1])
	buf := *scratch
	for row := first; row < first+n; row++ {
		r := rowRNG(streamOrders, row)
		k := orderKey(row + 1)
		key.Append(k)
		cust.Append(int32(orderCustomer(&r, s.customers)))
		date := r.between(startDate, lastOrderDate)
		lr := rowRNG(streamLineItem, row)
		price, st := genLines(&lb, &lr, s, k, date)
		status.Append(st)
		total.Append(cents(price))
		odate.Append(arrow.Date32(date))
		prio.Append(priorities[r.intn(int64(len(priorities)))])
		clerk.BinaryBuilder.Append(appendPadded(buf[:0], "Clerk#", r.between(1, s.clerks)))
		ship.Append(0)
		cmt.BinaryBuilder.Append(comment(&r, 19, 78))
	}
	*scratch = buf
}

// orderCustomer draws O_CUSTKEY: a customer whose key is not a multiple of
// 3, so that a third of the customers have no orders (clause 4.2.3).
func orderCustomer(r *rng, customers int64) int64 {
	for i := 0; i < 64; i++ {
		if c := r.between(1, customers); c%3 != 0 {
			return c
		}
	}
	return 1
}

// genLines appends 1 to 7 lines of order k placed on date and returns
// O_TOTALPRICE in cents and O_ORDERSTATUS.
func genLines(lb *lineBuilders, r *rng, s scale, k, date int64) (total int64, status string) {
	lines := r.between(1, 7)
	var open, closed int
	for ln := int64(1); ln <= lines; ln++ {
		part := r.between(1, s.parts)
		supp := partSupplier(part, r.between(0, 3), s.suppliers)
		qty := r.between(1, 50)
		disc, tax := r.between(0, 10), r.between(0, 8)
		ext := qty * retailPrice(part)
		// As dbgen: per line, truncating to cents at each step.
		total += ext * (100 - disc) / 100 * (100 + tax) / 100
		shipDate := date + r.between(1, 121)
		commitDate := date + r.between(30, 90)
		receiptDate := shipDate + r.between(1, 30)
		lb.orderkey.Append(k)
		lb.partkey.Append(int32(part))
		lb.suppkey.Append(int32(supp))
		lb.linenumber.Append(int32(ln))
		lb.quantity.Append(cents(qty * 100))
		lb.extended.Append(cents(ext))
		lb.discount.Append(cents(disc))
		lb.taxes.Append(cents(tax))
		switch {
		case receiptDate > currentDate:
			lb.returnflag.Append("N")
		case r.intn(2) == 0:
			lb.returnflag.Append("R")
		default:
			lb.returnflag.Append("A")
		}
		if shipDate > currentDate {
			lb.linestatus.Append("O")
			open++
		} else {
			lb.linestatus.Append("F")
			closed++
		}
		lb.shipdate.Append(arrow.Date32(shipDate))
		lb.commitdate.Append(arrow.Date32(commitDate))
		lb.receiptdate.Append(arrow.Date32(receiptDate))
		lb.shipinstruct.Append(instructions[r.intn(int64(len(instructions)))])
		lb.shipmode.Append(shipModes[r.intn(int64(len(shipModes)))])
		lb.comment.BinaryBuilder.Append(comment(r, 10, 43))
	}
	switch {
	case open == 0:
		status = "F"
	case closed == 0:
		status = "O"
	default:
		status = "P"
	}
	return total, status
}
