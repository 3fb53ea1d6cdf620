package compile

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	gproto "google.golang.org/protobuf/proto"

	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/substrait"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func tpchQuery(t *testing.T, n int) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("../parse/testdata/tpch/q%d.sql", n))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTPCH compiles the 22 TPC-H queries as the specification writes them
// and pins their optimized plans.
func TestTPCH(t *testing.T) {
	cat := bindtest.TPCH()
	for n := 1; n <= 22; n++ {
		t.Run(fmt.Sprintf("q%d", n), func(t *testing.T) {
			res, err := SQL(context.Background(), cat, "alice", tpchQuery(t, n), Options{})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, fmt.Sprintf("tpch/q%02d.golden", n), res.Explain(false))
		})
	}
}

// TestRoundTrip checks plan → protobuf → plan → same protobuf, and the same
// through JSON, for every TPC-H query.
func TestRoundTrip(t *testing.T) {
	cat := bindtest.TPCH()
	for n := 1; n <= 22; n++ {
		t.Run(fmt.Sprintf("q%d", n), func(t *testing.T) {
			roundTrip(t, cat, tpchQuery(t, n), Options{})
		})
	}
}

// TestRoundTripDateTime: the date/time functions (Medley's date_trunc, the
// current time as literals, date - date) survive serialization.
func TestRoundTripDateTime(t *testing.T) {
	now := func() time.Time { return time.Date(2024, 5, 15, 13, 45, 30, 123456000, time.UTC) }
	for _, q := range []string{
		"select date_trunc('month', o_orderdate), count(*) from orders group by 1",
		"select o_orderdate - date '1990-01-01', extract(epoch from o_orderdate + interval '1 hour') from orders",
		"select date_trunc('hour', localtimestamp), current_date, now(), localtime from orders where o_orderdate < current_date",
	} {
		t.Run(q, func(t *testing.T) {
			roundTrip(t, bindtest.TPCH(), q, Options{Now: now})
		})
	}
}

// roundTrip checks plan → protobuf → plan → same protobuf, and the same
// through JSON.
func roundTrip(t *testing.T, cat *bindtest.Catalog, sql string, opts Options) {
	t.Helper()
	res, err := SQL(context.Background(), cat, "alice", sql, opts)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := substrait.ToBinary(res.Plan)
	if err != nil {
		t.Fatal(err)
	}
	back, err := substrait.FromBinary(bin)
	if err != nil {
		t.Fatal(err)
	}
	bin2, err := substrait.ToBinary(back)
	if err != nil {
		t.Fatal(err)
	}
	p1, _ := res.Plan.ToProto()
	p2, _ := back.ToProto()
	if !gproto.Equal(p1, p2) {
		t.Errorf("protobuf round trip changed the plan (%d vs %d bytes)", len(bin), len(bin2))
	}
	js, err := res.SubstraitJSON()
	if err != nil {
		t.Fatal(err)
	}
	fromJS, err := substrait.FromJSON([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	js2, err := substrait.ToJSON(fromJS)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal([]byte(js), []byte(js2)) {
		t.Error("JSON round trip changed the plan")
	}
}
