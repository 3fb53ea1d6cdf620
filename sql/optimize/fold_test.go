package optimize

import "testing"

func TestFoldConstants(t *testing.T) {
	runRules(t, []ruleCase{
		{"select 1 + 2 * 3 as x", `
			Projection: 7 AS x
			  Values: rows=1, columns=[]`},
		{"select l_orderkey from lineitem where l_shipdate <= date '1998-12-01' - interval '90' day", `
			Projection: lineitem.l_orderkey
			  Filter: (CAST(lineitem.l_shipdate AS timestamp) <= TIMESTAMP '1998-09-02 00:00:00')
			    TableScan: public.lineitem server=pg`},
		{"select 0.06 - 0.01 as a, 7 / 2 as b, 7.0 / 2 as c, 1 / 0 as d", `
			Projection: 0.05 AS a, 3 AS b, 3.5000000000000000 AS c, (1 / 0) AS d
			  Values: rows=1, columns=[]`},
		{"select a from t where true and (a > 1 or false) and coalesce(null, b) = 'x'", `
			Projection: t.a
			  Filter: ((t.a > 1) AND (t.b = 'x'))
			    TableScan: public.t`},
		{"select case when 1 = 2 then 'a' when 2 = 2 then 'b' else 'c' end as x, null = 1 as y, not true as z", `
			Projection: 'b' AS x, NULL AS y, false AS z
			  Values: rows=1, columns=[]`},
		{"select date '2024-01-31' + interval '1' month as m", `
			Projection: (DATE '2024-01-31' + INTERVAL '1 mon') AS m
			  Values: rows=1, columns=[]`},
	}, FoldConstants)
}
