package bind_test

import (
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// TestBindTypedLiterals: timestamptz 'text' and the other typed literals
// are casts of the string.
func TestBindTypedLiterals(t *testing.T) {
	res, err := bindSQL(bindtest.TPCH(), "alice", "select timestamptz '2024-01-01 10:00:00+02', timestamp with time zone '2024-01-01 10:00:00+02' = '2024-01-01 08:00:00+00'::timestamptz, "+
		"timestamp without time zone '2024-01-01 10:00:00', time without time zone '10:00', time '10:00:01', timestamp(0) '2024-01-01 10:00:00.6'")
	if err != nil {
		t.Fatal(err)
	}
	want := "Projection: TIMESTAMPTZ '2024-01-01 08:00:00+00' AS ?column?, (TIMESTAMPTZ '2024-01-01 08:00:00+00' = TIMESTAMPTZ '2024-01-01 08:00:00+00') AS ?column?, " +
		"TIMESTAMP '2024-01-01 10:00:00' AS ?column?, TIME '10:00:00.000000' AS ?column?, TIME '10:00:01.000000' AS ?column?"
	if got := plan.FormatBrief(res.Root); !strings.HasPrefix(got, want) {
		t.Errorf("got  %s\nwant %s...", got, want)
	}
	var typs []string
	for _, c := range res.Root.Columns() {
		typs = append(typs, c.Type.String())
	}
	if got := strings.Join(typs, ","); got != "timestamp[us, tz=UTC],bool,timestamp[us],time64[us],time64[us],timestamp[us]" {
		t.Errorf("types %s", got)
	}
	if _, err := bindSQL(bindtest.TPCH(), "alice", "select timestamptz 'nonsense'"); sqlerr.CodeOf(err) != sqlerr.InvalidDatetimeFormat {
		t.Errorf("bad timestamptz literal: %v", err)
	}
}
