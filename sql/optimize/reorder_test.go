package optimize

import "testing"

func TestReorderJoins(t *testing.T) {
	runRules(t, []ruleCase{
		// FROM order does not matter: the small dimension tables are joined
		// first, each smaller input on the build (right) side.
		{"select s_name, n_name from region, nation, supplier where s_nationkey = n_nationkey and n_regionkey = r_regionkey and r_name = 'ASIA'", `
			Projection: supplier.s_name, nation.n_name
			  Projection: region.r_regionkey, region.r_name, region.r_comment, nation.n_nationkey, nation.n_name, nation.n_regionkey, nation.n_comment, supplier.s_suppkey, supplier.s_name, supplier.s_address, supplier.s_nationkey, supplier.s_phone, supplier.s_acctbal, supplier.s_comment
			    Inner Join: (supplier.s_nationkey = nation.n_nationkey)
			      TableScan: public.supplier server=mysql
			      Inner Join: (nation.n_regionkey = region.r_regionkey)
			        TableScan: public.nation server=mem
			        TableScan: public.region filters=[(region.r_name = 'ASIA')] server=mem`},
		// Tables no condition connects stay a cross join.
		{"select count(*) from part, supplier where p_size > 10", `
			Projection: count
			  Aggregate: groupBy=[], aggr=[count(*)]
			    CrossJoin:
			      TableScan: public.part filters=[(part.p_size > 10)] server=mysql
			      TableScan: public.supplier server=mysql`},
		// Few distinct join keys (nation keys) make a join large: customer
		// and supplier are not joined to each other before orders.
		{"select count(*) from customer, supplier, orders where c_nationkey = s_nationkey and c_custkey = o_custkey and o_orderdate < date '1992-02-01'", `
			Projection: count
			  Aggregate: groupBy=[], aggr=[count(*)]
			    Projection: customer.c_custkey, customer.c_name, customer.c_address, customer.c_nationkey, customer.c_phone, customer.c_acctbal, customer.c_mktsegment, customer.c_comment, supplier.s_suppkey, supplier.s_name, supplier.s_address, supplier.s_nationkey, supplier.s_phone, supplier.s_acctbal, supplier.s_comment, orders.o_orderkey, orders.o_custkey, orders.o_orderstatus, orders.o_totalprice, orders.o_orderdate, orders.o_orderpriority, orders.o_clerk, orders.o_shippriority, orders.o_comment
			      Inner Join: (customer.c_nationkey = supplier.s_nationkey)
			        Inner Join: (customer.c_custkey = orders.o_custkey)
			          TableScan: public.orders filters=[(orders.o_orderdate < DATE '1992-02-01')] server=pg
			          TableScan: public.customer server=pg
			        TableScan: public.supplier server=mysql`},
	}, PushDownPredicates, ReorderJoins)
}

func TestChooseBuildSides(t *testing.T) {
	runRules(t, []ruleCase{
		// The right input is already the smaller one.
		{"select n_name, r_name from nation left join region on n_regionkey = r_regionkey", `
			Projection: nation.n_name, region.r_name
			  Left Join: (nation.n_regionkey = region.r_regionkey)
			    TableScan: public.nation projection=[n_name, n_regionkey] server=mem
			    TableScan: public.region projection=[r_regionkey, r_name] server=mem`},
		// A LEFT JOIN of a small table to a large one builds on the small
		// one as a RIGHT JOIN; the projection keeps the column order.
		{"select n_name, o_orderkey from nation left join orders on n_nationkey = o_custkey", `
			Projection: nation.n_name, orders.o_orderkey
			  Projection: nation.n_name, orders.o_orderkey
			    Right Join: (nation.n_nationkey = orders.o_custkey)
			      TableScan: public.orders projection=[o_orderkey, o_custkey] server=pg
			      TableScan: public.nation projection=[n_nationkey, n_name] server=mem`},
	}, ChooseBuildSides, PruneColumns)
}
