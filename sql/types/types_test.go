package types

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	stypes "github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/sqlerr"
)

func TestParse(t *testing.T) {
	tests := []struct {
		text  string
		want  arrow.DataType
		canon string
		sql   string
	}{
		{"boolean", Boolean, "boolean", "boolean"},
		{"BOOL", Boolean, "boolean", "boolean"},
		{"smallint", Int2, "smallint", "smallint"},
		{"int2", Int2, "smallint", "smallint"},
		{"integer", Int4, "integer", "integer"},
		{"Int", Int4, "integer", "integer"},
		{"int4", Int4, "integer", "integer"},
		{"bigint", Int8, "bigint", "bigint"},
		{"int8", Int8, "bigint", "bigint"},
		{"real", Float4, "real", "real"},
		{"float4", Float4, "real", "real"},
		{"float(10)", Float4, "real", "real"},
		{"double   precision", Float8, "double precision", "double precision"},
		{"float8", Float8, "double precision", "double precision"},
		{"float", Float8, "double precision", "double precision"},
		{"numeric(15,2)", Decimal(15, 2), "numeric(15,2)", "numeric(15,2)"},
		{"decimal( 15 , 2 )", Decimal(15, 2), "numeric(15,2)", "numeric(15,2)"},
		{"numeric(10)", Decimal(10, 0), "numeric(10,0)", "numeric(10,0)"},
		{"numeric", UnconstrainedNumeric, "numeric", "numeric(38,10)"},
		{"text", Text, "text", "text"},
		{"varchar(25)", Text, "character varying(25)", "text"},
		{"character varying(25)", Text, "character varying(25)", "text"},
		{"varchar", Text, "character varying", "text"},
		{"char(10)", Text, "character(10)", "text"},
		{"character(1)", Text, "character(1)", "text"},
		{"char", Text, "character(1)", "text"},
		{"bpchar", Text, "bpchar", "text"},
		{"bytea", Bytea, "bytea", "bytea"},
		{"date", Date, "date", "date"},
		{"time", Time, "time without time zone", "time without time zone"},
		{"time(3) without time zone", Time, "time without time zone", "time without time zone"},
		{"timestamp", Timestamp, "timestamp without time zone", "timestamp without time zone"},
		{"timestamp without time zone", Timestamp, "timestamp without time zone", "timestamp without time zone"},
		{"timestamp(6) with time zone", TimestampTZ, "timestamp with time zone", "timestamp with time zone"},
		{"timestamptz", TimestampTZ, "timestamp with time zone", "timestamp with time zone"},
		{"interval", Interval, "interval", "interval"},
		{"interval day to second", Interval, "interval", "interval"},
		{"interval(3)", Interval, "interval", "interval"},
		{"uuid", UUID, "uuid", "uuid"},
		{"json", Text, "json", "text"},
		{"jsonb", Text, "jsonb", "text"},
		{`"int4"`, Int4, "integer", "integer"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.text)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.text, err)
			continue
		}
		if !arrow.TypeEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %s, want %s", tt.text, got, tt.want)
		}
		if c, _ := Canonical(tt.text); c != tt.canon {
			t.Errorf("Canonical(%q) = %q, want %q", tt.text, c, tt.canon)
		}
		if s := SQLName(got); s != tt.sql {
			t.Errorf("SQLName(Parse(%q)) = %q, want %q", tt.text, s, tt.sql)
		}
		// SQLName's text parses back to the same type.
		back, err := Parse(SQLName(got))
		if err != nil || !arrow.TypeEqual(back, got) {
			t.Errorf("Parse(SQLName(%s)) = %v, %v", got, back, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		text string
		code sqlerr.Code
		msg  string
	}{
		{"foo", sqlerr.UndefinedObject, `type "foo" does not exist`},
		{"", sqlerr.UndefinedObject, `type "" does not exist`},
		{"int int", sqlerr.UndefinedObject, `type "int int" does not exist`},
		{"double", sqlerr.UndefinedObject, `type "double" does not exist`},
		{"numeric(0)", sqlerr.InvalidParameterValue, "NUMERIC precision 0 must be between 1 and 1000"},
		{"numeric(50,2)", sqlerr.FeatureNotSupported, "NUMERIC precision 50 exceeds the maximum of 38"},
		{"numeric(5,6)", sqlerr.InvalidParameterValue, "NUMERIC scale 6 must be between 0 and precision 5"},
		{"numeric(5,x)", sqlerr.SyntaxError, `invalid type modifier "x" in type "numeric(5,x)"`},
		{"numeric(5", sqlerr.SyntaxError, `invalid type modifier in type "numeric(5"`},
		{"varchar(0)", sqlerr.InvalidParameterValue, "length for type character varying must be at least 1"},
		{"int[]", sqlerr.FeatureNotSupported, `array types are not supported: "int[]"`},
		{"time with time zone", sqlerr.FeatureNotSupported, "type time with time zone is not supported"},
		{"timetz", sqlerr.FeatureNotSupported, "type time with time zone is not supported"},
		{"timestamp(7)", sqlerr.InvalidParameterValue, "TIMESTAMP precision must be between 0 and 6"},
		{"float(60)", sqlerr.InvalidParameterValue, "precision for type float must be between 1 and 53"},
		{"int;", sqlerr.UndefinedObject, `type "int;" does not exist`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.text)
		if err == nil {
			t.Errorf("Parse(%q): no error", tt.text)
			continue
		}
		if sqlerr.CodeOf(err) != tt.code || err.Error() != tt.msg {
			t.Errorf("Parse(%q) = %s %q, want %s %q", tt.text, sqlerr.CodeOf(err), err, tt.code, tt.msg)
		}
	}
}

