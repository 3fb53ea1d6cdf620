package main

import (
	"fmt"
	"math/big"
	"strconv"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// cellOf encodes one value scanned from DuckDB in the cell format of
// QueryResult: exact numbers unscaled with their scale, floats, text.
func cellOf(v any) *string {
	var s string
	switch v := v.(type) {
	case nil:
		return nil
	case int8, int16, int32, int64, uint8, uint16, uint32, uint64, int, uint:
		s = fmt.Sprintf("N:%d:0", v)
	case *big.Int:
		s = "N:" + v.String() + ":0"
	case duckdb.Decimal:
		s = "N:" + v.Value.String() + ":" + strconv.Itoa(int(v.Scale))
	case float32:
		s = "F:" + strconv.FormatFloat(float64(v), 'g', -1, 32)
	case float64:
		s = "F:" + strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		s = "T:" + v
	case []byte:
		s = "T:" + string(v)
	case bool:
		s = "T:f"
		if v {
			s = "T:t"
		}
	case time.Time:
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 {
			s = "T:" + v.Format(time.DateOnly)
		} else {
			s = "T:" + v.UTC().Format("2006-01-02 15:04:05.999999")
		}
	default:
		s = fmt.Sprintf("T:%v", v)
	}
	return &s
}
