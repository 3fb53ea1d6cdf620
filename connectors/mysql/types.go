package mysql

// Values come from the binary protocol: integers as int64 (unsigned BIGINT
// above 2^63-1 as its decimal text), FLOAT as float32, DOUBLE as float64,
// and DECIMAL, strings, BLOBs, BIT, dates and times as bytes (read as
// sql.RawBytes, without a copy). Each value is converted strictly to the
// type the foreign table declares: a value that does not fit is an error
// naming the table, column and row (22003 out of range, 22P02 wrong kind,
// 22008 a zero or out-of-range date).

import (
	"fmt"
	"github.com/medleysql/medley/connectors/internal/dectext"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/sql/sqlerr"
)

// remote type classes.
type rclass int

const (
	rUnsupported rclass = iota
	rInt                // tinyint ... bigint, year
	rDecimal
	rFloat
	rBit
	rString // char, varchar, text, enum, set, json
	rBinary // binary, varbinary, blob
	rDate
	rDateTime // datetime, timestamp
	rTime
)

func classOf(rc remoteColumn) rclass {
	switch rc.dataType {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year":
		return rInt
	case "decimal", "numeric":
		return rDecimal
	case "float", "double", "real":
		return rFloat
	case "bit":
		return rBit
	case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json", "uuid", "inet4", "inet6":
		return rString
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return rBinary
	case "date":
		return rDate
	case "datetime", "timestamp":
		return rDateTime
	case "time":
		return rTime
	}
	return rUnsupported
}

