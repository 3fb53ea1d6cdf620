package optimize

import "testing"

func TestPushDownPredicates(t *testing.T) {
	runRules(t, []ruleCase{
		// Comma joins become inner joins on their conditions; single-table
		// conjuncts reach the scans.
		{"select n_name from nation, region where n_regionkey = r_regionkey and r_name = 'ASIA'", `
			Projection: nation.n_name
			  Inner Join: (nation.n_regionkey = region.r_regionkey)
			    TableScan: public.nation server=mem
			    TableScan: public.region filters=[(region.r_name = 'ASIA')] server=mem`},
		// LEFT JOIN: WHERE on the preserved side and ON on the inner side
		// move down; WHERE on the inner side stays above the join.
		{"select n_name, r_name from nation left join region on n_regionkey = r_regionkey and r_name <> 'X' where n_nationkey > 3 and r_comment is null", `
			Projection: nation.n_name, region.r_name
			  Filter: (region.r_comment IS NULL)
			    Left Join: (nation.n_regionkey = region.r_regionkey)
			      TableScan: public.nation filters=[(nation.n_nationkey > 3)] server=mem
			      TableScan: public.region filters=[(region.r_name <> 'X')] server=mem`},
		// Through an aggregation only on grouping keys.
		{"select a, cnt from (select a, count(*) cnt from t group by a) g where a > 1 and cnt > 2", `
			Projection: g.a, g.cnt
			  Projection: t.a, count
			    Filter: (count > 2)
			      Aggregate: groupBy=[t.a], aggr=[count(*)]
			        TableScan: public.t filters=[(t.a > 1)]`},
		// Into both operands of a set operation, through projections.
		{"select * from (select a from t union all select x from other.t) u where a > 1", `
			Projection: u.a
			  Union All
			    Projection: t.a
			      TableScan: public.t filters=[(t.a > 1)]
			    Projection: t.x
			      TableScan: other.t filters=[(t.x > 1)]`},
		// Nothing moves through a FULL JOIN.
		{"select * from nation full join region on n_regionkey = r_regionkey where n_name = 'A'", `
			Projection: nation.n_nationkey, nation.n_name, nation.n_regionkey, nation.n_comment, region.r_regionkey, region.r_name, region.r_comment
			  Filter: (nation.n_name = 'A')
			    Full Join: (nation.n_regionkey = region.r_regionkey)
			      TableScan: public.nation server=mem
			      TableScan: public.region server=mem`},
	}, PushDownPredicates)
}
