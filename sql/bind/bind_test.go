package bind_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// bindError binds sql and reports a test error unless it fails with code
// and a message containing msg; it returns the error when it does.
func bindError(t *testing.T, cat bind.Catalog, sql string, code sqlerr.Code, msg string) *sqlerr.Error {
	t.Helper()
	_, err := bindSQL(cat, "alice", sql)
	var e *sqlerr.Error
	if !errors.As(err, &e) || e.Code != code || !strings.Contains(e.Message, msg) {
		t.Errorf("%s: got %v, want %s %q", sql, err, code, msg)
		return nil
	}
	return e
}

func bindSQL(cat bind.Catalog, user, sql string) (*bind.Result, error) {
	st, err := parse.ParseOne(sql)
	if err != nil {
		return nil, err
	}
	return bind.BindParsed(context.Background(), cat, user, st, bind.Options{})
}

// TestBindErrors: each error has its SQLSTATE and the 1-based position of
// the offending word in the statement.
func TestBindErrors(t *testing.T) {
	cat := bindtest.TPCH()
	cat.Denied = map[string]bool{"bob:public.orders": true}
	cases := []struct {
		user, sql string
		code      sqlerr.Code
		at        string // the text the position points at; "" for no check
		msg       string
	}{
		{"alice", "select * from nosuch", sqlerr.UndefinedTable, "nosuch", `relation "nosuch" does not exist`},
		{"alice", "select n_name from other.nation", sqlerr.UndefinedTable, "nation", `relation "other.nation" does not exist`},
		{"alice", "select n_nosuch from nation", sqlerr.UndefinedColumn, "n_nosuch", `column "n_nosuch" does not exist`},
		{"alice", "select n.r_name from nation n", sqlerr.UndefinedColumn, "r_name", `r_name`},
		{"alice", "select n_name from nation n1, nation n2", sqlerr.AmbiguousColumn, "n_name", `"n_name" is ambiguous`},
		{"alice", "select n_name + 1 from nation", sqlerr.UndefinedFunction, "", "operator does not exist"},
		{"alice", "select n_name from nation where n_nationkey", sqlerr.DatatypeMismatch, "", "must be type boolean"},
		{"alice", "select * from nation where n_name = 1", sqlerr.UndefinedFunction, "", "operator does not exist"},
		{"alice", "select case when true then 1 else 'x' || n_name end from nation", sqlerr.DatatypeMismatch, "", "CASE"},
		{"alice", "selec 1", sqlerr.SyntaxError, "selec", "syntax error"},
		{"alice", "select n_name from nation where", sqlerr.SyntaxError, "", "syntax error"},
		{"bob", "select o_orderkey from orders", sqlerr.InsufficientPrivilege, "orders", "permission denied"},
		{"alice", "select n_name, count(*) from nation", sqlerr.GroupingError, "n_name", "GROUP BY"},
		{"alice", "select n_name from nation group by 3", sqlerr.InvalidColumnReference, "", "GROUP BY position 3"},
		{"alice", "select nosuchfn(n_name) from nation", sqlerr.UndefinedFunction, "nosuchfn", "nosuchfn"},
		{"alice", "insert into nation (n_name, n_name) values ('a', 'b')", sqlerr.DuplicateColumn, "n_name", "more than once"},
		{"alice", "insert into nation (n_nosuch) values (1)", sqlerr.UndefinedColumn, "n_nosuch", "n_nosuch"},
		{"alice", "insert into nation (n_nationkey) values (1, 2)", sqlerr.SyntaxError, "", "more expressions than target columns"},
		{"alice", "insert into nation (n_nationkey) select n_name from nation", sqlerr.DatatypeMismatch, "", "is of type integer but expression is of type"},
		{"bob", "insert into orders (o_orderkey) values (1)", sqlerr.InsufficientPrivilege, "orders", "permission denied"},
		{"alice", "select * from nation where n_name = 'x' and n_nationkey = 'abc'", sqlerr.InvalidTextRepr, "'abc'", `invalid input syntax for type integer: "abc"`},
		{"alice", "select * from orders where o_orderdate < 'soon'", sqlerr.InvalidDatetimeFormat, "'soon'", `type date: "soon"`},
	}
	for _, c := range cases {
		_, err := bindSQL(cat, c.user, c.sql)
		var e *sqlerr.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: got %v, want a *sqlerr.Error %s", c.sql, err, c.code)
			continue
		}
		if e.Code != c.code || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: got %s %q, want %s containing %q", c.sql, e.Code, e.Message, c.code, c.msg)
		}
		if c.at != "" {
			want := strings.Index(c.sql, c.at) + 1
			if e.Position != want {
				t.Errorf("%s: position %d, want %d (at %q)", c.sql, e.Position, want, c.at)
			}
		}
	}
}

