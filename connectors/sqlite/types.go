package sqlite

// SQLite is dynamically typed: a column's declared type only gives it an
// affinity, and any cell may hold an INTEGER, REAL, TEXT, BLOB or NULL.
// The wrapper reads each cell as the foreign table declares the column and
// converts strictly: a value that does not fit is an error naming the
// table, column and row (22P02 for a value of the wrong kind, 22003 for a
// number out of range, 22007/22008 for a bad date or time).
//
// Dates and times are stored as ISO-8601 text ("2024-01-31",
// "2024-01-31 12:34:56.789", "12:34:56"), as SQLite's date functions
// write them. With the column option column_type 'INT' they are stored as
// Unix seconds instead (an INTEGER, or a REAL with a fraction; a date must
// fall on midnight UTC). Each column reads only its own form, so that
// filters on dates compare like with like remotely. Booleans are the
// INTEGERs 0 and 1.

import (
	"fmt"
	"github.com/medleysql/medley/connectors/internal/dectext"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/sql/sqlerr"
)

// affinity is a column's type affinity (https://sqlite.org/datatype3.html).
type affinity int

const (
	affBlob affinity = iota // also "none": no declared type
	affInteger
	affText
	affReal
	affNumeric
)

// affinityOf applies SQLite's five rules, in order, to a declared type.
func affinityOf(decl string) affinity {
	d := strings.ToUpper(decl)
	switch {
	case strings.Contains(d, "INT"):
		return affInteger
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"):
		return affText
	case strings.Contains(d, "BLOB"), d == "":
		return affBlob
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"):
		return affReal
	}
	return affNumeric
}

func badValue(v any, want string) error {
	return &sqlconn.ConvError{Code: sqlerr.InvalidTextRepr, Msg: fmt.Sprintf("%s %s is not a valid %s", storageClass(v), shortValue(v), want)}
}

func outOfRange(v any, want string) error {
	return &sqlconn.ConvError{Code: sqlerr.NumericValueOutOfRange, Msg: fmt.Sprintf("value %s is out of range for type %s", shortValue(v), want)}
}

func storageClass(v any) string {
	switch v.(type) {
	case int64:
		return "INTEGER"
	case float64:
		return "REAL"
	case string:
		return "TEXT"
	case []byte:
		return "BLOB"
	case time.Time:
		return "TEXT"
	}
	return fmt.Sprintf("%T", v)
}

