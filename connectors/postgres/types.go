package postgres

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Type mapping (remote → Arrow), as IMPORT FOREIGN SCHEMA declares it and
// as scans read it (binary protocol, straight into Arrow builders):
//
//	boolean                  boolean
//	smallint/integer/bigint  int16/int32/int64 (any of them, range-checked)
//	real/double precision    float32/float64
//	numeric(p,s), p <= 38    decimal128(p,s), exactly; a value with more
//	                         fractional digits than s, NaN or ±Infinity is
//	                         an error (22003)
//	numeric (unconstrained)  utf8: the exact text, since no decimal128
//	  or p > 38              scale fits every value; declare a decimal column
//	                         to read it as one
//	text/varchar/char(n)     utf8 (char(n) keeps its padding, as PostgreSQL
//	  /name                  returns it; filters on it are not shipped)
//	bytea                    binary
//	date                     date32; time time64(µs); timestamp timestamp(µs);
//	                         timestamptz timestamp(µs, UTC); ±infinity is an error
//	interval                 month_day_nano
//	uuid, json, jsonb,       utf8, in PostgreSQL's text form (arrays as
//	  arrays, enums, others  '{1,2}')
//
// Any remote type can be read as a utf8 column (in text form); other
// mismatches are an error naming the column (HV004).

// PostgreSQL type OIDs.
const (
	oidBool        = 16
	oidBytea       = 17
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidFloat4      = 700
	oidFloat8      = 701
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestampTz = 1184
	oidInterval    = 1186
	oidNumeric     = 1700
)

// pgEpochDays is 2000-01-01, PostgreSQL's epoch, in days since 1970.
const pgEpochDays = 10957

const pgEpochMicros = pgEpochDays * 86400 * 1e6

// decoder appends one non-NULL binary (or, for utf8 columns, text) value.
type decoder func(b array.Builder, v []byte) error

// textFormat reports whether a column of type t is read in text format.
func textFormat(t arrow.DataType) bool { return t.ID() == arrow.STRING || t.ID() == arrow.LARGE_STRING }

func errLen(v []byte, n int) error {
	if len(v) != n {
		return fmt.Errorf("binary value of %d bytes, want %d", len(v), n)
	}
	return nil
}

func readInt(oid uint32, v []byte) (int64, error) {
	switch oid {
	case oidInt2:
		if err := errLen(v, 2); err != nil {
			return 0, err
		}
		return int64(int16(binary.BigEndian.Uint16(v))), nil
	case oidInt4:
		if err := errLen(v, 4); err != nil {
			return 0, err
		}
		return int64(int32(binary.BigEndian.Uint32(v))), nil
	}
	if err := errLen(v, 8); err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}

func isIntOID(oid uint32) bool { return oid == oidInt2 || oid == oidInt4 || oid == oidInt8 }

// decoderFor returns how to read remote type oid into Arrow type t, or an
// error naming both types.
func decoderFor(t arrow.DataType, oid uint32, remoteType string) (decoder, error) {
	mismatch := fmt.Errorf("remote type %s cannot be read as %s", remoteType, t)
	switch t.ID() {
	case arrow.STRING:
		return func(b array.Builder, v []byte) error { b.(*array.StringBuilder).BinaryBuilder.Append(v); return nil }, nil
	case arrow.LARGE_STRING:
		return func(b array.Builder, v []byte) error {
			b.(*array.LargeStringBuilder).BinaryBuilder.Append(v)
			return nil
		}, nil
	case arrow.BOOL:
		if oid != oidBool {
			return nil, mismatch
		}
		return func(b array.Builder, v []byte) error {
			if err := errLen(v, 1); err != nil {
				return err
			}
			b.(*array.BooleanBuilder).Append(v[0] != 0)
			return nil
		}, nil
	case arrow.INT16, arrow.INT32, arrow.INT64:
		if !isIntOID(oid) {
			return nil, mismatch
		}
		return intDecoder(t, oid), nil
	case arrow.FLOAT32, arrow.FLOAT64:
		return floatDecoder(t, oid, mismatch)
	case arrow.DECIMAL128:
		if oid != oidNumeric {
			return nil, mismatch
		}
		dt := t.(*arrow.Decimal128Type)
		return func(b array.Builder, v []byte) error {
			n, err := readNumeric(v, dt.Precision, dt.Scale)
			if err != nil {
				return err
			}
			b.(*array.Decimal128Builder).Append(n)
			return nil
		}, nil
	case arrow.BINARY:
		return func(b array.Builder, v []byte) error { b.(*array.BinaryBuilder).Append(v); return nil }, nil
	}
	return temporalDecoder(t, oid, mismatch)
}

