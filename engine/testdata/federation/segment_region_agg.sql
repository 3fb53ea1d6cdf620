-- An aggregate with GROUP BY over all four sources: lines, quantity, orders
-- and supply value by customer segment (PostgreSQL) and supplier region
-- (MariaDB -> PostgreSQL -> SQLite), from Parquet lineitem/orders and
-- SQLite partsupp.
SELECT c_mktsegment, r_name, count(*) AS lines, sum(l_quantity) AS qty,
       count(DISTINCT o_orderkey) AS orders, min(s_acctbal) AS min_acctbal,
       max(ps_supplycost) AS max_cost, sum(ps_supplycost * ps_availqty) AS supply_value
FROM lineitem
JOIN orders ON l_orderkey = o_orderkey
JOIN customer ON o_custkey = c_custkey
JOIN supplier ON l_suppkey = s_suppkey
JOIN partsupp ON ps_partkey = l_partkey AND ps_suppkey = l_suppkey
JOIN nation ON s_nationkey = n_nationkey
JOIN region ON n_regionkey = r_regionkey
WHERE l_shipdate < date '1996-01-01'
GROUP BY c_mktsegment, r_name
HAVING count(*) > 10
ORDER BY c_mktsegment, r_name;