func shortValue(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = strconv.Quote(x)
	case []byte:
		s = fmt.Sprintf("x'%x'", x)
	case time.Time:
		s = strconv.Quote(x.Format("2006-01-02 15:04:05.999999999Z07:00"))
	default:
		s = fmt.Sprint(v)
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// converter appends one non-NULL SQLite value to a builder of the column's
// declared type.
type converter = sqlconn.Converter

// converterFor returns the converter of a declared type, or nil for a type
// the wrapper cannot read.
func converterFor(t arrow.DataType, unix bool) converter {
	switch t.ID() {
	case arrow.DATE32, arrow.TIMESTAMP, arrow.TIME32, arrow.TIME64:
		conv := dateTimeConverter(t)
		return func(b array.Builder, v any) error {
			_, isNum := v.(int64)
			_, isReal := v.(float64)
			if (isNum || isReal) != unix {
				form := "ISO-8601 text"
				if unix {
					form = "Unix seconds (column_type 'INT')"
				}
				return badValue(v, t.String()+" stored as "+form)
			}
			return conv(b, v)
		}
	}
	switch t := t.(type) {
	case *arrow.BooleanType:
		return convBool
	case *arrow.Int8Type:
		return convInt(math.MinInt8, math.MaxInt8, "tinyint", func(b array.Builder, i int64) { b.(*array.Int8Builder).Append(int8(i)) })
	case *arrow.Int16Type:
		return convInt(math.MinInt16, math.MaxInt16, "smallint", func(b array.Builder, i int64) { b.(*array.Int16Builder).Append(int16(i)) })
	case *arrow.Int32Type:
		return convInt(math.MinInt32, math.MaxInt32, "integer", func(b array.Builder, i int64) { b.(*array.Int32Builder).Append(int32(i)) })
	case *arrow.Int64Type:
		return convInt(math.MinInt64, math.MaxInt64, "bigint", func(b array.Builder, i int64) { b.(*array.Int64Builder).Append(i) })
	case *arrow.Uint8Type:
		return convInt(0, math.MaxUint8, "uint8", func(b array.Builder, i int64) { b.(*array.Uint8Builder).Append(uint8(i)) })
	case *arrow.Uint16Type:
		return convInt(0, math.MaxUint16, "uint16", func(b array.Builder, i int64) { b.(*array.Uint16Builder).Append(uint16(i)) })
	case *arrow.Uint32Type:
		return convInt(0, math.MaxUint32, "uint32", func(b array.Builder, i int64) { b.(*array.Uint32Builder).Append(uint32(i)) })
	case *arrow.Uint64Type:
		return convInt(0, math.MaxInt64, "uint64", func(b array.Builder, i int64) { b.(*array.Uint64Builder).Append(uint64(i)) })
	case *arrow.Float32Type:
		return func(b array.Builder, v any) error {
			f, err := toFloat(v, "real")
			if err == nil && !math.IsInf(f, 0) && math.Abs(f) > math.MaxFloat32 {
				return outOfRange(v, "real")
			}
			if err == nil {
				b.(*array.Float32Builder).Append(float32(f))
			}
			return err
		}
	case *arrow.Float64Type:
		return func(b array.Builder, v any) error {
			f, err := toFloat(v, "double precision")
			if err == nil {
				b.(*array.Float64Builder).Append(f)
			}
			return err
		}
	case *arrow.Decimal128Type:
		return convDecimal(t)
	case *arrow.StringType:
		return func(b array.Builder, v any) error {
			s, err := toText(v)
			if err == nil {
				b.(*array.StringBuilder).Append(s)
			}
			return err
		}
	case *arrow.BinaryType:
		return func(b array.Builder, v any) error {
			switch x := v.(type) {
			case []byte:
				b.(*array.BinaryBuilder).Append(x)
			case string:
				b.(*array.BinaryBuilder).AppendString(x)
			default:
				return badValue(v, "bytea")
			}
			return nil
		}
	}
	return nil
}

func dateTimeConverter(t arrow.DataType) converter {
	switch t := t.(type) {
	case *arrow.Date32Type:
		return convDate
	case *arrow.TimestampType:
		return convTimestamp(t)
	case *arrow.Time64Type:
		return convTime(t.Unit, func(b array.Builder, n int64) { b.(*array.Time64Builder).Append(arrow.Time64(n)) })
	case *arrow.Time32Type:
		return convTime(t.Unit, func(b array.Builder, n int64) { b.(*array.Time32Builder).Append(arrow.Time32(n)) })
	}
	return nil
}

func convBool(b array.Builder, v any) error {
	var r bool
	switch x := v.(type) {
	case int64:
		if x != 0 && x != 1 {
			return badValue(v, "boolean")
		}
		r = x == 1
	case float64:
		if x != 0 && x != 1 {
			return badValue(v, "boolean")
		}
		r = x == 1
	default:
		return badValue(v, "boolean")
	}
	b.(*array.BooleanBuilder).Append(r)
	return nil
}

func convInt(lo, hi int64, name string, app func(array.Builder, int64)) converter {
	return func(b array.Builder, v any) error {
		var i int64
		switch x := v.(type) {
		case int64:
			i = x
		case float64:
			if x != math.Trunc(x) || math.IsInf(x, 0) {
				return badValue(v, name)
			}
			if x < -9.223372036854775808e18 || x >= 9.223372036854775808e18 {
				return outOfRange(v, name)
			}
			i = int64(x)
		case string:
			n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
			if err != nil {
				if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
					return outOfRange(v, name)
				}
				return badValue(v, name)
			}
			i = n
		default:
			return badValue(v, name)
		}
		if i < lo || i > hi {
			return outOfRange(v, name)
		}
		app(b, i)
		return nil
	}
}

func toFloat(v any, name string) (float64, error) {
	switch x := v.(type) {
	case int64:
		return float64(x), nil
	case float64:
		return x, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return 0, outOfRange(v, name)
			}
			return 0, badValue(v, name)
		}
		return f, nil
	}
	return 0, badValue(v, name)
}

// toText renders a value as text the way SQLite's CAST(x AS TEXT) does;
// a BLOB must be valid UTF-8.
func toText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', 15, 64), nil
	case []byte:
		if !utf8.Valid(x) {
			return "", badValue(v, "UTF-8 text")
		}
		return string(x), nil
	case time.Time:
		return x.Format("2006-01-02 15:04:05.999999999"), nil
	}
	return "", badValue(v, "text")
}

// convDecimal reads INTEGER, REAL and TEXT values into decimal128(p,s).
// A REAL is read through its shortest round-tripping decimal form (SQLite
// keeps text as REAL only when 15 digits survive); digits beyond the scale
// are rounded half away from zero, as PostgreSQL's numeric(p,s) does; more
// integer digits than p-s is 22003.
func convDecimal(t *arrow.Decimal128Type) converter {
	name := fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale)
	return func(b array.Builder, v any) error {
		var s string
		switch x := v.(type) {
		case int64:
			s = strconv.FormatInt(x, 10)
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				return outOfRange(v, name)
			}
			s = strconv.FormatFloat(x, 'g', -1, 64)
		case string:
			s = strings.TrimSpace(x)
		default:
			return badValue(v, name)
		}
		n, err := dectext.Parse(s, t.Precision, t.Scale)
		if err != nil {
			if err == dectext.ErrRange {
				return outOfRange(v, name)
			}
			return badValue(v, name)
		}
		b.(*array.Decimal128Builder).Append(n)
		return nil
	}
}
