// Package bindtest provides an in-memory bind.Catalog with the TPC-H schema,
// for tests of the compiler's packages. Real catalogs are engine/catalog's.
package bindtest

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// Catalog is a map of tables by "schema.name". Denied lists "user:schema.name"
// pairs whose access fails with 42501.
type Catalog struct {
	Tables map[string]*bind.TableInfo
	Denied map[string]bool
}

// Table implements bind.Catalog.
func (c *Catalog) Table(_ context.Context, user, schema, name string, priv bind.Privilege) (*bind.TableInfo, error) {
	key := schema + "." + name
	t, ok := c.Tables[key]
	if !ok {
		return nil, nil
	}
	if c.Denied[user+":"+key] {
		return nil, sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied for table %s", name)
	}
	return t, nil
}

// Add adds a table described as "col type [null], ...".
func (c *Catalog) Add(schema, name, server string, rows int64, cols string) {
	if c.Tables == nil {
		c.Tables = map[string]*bind.TableInfo{}
	}
	t := &bind.TableInfo{Schema: schema, Name: name, Server: server, Wrapper: "postgres", Rows: rows}
	for _, def := range splitTop(cols) {
		f := strings.Fields(def)
		nullable := f[len(f)-1] == "null"
		if nullable {
			f = f[:len(f)-1]
		}
		typ, err := types.Parse(strings.Join(f[1:], " "))
		if err != nil {
			panic(err)
		}
		t.Columns = append(t.Columns, bind.ColumnInfo{Name: f[0], Type: typ, Nullable: nullable})
	}
	c.Tables[schema+"."+name] = t
}

// SetDistinct sets the distinct count of a column of a table added before.
func (c *Catalog) SetDistinct(schema, table, column string, n int64) {
	t := c.Tables[schema+"."+table]
	for i := range t.Columns {
		if t.Columns[i].Name == column {
			t.Columns[i].Distinct = n
		}
	}
}

// TPCH returns a catalog with the eight TPC-H tables in schema public, with
// scale factor 1 row counts. lineitem, orders and customer live on server
// "pg", part, partsupp and supplier on "mysql", nation and region on "mem".
func TPCH() *Catalog {
	c := &Catalog{}
	c.Add("public", "region", "mem", 5, "r_regionkey integer, r_name char(25), r_comment varchar(152)")
	c.Add("public", "nation", "mem", 25, "n_nationkey integer, n_name char(25), n_regionkey integer, n_comment varchar(152)")
	c.Add("public", "part", "mysql", 200000, "p_partkey integer, p_name varchar(55), p_mfgr char(25), "+
		"p_brand char(10), p_type varchar(25), p_size integer, p_container char(10), "+
		"p_retailprice numeric(15,2), p_comment varchar(23)")
	c.Add("public", "supplier", "mysql", 10000, "s_suppkey integer, s_name char(25), s_address varchar(40), "+
		"s_nationkey integer, s_phone char(15), s_acctbal numeric(15,2), s_comment varchar(101)")
	c.Add("public", "partsupp", "mysql", 800000, "ps_partkey integer, ps_suppkey integer, ps_availqty integer, "+
		"ps_supplycost numeric(15,2), ps_comment varchar(199)")
	c.Add("public", "customer", "pg", 150000, "c_custkey integer, c_name varchar(25), c_address varchar(40), "+
		"c_nationkey integer, c_phone char(15), c_acctbal numeric(15,2), c_mktsegment char(10), c_comment varchar(117)")
	c.Add("public", "orders", "pg", 1500000, "o_orderkey bigint, o_custkey integer, o_orderstatus char(1), "+
		"o_totalprice numeric(15,2), o_orderdate date, o_orderpriority char(15), o_clerk char(15), "+
		"o_shippriority integer, o_comment varchar(79)")
	c.Add("public", "lineitem", "pg", 6001215, "l_orderkey bigint, l_partkey integer, l_suppkey integer, "+
		"l_linenumber integer, l_quantity numeric(15,2), l_extendedprice numeric(15,2), l_discount numeric(15,2), "+
		"l_tax numeric(15,2), l_returnflag char(1), l_linestatus char(1), l_shipdate date, l_commitdate date, "+
		"l_receiptdate date, l_shipinstruct char(25), l_shipmode char(10), l_comment varchar(44)")
	// Distinct counts as a Parquet source's min/max statistics give them,
	// for the join-order estimates: nation and region keys are few.
	for _, tc := range [][2]string{{"nation", "n_nationkey"}, {"nation", "n_regionkey"}, {"region", "r_regionkey"},
		{"customer", "c_nationkey"}, {"supplier", "s_nationkey"}} {
		n := int64(25)
		if strings.HasSuffix(tc[1], "regionkey") {
			n = 5
		}
		c.SetDistinct("public", tc[0], tc[1], n)
	}
	// A table with nullable columns and odd names, for binder tests.
	c.Add("public", "t", "", -1, "a integer null, b text null, c numeric(10,2) null, d date null, e double precision null, Mixed integer null")
	c.Add("other", "t", "", 10, "x integer, y text null")
	return c
}

// ColumnType is a shortcut for tests: the Arrow type of a SQL type name.
func ColumnType(sql string) arrow.DataType {
	t, err := types.Parse(sql)
	if err != nil {
		panic(err)
	}
	return t
}

// splitTop splits s at commas outside parentheses.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
