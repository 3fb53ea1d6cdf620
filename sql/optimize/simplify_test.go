package optimize

import "testing"

func TestSimplifyPredicates(t *testing.T) {
	runRules(t, []ruleCase{
		// NOT is pushed into comparisons, double negation and duplicate
		// operands go.
		{"select n_name from nation where not (n_nationkey = 1) and not not (n_regionkey > 2) and (n_name = 'a' or n_name = 'a')", `
			Projection: nation.n_name
			  Filter: and((nation.n_nationkey <> 1), (nation.n_regionkey > 2), (nation.n_name = 'a'))
			    TableScan: public.nation server=mem`},
		// A common conjunct of OR branches is factored out (TPC-H Q19).
		{"select l_orderkey from lineitem where (l_quantity > 1 and l_partkey = 2) or (l_quantity > 1 and l_partkey = 3)", `
			Projection: lineitem.l_orderkey
			  Filter: ((lineitem.l_quantity > 1.00) AND ((lineitem.l_partkey = 2) OR (lineitem.l_partkey = 3)))
			    TableScan: public.lineitem server=pg`},
		// A date widened to timestamp and compared with midnight is a date
		// comparison a source can evaluate.
		{"select o_orderkey from orders where cast(o_orderdate as timestamp) < timestamp '1995-03-15 00:00:00'", `
			Projection: orders.o_orderkey
			  Filter: (orders.o_orderdate < DATE '1995-03-15')
			    TableScan: public.orders server=pg`},
	}, SimplifyPredicates)
}
