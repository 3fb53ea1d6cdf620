package bind_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// TestBindNestedSetOps: INTERSECT and EXCEPT nested in queries bind to
// set operations where the subquery, derived table or WITH query was.
func TestBindNestedSetOps(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"select n_name from nation where n_regionkey in (select r_regionkey from region intersect select 1)", `
Projection: nation.n_name
  LeftSemi Join: (nation.n_regionkey = r_regionkey)
    TableScan: public.nation server=mem
    Intersect
      Projection: region.r_regionkey
        TableScan: public.region server=mem
      Projection: 1 AS ?column?
        Values: rows=1, columns=[]`},
		{"select count(*) from (select n_regionkey from nation except all select r_regionkey from region) x", `
Projection: count
  Aggregate: groupBy=[], aggr=[count(*)]
    Except All
      Projection: nation.n_regionkey
        TableScan: public.nation server=mem
      Projection: region.r_regionkey
        TableScan: public.region server=mem`},
		// ORDER BY and LIMIT after the parentheses apply to the set operation.
		{"(select n_name from nation except select r_name from region) order by 1 desc limit 3", `
Limit: skip=0, fetch=3
  Sort: n_name DESC NULLS FIRST
    Except
      Projection: nation.n_name
        TableScan: public.nation server=mem
      Projection: region.r_name
        TableScan: public.region server=mem`},
		{"select * from (select n_nationkey from nation intersect select r_regionkey from region order by 1 limit 2) x", `
Projection: x.n_nationkey
  Limit: skip=0, fetch=2
    Sort: n_nationkey ASC NULLS LAST
      Intersect
        Projection: nation.n_nationkey
          TableScan: public.nation server=mem
        Projection: region.r_regionkey
          TableScan: public.region server=mem`},
		// The operands are converted to common types.
		{"select * from (select 1 intersect select 1.5) x", `
Projection: x.?column?
  Intersect
    Projection: CAST(?column? AS numeric(11,1)) AS ?column?
      Projection: 1 AS ?column?
        Values: rows=1, columns=[]
    Projection: CAST(?column? AS numeric(11,1)) AS ?column?
      Projection: 1.5 AS ?column?
        Values: rows=1, columns=[]`},
		// INTERSECT before UNION; the parenthesized set operation is a UNION operand.
		{"select 1 union (select 2 except select 3 intersect select 4)", `
Union
  Projection: 1 AS ?column?
    Values: rows=1, columns=[]
  Except
    Projection: 2 AS ?column?
      Values: rows=1, columns=[]
    Intersect
      Projection: 3 AS ?column?
        Values: rows=1, columns=[]
      Projection: 4 AS ?column?
        Values: rows=1, columns=[]`},
		// Each reference to a WITH query binds it afresh.
		{"with k as (select n_nationkey from nation intersect select r_regionkey from region) select * from k, k k2", `
Projection: k.n_nationkey, k2.n_nationkey
  CrossJoin:
    Intersect
      Projection: nation.n_nationkey
        TableScan: public.nation server=mem
      Projection: region.r_regionkey
        TableScan: public.region server=mem
    Intersect
      Projection: nation.n_nationkey
        TableScan: public.nation server=mem
      Projection: region.r_regionkey
        TableScan: public.region server=mem`},
		{"select n_name, (select max(r_regionkey) from region except select 4) from nation", `
Projection: nation.n_name, max
  LeftSingle Join: true
    TableScan: public.nation server=mem
    Except
      Projection: max
        Aggregate: groupBy=[], aggr=[max(region.r_regionkey)]
          TableScan: public.region server=mem
      Projection: 4 AS ?column?
        Values: rows=1, columns=[]`},
		{"insert into nation (n_nationkey) select 1 except select 2", `
Projection: ?column? AS n_nationkey
  Except
    Projection: 1 AS ?column?
      Values: rows=1, columns=[]
    Projection: 2 AS ?column?
      Values: rows=1, columns=[]`},
		// A WITH query of a top-level set operation holding a nested one.
		{"with w as (select 1 except select 2) select * from w intersect select 1", `
Intersect
  Projection: w.?column?
    Except
      Projection: 1 AS ?column?
        Values: rows=1, columns=[]
      Projection: 2 AS ?column?
        Values: rows=1, columns=[]
  Projection: 1 AS ?column?
    Values: rows=1, columns=[]`},
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

// TestBindNestedSetOpErrors: errors inside nested set operations, with
// positions in the text as written.
func TestBindNestedSetOpErrors(t *testing.T) {
	cases := []struct {
		sql  string
		code sqlerr.Code
		at   string // the text the position points at; "" for no check
		msg  string
	}{
		{"select * from (select n_name from nation intersect select nosuch from region) x", sqlerr.UndefinedColumn, "nosuch", `column "nosuch" does not exist`},
		{"select * from (select 1 intersect select 1, 2) x", sqlerr.SyntaxError, "", "each INTERSECT query must have the same number of columns"},
		{"select * from (select n_name from nation except select 1) x", sqlerr.DatatypeMismatch, "", "EXCEPT types text and integer cannot be matched"},
		{"with w as (select 1 except select * from nosuch) select * from w", sqlerr.UndefinedTable, "nosuch", `relation "nosuch" does not exist`},
		{"insert into nation (n_nationkey) select n_name from nation except select 'x'", sqlerr.DatatypeMismatch, "", "is of type integer but expression is of type"},
		// Correlation from inside INTERSECT / EXCEPT is not decorrelated.
		{"select n_name from nation n where exists (select 1 intersect select n.n_regionkey)", sqlerr.FeatureNotSupported, "", "correlated subquery"},
		{"select n_name from nation n where n_regionkey in (select r_regionkey from region r where r.r_regionkey = n.n_regionkey except select 1)",
			sqlerr.FeatureNotSupported, "", "correlated subquery"},
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
		if c.at != "" {
			if want := strings.Index(c.sql, c.at) + 1; e.Position != want {
				t.Errorf("%s: position %d, want %d (at %q)", c.sql, e.Position, want, c.at)
			}
		}
	}
}
