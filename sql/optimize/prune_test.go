package optimize

import "testing"

func TestPruneColumns(t *testing.T) {
	runRules(t, []ruleCase{
		// The scan returns what its parents need; its filters read the
		// table's columns (as in Substrait, the projection applies after
		// the filter).
		{"select a from t where a > 1 and b = 'x'", `
			Projection: t.a
			  TableScan: public.t projection=[a] filters=[(t.a > 1), (t.b = 'x')]`},
		// count(*) reads no columns at all.
		{"select count(*) from lineitem", `
			Projection: count
			  Aggregate: groupBy=[], aggr=[count(*)]
			    TableScan: public.lineitem projection=[] server=pg`},
		// A derived table's unused expression is dropped.
		{"select x from (select a + 1 as x, b || 'y' as y from t) s", `
			Projection: s.x
			  Projection: (t.a + 1) AS x
			    TableScan: public.t projection=[a]`},
		// HAVING keeps its aggregate; the unused one goes.
		{"select n_name from nation group by n_name having count(*) > 1 and max(n_comment) > ''", `
			Projection: nation.n_name
			  Filter: ((count > 1) AND (max > ''))
			    Aggregate: groupBy=[nation.n_name], aggr=[count(*), max(nation.n_comment)]
			      TableScan: public.nation projection=[n_name, n_comment] server=mem`},
		// DISTINCT needs all of its input.
		{"select count(*) from (select distinct n_name, n_regionkey from nation) d", `
			Projection: count
			  Aggregate: groupBy=[], aggr=[count(*)]
			    Distinct:
			      Projection: nation.n_name, nation.n_regionkey
			        TableScan: public.nation projection=[n_name, n_regionkey] server=mem`},
	}, PushDownPredicates, PruneColumns)
}
