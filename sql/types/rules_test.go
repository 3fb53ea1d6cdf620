package types

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/sqlerr"
)

func TestCommon(t *testing.T) {
	tests := []struct {
		a, b, want arrow.DataType
	}{
		{Int2, Int4, Int4},
		{Int8, Int4, Int8},
		{Int4, Decimal(15, 2), Decimal(15, 2)},
		{Int8, Decimal(15, 2), Decimal(21, 2)},
		{Decimal(10, 4), Decimal(15, 2), Decimal(17, 4)},
		{Decimal(15, 2), Float4, Float4},
		{Float4, Float8, Float8},
		{Int8, Float8, Float8},
		{Null, Date, Date},
		{Text, Null, Text},
		{Date, Timestamp, Timestamp},
		{TimestampTZ, Date, TimestampTZ},
		{Time, Interval, Interval},
		{Text, Text, Text},
		{Decimal(38, 2), Decimal(38, 10), Decimal(38, 6)},
	}
	for _, tt := range tests {
		got, err := Common(tt.a, tt.b)
		if err != nil || !arrow.TypeEqual(got, tt.want) {
			t.Errorf("Common(%s, %s) = %v, %v; want %s", tt.a, tt.b, got, err, tt.want)
		}
	}
	_, err := Common(Text, Int4)
	if sqlerr.CodeOf(err) != sqlerr.DatatypeMismatch || err.Error() != "types text and integer cannot be matched" {
		t.Errorf("Common(text, int) = %v", err)
	}
	if _, err := Common(Boolean, Int4); err == nil {
		t.Error("Common(bool, int): no error")
	}
}

func TestCasts(t *testing.T) {
	tests := []struct {
		from, to           arrow.DataType
		implicit, explicit bool
	}{
		{Int2, Int8, true, true},
		{Int8, Int2, false, true},
		{Int4, Decimal(10, 2), true, true},
		{Decimal(10, 2), Float8, true, true},
		{Float8, Decimal(10, 2), false, true},
		{Decimal(10, 2), Decimal(5, 1), true, true},
		{Date, Timestamp, true, true},
		{Timestamp, Date, false, true},
		{TimestampTZ, Timestamp, false, true},
		{Text, Int4, false, true},
		{Int4, Text, false, true},
		{Text, Date, false, true},
		{Boolean, Int4, false, true},
		{Boolean, Float8, false, false},
		{Date, Int4, false, false},
		{Null, UUID, true, true},
		{UUID, Text, false, true},
		{UUID, Bytea, false, false},
		{Time, Interval, true, true},
		{Interval, Time, false, true},
	}
	for _, tt := range tests {
		if got := ImplicitCast(tt.from, tt.to); got != tt.implicit {
			t.Errorf("ImplicitCast(%s, %s) = %v", tt.from, tt.to, got)
		}
		if got := CanCast(tt.from, tt.to); got != tt.explicit {
			t.Errorf("CanCast(%s, %s) = %v", tt.from, tt.to, got)
		}
	}
}

