// Package types is the one table of Medley's SQL types: PostgreSQL type names
// ↔ Arrow types ↔ Substrait types, with PostgreSQL's rules for implicit casts,
// operand promotion and numeric result types.
//
// The table:
//
//	SQL (PostgreSQL)                      Arrow                       Substrait
//	boolean, bool                         bool                        boolean
//	smallint, int2                        int16                       i16
//	integer, int, int4                    int32                       i32
//	bigint, int8                          int64                       i64
//	real, float4                          float32                     fp32
//	double precision, float8, float       float64                     fp64
//	numeric(p,s), decimal(p,s)            decimal128(p,s)             decimal<p,s>
//	numeric(p)                            decimal128(p,0)             decimal<p,0>
//	numeric (unconstrained)               decimal128(38,10)           decimal<38,10>
//	text, varchar(n), char(n), bpchar,    utf8 (length not kept)      string
//	  character varying(n), character(n),
//	  json, jsonb (as their text)
//	bytea                                 binary                      binary
//	date                                  date32                      date
//	time [(p)] [without time zone]        time64[us]                  precision_time<6>
//	timestamp [(p)] [without time zone]   timestamp[us]               precision_timestamp<6>
//	timestamptz, timestamp with time zone timestamp[us, tz=UTC]       precision_timestamp_tz<6>
//	interval [fields] [(p)]               month_day_nano_interval     interval_compound<9>
//	uuid                                  extension arrow.uuid        uuid
//	                                      (fixed_size_binary(16))
//
// Choices worth knowing:
//   - PostgreSQL's unconstrained numeric has no fixed scale; Medley maps it to
//     decimal128(38,10) (UnconstrainedNumeric). Precision is capped at 38
//     (MaxPrecision) everywhere, the most decimal128 holds.
//   - uuid is arrow-go's canonical extension type (extensions.UUIDType), so the
//     type survives Parquet and Flight and prints as uuid; its storage is
//     fixed_size_binary(16).
//   - json and jsonb are carried as their text (utf8); SQLName reports text.
//   - Every time unit is microseconds, as PostgreSQL's; intervals keep
//     months, days and nanoseconds (Arrow's month_day_nano).
package types

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/extensions"

	"github.com/medleysql/medley/sql/sqlerr"
)

// MaxPrecision is the largest decimal precision Medley supports (decimal128).
const MaxPrecision = 38

// Canonical Arrow types of the table; compare with arrow.TypeEqual.
var (
	Boolean     arrow.DataType = arrow.FixedWidthTypes.Boolean
	Int2        arrow.DataType = arrow.PrimitiveTypes.Int16
	Int4        arrow.DataType = arrow.PrimitiveTypes.Int32
	Int8        arrow.DataType = arrow.PrimitiveTypes.Int64
	Float4      arrow.DataType = arrow.PrimitiveTypes.Float32
	Float8      arrow.DataType = arrow.PrimitiveTypes.Float64
	Text        arrow.DataType = arrow.BinaryTypes.String
	Bytea       arrow.DataType = arrow.BinaryTypes.Binary
	Date        arrow.DataType = arrow.FixedWidthTypes.Date32
	Time        arrow.DataType = &arrow.Time64Type{Unit: arrow.Microsecond}
	Timestamp   arrow.DataType = &arrow.TimestampType{Unit: arrow.Microsecond}
	TimestampTZ arrow.DataType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	Interval    arrow.DataType = arrow.FixedWidthTypes.MonthDayNanoInterval
	UUID        arrow.DataType = extensions.NewUUIDType()
	Null        arrow.DataType = arrow.Null
	// UnconstrainedNumeric is what a bare "numeric" maps to.
	UnconstrainedNumeric arrow.DataType = &arrow.Decimal128Type{Precision: 38, Scale: 10}
)

// Decimal returns decimal128(p, s).
func Decimal(p, s int32) arrow.DataType { return &arrow.Decimal128Type{Precision: p, Scale: s} }

// simple maps a one- or multi-word type name (lower case, single spaces,
// without modifiers) to its Arrow type and canonical PostgreSQL name.
var simple = map[string]struct {
	t    arrow.DataType
	name string
}{
	"boolean": {Boolean, "boolean"}, "bool": {Boolean, "boolean"},
	"smallint": {Int2, "smallint"}, "int2": {Int2, "smallint"},
	"integer": {Int4, "integer"}, "int": {Int4, "integer"}, "int4": {Int4, "integer"},
	"bigint": {Int8, "bigint"}, "int8": {Int8, "bigint"},
	"real": {Float4, "real"}, "float4": {Float4, "real"},
	"double precision": {Float8, "double precision"}, "float8": {Float8, "double precision"},
	"text": {Text, "text"}, "bpchar": {Text, "bpchar"},
	"json": {Text, "json"}, "jsonb": {Text, "jsonb"},
	"bytea":       {Bytea, "bytea"},
	"date":        {Date, "date"},
	"uuid":        {UUID, "uuid"},
	"interval":    {Interval, "interval"},
	"timestamptz": {TimestampTZ, "timestamp with time zone"},
}

