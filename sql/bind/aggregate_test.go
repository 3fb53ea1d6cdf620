package bind_test

import (
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

func statsCatalog() *bindtest.Catalog {
	cat := bindtest.TPCH()
	cat.Add("public", "st", "", -1, "s smallint, i integer, b bigint, n numeric(15,2), r real, f double precision, x text")
	return cat
}

// TestBindStatistics: stddev and variance are the sample statistics;
// numeric over integers and numerics, double precision over floats; as
// aggregates (with FILTER, in HAVING and ORDER BY) and window functions.
func TestBindStatistics(t *testing.T) {
	cases := []struct{ sql, typ, plan string }{
		{"select stddev(n) from st", "numeric(38,16)", "aggr=[stddev_samp(st.n)]"},
		{"select stddev_samp(i) from st", "numeric(38,16)", "aggr=[stddev_samp(st.i)]"},
		{"select stddev_pop(b) from st", "numeric(38,16)", "aggr=[stddev_pop(st.b)]"},
		{"select variance(s) from st", "numeric(38,16)", "aggr=[var_samp(st.s)]"},
		{"select var_samp(f) from st", "double precision", "aggr=[var_samp(st.f)]"},
		{"select var_pop(r) from st", "double precision", "aggr=[var_pop(st.r)]"},
		{"select stddev(n) filter (where i > 1) from st", "numeric(38,16)", "stddev_samp(st.n) FILTER (WHERE (st.i > 1))"},
		{"select i, variance(n) from st group by i having variance(n) > 1 order by stddev(f)", "integer", "aggr=[var_samp(st.n), stddev_samp(st.f)]"},
		{"select stddev(n) over (partition by i order by b) from st", "numeric(38,16)", "stddev_samp(st.n) OVER"},
		{"select var_pop(f) over w from st window w as (order by i rows between 1 preceding and current row)", "double precision", "var_pop(st.f) OVER"},
	}
	cat := statsCatalog()
	for _, c := range cases {
		res, err := bindSQL(cat, "alice", c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if got := types.SQLName(res.Root.Columns()[0].Type); got != c.typ {
			t.Errorf("%s: type %s, want %s", c.sql, got, c.typ)
		}
		if got := plan.FormatBrief(res.Root); !strings.Contains(got, c.plan) {
			t.Errorf("%s: plan lacks %q:\n%s", c.sql, c.plan, got)
		}
	}
}

func TestBindStatisticsErrors(t *testing.T) {
	cases := []struct {
		sql  string
		code sqlerr.Code
		msg  string
	}{
		{"select stddev(x) from st", sqlerr.UndefinedFunction, "function stddev(text) does not exist"},
		{"select var_pop(i > 1) from st", sqlerr.UndefinedFunction, "function var_pop(boolean) does not exist"},
		{"select i, stddev(n) from st", sqlerr.GroupingError, "GROUP BY"},
		{"select * from st where variance(n) > 1", sqlerr.GroupingError, "not allowed in WHERE"},
	}
	cat := statsCatalog()
	for _, c := range cases {
		bindError(t, cat, c.sql, c.code, c.msg)
	}
}
