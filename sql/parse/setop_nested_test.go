package parse

import (
	"strings"
	"testing"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/sqlerr"
)

// describeNested prints the set operations nested in q's tree, each with
// its tail after a |, in brackets.
func describeNested(q *Query) string {
	var out []string
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if s, ok := n.(*SetOpQuery); ok {
			d := describe(s.SetOp)
			if s.SetOp.Tail != nil {
				d += " | " + strings.Join(strings.Fields(s.SetOp.Tail.Rewritten), " ")
			}
			out = append(out, d)
		}
		return true, nil
	}, q.AST)
	if len(out) == 0 {
		return ""
	}
	return " [" + strings.Join(out, "; ") + "]"
}

func TestNestedSetOp(t *testing.T) {
	tests := []struct{ in, want string }{
		{"select count(*) from (select a from t intersect select b from u) x",
			"select count(*) from (select * from __medley_setop_1) x [(select a from t INTERSECT select b from u)]"},
		{"select * from (select 1 except all select 2) x, (select 3 intersect select 4) y",
			"select * from (select * from __medley_setop_1) x, (select * from __medley_setop_2) y [(select 1 EXCEPT ALL select 2); (select 3 INTERSECT select 4)]"},
		{"select 1 where 1 in (select 1 intersect select 1) and exists (select 2 except select 3)",
			"select 1 where 1 in (select * from __medley_setop_1) and exists (select * from __medley_setop_2) [(select 1 INTERSECT select 1); (select 2 EXCEPT select 3)]"},
		{"select (select max(a) from t except select 3)",
			"select (select * from __medley_setop_1) [(select max(a) from t EXCEPT select 3)]"},
		{"with t as (select a from u except select b from v) select * from t",
			"with t as (select * from __medley_setop_1) select * from t [(select a from u EXCEPT select b from v)]"},
		{"select * from (with w as (select 1 as a) select a from w intersect select 1) x",
			"select * from (select * from __medley_setop_1) x [(select a from w INTERSECT select 1) | with w as (select 1 as a) select * from __medley_setop]"},
		// precedence and set operations inside set operations
		{"select * from (select 1 union select 2 intersect select 3 except select 4) x",
			"select * from (select * from __medley_setop_1) x [((select 1 UNION (select 2 INTERSECT select 3)) EXCEPT select 4)]"},
		{"select * from (select 1 intersect (select 2 except select 3)) x",
			"select * from (select * from __medley_setop_1) x [(select 1 INTERSECT (select 2 EXCEPT select 3))]"},
		{"select * from (select a from (select 1 except select 2) y intersect select 1) x",
			"select * from (select * from __medley_setop_1) x [(select a from (select * from __medley_setop_1) y [(select 1 EXCEPT select 2)] INTERSECT select 1)]"},
		{"select * from ((select 1) intersect (select 2)) x", "select * from (select * from __medley_setop_1) x [(select 1 INTERSECT select 2)]"},
		{"select * from ((select 1 except select 2)) x", "select * from ((select * from __medley_setop_1)) x [(select 1 EXCEPT select 2)]"},
		{"select 1 union (select 2 intersect select 3) order by 1",
			"select 1 union (select * from __medley_setop_1) order by 1 [(select 2 INTERSECT select 3)]"},
		{"select * from (values (1) except values (2)) v(a)",
			"select * from (select * from __medley_setop_1) v(a) [(values row(1) EXCEPT values row(2))]"},
		// ORDER BY and LIMIT inside the parentheses, and after them
		{"select * from (select a from t intersect select a from u order by a desc nulls last limit 1) x",
			"select * from (select * from __medley_setop_1) x [(select a from t INTERSECT select a from u) | select * from __medley_setop order by __medley_nulls_last(a) desc limit 1]"},
		{"(select 1 intersect select 2) order by 1 limit 1", "(select * from __medley_setop_1) order by 1 limit 1 [(select 1 INTERSECT select 2)]"},
		{"((select 1) intersect (select 1))", "(select * from __medley_setop_1) [(select 1 INTERSECT select 1)]"},
		// writes
		{"insert into t select 1 except select 2", "insert into t select * from __medley_setop_1 [(select 1 EXCEPT select 2)]"},
		{"insert into t (a, b) values (1, 2) intersect all select 3, 4",
			"insert into t (a, b) select * from __medley_setop_1 [(values row(1, 2) INTERSECT ALL select 3, 4)]"},
		{"insert into t (a) (select 1 except select 2)", "insert into t (a) (select * from __medley_setop_1) [(select 1 EXCEPT select 2)]"},
		{"insert into t select 1 union select 2", "insert into t select 1 union select 2"},
		{"update t set a = (select 1 intersect select 1) where b in (select 2 except select 3)",
			"update t set a = (select * from __medley_setop_1) where b in (select * from __medley_setop_2) [(select 1 INTERSECT select 1); (select 2 EXCEPT select 3)]"},
		{"delete from t where b in (select 2 except select 3)",
			"delete from t where b in (select * from __medley_setop_1) [(select 2 EXCEPT select 3)]"},
		// ? counts left to right across the parts
		{"select ?, (select ? intersect select ?), ?", "select :v1, (select * from __medley_setop_1), :v4 [(select :v2 INTERSECT select :v3)]"},
	}
	for _, tt := range tests {
		st, err := ParseOne(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		q, ok := st.(*Query)
		if !ok {
			t.Errorf("%s: %T, want *Query", tt.in, st)
			continue
		}
		if got := describe(q); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

// TestNestedSetOpRoot: a parenthesized set operation that is the whole
// query is the root of Vitess' tree, with the ORDER BY and LIMIT after it.
func TestNestedSetOpRoot(t *testing.T) {
	st, err := ParseOne("(select 1 intersect select 2) order by 1 limit 1")
	if err != nil {
		t.Fatal(err)
	}
	q, ok := st.(*Query).AST.(*SetOpQuery)
	if !ok {
		t.Fatalf("AST %T, want *SetOpQuery", st.(*Query).AST)
	}
	if len(q.OrderBy) != 1 || q.Limit == nil || q.SetOp.Op != SetIntersect {
		t.Errorf("%s: order %v limit %v op %s", sqlparser.String(q), q.OrderBy, q.Limit, q.SetOp.Op)
	}
}

// TestNestedSetOpStatements: CREATE TABLE AS, EXPLAIN and a top-level set
// operation hold nested ones too; parameters count over the whole statement.
func TestNestedSetOpStatements(t *testing.T) {
	for _, in := range []string{
		"create table x as select 1 intersect select 2",
		"create table x as (select 1 intersect select 2)",
		"create table x as select * from (select 1 intersect select 2) y",
		"explain select * from (select 1 intersect select 2) y",
	} {
		st, err := ParseOne(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		var q Statement
		switch s := st.(type) {
		case *CreateTable:
			q = s.Query
		case *Explain:
			q = s.Query
		}
		if got := describe(q); !strings.Contains(got, "(select 1 INTERSECT select 2)") {
			t.Errorf("%s: %s", in, got)
		}
	}
	st, err := ParseOne("with x as (select $1 except select 1) select * from x intersect select (select 1 intersect select $2)")
	if err != nil {
		t.Fatal(err)
	}
	so := st.(*SetOp)
	if got, want := describe(so), "(select * from x INTERSECT select (select * from __medley_setop_1) [(select 1 INTERSECT select :v2)])"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if got, want := so.Tail.Rewritten+describeNested(so.Tail), "with x as (select * from __medley_setop_1) select * from __medley_setop [(select :v1 EXCEPT select 1)]"; got != want {
		t.Errorf("tail %s\nwant %s", got, want)
	}
	if so.Params != 2 {
		t.Errorf("params = %d", so.Params)
	}
	st, _ = ParseOne("with x as (select ?) select ? intersect select ?")
	if got := describe(st) + " | " + st.(*SetOp).Tail.Rewritten; got != "(select :v2 INTERSECT select :v3) | with x as (select :v1) select * from __medley_setop" {
		t.Errorf("? order: %s", got)
	}
}

// TestNestedSetOpErrors: syntax errors point into the text as written.
func TestNestedSetOpErrors(t *testing.T) {
	tests := []struct{ in, at, msg string }{
		{"select * from (select 1 intersect selec 2) x", "selec 2", `at or near "selec"`},
		{"select * from (select 1 intersect ) x", ") x", `at or near ")"; expected a query`},
		{"select 1 intersect", "", "end of input; expected a query"},
		{"select * from (select 1 except select 2) x where a = #", "#", `"#"`},
		{"select * from (select 1 except select 2 order by 1 fetch first 1 rows) x", ") x", "ROWS ONLY"},
		{"insert into t select 1 except selec 2", "selec 2", `"selec"`},
		{"select 1 intersect select 2 order by a, #", "#", `"#"`},
		{"with x as (select 1) select 1 intersect select 2 order by a limit #", "#", `"#"`},
		{"select (1 intersect 2)", "intersect", `"intersect"`},
		{"select * from (select 1 intersect select 2", "", "end of input"},
		{"select a from t where a in (select 1 except select 2 x", "", "end of input"},
	}
	for _, tt := range tests {
		_, err := ParseOne(tt.in)
		var e *sqlerr.Error
		if !asErr(err, &e) {
			t.Errorf("%s: %v, want an error", tt.in, err)
			continue
		}
		want := len(tt.in) + 1
		if tt.at != "" {
			want = strings.Index(tt.in, tt.at) + 1
		}
		if e.Code != sqlerr.SyntaxError || e.Position != want || !strings.Contains(e.Message, tt.msg) {
			t.Errorf("%s: %s %q at %d, want 42601 %q at %d", tt.in, e.Code, e.Message, e.Position, tt.msg, want)
		}
	}
}
