package tpch

import (
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Column is one column of a TPC-H table: its Arrow type (in the Parquet
// files) and its PostgreSQL type (in the DDL). Every column is NOT NULL.
type Column struct {
	Name    string
	Type    arrow.DataType
	SQLType string
}

// Table is one TPC-H table.
type Table struct {
	Name       string
	Columns    []Column
	PrimaryKey []string
	perSF      int64 // rows per unit of scale factor; 0: fixed size or lineitem
	fixed      int64 // rows of nation and region
}

// Money is the type of prices, costs, discounts, taxes and quantities.
var Money = &arrow.Decimal128Type{Precision: 15, Scale: 2}

var (
	i32  = arrow.PrimitiveTypes.Int32
	i64  = arrow.PrimitiveTypes.Int64
	date = arrow.FixedWidthTypes.Date32
	utf8 = arrow.BinaryTypes.String
)

func col(name string, t arrow.DataType, sqlType string) Column {
	return Column{Name: name, Type: t, SQLType: sqlType}
}

// Tables are the eight TPC-H tables in load order (referenced tables
// first). Keys are int32 except the order keys, which are int64 because they
// pass 2^31 above scale factor 350. The specification's char(n) columns are
// varchar(n) in PostgreSQL, so that values compare and print without blank
// padding, as they do in Arrow.
var Tables = []Table{
	{Name: "region", fixed: 5, PrimaryKey: []string{"r_regionkey"}, Columns: []Column{
		col("r_regionkey", i32, "integer"), col("r_name", utf8, "varchar(25)"),
		col("r_comment", utf8, "varchar(152)")}},
	{Name: "nation", fixed: 25, PrimaryKey: []string{"n_nationkey"}, Columns: []Column{
		col("n_nationkey", i32, "integer"), col("n_name", utf8, "varchar(25)"),
		col("n_regionkey", i32, "integer"), col("n_comment", utf8, "varchar(152)")}},
	{Name: "supplier", perSF: 10_000, PrimaryKey: []string{"s_suppkey"}, Columns: []Column{
		col("s_suppkey", i32, "integer"), col("s_name", utf8, "varchar(25)"),
		col("s_address", utf8, "varchar(40)"), col("s_nationkey", i32, "integer"),
		col("s_phone", utf8, "varchar(15)"), col("s_acctbal", Money, "numeric(15,2)"),
		col("s_comment", utf8, "varchar(101)")}},
	{Name: "part", perSF: 200_000, PrimaryKey: []string{"p_partkey"}, Columns: []Column{
		col("p_partkey", i32, "integer"), col("p_name", utf8, "varchar(55)"),
		col("p_mfgr", utf8, "varchar(25)"), col("p_brand", utf8, "varchar(10)"),
		col("p_type", utf8, "varchar(25)"), col("p_size", i32, "integer"),
		col("p_container", utf8, "varchar(10)"), col("p_retailprice", Money, "numeric(15,2)"),
		col("p_comment", utf8, "varchar(23)")}},
	{Name: "partsupp", perSF: 800_000, PrimaryKey: []string{"ps_partkey", "ps_suppkey"}, Columns: []Column{
		col("ps_partkey", i32, "integer"), col("ps_suppkey", i32, "integer"),
		col("ps_availqty", i32, "integer"), col("ps_supplycost", Money, "numeric(15,2)"),
		col("ps_comment", utf8, "varchar(199)")}},
	{Name: "customer", perSF: 150_000, PrimaryKey: []string{"c_custkey"}, Columns: []Column{
		col("c_custkey", i32, "integer"), col("c_name", utf8, "varchar(25)"),
		col("c_address", utf8, "varchar(40)"), col("c_nationkey", i32, "integer"),
		col("c_phone", utf8, "varchar(15)"), col("c_acctbal", Money, "numeric(15,2)"),
		col("c_mktsegment", utf8, "varchar(10)"), col("c_comment", utf8, "varchar(117)")}},
	{Name: "orders", perSF: 1_500_000, PrimaryKey: []string{"o_orderkey"}, Columns: []Column{
		col("o_orderkey", i64, "bigint"), col("o_custkey", i32, "integer"),
		col("o_orderstatus", utf8, "varchar(1)"), col("o_totalprice", Money, "numeric(15,2)"),
		col("o_orderdate", date, "date"), col("o_orderpriority", utf8, "varchar(15)"),
		col("o_clerk", utf8, "varchar(15)"), col("o_shippriority", i32, "integer"),
		col("o_comment", utf8, "varchar(79)")}},
	{Name: "lineitem", PrimaryKey: []string{"l_orderkey", "l_linenumber"}, Columns: []Column{
		col("l_orderkey", i64, "bigint"), col("l_partkey", i32, "integer"),
		col("l_suppkey", i32, "integer"), col("l_linenumber", i32, "integer"),
		col("l_quantity", Money, "numeric(15,2)"), col("l_extendedprice", Money, "numeric(15,2)"),
		col("l_discount", Money, "numeric(15,2)"), col("l_tax", Money, "numeric(15,2)"),
		col("l_returnflag", utf8, "varchar(1)"), col("l_linestatus", utf8, "varchar(1)"),
		col("l_shipdate", date, "date"), col("l_commitdate", date, "date"),
		col("l_receiptdate", date, "date"), col("l_shipinstruct", utf8, "varchar(25)"),
		col("l_shipmode", utf8, "varchar(10)"), col("l_comment", utf8, "varchar(44)")}},
}

// TableByName returns the table called name.
func TableByName(name string) (Table, bool) {
	for _, t := range Tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// Schema returns the table's Arrow schema (all fields non-nullable).
func (t Table) Schema() *arrow.Schema {
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type}
	}
	return arrow.NewSchema(fields, nil)
}

// CreateSQL returns the PostgreSQL CREATE TABLE statement, without the
// primary key (add it after loading with PrimaryKeySQL).
func (t Table) CreateSQL() string {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + t.Name + " (\n")
	for i, c := range t.Columns {
		b.WriteString("  " + c.Name + " " + c.SQLType + " NOT NULL")
		if i < len(t.Columns)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(")")
	return b.String()
}

// PrimaryKeySQL returns the ALTER TABLE statement adding the primary key.
func (t Table) PrimaryKeySQL() string {
	return "ALTER TABLE " + t.Name + " ADD PRIMARY KEY (" + strings.Join(t.PrimaryKey, ", ") + ")"
}

// Rows returns the table's row count at scale factor sf. It is exact for
// every table but lineitem, whose count depends on the random number of
// lines per order (1 to 7, about 4 on average); for lineitem Rows returns
// 4 × the orders' count and exact is false.
func (t Table) Rows(sf float64) (n int64, exact bool) {
	switch {
	case t.fixed > 0:
		return t.fixed, true
	case t.Name == "lineitem":
		return 4 * scaled(1_500_000, sf), false
	}
	return scaled(t.perSF, sf), true
}

// scaled returns base × sf rounded down, at least 1.
func scaled(base int64, sf float64) int64 {
	n := int64(math.Floor(float64(base)*sf + 1e-6))
	if n < 1 {
		n = 1
	}
	return n
}