// TestBindShapes binds one query per construct the compiler accepts and
// checks the shape of the plan (decorrelated subqueries are joins).
func TestBindShapes(t *testing.T) {
	cat := bindtest.TPCH()
	cases := []struct{ sql, want string }{
		{"select n_name as name, n.* from nation n", "Projection: n.n_name, n.n_nationkey, n.n_name, n.n_regionkey, n.n_comment"},
		{`select "n_name" from nation where n_name::text like 'A%' and n_nationkey between 1 and 5`, "Filter:"},
		{"select coalesce(a, 1), nullif(a, 2), greatest(a, 3), least(a, 4) from t", "coalesce"},
		{"select a is distinct from 1, b ilike 'x%', a in (1, 2) from t", "DISTINCT FROM"},
		{"select extract(year from d), d + interval '3' day, substring(b from 2 for 3), upper(b), length(b), trim(b), position('x' in b) from t", "extract"},
		{"with c as (select a from t) select * from c join other.t o on c.a = o.x", "Inner Join"},
		{"select * from nation n left join nation m using (n_regionkey)", "Left Join"},
		{"select * from nation n full join nation m using (n_regionkey)", "Full Join"},
		{"select n_name from nation where n_regionkey in (select r_regionkey from region where r_name = 'ASIA')", "LeftSemi Join"},
		{"select n_name from nation where n_regionkey not in (select r_regionkey from region)", "LeftAnti Join"},
		{"select a from t where a not in (select x from other.t)", "LeftMark Join"},
		{"select n_name from nation n where exists (select 1 from region r where r.r_regionkey = n.n_regionkey)", "LeftSemi Join"},
		{"select n_name from nation n where not exists (select 1 from region r where r.r_regionkey = n.n_regionkey)", "LeftAnti Join"},
		{"select n_name, (select r_name from region r where r.r_regionkey = n.n_regionkey) from nation n", "LeftSingle Join"},
		{"select n_name, row_number() over (partition by n_regionkey order by n_name), sum(n_nationkey) over (order by n_name rows between 1 preceding and current row) from nation", "Window"},
		{"select n_regionkey, count(distinct n_name), string_agg(n_name, ','), bool_and(n_nationkey > 1) from nation group by 1 having count(*) > 1 order by 2 desc nulls last limit 3", "Aggregate"},
		{"select a from t union select x from other.t intersect select x from other.t", "Intersect"},
		{"select a from t except all select x from other.t", "Except All"},
		{"select n_name from nation where n_nationkey = $1 and n_name = $2", "$1"},
		{"select distinct n_regionkey from nation", "Distinct"},
	}
	for _, c := range cases {
		res, err := bindSQL(cat, "alice", c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if got := plan.FormatBrief(res.Root); !strings.Contains(got, c.want) {
			t.Errorf("%s: plan lacks %q:\n%s", c.sql, c.want, got)
		}
	}
}

// TestBindParams: parameters take their types from their use.
func TestBindParams(t *testing.T) {
	res, err := bindSQL(bindtest.TPCH(), "alice", "select n_name from nation where n_nationkey = $1 and n_name like $2 and n_regionkey > ?")
	if err == nil {
		t.Fatalf("mixing $n and ? should fail, got %v", res.Params)
	}
	res, err = bindSQL(bindtest.TPCH(), "alice", "select o_orderkey from orders where o_orderdate >= $1 and o_totalprice > $2 and o_comment like $3")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Params {
		got = append(got, p.String())
	}
	if strings.Join(got, ",") != "date32,decimal(15, 2),utf8" {
		t.Errorf("params %v", got)
	}
}
