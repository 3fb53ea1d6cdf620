package optimize

import "testing"

func TestSimplifyOuterJoins(t *testing.T) {
	runRules(t, []ruleCase{
		// A filter rejecting NULLs of the inner side makes it an inner join.
		{"select * from nation left join region on n_regionkey = r_regionkey where r_name = 'ASIA'", `
			Projection: nation.n_nationkey, nation.n_name, nation.n_regionkey, nation.n_comment, region.r_regionkey, region.r_name, region.r_comment
			  Filter: (region.r_name = 'ASIA')
			    Inner Join: (nation.n_regionkey = region.r_regionkey)
			      TableScan: public.nation server=mem
			      TableScan: public.region server=mem`},
		{"select * from nation right join region on n_regionkey = r_regionkey where n_name = 'A'", `
			Projection: nation.n_nationkey, nation.n_name, nation.n_regionkey, nation.n_comment, region.r_regionkey, region.r_name, region.r_comment
			  Filter: (nation.n_name = 'A')
			    Inner Join: (nation.n_regionkey = region.r_regionkey)
			      TableScan: public.nation server=mem
			      TableScan: public.region server=mem`},
		// A FULL JOIN filtered on one side keeps that side.
		{"select * from nation full join region on n_regionkey = r_regionkey where n_name = 'X'", `
			Projection: nation.n_nationkey, nation.n_name, nation.n_regionkey, nation.n_comment, region.r_regionkey, region.r_name, region.r_comment
			  Filter: (nation.n_name = 'X')
			    Left Join: (nation.n_regionkey = region.r_regionkey)
			      TableScan: public.nation server=mem
			      TableScan: public.region server=mem`},
		// IS NULL keeps the padded rows: the join stays outer.
		{"select * from nation left join region on n_regionkey = r_regionkey where r_name is null", `
			Projection: nation.n_nationkey, nation.n_name, nation.n_regionkey, nation.n_comment, region.r_regionkey, region.r_name, region.r_comment
			  Filter: (region.r_name IS NULL)
			    Left Join: (nation.n_regionkey = region.r_regionkey)
			      TableScan: public.nation server=mem
			      TableScan: public.region server=mem`},
	}, SimplifyOuterJoins)
}
