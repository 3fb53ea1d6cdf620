package sqlite

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/sql/sqlerr"
)

const usPerDay = 86400 * 1000000

// unixMicros reads an INTEGER or REAL of Unix seconds as microseconds.
func unixMicros(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		if x > math.MaxInt64/1000000 || x < math.MinInt64/1000000 {
			return 0, false
		}
		return x * 1000000, true
	case float64:
		us := math.Round(x * 1e6)
		if math.IsNaN(us) || us >= 9.2e18 || us <= -9.2e18 {
			return 0, false
		}
		return int64(us), true
	}
	return 0, false
}

func convDate(b array.Builder, v any) error {
	var days int64
	switch x := v.(type) {
	case string:
		t, err := time.Parse("2006-01-02", strings.TrimSpace(x))
		if err != nil {
			return &sqlconn.ConvError{Code: sqlerr.InvalidDatetimeFormat, Msg: fmt.Sprintf("TEXT %s is not an ISO-8601 date (YYYY-MM-DD)", shortValue(v))}
		}
		days = t.Unix() / 86400
	case time.Time:
		u := x.UTC()
		if u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond() != 0 {
			return &sqlconn.ConvError{Code: sqlerr.InvalidDatetimeFormat, Msg: fmt.Sprintf("TEXT %s is not a date: it has a time of day", shortValue(v))}
		}
		days = u.Unix() / 86400
	default:
		us, ok := unixMicros(v)
		if !ok {
			return badValue(v, "date")
		}
		if us%usPerDay != 0 {
			return &sqlconn.ConvError{Code: sqlerr.InvalidDatetimeFormat, Msg: fmt.Sprintf("%s %s Unix seconds is not midnight UTC, so not a date", storageClass(v), shortValue(v))}
		}
		days = us / usPerDay
	}
	if days < math.MinInt32 || days > math.MaxInt32 {
		return &sqlconn.ConvError{Code: sqlerr.DatetimeFieldOverflow, Msg: fmt.Sprintf("date %s out of range", shortValue(v))}
	}
	b.(*array.Date32Builder).Append(arrow.Date32(days))
	return nil
}

// timestampLayouts are the ISO-8601 forms SQLite's date functions accept.
var timestampLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02",
}

func parseTimestamp(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timestampLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func convTimestamp(t *arrow.TimestampType) converter {
	return func(b array.Builder, v any) error {
		var tm time.Time
		switch x := v.(type) {
		case string:
			var ok bool
			if tm, ok = parseTimestamp(x); !ok {
				return &sqlconn.ConvError{Code: sqlerr.InvalidDatetimeFormat, Msg: fmt.Sprintf("TEXT %s is not an ISO-8601 timestamp", shortValue(v))}
			}
		case time.Time:
			tm = x
		default:
			us, ok := unixMicros(v)
			if !ok {
				return badValue(v, "timestamp")
			}
			tm = time.UnixMicro(us)
		}
		ts, err := arrow.TimestampFromTime(tm, t.Unit)
		if err != nil {
			return &sqlconn.ConvError{Code: sqlerr.DatetimeFieldOverflow, Msg: fmt.Sprintf("timestamp %s out of range", shortValue(v))}
		}
		b.(*array.TimestampBuilder).Append(ts)
		return nil
	}
}

func convTime(unit arrow.TimeUnit, app func(array.Builder, int64)) converter {
	return func(b array.Builder, v any) error {
		var ns int64
		switch x := v.(type) {
		case string:
			tm, err := time.Parse("15:04:05.999999999", strings.TrimSpace(x))
			if err != nil {
				if tm, err = time.Parse("15:04", strings.TrimSpace(x)); err != nil {
					return &sqlconn.ConvError{Code: sqlerr.InvalidDatetimeFormat, Msg: fmt.Sprintf("TEXT %s is not a time (HH:MM:SS)", shortValue(v))}
				}
			}
			ns = int64(tm.Hour())*3600e9 + int64(tm.Minute())*60e9 + int64(tm.Second())*1e9 + int64(tm.Nanosecond())
		case time.Time:
			ns = int64(x.Hour())*3600e9 + int64(x.Minute())*60e9 + int64(x.Second())*1e9 + int64(x.Nanosecond())
		default:
			us, ok := unixMicros(v)
			if !ok || us < 0 || us >= usPerDay {
				return badValue(v, "time")
			}
			ns = us * 1000
		}
		app(b, ns/int64(unit.Multiplier()))
		return nil
	}
}
