package main

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/extensions"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/engine/pgtext"
)

// TestTextValue checks each type against PostgreSQL 15's text output of
// the same value (engine/pgtext) and to_json (the CLI's --format json).
func TestTextValue(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	kolkata := &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "Asia/Kolkata"}
	utc := &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}
	cases := []struct {
		typ       arrow.DataType
		json      string // the value as Arrow's JSON reader takes it
		text, out string // PostgreSQL's text output and to_json
	}{
		{arrow.FixedWidthTypes.MonthDayNanoInterval, `{"months": 14, "days": 3, "nanoseconds": 14706500000000}`,
			"1 year 2 mons 3 days 04:05:06.5", `"1 year 2 mons 3 days 04:05:06.5"`},
		{arrow.FixedWidthTypes.MonthDayNanoInterval, `{"months": 0, "days": -1, "nanoseconds": 0}`, "-1 days", `"-1 days"`},
		{arrow.FixedWidthTypes.MonthDayNanoInterval, `{"months": 0, "days": 0, "nanoseconds": 0}`, "00:00:00", `"00:00:00"`},
		{arrow.FixedWidthTypes.MonthDayNanoInterval, `{"months": 1, "days": 0, "nanoseconds": 0}`, "1 mon", `"1 mon"`},
		{arrow.FixedWidthTypes.Duration_s, `90000`, "25:00:00", `"25:00:00"`},
		{kolkata, `"2024-01-02T03:04:05.123Z"`, "2024-01-02 08:34:05.123+05:30", `"2024-01-02T08:34:05.123+05:30"`},
		{utc, `"2024-01-01T21:34:05.123Z"`, "2024-01-01 21:34:05.123+00", `"2024-01-01T21:34:05.123+00:00"`},
		{arrow.FixedWidthTypes.Time64us, `"12:34:56.5"`, "12:34:56.5", `"12:34:56.5"`},
		{arrow.FixedWidthTypes.Time32s, `"12:34:56"`, "12:34:56", `"12:34:56"`},
		{arrow.BinaryTypes.Binary, `"AQL/"`, `\x0102ff`, `"\\x0102ff"`},
		{arrow.ListOf(arrow.PrimitiveTypes.Int32), `[1, 2, null]`, "{1,2,NULL}", "[1,2,null]"},
		{arrow.ListOf(arrow.BinaryTypes.String), `["a b", "c", "", "NULL"]`, `{"a b",c,"","NULL"}`, `["a b","c","","NULL"]`},
		{arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
			arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true},
			arrow.Field{Name: "c", Type: arrow.BinaryTypes.String, Nullable: true}),
			`{"a": 1, "b": "x y", "c": null}`, `(1,"x y",)`, `{"a":1,"b":"x y","c":null}`},
		{arrow.FixedWidthTypes.Date32, `"0000-01-01"`, "0001-01-01 BC", `"0001-01-01 BC"`},
		{&arrow.Decimal128Type{Precision: 5, Scale: 3}, `"0.050"`, "0.050", "0.050"},
		{&arrow.Decimal64Type{Precision: 5, Scale: 0}, `"12"`, "12", "12"},
		{arrow.PrimitiveTypes.Uint64, `18446744073709551615`, "18446744073709551615", "18446744073709551615"},
		{arrow.BinaryTypes.String, `"tab\t<&> \u2028"`, "tab\t<&> \u2028", `"tab\t<&> \u2028"`},
		{arrow.PrimitiveTypes.Float64, `"NaN"`, "NaN", `"NaN"`},
		{extensions.NewUUIDType(), `"550e8400-e29b-41d4-a716-446655440000"`,
			"550e8400-e29b-41d4-a716-446655440000", `"550e8400-e29b-41d4-a716-446655440000"`},
	}
	for _, tc := range cases {
		t.Run(tc.typ.String()+" "+tc.text, func(t *testing.T) {
			arr, _, err := array.FromJSON(mem, tc.typ, strings.NewReader("["+tc.json+", null]"))
			if err != nil {
				t.Fatalf("FromJSON: %v", err)
			}
			defer arr.Release()
			if got, ok := pgtext.Format(arr, 0); !ok || got != tc.text {
				t.Errorf("text %q, want %q", got, tc.text)
			}
			if got := string(appendJSONValue(nil, arr, 0)); got != tc.out {
				t.Errorf("json %s, want %s", got, tc.out)
			}
			if _, ok := pgtext.Format(arr, 1); ok {
				t.Error("NULL not reported")
			}
			if got := string(appendJSONValue(nil, arr, 1)); got != "null" {
				t.Errorf("json NULL %s", got)
			}
		})
	}
}

func TestFormatTiming(t *testing.T) {
	cases := map[time.Duration]string{
		1234 * time.Microsecond:                     "Time: 1.234 ms",
		61*time.Second + 500*time.Millisecond:       "Time: 61500.000 ms (01:01.500)",
		2*time.Hour + 3*time.Minute + 4*time.Second: "Time: 7384000.000 ms (02:03:04.000)",
	}
	for d, want := range cases {
		if got := formatTiming(d); got != want {
			t.Errorf("formatTiming(%v) = %q, want %q", d, got, want)
		}
	}
}
