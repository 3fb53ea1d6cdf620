package bind_test

import (
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/plan"
)

// TestBindBetweenSymmetric: x BETWEEN SYMMETRIC a AND b binds as
// (x BETWEEN a AND b) OR (x BETWEEN b AND a), NOT BETWEEN SYMMETRIC as
// (x NOT BETWEEN a AND b) AND (x NOT BETWEEN b AND a).
func TestBindBetweenSymmetric(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"select n_name from nation where n_nationkey between symmetric 10 and 5", `
Projection: nation.n_name
  Filter: (((nation.n_nationkey >= 10) AND (nation.n_nationkey <= 5)) OR ((nation.n_nationkey >= 5) AND (nation.n_nationkey <= 10)))
    TableScan: public.nation server=mem`},
		{"select n_name from nation where n_nationkey + 1 not between symmetric 10 and 5", `
Projection: nation.n_name
  Filter: ((((nation.n_nationkey + 1) < 10) OR ((nation.n_nationkey + 1) > 5)) AND (((nation.n_nationkey + 1) < 5) OR ((nation.n_nationkey + 1) > 10)))
    TableScan: public.nation server=mem`},
		{"select n_name from nation where n_nationkey between asymmetric 10 and 5", `
Projection: nation.n_name
  Filter: ((nation.n_nationkey >= 10) AND (nation.n_nationkey <= 5))
    TableScan: public.nation server=mem`},
	}
	cat := bindtest.TPCH()
	for _, c := range cases {
		res, err := bindSQL(cat, "alice", c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if got, want := strings.TrimSpace(plan.FormatBrief(res.Root)), strings.TrimSpace(c.want); got != want {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", c.sql, got, want)
		}
	}
}
