package bind_test

import (
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/bind/bindtest"
)

// TestOutputNames: result columns are named as PostgreSQL names them; a
// derived table's column list renames its columns for the query above
// (TPC-H Q13's "c_orders (c_custkey, c_count)").
func TestOutputNames(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"select c_count, count(*) as custdist from (select n_regionkey, count(n_nationkey) from nation group by n_regionkey) as c_orders (c_custkey, c_count) group by c_count", "c_count,custdist"},
		{"select x.k, x.c from (select n_regionkey, count(*) from nation group by 1) x (k, c)", "k,c"},
		{"select * from (select n_regionkey, n_name from nation) x (k)", "k,n_name"},
		{"select k as kk from (select n_regionkey from nation) x (k)", "kk"},
		{"select n_regionkey, count(*) from nation group by n_regionkey", "n_regionkey,count"},
	}
	for _, c := range cases {
		res, err := bindSQL(bindtest.TPCH(), "alice", c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		var names []string
		for _, col := range res.Root.Columns() {
			names = append(names, col.Name)
		}
		if got := strings.Join(names, ","); got != c.want {
			t.Errorf("%s: columns %s, want %s", c.sql, got, c.want)
		}
	}
}
