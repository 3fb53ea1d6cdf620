package bind_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// datetimeCatalog is TPC-H plus a table of every date/time type.
func datetimeCatalog() *bindtest.Catalog {
	cat := bindtest.TPCH()
	cat.Add("public", "tt", "", -1, "ts timestamp null, tz timestamptz null, tm time null, d date null, iv interval null, s text null")
	return cat
}

// fixedClock is 2024-05-15 13:45:30.1234567 UTC, counting its reads.
func fixedClock(reads *int) func() time.Time {
	return func() time.Time {
		*reads++
		return time.Date(2024, 5, 15, 13, 45, 30, 123456789, time.UTC)
	}
}

func bindAt(cat bind.Catalog, sql string, now func() time.Time) (*bind.Result, error) {
	st, err := parse.ParseOne(sql)
	if err != nil {
		return nil, err
	}
	return bind.BindParsed(context.Background(), cat, "alice", st, bind.Options{Now: now})
}

// TestBindClock: the current date/time functions are literals of the
// statement's time, read once; a precision rounds the fraction.
func TestBindClock(t *testing.T) {
	cases := []struct{ sql, want, types, names string }{
		{"select current_date, current_timestamp, now(), localtimestamp, localtime",
			"DATE '2024-05-15' AS current_date, TIMESTAMPTZ '2024-05-15 13:45:30.123456+00' AS current_timestamp, " +
				"TIMESTAMPTZ '2024-05-15 13:45:30.123456+00' AS now, TIMESTAMP '2024-05-15 13:45:30.123456' AS localtimestamp, " +
				"TIME '13:45:30.123456' AS localtime",
			"date,timestamp with time zone,timestamp with time zone,timestamp without time zone,time without time zone",
			"current_date,current_timestamp,now,localtimestamp,localtime"},
		{"select CURRENT_DATE, CURRENT_TIMESTAMP, transaction_timestamp(), statement_timestamp()",
			"DATE '2024-05-15' AS current_date, TIMESTAMPTZ '2024-05-15 13:45:30.123456+00' AS current_timestamp, " +
				"TIMESTAMPTZ '2024-05-15 13:45:30.123456+00' AS transaction_timestamp, " +
				"TIMESTAMPTZ '2024-05-15 13:45:30.123456+00' AS statement_timestamp",
			"date,timestamp with time zone,timestamp with time zone,timestamp with time zone",
			"current_date,current_timestamp,transaction_timestamp,statement_timestamp"},
		// A precision rounds half away from zero.
		{"select current_timestamp(0), localtimestamp(2), localtime(4)",
			"TIMESTAMPTZ '2024-05-15 13:45:30+00' AS current_timestamp, TIMESTAMP '2024-05-15 13:45:30.12' AS localtimestamp, " +
				"TIME '13:45:30.123500' AS localtime", "", ""},
		{"select current_timestamp ( 0 ), localtimestamp(5)",
			"TIMESTAMPTZ '2024-05-15 13:45:30+00' AS current_timestamp, TIMESTAMP '2024-05-15 13:45:30.12346' AS localtimestamp", "", ""},
		// Casts of the literals fold.
		{"select now()::date, localtimestamp::time, current_timestamp::timestamp, current_date::timestamptz",
			"DATE '2024-05-15' AS now, TIME '13:45:30.123456' AS localtimestamp, TIMESTAMP '2024-05-15 13:45:30.123456' AS current_timestamp, " +
				"TIMESTAMPTZ '2024-05-15 00:00:00+00' AS current_date", "", ""},
		{"select d from tt where d < current_date and ts >= localtimestamp - interval '1 day'",
			"DATE '2024-05-15'", "", ""},
	}
	for _, c := range cases {
		reads := 0
		res, err := bindAt(datetimeCatalog(), c.sql, fixedClock(&reads))
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if reads != 1 {
			t.Errorf("%s: the clock was read %d times, want once", c.sql, reads)
		}
		if got := plan.FormatBrief(res.Root); !strings.Contains(got, c.want) {
			t.Errorf("%s: plan lacks %q:\n%s", c.sql, c.want, got)
		}
		var ts, names []string
		for _, col := range res.Root.Columns() {
			ts = append(ts, types.SQLName(col.Type))
			names = append(names, col.Name)
		}
		if got := strings.Join(ts, ","); c.types != "" && got != c.types {
			t.Errorf("%s: types %s, want %s", c.sql, got, c.types)
		}
		if got := strings.Join(names, ","); c.names != "" && got != c.names {
			t.Errorf("%s: names %s, want %s", c.sql, got, c.names)
		}
	}
	// Without a clock in the options, the binder reads time.Now.
	before := time.Now().Add(-time.Second)
	res, err := bindAt(datetimeCatalog(), "select current_timestamp", nil)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := res.Root.(*plan.Project)
	if !ok {
		t.Fatalf("plan %T, want a projection", res.Root)
	}
	lit, ok := p.Exprs[0].(*plan.Literal)
	if !ok || lit.Value == nil {
		t.Fatalf("current_timestamp is %v, want a literal", p.Exprs[0])
	}
	if got := time.UnixMicro(int64(lit.Value.(arrow.Timestamp))); got.Before(before) || got.After(time.Now()) {
		t.Errorf("current_timestamp %v is not now (%v)", got, before)
	}
}