func show(v any) string {
	var s string
	switch x := v.(type) {
	case []byte:
		s = strconv.Quote(string(x))
	default:
		s = fmt.Sprint(v)
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func outOfRange(v any, t string) error {
	return &sqlconn.ConvError{Code: sqlerr.NumericValueOutOfRange, Msg: fmt.Sprintf("value %s is out of range for type %s", show(v), t)}
}

func badValue(v any, t string) error {
	return &sqlconn.ConvError{Code: sqlerr.InvalidTextRepr, Msg: fmt.Sprintf("value %s is not a valid %s", show(v), t)}
}

// converter appends one non-NULL driver value to a builder.
type converter = sqlconn.Converter

// converterFor returns the converter that reads the remote column as the
// declared type, and whether the column is scanned as raw bytes.
func converterFor(t arrow.DataType, rc remoteColumn) (converter, bool, error) {
	rcl := classOf(rc)
	if rcl == rUnsupported {
		return nil, false, fmt.Errorf("remote column %q has type %s, which the mysql wrapper does not support", rc.name, rc.colType)
	}
	raw := rcl != rInt && rcl != rFloat
	incompatible := fmt.Errorf("remote column %q of type %s cannot be read as %s", rc.name, rc.colType, t)
	ok := false
	var conv converter
	switch t := t.(type) {
	case *arrow.BooleanType:
		ok = rc.dataType == "tinyint" || (rcl == rBit && rc.colType == "bit(1)")
		conv = convBool
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type, *arrow.Int64Type,
		*arrow.Uint8Type, *arrow.Uint16Type, *arrow.Uint32Type, *arrow.Uint64Type:
		ok = rcl == rInt || rcl == rDecimal || rcl == rBit
		conv = convInt(t, rcl == rBit)
	case *arrow.Float32Type, *arrow.Float64Type:
		ok = rcl == rInt || rcl == rDecimal || rcl == rFloat
		conv = convFloat(t)
	case *arrow.Decimal128Type:
		ok = rcl == rInt || rcl == rDecimal || rcl == rFloat
		conv = convDecimal(t)
	case *arrow.StringType:
		ok = rcl != rBit
		conv = convString
	case *arrow.BinaryType:
		ok = rcl == rString || rcl == rBinary || rcl == rBit
		conv = func(b array.Builder, v any) error {
			raw, _ := v.([]byte)
			b.(*array.BinaryBuilder).Append(raw)
			return nil
		}
	case *arrow.Date32Type:
		ok = rcl == rDate
		conv = convDate
	case *arrow.TimestampType:
		ok = rcl == rDate || rcl == rDateTime
		conv = convTimestamp(t)
	case *arrow.Time64Type:
		ok = rcl == rTime
		conv = convTime(t.Unit, func(b array.Builder, n int64) { b.(*array.Time64Builder).Append(arrow.Time64(n)) })
	case *arrow.Time32Type:
		ok = rcl == rTime
		conv = convTime(t.Unit, func(b array.Builder, n int64) { b.(*array.Time32Builder).Append(arrow.Time32(n)) })
	default:
		return nil, false, fmt.Errorf("type %s is not supported by the mysql wrapper", t)
	}
	if !ok {
		return nil, false, incompatible
	}
	return conv, raw, nil
}

func convBool(b array.Builder, v any) error {
	switch x := v.(type) {
	case int64:
		if x == 0 || x == 1 {
			b.(*array.BooleanBuilder).Append(x == 1)
			return nil
		}
	case []byte: // bit(1)
		if len(x) == 1 && x[0] <= 1 {
			b.(*array.BooleanBuilder).Append(x[0] == 1)
			return nil
		}
	}
	return badValue(v, "boolean")
}

// integer reads an integer from the driver: int64, or bytes of an unsigned
// BIGINT, a DECIMAL or a BIT.
func integer(v any, bit bool) (i int64, u uint64, unsigned bool, err error) {
	switch x := v.(type) {
	case int64:
		return x, 0, false, nil
	case []byte:
		if bit {
			if len(x) > 8 {
				return 0, 0, false, badValue(v, "bit(64)")
			}
			for _, c := range x {
				u = u<<8 | uint64(c)
			}
			return 0, u, true, nil
		}
		s := string(x)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, 0, false, nil
		}
		if n, err := strconv.ParseUint(s, 10, 64); err == nil {
			return 0, n, true, nil
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return 0, 0, false, outOfRange(v, "an integer")
		}
	}
	return 0, 0, false, badValue(v, "integer")
}

func convInt(t arrow.DataType, bit bool) converter {
	var lo int64
	var hi uint64
	switch t.ID() {
	case arrow.INT8:
		lo, hi = math.MinInt8, math.MaxInt8
	case arrow.INT16:
		lo, hi = math.MinInt16, math.MaxInt16
	case arrow.INT32:
		lo, hi = math.MinInt32, math.MaxInt32
	case arrow.INT64:
		lo, hi = math.MinInt64, math.MaxInt64
	case arrow.UINT8:
		hi = math.MaxUint8
	case arrow.UINT16:
		hi = math.MaxUint16
	case arrow.UINT32:
		hi = math.MaxUint32
	case arrow.UINT64:
		hi = math.MaxUint64
	}
	return func(b array.Builder, v any) error {
		i, u, unsigned, err := integer(v, bit)
		if err != nil {
			return err
		}
		if !unsigned {
			if i < lo || (i > 0 && uint64(i) > hi) {
				return outOfRange(v, t.String())
			}
			u = uint64(i)
		} else if u > hi {
			return outOfRange(v, t.String())
		}
		switch bb := b.(type) {
		case *array.Int8Builder:
			bb.Append(int8(u))
		case *array.Int16Builder:
			bb.Append(int16(u))
		case *array.Int32Builder:
			bb.Append(int32(u))
		case *array.Int64Builder:
			bb.Append(int64(u))
		case *array.Uint8Builder:
			bb.Append(uint8(u))
		case *array.Uint16Builder:
			bb.Append(uint16(u))
		case *array.Uint32Builder:
			bb.Append(uint32(u))
		case *array.Uint64Builder:
			bb.Append(u)
		}
		return nil
	}
}

func convFloat(t arrow.DataType) converter {
	return func(b array.Builder, v any) error {
		var f float64
		switch x := v.(type) {
		case float64:
			f = x
		case float32:
			f = float64(x)
		case int64:
			f = float64(x)
		case []byte:
			var err error
			if f, err = strconv.ParseFloat(string(x), 64); err != nil {
				return badValue(v, t.String())
			}
		default:
			return badValue(v, t.String())
		}
		if fb, ok := b.(*array.Float32Builder); ok {
			if math.Abs(f) > math.MaxFloat32 && !math.IsInf(f, 0) {
				return outOfRange(v, "real")
			}
			if x, ok := v.(float32); ok {
				fb.Append(x)
			} else {
				fb.Append(float32(f))
			}
			return nil
		}
		b.(*array.Float64Builder).Append(f)
		return nil
	}
}

// convDecimal reads DECIMAL text exactly; digits beyond the declared
// scale round half away from zero (as PostgreSQL's numeric(p,s)); more
// integer digits than p-s is 22003.
func convDecimal(t *arrow.Decimal128Type) converter {
	name := fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale)
	return func(b array.Builder, v any) error {
		var s string
		switch x := v.(type) {
		case []byte:
			s = string(x)
		case int64:
			s = strconv.FormatInt(x, 10)
		case float64:
			s = strconv.FormatFloat(x, 'g', -1, 64)
		case float32:
			s = strconv.FormatFloat(float64(x), 'g', -1, 32)
		default:
			return badValue(v, name)
		}
		n, err := dectext.Parse(s, t.Precision, t.Scale)
		if err == dectext.ErrRange {
			return outOfRange(v, name)
		} else if err != nil {
			return badValue(v, name)
		}
		b.(*array.Decimal128Builder).Append(n)
		return nil
	}
}