// Parse reads a PostgreSQL type name with its modifiers (e.g. "int4",
// "numeric(15,2)", "character varying(25)", "timestamp with time zone") and
// returns its Arrow type. An unknown name is error 42704
// `type "x" does not exist`; a bad modifier is 22023; a known but unsupported
// type (arrays, timetz, ...) is 0A000.
func Parse(text string) (arrow.DataType, error) {
	t, _, err := parse(text)
	return t, err
}

// Canonical returns PostgreSQL's spelling of a type name as it was declared,
// modifiers included (e.g. "int" → "integer", "varchar(10)" →
// "character varying(10)"), for information_schema; errors as Parse.
func Canonical(text string) (string, error) {
	_, name, err := parse(text)
	return name, err
}

func parse(text string) (arrow.DataType, string, error) {
	toks, err := typeTokens(text)
	if err != nil {
		return nil, "", err
	}
	p := &typeParser{toks: toks, text: text}
	return p.parse()
}

// SQLName returns PostgreSQL's spelling of an Arrow type of the table
// ("numeric(15,2)", "timestamp with time zone"), for information_schema and
// EXPLAIN. Types outside the table print as Arrow names them.
func SQLName(t arrow.DataType) string {
	if t == nil {
		return "unknown"
	}
	switch t.ID() {
	case arrow.NULL:
		return "unknown"
	case arrow.BOOL:
		return "boolean"
	case arrow.INT16:
		return "smallint"
	case arrow.INT32:
		return "integer"
	case arrow.INT64:
		return "bigint"
	case arrow.FLOAT32:
		return "real"
	case arrow.FLOAT64:
		return "double precision"
	case arrow.DECIMAL128, arrow.DECIMAL256:
		d := t.(arrow.DecimalType)
		return fmt.Sprintf("numeric(%d,%d)", d.GetPrecision(), d.GetScale())
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW:
		return "text"
	case arrow.BINARY, arrow.LARGE_BINARY, arrow.BINARY_VIEW:
		return "bytea"
	case arrow.DATE32, arrow.DATE64:
		return "date"
	case arrow.TIME32, arrow.TIME64:
		return "time without time zone"
	case arrow.TIMESTAMP:
		if t.(*arrow.TimestampType).TimeZone != "" {
			return "timestamp with time zone"
		}
		return "timestamp without time zone"
	case arrow.INTERVAL_MONTH_DAY_NANO, arrow.INTERVAL_DAY_TIME, arrow.INTERVAL_MONTHS:
		return "interval"
	case arrow.EXTENSION:
		if isUUID(t) {
			return "uuid"
		}
	}
	return t.String()
}

func isUUID(t arrow.DataType) bool {
	e, ok := t.(arrow.ExtensionType)
	return ok && e.ExtensionName() == "arrow.uuid"
}

// typeTokens splits type text into lower-cased words, numbers and the
// punctuation ( ) , [ ]. A double-quoted word keeps its case.
func typeTokens(text string) ([]string, error) {
	var toks []string
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == ',' || c == '[' || c == ']':
			toks = append(toks, string(c))
			i++
		case c == '"':
			j := strings.IndexByte(text[i+1:], '"')
			if j < 0 {
				return nil, undefinedType(text)
			}
			toks = append(toks, text[i+1:i+1+j])
			i += j + 2
		case isWordByte(c) || c == '-' || c == '+':
			j := i + 1
			for j < len(text) && isWordByte(text[j]) {
				j++
			}
			toks = append(toks, strings.ToLower(text[i:j]))
			i = j
		default:
			return nil, undefinedType(text)
		}
	}
	if len(toks) == 0 {
		return nil, undefinedType(text)
	}
	return toks, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func undefinedType(text string) error {
	return sqlerr.New(sqlerr.UndefinedObject, "type %q does not exist", strings.TrimSpace(text))
}

// typeParser reads the tokens of one type name.
type typeParser struct {
	toks []string
	i    int
	text string
}

func (p *typeParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *typeParser) accept(words ...string) bool {
	if p.i+len(words) > len(p.toks) {
		return false
	}
	for k, w := range words {
		if p.toks[p.i+k] != w {
			return false
		}
	}
	p.i += len(words)
	return true
}

// mods reads an optional parenthesized list of integer modifiers.
func (p *typeParser) mods() ([]int, error) {
	if !p.accept("(") {
		return nil, nil
	}
	var out []int
	for {
		n, err := strconv.Atoi(p.peek())
		if err != nil {
			return nil, sqlerr.New(sqlerr.SyntaxError, "invalid type modifier %q in type %q", p.peek(), p.text)
		}
		p.i++
		out = append(out, n)
		if p.accept(")") {
			return out, nil
		}
		if !p.accept(",") {
			return nil, sqlerr.New(sqlerr.SyntaxError, "invalid type modifier in type %q", p.text)
		}
	}
}

func (p *typeParser) parse() (arrow.DataType, string, error) {
	t, name, err := p.parseBase()
	if err != nil {
		return nil, "", err
	}
	if p.peek() == "[" {
		return nil, "", sqlerr.New(sqlerr.FeatureNotSupported, "array types are not supported: %q", p.text)
	}
	if p.i != len(p.toks) {
		return nil, "", undefinedType(p.text)
	}
	return t, name, nil
}

