-- Medley's demo (make demo): one query across three kinds of source.
--   Parquet files  : lineitem, orders      (imported with IMPORT FOREIGN SCHEMA)
--   CSV files      : customer, nation      (declared with CREATE FOREIGN TABLE)
--   a memory table : segment_targets       (CREATE TABLE + INSERT)
-- The data is TPC-H at scale factor 0.01, generated into ./data by tpchgen.

CREATE SERVER tpch_parquet FOREIGN DATA WRAPPER parquet;
IMPORT FOREIGN SCHEMA "data" LIMIT TO (lineitem, orders) FROM SERVER tpch_parquet INTO public;

CREATE SERVER tpch_csv FOREIGN DATA WRAPPER csv;
CREATE FOREIGN TABLE customer (
    c_custkey integer NOT NULL, c_name varchar(25) NOT NULL, c_address varchar(40) NOT NULL,
    c_nationkey integer NOT NULL, c_phone varchar(15) NOT NULL, c_acctbal numeric(15,2) NOT NULL,
    c_mktsegment varchar(10) NOT NULL, c_comment varchar(117) NOT NULL
) SERVER tpch_csv OPTIONS (filename 'data/customer.csv', format 'csv', delimiter '|');
CREATE FOREIGN TABLE nation (
    n_nationkey integer NOT NULL, n_name varchar(25) NOT NULL,
    n_regionkey integer NOT NULL, n_comment varchar(152) NOT NULL
) SERVER tpch_csv OPTIONS (filename 'data/nation.csv', format 'csv', delimiter '|');

CREATE TABLE segment_targets (segment text, target numeric(15,2));
INSERT INTO segment_targets VALUES
    ('AUTOMOBILE', 900000.00), ('BUILDING', 900000.00), ('FURNITURE', 850000.00),
    ('HOUSEHOLD', 800000.00), ('MACHINERY', 950000.00);

\det

-- Revenue of 1995 by market segment and nation (top 10), against each segment's target.
SELECT c.c_mktsegment AS segment,
       n.n_name AS nation,
       count(DISTINCT o.o_orderkey) AS orders,
       sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue,
       round(100 * sum(l.l_extendedprice * (1 - l.l_discount)) / t.target, 1) AS pct_of_target
FROM lineitem l
JOIN orders o ON l.l_orderkey = o.o_orderkey
JOIN customer c ON o.o_custkey = c.c_custkey
JOIN nation n ON c.c_nationkey = n.n_nationkey
JOIN segment_targets t ON t.segment = c.c_mktsegment
WHERE o.o_orderdate >= date '1995-01-01' AND o.o_orderdate < date '1996-01-01'
GROUP BY c.c_mktsegment, n.n_name, t.target
ORDER BY revenue DESC
LIMIT 10;

EXPLAIN
SELECT n.n_name, count(*)
FROM orders o JOIN customer c ON o.o_custkey = c.c_custkey JOIN nation n ON c.c_nationkey = n.n_nationkey
WHERE o.o_orderstatus = 'F'
GROUP BY n.n_name;
