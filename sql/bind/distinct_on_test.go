package bind_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// TestBindDistinctOn: DISTINCT ON is row_number() over the keys = 1 under
// the projection, then the sort; the window orders by what ORDER BY has
// after the keys.
func TestBindDistinctOn(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"select distinct on (n_regionkey) n_regionkey, n_name from nation order by n_regionkey, n_name desc", `
Projection: nation.n_regionkey, nation.n_name
  Sort: nation.n_regionkey ASC NULLS LAST, nation.n_name DESC NULLS FIRST
    Filter: (row_number = 1)
      WindowAggr: row_number() OVER (PARTITION BY nation.n_regionkey ORDER BY nation.n_name DESC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS row_number
        Projection: nation.n_regionkey, nation.n_name
          TableScan: public.nation server=mem`},
		// Without ORDER BY: any row of each group, no sort. Keys by position.
		{"select distinct on (2) n_regionkey, n_name from nation", `
Projection: nation.n_regionkey, nation.n_name
  Filter: (row_number = 1)
    WindowAggr: row_number() OVER (PARTITION BY nation.n_name RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS row_number
      Projection: nation.n_regionkey, nation.n_name
        TableScan: public.nation server=mem`},
		// A key outside the SELECT list is a hidden column; ORDER BY may
		// stop before the last key, which the sort then adds.
		{"select distinct on (n_regionkey, n_nationkey % 2) n_name from nation order by n_regionkey limit 3", `
Projection: nation.n_name
  Limit: skip=0, fetch=3
    Sort: nation.n_regionkey ASC NULLS LAST, ?column? ASC NULLS LAST
      Filter: (row_number = 1)
        WindowAggr: row_number() OVER (PARTITION BY nation.n_regionkey, ?column? RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS row_number
          Projection: nation.n_name, nation.n_regionkey, (nation.n_nationkey % 2) AS ?column?
            TableScan: public.nation server=mem`},
		// An aggregate in the keys.
		{"select distinct on (count(*)) n_regionkey from nation group by n_regionkey order by count(*), n_regionkey", `
Projection: nation.n_regionkey
  Sort: count ASC NULLS LAST, nation.n_regionkey ASC NULLS LAST
    Filter: (row_number = 1)
      WindowAggr: row_number() OVER (PARTITION BY count ORDER BY nation.n_regionkey ASC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS row_number
        Projection: nation.n_regionkey, count
          Aggregate: groupBy=[nation.n_regionkey], aggr=[count(*)]
            TableScan: public.nation server=mem`},
	}
	cat := bindtest.TPCH()
	for _, c := range cases {
		res, err := bindSQL(cat, "alice", c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if got, want := strings.TrimSpace(plan.FormatBrief(res.Root)), strings.TrimSpace(c.want); got != want {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", c.sql, got, want)
		}
	}
}

// TestBindDistinctOnErrors: PostgreSQL's errors, at the key they are about.
func TestBindDistinctOnErrors(t *testing.T) {
	cases := []struct {
		sql  string
		code sqlerr.Code
		at   string
		msg  string
	}{
		{"select distinct on (n_regionkey) n_name from nation order by n_name", sqlerr.InvalidColumnReference, "n_regionkey",
			"SELECT DISTINCT ON expressions must match initial ORDER BY expressions"},
		// The key ORDER BY sorts on after another item.
		{"select distinct on (n_name) n_regionkey, n_name from nation order by n_regionkey, n_name", sqlerr.InvalidColumnReference, "n_name",
			"SELECT DISTINCT ON expressions must match initial ORDER BY expressions"},
		// Position 2 is n_name, not the n_regionkey ORDER BY starts with.
		{"select distinct on (2) n_regionkey, n_name from nation order by n_regionkey", sqlerr.InvalidColumnReference, "2",
			"SELECT DISTINCT ON expressions must match initial ORDER BY expressions"},
		{"select distinct on (7) n_name from nation", sqlerr.InvalidColumnReference, "7", "DISTINCT ON position 7 is not in select list"},
		{"select distinct on (k) n_name k, n_regionkey k from nation", sqlerr.AmbiguousColumn, "k", `DISTINCT ON "k" is ambiguous`},
		{"select distinct on (nosuch) n_name from nation", sqlerr.UndefinedColumn, "nosuch", `column "nosuch" does not exist`},
		{"select distinct on (n_name) n_regionkey from nation group by n_regionkey", sqlerr.GroupingError, "n_name", "GROUP BY"},
	}
	cat := bindtest.TPCH()
	for _, c := range cases {
		_, err := bindSQL(cat, "alice", c.sql)
		var e *sqlerr.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: got %v, want a *sqlerr.Error %s", c.sql, err, c.code)
			continue
		}
		if e.Code != c.code || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: got %s %q, want %s containing %q", c.sql, e.Code, e.Message, c.code, c.msg)
		}
		if want := strings.Index(c.sql, "("+c.at) + 2; e.Position != want {
			t.Errorf("%s: position %d, want %d (at %q)", c.sql, e.Position, want, c.at)
		}
	}
}