func (p *typeParser) parseBase() (arrow.DataType, string, error) {
	switch {
	case p.accept("double", "precision"):
		return Float8, "double precision", nil
	case p.accept("numeric"), p.accept("decimal"):
		return p.numeric()
	case p.accept("float"):
		return p.float()
	case p.accept("character", "varying"), p.accept("varchar"):
		return p.length("character varying")
	case p.accept("character"), p.accept("char"):
		return p.length("character")
	case p.accept("timestamp"):
		return p.datetime("timestamp", Timestamp, TimestampTZ)
	case p.accept("time"):
		return p.datetime("time", Time, nil)
	case p.accept("interval"):
		return p.interval()
	}
	w := p.peek()
	s, ok := simple[w]
	if !ok {
		if w == "timetz" {
			return nil, "", sqlerr.New(sqlerr.FeatureNotSupported, "type time with time zone is not supported")
		}
		return nil, "", undefinedType(p.text)
	}
	p.i++
	return s.t, s.name, nil
}

func (p *typeParser) numeric() (arrow.DataType, string, error) {
	m, err := p.mods()
	if err != nil {
		return nil, "", err
	}
	switch len(m) {
	case 0:
		return UnconstrainedNumeric, "numeric", nil
	case 1, 2:
		prec, scale := m[0], 0
		if len(m) == 2 {
			scale = m[1]
		}
		if prec < 1 || prec > 1000 {
			return nil, "", sqlerr.New(sqlerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and 1000", prec)
		}
		if prec > MaxPrecision {
			return nil, "", sqlerr.New(sqlerr.FeatureNotSupported, "NUMERIC precision %d exceeds the maximum of %d", prec, MaxPrecision)
		}
		if scale < 0 || scale > prec {
			return nil, "", sqlerr.New(sqlerr.InvalidParameterValue, "NUMERIC scale %d must be between 0 and precision %d", scale, prec)
		}
		return Decimal(int32(prec), int32(scale)), fmt.Sprintf("numeric(%d,%d)", prec, scale), nil
	}
	return nil, "", sqlerr.New(sqlerr.SyntaxError, "invalid NUMERIC type modifier in type %q", p.text)
}

// float reads float(p): 1..24 is real, 25..53 double precision, as PostgreSQL.
func (p *typeParser) float() (arrow.DataType, string, error) {
	m, err := p.mods()
	if err != nil {
		return nil, "", err
	}
	if len(m) == 0 {
		return Float8, "double precision", nil
	}
	switch {
	case len(m) == 1 && m[0] >= 1 && m[0] <= 24:
		return Float4, "real", nil
	case len(m) == 1 && m[0] >= 25 && m[0] <= 53:
		return Float8, "double precision", nil
	}
	return nil, "", sqlerr.New(sqlerr.InvalidParameterValue, "precision for type float must be between 1 and 53")
}

func (p *typeParser) length(name string) (arrow.DataType, string, error) {
	m, err := p.mods()
	if err != nil {
		return nil, "", err
	}
	switch {
	case len(m) == 0:
		if name == "character" {
			return Text, "character(1)", nil
		}
		return Text, name, nil
	case len(m) == 1 && m[0] >= 1 && m[0] <= 10485760:
		return Text, fmt.Sprintf("%s(%d)", name, m[0]), nil
	case len(m) == 1:
		return nil, "", sqlerr.New(sqlerr.InvalidParameterValue, "length for type %s must be at least 1", name)
	}
	return nil, "", sqlerr.New(sqlerr.SyntaxError, "invalid type modifier in type %q", p.text)
}

// datetime reads [(p)] [with|without time zone] after time or timestamp.
func (p *typeParser) datetime(base string, plain, tz arrow.DataType) (arrow.DataType, string, error) {
	m, err := p.mods()
	if err != nil {
		return nil, "", err
	}
	if len(m) > 1 || len(m) == 1 && (m[0] < 0 || m[0] > 6) {
		return nil, "", sqlerr.New(sqlerr.InvalidParameterValue, "%s precision must be between 0 and 6", strings.ToUpper(base))
	}
	switch {
	case p.accept("with", "time", "zone"):
		if tz == nil {
			return nil, "", sqlerr.New(sqlerr.FeatureNotSupported, "type time with time zone is not supported")
		}
		return tz, base + " with time zone", nil
	case p.accept("without", "time", "zone"):
	}
	return plain, base + " without time zone", nil
}

var intervalFields = map[string]bool{"year": true, "month": true, "day": true, "hour": true, "minute": true, "second": true}

// interval reads interval [fields] [(p)]: fields and precision are accepted
// and dropped (the Arrow type keeps months, days and nanoseconds).
func (p *typeParser) interval() (arrow.DataType, string, error) {
	if intervalFields[p.peek()] {
		p.i++
		if p.accept("to") {
			if !intervalFields[p.peek()] {
				return nil, "", undefinedType(p.text)
			}
			p.i++
		}
	}
	if _, err := p.mods(); err != nil {
		return nil, "", err
	}
	return Interval, "interval", nil
}