func intDecoder(t arrow.DataType, oid uint32) decoder {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	switch t.ID() {
	case arrow.INT16:
		lo, hi = math.MinInt16, math.MaxInt16
	case arrow.INT32:
		lo, hi = math.MinInt32, math.MaxInt32
	}
	return func(b array.Builder, v []byte) error {
		n, err := readInt(oid, v)
		if err != nil {
			return err
		}
		if n < lo || n > hi {
			return fmt.Errorf("value %d out of range for %s", n, t)
		}
		switch bb := b.(type) {
		case *array.Int16Builder:
			bb.Append(int16(n))
		case *array.Int32Builder:
			bb.Append(int32(n))
		case *array.Int64Builder:
			bb.Append(n)
		}
		return nil
	}
}

func floatDecoder(t arrow.DataType, oid uint32, mismatch error) (decoder, error) {
	var read func(v []byte) (float64, error)
	switch oid {
	case oidFloat4:
		read = func(v []byte) (float64, error) {
			return float64(math.Float32frombits(binary.BigEndian.Uint32(v))), errLen(v, 4)
		}
	case oidFloat8:
		if t.ID() == arrow.FLOAT32 {
			return nil, mismatch
		}
		read = func(v []byte) (float64, error) {
			if err := errLen(v, 8); err != nil {
				return 0, err
			}
			return math.Float64frombits(binary.BigEndian.Uint64(v)), nil
		}
	case oidInt2, oidInt4:
		read = func(v []byte) (float64, error) { n, err := readInt(oid, v); return float64(n), err }
	default:
		return nil, mismatch
	}
	return func(b array.Builder, v []byte) error {
		if len(v) < 4 {
			return errLen(v, 4)
		}
		f, err := read(v)
		if err != nil {
			return err
		}
		switch bb := b.(type) {
		case *array.Float32Builder:
			bb.Append(float32(f))
		case *array.Float64Builder:
			bb.Append(f)
		}
		return nil
	}, nil
}

// readNumeric decodes PostgreSQL's binary numeric (base-10000 digits) into
// a decimal of the given precision and scale, exactly or not at all. Up to
// 9 digits (36 decimal digits, every value a decimal128 can hold with few
// trailing zeros) it works on decimal128 itself, without allocating;
// longer values take readNumericBig.
func readNumeric(v []byte, precision, scale int32) (decimal128.Num, error) {
	if len(v) < 8 {
		return decimal128.Num{}, fmt.Errorf("short numeric value")
	}
	ndigits := int(binary.BigEndian.Uint16(v[0:]))
	weight := int(int16(binary.BigEndian.Uint16(v[2:])))
	sign := binary.BigEndian.Uint16(v[4:])
	if len(v) != 8+2*ndigits {
		return decimal128.Num{}, fmt.Errorf("malformed numeric value")
	}
	switch sign {
	case 0xC000:
		return decimal128.Num{}, fmt.Errorf("NaN cannot be stored in decimal(%d,%d)", precision, scale)
	case 0xD000, 0xF000:
		return decimal128.Num{}, fmt.Errorf("infinity cannot be stored in decimal(%d,%d)", precision, scale)
	}
	if ndigits > 9 || precision > 38 || scale < 0 {
		return readNumericBig(v, precision, scale)
	}
	// value*10^scale = sum of digit[i] * 10^e(i), e(i) = 4*(weight-i)+scale,
	// by Horner's rule; digits below 10^0 must be zeros.
	var acc decimal128.Num
	exp := 0
	for i := 0; i < ndigits; i++ {
		d := uint64(binary.BigEndian.Uint16(v[8+2*i:]))
		switch e := 4*(weight-i) + int(scale); {
		case e >= 0:
			acc, exp = acc.Mul(tenK).Add(decimal128.FromU64(d)), e
		case e > -4:
			p := pow10u[-e]
			if d%p != 0 {
				return decimal128.Num{}, fmt.Errorf("numeric value has more than %d fractional digits", scale)
			}
			acc, exp = acc.Mul(decimal128.FromU64(pow10u[4+e])).Add(decimal128.FromU64(d/p)), 0
		default:
			if d != 0 {
				return decimal128.Num{}, fmt.Errorf("numeric value has more than %d fractional digits", scale)
			}
		}
	}
	if acc.Sign() != 0 {
		if exp > int(precision) || !acc.Less(decimal128.GetScaleMultiplier(int(precision)-exp)) {
			return decimal128.Num{}, fmt.Errorf("numeric value overflows decimal(%d,%d)", precision, scale)
		}
		if exp > 0 {
			acc = acc.Mul(decimal128.GetScaleMultiplier(exp))
		}
	}
	if sign == 0x4000 {
		acc = acc.Negate()
	}
	return acc, nil
}

