package bind_test

import (
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// TestBindWindowFunctions: the window functions' result types are
// PostgreSQL's, their frames the defaults or the given ones, OVER w reads
// the named window.
func TestBindWindowFunctions(t *testing.T) {
	cases := []struct{ sql, typ, plan string }{
		{"select percent_rank() over (order by n_regionkey) from nation", "double precision",
			"percent_rank() OVER (ORDER BY nation.n_regionkey ASC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
		{"select cume_dist() over (partition by n_regionkey) from nation", "double precision",
			"cume_dist() OVER (PARTITION BY nation.n_regionkey RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"},
		{"select ntile(4) over (order by n_name) from nation", "integer", "ntile(4) OVER"},
		{"select ntile(null) over () from nation", "integer", "ntile(NULL) OVER"},
		{"select first_value(n_name) over (order by n_nationkey) from nation", "text",
			"first_value(nation.n_name) OVER (ORDER BY nation.n_nationkey ASC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
		{"select last_value(n_nationkey) over w from nation window w as (order by n_name rows between unbounded preceding and unbounded following)", "integer",
			"last_value(nation.n_nationkey) OVER (ORDER BY nation.n_name ASC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"},
		{"select nth_value(n_regionkey, 2) over w from nation window w as (partition by n_regionkey order by n_name)", "integer",
			"nth_value(nation.n_regionkey, 2) OVER (PARTITION BY nation.n_regionkey ORDER BY nation.n_name"},
		{"select nth_value(n_name, 3) over (order by n_nationkey rows between 2 following and 5 following) from nation", "text", "ROWS BETWEEN 2 FOLLOWING AND 5 FOLLOWING"},
		{"select lag(n_nationkey, 2, 0) over (order by n_name) from nation", "integer", "lag(nation.n_nationkey, 2, 0) OVER"},
		{"select lead(n_name, 1, 'none') over w from nation window w as (order by n_nationkey)", "text", "lead(nation.n_name, 1, 'none') OVER"},
		{"select lag(n_nationkey) over (order by n_name) from nation", "integer", "lag(nation.n_nationkey) OVER"},
		// a NULL offset gives NULL (at run time)
		{"select lead(n_nationkey, null) over () from nation", "integer", "lead(nation.n_nationkey, NULL) OVER"},
		// anycompatible: the value is cast to the common type
		{"select lag(n_nationkey, 1, 0.5) over (order by n_name) from nation", "numeric(11,1)", "lag(CAST(nation.n_nationkey AS numeric(11,1)), 1, 0.5) OVER"},
		{"select lag(null, 1, n_nationkey) over () from nation", "integer", "lag(NULL, 1, nation.n_nationkey) OVER"},
		{"select lag('a', 1, 'b') over () from nation", "text", "lag('a', 1, 'b') OVER"},
		{"select lag(n_nationkey, 1, null) over () from nation", "integer", "lag(nation.n_nationkey, 1, NULL) OVER"},
	}
	cat := bindtest.TPCH()
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

func TestBindWindowErrors(t *testing.T) {
	cases := []struct {
		sql  string
		code sqlerr.Code
		msg  string
	}{
		{"select lag(n_name, 1, 5) over () from nation", sqlerr.UndefinedFunction, "function lag(text, integer, integer) does not exist"},
		{"select lag(n_nationkey, 1, 'x') over () from nation", sqlerr.InvalidTextRepr, "invalid input syntax for type integer"},
		{"select first_value('a') over () from nation", sqlerr.DatatypeMismatch, "could not determine polymorphic type"},
		{"select nth_value(null, 2) over () from nation", sqlerr.DatatypeMismatch, "could not determine polymorphic type"},
		{"select first_value(n_name) ignore nulls over () from nation", sqlerr.SyntaxError, "nulls"},
		{"select lag(n_name) respect nulls over () from nation", sqlerr.SyntaxError, "nulls"},
		{"select nth_value(n_name, 2) from last over () from nation", sqlerr.SyntaxError, "from"},
		{"select ntile(2) over w from nation", sqlerr.UndefinedObject, `window "w" does not exist`},
		{"select n_name from nation where percent_rank() over () > 0", sqlerr.WindowingError, "not allowed in WHERE"},
		{"select first_value(n_name) over (order by n_nationkey rows unbounded following) from nation", sqlerr.WindowingError, "frame start cannot be UNBOUNDED FOLLOWING"},
		{"select first_value(n_name) over (order by n_nationkey rows between unbounded following and current row) from nation", sqlerr.WindowingError, "frame start cannot be UNBOUNDED FOLLOWING"},
		{"select first_value(n_name) over (order by n_nationkey rows 2 following) from nation", sqlerr.WindowingError, "frame starting from following row cannot end with current row"},
		{"select last_value(n_name) over (order by n_nationkey rows between current row and unbounded preceding) from nation", sqlerr.WindowingError, "frame end cannot be UNBOUNDED PRECEDING"},
		{"select last_value(n_name) over (order by n_nationkey rows between current row and 1 preceding) from nation", sqlerr.WindowingError, "frame starting from current row cannot have preceding rows"},
		{"select last_value(n_name) over (order by n_nationkey range between 1 following and current row) from nation", sqlerr.WindowingError, "frame starting from following row cannot have preceding rows"},
		{"select last_value(n_name) over (order by n_nationkey rows between 1 following and 2 preceding) from nation", sqlerr.WindowingError, "frame starting from following row cannot have preceding rows"},
	}
	cat := bindtest.TPCH()
	for _, c := range cases {
		bindError(t, cat, c.sql, c.code, c.msg)
	}
}
