package tpch

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// integrityChecks are rules of the specification (clause 4.2.3) as queries
// counting the rows that break them; each must return 0.
var integrityChecks = []struct{ name, sql string }{
	{"lineitem→orders", `select count(*) from lineitem where not exists (select 1 from orders where o_orderkey = l_orderkey)`},
	{"lineitem→partsupp", `select count(*) from lineitem where not exists (select 1 from partsupp where ps_partkey = l_partkey and ps_suppkey = l_suppkey)`},
	{"partsupp→part", `select count(*) from partsupp where not exists (select 1 from part where p_partkey = ps_partkey)`},
	{"partsupp→supplier", `select count(*) from partsupp where not exists (select 1 from supplier where s_suppkey = ps_suppkey)`},
	{"four suppliers per part", `select count(*) from (select ps_partkey from partsupp group by ps_partkey having count(distinct ps_suppkey) <> 4) x`},
	{"orders→customer", `select count(*) from orders where not exists (select 1 from customer where c_custkey = o_custkey) or o_custkey % 3 = 0`},
	{"customer→nation", `select count(*) from customer where not exists (select 1 from nation where n_nationkey = c_nationkey)`},
	{"supplier→nation", `select count(*) from supplier where not exists (select 1 from nation where n_nationkey = s_nationkey)`},
	{"nation→region", `select count(*) from nation where not exists (select 1 from region where r_regionkey = n_regionkey)`},
	{"sparse order keys", `select count(*) from orders where o_orderkey % 32 >= 8 or o_orderkey < 1`},
	{"1 to 7 lines numbered 1..n", `select count(*) from (select l_orderkey, count(*) c, min(l_linenumber) lo, max(l_linenumber) hi from lineitem group by l_orderkey) x where c < 1 or c > 7 or lo <> 1 or hi <> c`},
	{"orders without lines", `select count(*) from orders where not exists (select 1 from lineitem where l_orderkey = o_orderkey)`},
	{"o_totalprice", `select count(*) from orders join (select l_orderkey, sum(trunc(trunc(l_extendedprice * (1 - l_discount), 2) * (1 + l_tax), 2)) s from lineitem group by l_orderkey) x on l_orderkey = o_orderkey where s <> o_totalprice`},
	{"o_orderstatus", `select count(*) from orders join (select l_orderkey, case when bool_and(l_linestatus = 'F') then 'F' when bool_and(l_linestatus = 'O') then 'O' else 'P' end s from lineitem group by l_orderkey) x on l_orderkey = o_orderkey where s <> o_orderstatus`},
	{"o_orderdate range", `select count(*) from orders where o_orderdate < date '1992-01-01' or o_orderdate > date '1998-08-02'`},
	{"l_linestatus", `select count(*) from lineitem where (l_shipdate > date '1995-06-17') <> (l_linestatus = 'O')`},
	{"l_returnflag", `select count(*) from lineitem where (l_receiptdate > date '1995-06-17' and l_returnflag <> 'N') or (l_receiptdate <= date '1995-06-17' and l_returnflag not in ('R', 'A'))`},
	{"line dates", `select count(*) from lineitem join orders on o_orderkey = l_orderkey where l_shipdate - o_orderdate not between 1 and 121 or l_commitdate - o_orderdate not between 30 and 90 or l_receiptdate - l_shipdate not between 1 and 30`},
	{"l_extendedprice", `select count(*) from lineitem join part on p_partkey = l_partkey where l_extendedprice <> l_quantity * p_retailprice`},
	{"p_retailprice", `select count(*) from part where p_retailprice * 100 <> 90000 + (p_partkey / 10) % 20001 + 100 * (p_partkey % 1000)`},
	{"line domains", `select count(*) from lineitem where l_quantity not between 1 and 50 or l_discount not between 0 and 0.10 or l_tax not between 0 and 0.08`},
	{"part domains", `select count(*) from part where p_size not between 1 and 50 or p_mfgr <> 'Manufacturer#' || substr(p_brand, 7, 1) or p_brand !~ '^Brand#[1-5][1-5]$' or p_name !~ '^[a-z]+( [a-z]+){4}$'`},
	{"partsupp domains", `select count(*) from partsupp where ps_availqty not between 1 and 9999 or ps_supplycost not between 1 and 1000`},
	{"phones", `select count(*) from (select c_phone p, c_nationkey n from customer union all select s_phone, s_nationkey from supplier) x where p !~ '^[0-9]{2}-[0-9]{3}-[0-9]{3}-[0-9]{4}$' or substr(p, 1, 2)::int <> n + 10`},
	{"balances", `select count(*) from (select c_acctbal b from customer union all select s_acctbal from supplier) x where b not between -999.99 and 9999.99`},
}

// presenceChecks count rows the TPC-H queries look for; each must find
// some.
var presenceChecks = []struct{ name, sql string }{
	{"customers without orders (Q13, Q22)", `select count(*) from customer where not exists (select 1 from orders where o_custkey = c_custkey)`},
	{"special requests (Q13)", `select count(*) from orders where o_comment like '%special%requests%'`},
	{"green parts (Q9)", `select count(*) from part where p_name like '%green%'`},
	{"forest parts (Q20)", `select count(*) from part where p_name like 'forest%'`},
	{"BRASS size 15 (Q2)", `select count(*) from part where p_type like '%BRASS' and p_size = 15`},
	{"PROMO (Q14)", `select count(*) from part where p_type like 'PROMO%'`},
	{"Brand#12 SM containers (Q19)", `select count(*) from part where p_brand = 'Brand#12' and p_container like 'SM %'`},
	{"returned lines (Q10)", `select count(*) from lineitem where l_returnflag = 'R'`},
	{"partly shipped orders", `select count(*) from orders where o_orderstatus = 'P'`},
}

func checkIntegrity(t *testing.T, conn *pgx.Conn) {
	ctx := context.Background()
	for _, c := range integrityChecks {
		var n int64
		if err := conn.QueryRow(ctx, c.sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows break the rule", c.name, n)
		}
	}
	for _, c := range presenceChecks {
		var n int64
		if err := conn.QueryRow(ctx, c.sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n == 0 {
			t.Errorf("%s: none generated", c.name)
		}
	}
}
