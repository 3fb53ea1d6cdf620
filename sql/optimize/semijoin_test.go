package optimize

import "testing"

func TestPushDownSemiJoins(t *testing.T) {
	runRules(t, []ruleCase{
		// IN (subquery) filters orders before orders meets lineitem (Q18's shape).
		{"select o_orderkey, l_quantity from orders, lineitem where o_orderkey = l_orderkey and o_orderkey in (select l_orderkey from lineitem group by l_orderkey having sum(l_quantity) > 300)", `
			Projection: orders.o_orderkey, lineitem.l_quantity
			  Inner Join: (orders.o_orderkey = lineitem.l_orderkey)
			    LeftSemi Join: (orders.o_orderkey = lineitem.l_orderkey)
			      TableScan: public.orders projection=[o_orderkey] server=pg
			      Projection: lineitem.l_orderkey
			        Filter: (sum > 300.00)
			          Aggregate: groupBy=[lineitem.l_orderkey], aggr=[sum(lineitem.l_quantity)]
			            TableScan: public.lineitem projection=[l_orderkey, l_quantity] server=pg
			    TableScan: public.lineitem projection=[l_orderkey, l_quantity] server=pg`},
		// NOT EXISTS too; but not onto an input that is not smaller than
		// the join (here supplier ⋈ nation has as many rows as supplier).
		{"select s_name from supplier, nation where s_nationkey = n_nationkey and not exists (select 1 from partsupp where ps_suppkey = s_suppkey)", `
			Projection: supplier.s_name
			  LeftAnti Join: (partsupp.ps_suppkey = supplier.s_suppkey)
			    Inner Join: (supplier.s_nationkey = nation.n_nationkey)
			      TableScan: public.supplier projection=[s_suppkey, s_name, s_nationkey] server=mysql
			      TableScan: public.nation projection=[n_nationkey] server=mem
			    Projection: partsupp.ps_suppkey
			      TableScan: public.partsupp projection=[ps_suppkey] server=mysql`},
	}, PushDownPredicates, PushDownSemiJoins, PruneColumns)
}