// TestBindDateTimeTypes: operators and functions on dates and times have
// PostgreSQL's result types.
func TestBindDateTimeTypes(t *testing.T) {
	cases := []struct{ expr, want string }{
		{"d - date '2020-01-01'", "integer"},
		{"d - d", "integer"},
		{"d - null", "integer"},
		{"d + 1", "date"},
		{"1 + d", "date"},
		{"d - 1", "date"},
		{"d - interval '1 day'", "timestamp without time zone"},
		{"ts + interval '1 day'", "timestamp without time zone"},
		{"ts - ts", "interval"},
		{"tz - tz", "interval"},
		{"date_trunc('month', ts)", "timestamp without time zone"},
		{"date_trunc('Month', tz)", "timestamp with time zone"},
		{"date_trunc('week', d)", "timestamp with time zone"},
		{"date_trunc('microseconds', ts)", "timestamp without time zone"},
		{"date_trunc(null, ts)", "timestamp without time zone"},
		{"extract(year from d)", "bigint"},
		{"extract(epoch from d)", "bigint"},
		{"extract(epoch from ts)", "numeric(19,6)"},
		{"extract(second from ts)", "numeric(8,6)"},
		{"extract(milliseconds from tm)", "numeric(8,3)"},
		{"extract(epoch from tm)", "numeric(11,6)"},
		{"extract(dow from d)", "bigint"},
		{"extract(isodow from d)", "bigint"},
		{"extract(doy from ts)", "bigint"},
		{"date_part('epoch', ts)", "double precision"},
		{"date_part('hour', d)", "double precision"},
		{"date_part('years', tz)", "double precision"},
		{"date_part(null, tm)", "double precision"},
	}
	for _, c := range cases {
		sql := "select " + c.expr + " from tt"
		res, err := bindAt(datetimeCatalog(), sql, nil)
		if err != nil {
			t.Errorf("%s: %v", sql, err)
			continue
		}
		if got := types.SQLName(res.Root.Columns()[0].Type); got != c.want {
			t.Errorf("%s: type %s, want %s", sql, got, c.want)
		}
	}
}