func TestArithmetic(t *testing.T) {
	tests := []struct {
		op         string
		a, b, want arrow.DataType
	}{
		{"+", Int2, Int2, Int2},
		{"+", Int4, Int8, Int8},
		{"/", Int4, Int4, Int4},
		{"%", Int8, Int4, Int8},
		{"+", Float4, Float4, Float4},
		{"+", Float4, Int4, Float8},
		{"*", Decimal(15, 2), Float8, Float8},
		{"+", Decimal(15, 2), Decimal(15, 2), Decimal(16, 2)},
		{"-", Decimal(15, 2), Int4, Decimal(16, 2)},
		{"*", Decimal(15, 2), Decimal(15, 2), Decimal(30, 4)},
		{"*", Decimal(38, 2), Decimal(15, 2), Decimal(38, 4)},
		{"/", Decimal(15, 2), Decimal(15, 2), Decimal(31, 16)},
		{"/", Decimal(38, 2), Decimal(38, 2), Decimal(38, 16)},
		{"/", Int4, Decimal(5, 0), Decimal(26, 16)},
		{"%", Decimal(15, 2), Decimal(10, 4), Decimal(10, 4)},
		{"+", Date, Int4, Date},
		{"-", Date, Date, Int4},
		{"+", Date, Interval, Timestamp},
		{"-", Date, Interval, Timestamp},
		{"+", Interval, TimestampTZ, TimestampTZ},
		{"-", Timestamp, Timestamp, Interval},
		{"*", Interval, Float8, Interval},
		{"*", Int4, Interval, Interval},
		{"+", Null, Int4, Int4},
		{"||", Text, Text, Text},
		{"||", Text, Int4, Text},
		{"||", Bytea, Bytea, Bytea},
	}
	for _, tt := range tests {
		got, err := Arithmetic(tt.op, tt.a, tt.b)
		if err != nil || !arrow.TypeEqual(got, tt.want) {
			t.Errorf("%s %s %s = %v, %v; want %s", tt.a, tt.op, tt.b, got, err, tt.want)
		}
	}
	bad := []struct {
		op   string
		a, b arrow.DataType
		msg  string
	}{
		{"+", Int4, Text, "operator does not exist: integer + text"},
		{"+", Date, Date, "operator does not exist: date + date"},
		{"%", Float8, Float8, "operator does not exist: double precision % double precision"},
		{"/", Int4, Interval, "operator does not exist: integer / interval"},
		{"||", Int4, Int4, "operator does not exist: integer || integer"},
		{"^", Int4, Int4, "operator does not exist: integer ^ integer"},
	}
	for _, tt := range bad {
		_, err := Arithmetic(tt.op, tt.a, tt.b)
		if sqlerr.CodeOf(err) != sqlerr.UndefinedFunction || err.Error() != tt.msg {
			t.Errorf("%s %s %s: error %v, want %q", tt.a, tt.op, tt.b, err, tt.msg)
		}
	}
}

func TestComparison(t *testing.T) {
	got, err := Comparison("=", Int4, Decimal(15, 2))
	if err != nil || !arrow.TypeEqual(got, Decimal(15, 2)) {
		t.Errorf("int = numeric: %v, %v", got, err)
	}
	_, err = Comparison("<", Date, Int4)
	if sqlerr.CodeOf(err) != sqlerr.UndefinedFunction || err.Error() != "operator does not exist: date < integer" {
		t.Errorf("date < int: %v", err)
	}
	got, err = Comparison("=", Null, Null)
	if err != nil || !arrow.TypeEqual(got, Text) {
		t.Errorf("null = null: %v, %v", got, err)
	}
}

func TestAggregate(t *testing.T) {
	tests := []struct {
		name      string
		arg, want arrow.DataType
	}{
		{"count", Text, Int8},
		{"sum", Int4, Int8},
		{"sum", Int8, Decimal(38, 0)},
		{"sum", Decimal(15, 2), Decimal(38, 2)},
		{"sum", Float4, Float4},
		{"sum", Interval, Interval},
		{"avg", Int4, Decimal(38, 16)},
		{"avg", Decimal(15, 2), Decimal(38, 16)},
		{"avg", Decimal(30, 20), Decimal(38, 20)},
		{"avg", Float4, Float8},
		{"min", Date, Date},
		{"max", Text, Text},
		{"bool_and", Boolean, Boolean},
		{"string_agg", Text, Text},
		{"stddev", Int4, Decimal(38, 16)},
		{"variance", Float8, Float8},
	}
	for _, tt := range tests {
		got, err := Aggregate(tt.name, tt.arg)
		if err != nil || !arrow.TypeEqual(got, tt.want) {
			t.Errorf("%s(%s) = %v, %v; want %s", tt.name, tt.arg, got, err, tt.want)
		}
	}
	_, err := Aggregate("sum", Text)
	if sqlerr.CodeOf(err) != sqlerr.UndefinedFunction || err.Error() != "function sum(text) does not exist" {
		t.Errorf("sum(text): %v", err)
	}
	if _, err := Aggregate("bool_or", Int4); err == nil {
		t.Error("bool_or(int): no error")
	}
}
