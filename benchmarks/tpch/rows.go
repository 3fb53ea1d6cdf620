package tpch

import (
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// scale holds the cardinalities derived from the scale factor.
type scale struct {
	suppliers, parts, customers, orders, clerks int64
}

func newScale(sf float64) scale {
	return scale{
		suppliers: scaled(10_000, sf),
		parts:     scaled(200_000, sf),
		customers: scaled(150_000, sf),
		orders:    scaled(1_500_000, sf),
		clerks:    scaled(1_000, sf),
	}
}

// partSupplier returns the i-th (0..3) supplier of a part (clause 4.2.3,
// PS_SUPPKEY), used by partsupp and by lineitem so that every
// (l_partkey, l_suppkey) is a row of partsupp.
func partSupplier(part, i, suppliers int64) int64 {
	return (part+i*(suppliers/4+(part-1)/suppliers))%suppliers + 1
}

// retailPrice returns P_RETAILPRICE in cents (clause 4.2.3).
func retailPrice(part int64) int64 {
	return 90000 + (part/10)%20001 + 100*(part%1000)
}

// Typed accessors of a record builder's fields.
func i32b(b *array.RecordBuilder, i int) *array.Int32Builder { return b.Field(i).(*array.Int32Builder) }
func i64b(b *array.RecordBuilder, i int) *array.Int64Builder { return b.Field(i).(*array.Int64Builder) }
func strb(b *array.RecordBuilder, i int) *array.StringBuilder {
	return b.Field(i).(*array.StringBuilder)
}
func decb(b *array.RecordBuilder, i int) *array.Decimal128Builder {
	return b.Field(i).(*array.Decimal128Builder)
}
func datb(b *array.RecordBuilder, i int) *array.Date32Builder {
	return b.Field(i).(*array.Date32Builder)
}

// cents converts an amount in cents to a decimal(15,2) value.
func cents(v int64) decimal128.Num { return decimal128.FromI64(v) }

// genRegion fills rows [first, first+n) of region.
func genRegion(_ scale, bs []*array.RecordBuilder, first, n int64, _ *[]byte) {
	b := bs[0]
	for k := first; k < first+n; k++ {
		r := rowRNG(streamRegion, k)
		i32b(b, 0).Append(int32(k))
		strb(b, 1).Append(regions[k])
		strb(b, 2).BinaryBuilder.Append(comment(&r, 31, 115))
	}
}

// genNation fills rows [first, first+n) of nation.
func genNation(_ scale, bs []*array.RecordBuilder, first, n int64, _ *[]byte) {
	b := bs[0]
	for k := first; k < first+n; k++ {
		r := rowRNG(streamNation, k)
		i32b(b, 0).Append(int32(k))
		strb(b, 1).Append(nations[k].name)
		i32b(b, 2).Append(nations[k].region)
		strb(b, 3).BinaryBuilder.Append(comment(&r, 31, 114))
	}
}

// genSupplier fills rows [first, first+n) of supplier.
func genSupplier(_ scale, bs []*array.RecordBuilder, first, n int64, scratch *[]byte) {
	b := bs[0]
	key, name, addr, nat := i32b(b, 0), strb(b, 1), strb(b, 2), i32b(b, 3)
	phone, bal, cmt := strb(b, 4), decb(b, 5), strb(b, 6)
	buf := *scratch
	for row := first; row < first+n; row++ {
		r := rowRNG(streamSupplier, row)
		k := row + 1
		key.Append(int32(k))
		name.BinaryBuilder.Append(appendPadded(buf[:0], "Supplier#", k))
		addr.BinaryBuilder.Append(appendVString(buf[:0], &r, 10, 40))
		nk := r.between(0, 24)
		nat.Append(int32(nk))
		phone.BinaryBuilder.Append(appendPhone(buf[:0], &r, nk))
		bal.Append(cents(r.between(-99_999, 999_999)))
		buf = supplierComment(buf[:0], &r)
		cmt.BinaryBuilder.Append(buf)
	}
	*scratch = buf
}

// supplierComment appends S_COMMENT: a text string of 25 to 100 bytes, of
// which about 5 per 10,000 hold "Customer%Complaints" and as many
// "Customer%Recommends" (clause 4.2.3), as Q16 expects.
func supplierComment(buf []byte, r *rng) []byte {
	buf = append(buf, comment(r, 25, 100)...)
	press := r.intn(10_000)
	if press >= 10 {
		return buf
	}
	kind := "Complaints"
	if press%2 == 1 {
		kind = "Recommends"
	}
	const customer = "Customer"
	room := int64(len(buf) - len(customer) - len(kind))
	noise := r.between(0, room)
	off := r.between(0, room-noise)
	copy(buf[off:], customer)
	copy(buf[off+int64(len(customer))+noise:], kind)
	return buf
}

// genPart fills rows [first, first+n) of part.
func genPart(_ scale, bs []*array.RecordBuilder, first, n int64, scratch *[]byte) {
	b := bs[0]
	key, name, mfgr, brand, typ := i32b(b, 0), strb(b, 1), strb(b, 2), strb(b, 3), strb(b, 4)
	size, cont, price, cmt := i32b(b, 5), strb(b, 6), decb(b, 7), strb(b, 8)
	buf := *scratch
	for row := first; row < first+n; row++ {
		r := rowRNG(streamPart, row)
		k := row + 1
		key.Append(int32(k))
		name.BinaryBuilder.Append(appendPartName(buf[:0], &r))
		m := r.between(1, 5)
		buf = appendInt(append(buf[:0], "Manufacturer#"...), m)
		mfgr.BinaryBuilder.Append(buf)
		buf = appendInt(appendInt(append(buf[:0], "Brand#"...), m), r.between(1, 5))
		brand.BinaryBuilder.Append(buf)
		buf = append(append(buf[:0], typeSyl1[r.intn(int64(len(typeSyl1)))]...), ' ')
		buf = append(append(buf, typeSyl2[r.intn(int64(len(typeSyl2)))]...), ' ')
		buf = append(buf, typeSyl3[r.intn(int64(len(typeSyl3)))]...)
		typ.BinaryBuilder.Append(buf)
		size.Append(int32(r.between(1, 50)))
		buf = append(append(buf[:0], containerSyl1[r.intn(int64(len(containerSyl1)))]...), ' ')
		buf = append(buf, containerSyl2[r.intn(int64(len(containerSyl2)))]...)
		cont.BinaryBuilder.Append(buf)
		price.Append(cents(retailPrice(k)))
		cmt.BinaryBuilder.Append(comment(&r, 5, 22))
	}
	*scratch = buf
}

// appendPartName appends five distinct colors separated by spaces.
func appendPartName(buf []byte, r *rng) []byte {
	var picked [5]int64
	for i := 0; i < 5; i++ {
	again:
		c := r.intn(int64(len(colors)))
		for _, p := range picked[:i] {
			if p == c {
				goto again
			}
		}
		picked[i] = c
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = append(buf, colors[c]...)
	}
	return buf
}

// genPartSupp fills rows [first, first+n) of partsupp: four suppliers per
// part.
func genPartSupp(s scale, bs []*array.RecordBuilder, first, n int64, _ *[]byte) {
	b := bs[0]
	pk, sk, qty, cost, cmt := i32b(b, 0), i32b(b, 1), i32b(b, 2), decb(b, 3), strb(b, 4)
	for row := first; row < first+n; row++ {
		r := rowRNG(streamPartSupp, row)
		part, i := row/4+1, row%4
		pk.Append(int32(part))
		sk.Append(int32(partSupplier(part, i, s.suppliers)))
		qty.Append(int32(r.between(1, 9_999)))
		cost.Append(cents(r.between(100, 100_000)))
		cmt.BinaryBuilder.Append(comment(&r, 49, 198))
	}
}

// genCustomer fills rows [first, first+n) of customer.
func genCustomer(_ scale, bs []*array.RecordBuilder, first, n int64, scratch *[]byte) {
	b := bs[0]
	key, name, addr, nat := i32b(b, 0), strb(b, 1), strb(b, 2), i32b(b, 3)
	phone, bal, seg, cmt := strb(b, 4), decb(b, 5), strb(b, 6), strb(b, 7)
	buf := *scratch
	for row := first; row < first+n; row++ {
		r := rowRNG(streamCustomer, row)
		k := row + 1
		key.Append(int32(k))
		name.BinaryBuilder.Append(appendPadded(buf[:0], "Customer#", k))
		addr.BinaryBuilder.Append(appendVString(buf[:0], &r, 10, 40))
		nk := r.between(0, 24)
		nat.Append(int32(nk))
		phone.BinaryBuilder.Append(appendPhone(buf[:0], &r, nk))
		bal.Append(cents(r.between(-99_999, 999_999)))
		seg.Append(segments[r.intn(int64(len(segments)))])
		cmt.BinaryBuilder.Append(comment(&r, 29, 116))
	}
	*scratch = buf
}
