package main

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/medleysql/medley/engine/pgtext"
)

// appendJSONValue appends row i of arr as a JSON value, as PostgreSQL's
// to_json renders it: numbers as numbers (NaN and infinities as strings),
// booleans as true/false, timestamps as "2024-01-02T03:04:05", arrays as
// JSON arrays, composites as objects, NULL as null.
func appendJSONValue(b []byte, arr arrow.Array, i int) []byte {
	if arr.IsNull(i) {
		return append(b, "null"...)
	}
	switch a := arr.(type) {
	case *array.Boolean:
		return strconv.AppendBool(b, a.Value(i))
	case *array.Int8, *array.Int16, *array.Int32, *array.Int64,
		*array.Uint8, *array.Uint16, *array.Uint32, *array.Uint64,
		*array.Decimal32, *array.Decimal64, *array.Decimal128, *array.Decimal256:
		s, _ := pgtext.Format(arr, i)
		return append(b, s...)
	case *array.Float16:
		return appendJSONFloat(b, float64(a.Value(i).Float32()), 32)
	case *array.Float32:
		return appendJSONFloat(b, float64(a.Value(i)), 32)
	case *array.Float64:
		return appendJSONFloat(b, a.Value(i), 64)
	case *array.Timestamp:
		return appendJSONString(b, pgtext.Timestamp(a, i, "T"))
	case array.ListLike:
		if _, isMap := arr.(*array.Map); !isMap {
			return appendJSONList(b, a, i)
		}
	case *array.Struct:
		return appendJSONStruct(b, a, i)
	case *array.Dictionary:
		return appendJSONValue(b, a.Dictionary(), a.GetValueIndex(i))
	}
	s, _ := pgtext.Format(arr, i)
	return appendJSONString(b, s)
}

func appendJSONFloat(b []byte, f float64, bits int) []byte {
	s := pgtext.Float(f, bits)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return appendJSONString(b, s)
	}
	return append(b, s...)
}

func appendJSONList(b []byte, a array.ListLike, i int) []byte {
	start, end := a.ValueOffsets(i)
	vals := a.ListValues()
	b = append(b, '[')
	for j := start; j < end; j++ {
		if j > start {
			b = append(b, ',')
		}
		b = appendJSONValue(b, vals, int(j))
	}
	return append(b, ']')
}

func appendJSONStruct(b []byte, a *array.Struct, i int) []byte {
	typ := a.DataType().(*arrow.StructType)
	b = append(b, '{')
	for f := 0; f < a.NumField(); f++ {
		if f > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, typ.Field(f).Name)
		b = append(b, ':')
		b = appendJSONValue(b, a.Field(f), i)
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string literal (RFC 8259 escaping,
// without encoding/json's HTML escapes).
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15])
		case r == utf8.RuneError:
			b = append(b, "\\ufffd"...)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