var (
	tenK   = decimal128.FromU64(10000)
	pow10u = [...]uint64{1, 10, 100, 1000, 10000}
)

// readNumericBig is readNumeric through math/big, for long values.
func readNumericBig(v []byte, precision, scale int32) (decimal128.Num, error) {
	ndigits := int(binary.BigEndian.Uint16(v[0:]))
	weight := int(int16(binary.BigEndian.Uint16(v[2:])))
	sign := binary.BigEndian.Uint16(v[4:])
	n := new(big.Int)
	tenK := big.NewInt(10000)
	for i := 0; i < ndigits; i++ {
		n.Mul(n, tenK)
		n.Add(n, big.NewInt(int64(binary.BigEndian.Uint16(v[8+2*i:]))))
	}
	exp := 4*(weight-ndigits+1) + int(scale) // value*10^scale = n*10^exp
	if exp >= 0 {
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
	} else {
		q, r := new(big.Int).QuoRem(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-exp)), nil), new(big.Int))
		if r.Sign() != 0 {
			return decimal128.Num{}, fmt.Errorf("numeric value has more than %d fractional digits", scale)
		}
		n = q
	}
	if sign == 0x4000 {
		n.Neg(n)
	}
	// FromBigInt panics beyond 128 bits: check first.
	if n.BitLen() > 127 {
		return decimal128.Num{}, fmt.Errorf("numeric value overflows decimal(%d,%d)", precision, scale)
	}
	d := decimal128.FromBigInt(n)
	if !d.FitsInPrecision(precision) {
		return decimal128.Num{}, fmt.Errorf("numeric value overflows decimal(%d,%d)", precision, scale)
	}
	return d, nil
}

func temporalDecoder(t arrow.DataType, oid uint32, mismatch error) (decoder, error) {
	infinite := fmt.Errorf("infinite %s cannot be read as %s", t, t)
	switch {
	case t.ID() == arrow.DATE32 && oid == oidDate:
		return func(b array.Builder, v []byte) error {
			if err := errLen(v, 4); err != nil {
				return err
			}
			d := int32(binary.BigEndian.Uint32(v))
			if d == math.MaxInt32 || d == math.MinInt32 {
				return infinite
			}
			b.(*array.Date32Builder).Append(arrow.Date32(d + pgEpochDays))
			return nil
		}, nil
	case t.ID() == arrow.TIME64 && oid == oidTime:
		mul := int64(1)
		if t.(*arrow.Time64Type).Unit == arrow.Nanosecond {
			mul = 1000
		}
		return func(b array.Builder, v []byte) error {
			n, err := readInt(oidInt8, v)
			b.(*array.Time64Builder).Append(arrow.Time64(n * mul))
			return err
		}, nil
	case t.ID() == arrow.TIMESTAMP && (oid == oidTimestamp || oid == oidTimestampTz):
		tt := t.(*arrow.TimestampType)
		if (tt.TimeZone != "") != (oid == oidTimestampTz) {
			return nil, mismatch
		}
		mul, div := int64(1), int64(1)
		switch tt.Unit {
		case arrow.Nanosecond:
			mul = 1000
		case arrow.Millisecond:
			div = 1000
		case arrow.Second:
			div = 1e6
		}
		return func(b array.Builder, v []byte) error {
			n, err := readInt(oidInt8, v)
			if err != nil {
				return err
			}
			if n == math.MaxInt64 || n == math.MinInt64 {
				return infinite
			}
			b.(*array.TimestampBuilder).Append(arrow.Timestamp((n + pgEpochMicros) * mul / div))
			return nil
		}, nil
	case t.ID() == arrow.INTERVAL_MONTH_DAY_NANO && oid == oidInterval:
		return func(b array.Builder, v []byte) error {
			if err := errLen(v, 16); err != nil {
				return err
			}
			us := int64(binary.BigEndian.Uint64(v))
			b.(*array.MonthDayNanoIntervalBuilder).Append(arrow.MonthDayNanoInterval{
				Months: int32(binary.BigEndian.Uint32(v[12:])), Days: int32(binary.BigEndian.Uint32(v[8:])), Nanoseconds: us * 1000})
			return nil
		}, nil
	}
	return nil, mismatch
}