// TestBindDateTimeFields: units are PostgreSQL's spellings, passed on as
// the canonical field.
func TestBindDateTimeFields(t *testing.T) {
	cases := []struct{ expr, want string }{
		{"date_trunc('microseconds', ts)", "date_trunc(MICROSECONDS, tt.ts)"},
		{"date_trunc('usec', ts)", "date_trunc(MICROSECONDS, tt.ts)"},
		{"date_trunc('MILLISECOND', ts)", "date_trunc(MILLISECONDS, tt.ts)"},
		{"date_trunc('mins', ts)", "date_trunc(MINUTE, tt.ts)"},
		{"date_trunc('qtr', ts)", "date_trunc(QUARTER, tt.ts)"},
		{"date_trunc('millennia', ts)", "date_trunc(MILLENNIUM, tt.ts)"},
		{"date_trunc('day', d)", "date_trunc(DAY, CAST(tt.d AS timestamp with time zone))"},
		{"extract(microsecond from ts)", "extract(MICROSECONDS, tt.ts)"},
		{"extract(microseconds from ts)", "extract(MICROSECONDS, tt.ts)"},
		{"date_part('dow', d)", "extract(DOW, CAST(tt.d AS timestamp))"},
	}
	for _, c := range cases {
		sql := "select " + c.expr + " from tt"
		res, err := bindAt(datetimeCatalog(), sql, nil)
		if err != nil {
			t.Errorf("%s: %v", sql, err)
			continue
		}
		if got := plan.FormatBrief(res.Root); !strings.Contains(got, c.want) {
			t.Errorf("%s: plan lacks %q:\n%s", sql, c.want, got)
		}
	}
}

// TestBindDateTimeErrors: PostgreSQL's SQLSTATEs and messages.
func TestBindDateTimeErrors(t *testing.T) {
	cases := []struct {
		sql  string
		code sqlerr.Code
		msg  string
	}{
		{"select date_trunc('xyz', ts) from tt", sqlerr.InvalidParameterValue, `unit "xyz" not recognized for type timestamp without time zone`},
		{"select date_trunc('epoch', tz) from tt", sqlerr.InvalidParameterValue, `unit "epoch" not recognized for type timestamp with time zone`},
		{"select date_trunc('fortnight', d) from tt", sqlerr.InvalidParameterValue, `unit "fortnight" not recognized for type timestamp with time zone`},
		{"select date_trunc('timezone', ts) from tt", sqlerr.FeatureNotSupported, `unit "timezone" not supported for type timestamp without time zone`},
		{"select date_trunc(s, ts) from tt", sqlerr.FeatureNotSupported, "non-constant field"},
		{"select date_trunc('day', '2020-01-01')", "42725", "function date_trunc(unknown, unknown) is not unique"},
		{"select date_trunc('day', iv) from tt", sqlerr.FeatureNotSupported, "date_trunc(text, interval)"},
		{"select date_trunc('day', 1)", sqlerr.UndefinedFunction, "function date_trunc(unknown, integer) does not exist"},
		{"select date_trunc(1, ts) from tt", sqlerr.UndefinedFunction, "function date_trunc(integer, timestamp without time zone) does not exist"},
		{"select date_trunc('day', tz, 'UTC') from tt", sqlerr.FeatureNotSupported, "time zone"},
		{"select extract(hour from d) from tt", sqlerr.FeatureNotSupported, `unit "hour" not supported for type date`},
		{"select extract(microseconds from d) from tt", sqlerr.FeatureNotSupported, `unit "microseconds" not supported for type date`},
		{"select extract(day from tm) from tt", sqlerr.FeatureNotSupported, `unit "day" not supported for type time without time zone`},
		{"select extract(julian from ts) from tt", sqlerr.FeatureNotSupported, `unit "julian" not supported`},
		{"select date_part('fortnight', ts) from tt", sqlerr.InvalidParameterValue, `unit "fortnight" not recognized for type timestamp without time zone`},
		{"select date_part(s, ts) from tt", sqlerr.FeatureNotSupported, "non-constant field"},
		{"select current_time", sqlerr.FeatureNotSupported, "time with time zone"},
		{"select clock_timestamp()", sqlerr.FeatureNotSupported, "clock_timestamp"},
		{"select utc_timestamp()", sqlerr.UndefinedFunction, "function utc_timestamp() does not exist"},
		{"select current_timestamp, current_timestamp(0)", sqlerr.FeatureNotSupported, "in one statement"},
	}
	for _, c := range cases {
		_, err := bindAt(datetimeCatalog(), c.sql, nil)
		var e *sqlerr.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: got %v, want a *sqlerr.Error %s", c.sql, err, c.code)
			continue
		}
		if e.Code != c.code || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: got %s %q, want %s containing %q", c.sql, e.Code, e.Message, c.code, c.msg)
		}
	}
}
