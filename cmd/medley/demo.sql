-- Medley's demo, run by `make demo` from .demo/ on a fresh catalog:
--   medley --catalog catalog.db --on-error-stop -f ../cmd/medley/demo.sql
-- TPC-H sample data (scale factor 0.01) was generated into data/ as Parquet
-- and CSV files ('|'-delimited, no header). One query joins three sources:
-- Parquet files, a CSV file and an in-memory table.

-- Parquet: orders and lineitem, their columns read from the files' schemas.
CREATE SERVER tpch_parquet FOREIGN DATA WRAPPER parquet OPTIONS (directory 'data');
IMPORT FOREIGN SCHEMA "." LIMIT TO (orders, lineitem) FROM SERVER tpch_parquet INTO public;

-- CSV: customers, declared by hand as with PostgreSQL's file_fdw.
CREATE SERVER tpch_csv FOREIGN DATA WRAPPER csv;
CREATE FOREIGN TABLE customer (
    c_custkey    integer NOT NULL,
    c_name       varchar(25),
    c_address    varchar(40),
    c_nationkey  integer,
    c_phone      varchar(15),
    c_acctbal    numeric(15,2),
    c_mktsegment varchar(10),
    c_comment    varchar(117)
) SERVER tpch_csv OPTIONS (filename 'data/customer.csv', format 'csv', delimiter '|', header 'false');

-- Memory: this year's revenue target per market segment.
CREATE TABLE segment_targets (segment varchar(10), target numeric(15,2));
INSERT INTO segment_targets VALUES
    ('AUTOMOBILE', 2500000.00), ('BUILDING', 2500000.00), ('FURNITURE', 2500000.00),
    ('HOUSEHOLD', 2500000.00), ('MACHINERY', 2500000.00);

\des
\det

-- 1995 revenue per market segment against its target, across the three sources.
SELECT c.c_mktsegment AS segment,
       count(*) AS lineitems,
       sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue,
       t.target
FROM lineitem l
JOIN orders o ON l.l_orderkey = o.o_orderkey
JOIN customer c ON o.o_custkey = c.c_custkey
JOIN segment_targets t ON t.segment = c.c_mktsegment
WHERE o.o_orderdate >= DATE '1995-01-01' AND o.o_orderdate < DATE '1996-01-01'
GROUP BY c.c_mktsegment, t.target
ORDER BY revenue DESC;