func TestSubstraitRoundTrip(t *testing.T) {
	all := []arrow.DataType{Boolean, Int2, Int4, Int8, Float4, Float8, Decimal(15, 2),
		Decimal(38, 0), UnconstrainedNumeric, Text, Bytea, Date, Time, Timestamp, TimestampTZ,
		Interval, UUID}
	for _, dt := range all {
		for _, nullable := range []bool{true, false} {
			st, err := ToSubstrait(dt, nullable)
			if err != nil {
				t.Fatalf("ToSubstrait(%s): %v", dt, err)
			}
			back, n, err := FromSubstrait(st)
			if err != nil {
				t.Fatalf("FromSubstrait(%s): %v", st, err)
			}
			if !arrow.TypeEqual(back, dt) || n != nullable {
				t.Errorf("round trip of %s (nullable %v) via %s = %s (nullable %v)", dt, nullable, st, back, n)
			}
			// Through the protobuf too.
			again := stypes.TypeFromProto(stypes.TypeToProto(st))
			if !again.Equals(st) {
				t.Errorf("protobuf round trip of %s = %s", st, again)
			}
		}
	}
}

func TestSubstraitNames(t *testing.T) {
	tests := []struct {
		dt   arrow.DataType
		want string
	}{
		{Decimal(15, 2), "decimal?<15,2>"},
		{Timestamp, "precision_timestamp?<6>"},
		{TimestampTZ, "precision_timestamp_tz?<6>"},
		{Time, "precision_time?<6>"},
		{Interval, "interval_compound?<9>"},
		{UUID, "uuid?"},
	}
	for _, tt := range tests {
		st, err := ToSubstrait(tt.dt, true)
		if err != nil {
			t.Fatal(err)
		}
		if st.String() != tt.want {
			t.Errorf("ToSubstrait(%s) = %s, want %s", tt.dt, st, tt.want)
		}
	}
}

func TestSubstraitErrors(t *testing.T) {
	if _, err := ToSubstrait(arrow.PrimitiveTypes.Uint32, true); sqlerr.CodeOf(err) != sqlerr.FeatureNotSupported {
		t.Errorf("ToSubstrait(uint32) = %v", err)
	}
	if _, err := ToSubstrait(nil, true); err == nil {
		t.Error("ToSubstrait(nil): no error")
	}
	if _, _, err := FromSubstrait(&stypes.ListType{Type: &stypes.Int32Type{}}); sqlerr.CodeOf(err) != sqlerr.FeatureNotSupported {
		t.Errorf("FromSubstrait(list) = %v", err)
	}
	if _, _, err := FromSubstrait(nil); err == nil {
		t.Error("FromSubstrait(nil): no error")
	}
	old := []stypes.Type{&stypes.TimestampType{}, &stypes.TimestampTzType{}, &stypes.TimeType{},
		&stypes.IntervalDayType{}, &stypes.IntervalYearType{}, &stypes.VarCharType{Length: 3}, &stypes.Int8Type{}}
	want := []arrow.DataType{Timestamp, TimestampTZ, Time, Interval, Interval, Text, Int2}
	for i, st := range old {
		got, _, err := FromSubstrait(st)
		if err != nil || !arrow.TypeEqual(got, want[i]) {
			t.Errorf("FromSubstrait(%s) = %v, %v; want %s", st, got, err, want[i])
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		in   arrow.DataType
		want arrow.DataType
	}{
		{arrow.PrimitiveTypes.Int8, Int2},
		{arrow.PrimitiveTypes.Uint64, Decimal(20, 0)},
		{arrow.BinaryTypes.LargeString, Text},
		{arrow.BinaryTypes.StringView, Text},
		{&arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "Europe/Paris"}, TimestampTZ},
		{&arrow.TimestampType{Unit: arrow.Millisecond}, Timestamp},
		{arrow.FixedWidthTypes.Time32s, Time},
		{arrow.FixedWidthTypes.Date64, Date},
		{&arrow.Decimal256Type{Precision: 20, Scale: 3}, Decimal(20, 3)},
		{&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, Text},
		{UUID, UUID},
		{Int4, Int4},
	}
	for _, tt := range tests {
		got, ok := Normalize(tt.in)
		if !ok || !arrow.TypeEqual(got, tt.want) {
			t.Errorf("Normalize(%s) = %v, %v; want %s", tt.in, got, ok, tt.want)
		}
	}
	if _, ok := Normalize(arrow.ListOf(Int4)); ok {
		t.Error("Normalize(list) ok")
	}
	if _, ok := Normalize(&arrow.Decimal256Type{Precision: 60, Scale: 3}); ok {
		t.Error("Normalize(decimal256(60)) ok")
	}
}
