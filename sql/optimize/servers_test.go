package optimize

import "testing"

func TestMarkServerSubtrees(t *testing.T) {
	runRules(t, []ruleCase{
		// The whole query reads one server: its root is the candidate.
		{"select n_name, count(*) from nation join region on n_regionkey = r_regionkey group by n_name", `
			Projection: nation.n_name, count [pushdown candidate: server=mem]
			  Aggregate: groupBy=[nation.n_name], aggr=[count(*)]
			    Inner Join: (nation.n_regionkey = region.r_regionkey)
			      TableScan: public.nation projection=[n_name, n_regionkey] server=mem
			      TableScan: public.region projection=[r_regionkey] server=mem`},
		// Two servers: the join of the one-server part is the candidate.
		{"select s_name, n_name from supplier, nation, region where s_nationkey = n_nationkey and n_regionkey = r_regionkey", `
			Projection: supplier.s_name, nation.n_name
			  Inner Join: (supplier.s_nationkey = nation.n_nationkey)
			    TableScan: public.supplier projection=[s_name, s_nationkey] server=mysql
			    Inner Join: (nation.n_regionkey = region.r_regionkey) [pushdown candidate: server=mem]
			      TableScan: public.nation projection=[n_nationkey, n_name, n_regionkey] server=mem
			      TableScan: public.region projection=[r_regionkey] server=mem`},
		// A scan with its filter is no candidate: it is pushed anyway.
		{"select n_name from nation where n_nationkey = 1", `
			Projection: nation.n_name
			  TableScan: public.nation projection=[n_name] filters=[(nation.n_nationkey = 1)] server=mem`},
	}, PushDownPredicates, ReorderJoins, PruneColumns, MarkServerSubtrees)
}