func convString(b array.Builder, v any) error {
	sb := b.(*array.StringBuilder)
	switch x := v.(type) {
	case []byte:
		if !utf8.Valid(x) {
			return badValue(v, "UTF-8 text")
		}
		sb.BinaryBuilder.Append(x)
	case int64:
		sb.Append(strconv.FormatInt(x, 10))
	case float64:
		sb.Append(strconv.FormatFloat(x, 'g', -1, 64))
	case float32:
		sb.Append(strconv.FormatFloat(float64(x), 'g', -1, 32))
	default:
		return badValue(v, "text")
	}
	return nil
}

func badDate(v any) error {
	return &sqlconn.ConvError{Code: sqlerr.DatetimeFieldOverflow, Msg: fmt.Sprintf("date/time value %s is out of range (zero dates have no equivalent)", show(v))}
}

func parseDateTime(v any) (time.Time, error) {
	x, _ := v.([]byte)
	s := string(x)
	layout := "2006-01-02 15:04:05.999999"
	if len(s) == 10 {
		layout = "2006-01-02"
	}
	tm, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, badDate(v)
	}
	return tm, nil
}

func convDate(b array.Builder, v any) error {
	tm, err := parseDateTime(v)
	if err != nil {
		return err
	}
	b.(*array.Date32Builder).Append(arrow.Date32FromTime(tm))
	return nil
}

func convTimestamp(t *arrow.TimestampType) converter {
	return func(b array.Builder, v any) error {
		tm, err := parseDateTime(v)
		if err != nil {
			return err
		}
		ts, err := arrow.TimestampFromTime(tm, t.Unit)
		if err != nil {
			return badDate(v)
		}
		b.(*array.TimestampBuilder).Append(ts)
		return nil
	}
}

// convTime reads TIME text ([-]HHH:MM:SS[.ffffff]); MySQL's TIME is an
// interval up to ±838 hours, so values outside [00:00, 24:00) are 22008.
func convTime(unit arrow.TimeUnit, app func(array.Builder, int64)) converter {
	return func(b array.Builder, v any) error {
		x, _ := v.([]byte)
		tm, err := time.Parse("15:04:05.999999", string(x))
		if err != nil {
			return &sqlconn.ConvError{Code: sqlerr.DatetimeFieldOverflow, Msg: fmt.Sprintf("time value %s is outside 00:00:00 to 23:59:59.999999", show(v))}
		}
		ns := int64(tm.Hour())*3600e9 + int64(tm.Minute())*60e9 + int64(tm.Second())*1e9 + int64(tm.Nanosecond())
		app(b, ns/int64(unit.Multiplier()))
		return nil
	}
}
