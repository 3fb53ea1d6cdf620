package optimize

import "testing"

func TestPushDownLimits(t *testing.T) {
	runRules(t, []ruleCase{
		// Below the projection, where the executor offers it to the scan.
		{"select a + 1 as x from t limit 5 offset 2", `
			Projection: (t.a + 1) AS x
			  Limit: skip=2, fetch=5
			    TableScan: public.t`},
		// Into both operands of UNION ALL; the limit stays on top.
		{"select a from t union all select x from other.t limit 3", `
			Limit: skip=0, fetch=3
			  Union All
			    Projection: t.a
			      Limit: skip=0, fetch=3
			        TableScan: public.t
			    Projection: t.x
			      Limit: skip=0, fetch=3
			        TableScan: other.t`},
		// Not into UNION (DISTINCT): the first rows of an operand may be
		// duplicates.
		{"select a from t union select x from other.t limit 3", `
			Limit: skip=0, fetch=3
			  Union
			    Projection: t.a
			      TableScan: public.t
			    Projection: t.x
			      TableScan: other.t`},
		// Into the preserved side of a LEFT JOIN: each of its rows yields at
		// least one row.
		{"select n_name, r_name from nation left join region on n_regionkey = r_regionkey limit 4", `
			Projection: nation.n_name, region.r_name
			  Limit: skip=0, fetch=4
			    Left Join: (nation.n_regionkey = region.r_regionkey)
			      Limit: skip=0, fetch=4
			        TableScan: public.nation server=mem
			      TableScan: public.region server=mem`},
		// Over a sort it stays: the executor runs a top-N.
		{"select a from t order by a limit 3", `
			Limit: skip=0, fetch=3
			  Sort: t.a ASC NULLS LAST
			    Projection: t.a
			      TableScan: public.t`},
		// Not below a filter or an aggregate.
		{"select a from t where b = 'x' limit 3", `
			Projection: t.a
			  Limit: skip=0, fetch=3
			    Filter: (t.b = 'x')
			      TableScan: public.t`},
	}, PushDownLimits)
}
