package parse

import (
	"fmt"
	"strings"
	"testing"

	"vitess.io/vitess/go/vt/sqlparser"
)

// describe prints a set operation tree with its operands' rewritten text;
// the set operations nested in a query follow it in brackets.
func describe(st Statement) string {
	switch s := st.(type) {
	case *Query:
		return s.Rewritten + describeNested(s)
	case *SetOp:
		all := ""
		if s.All {
			all = " ALL"
		}
		if s.Right == nil {
			return describe(s.Left)
		}
		return fmt.Sprintf("(%s %s%s %s)", describe(s.Left), s.Op, all, describe(s.Right))
	}
	return fmt.Sprintf("%T", st)
}

func TestSetOp(t *testing.T) {
	tests := []struct {
		in, want, tail string
	}{
		{"select a from t intersect select b from u", "(select a from t INTERSECT select b from u)", ""},
		{"select a from t except all select b from u", "(select a from t EXCEPT ALL select b from u)", ""},
		{"select 1 union select 2 intersect select 3", "(select 1 UNION (select 2 INTERSECT select 3))", ""},
		{"select 1 except select 2 union all select 3", "((select 1 EXCEPT select 2) UNION ALL select 3)", ""},
		{"(select 1 from t order by 1 limit 2) intersect distinct (select 2)", "(select 1 from t order by 1 limit 2 INTERSECT select 2)", ""},
		{"select a from t intersect select a from u order by a desc nulls last limit 5",
			"(select a from t INTERSECT select a from u)",
			"select * from __medley_setop order by __medley_nulls_last(a) desc limit 5"},
		{"with x as (select 1 as a) select a from x except select 2 fetch first 1 row only",
			"(select a from x EXCEPT select 2)",
			"with x as (select 1 as a) select * from __medley_setop limit 1"},
		{"select $1 intersect select $2", "(select :v1 INTERSECT select :v2)", ""},
	}
	for _, tt := range tests {
		st, err := ParseOne(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		so, ok := st.(*SetOp)
		if !ok {
			t.Errorf("%s: %T", tt.in, st)
			continue
		}
		if got := describe(so); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.in, got, tt.want)
		}
		tail := ""
		if so.Tail != nil {
			tail = so.Tail.Rewritten
			if _, ok := so.Tail.AST.(*sqlparser.Select); !ok {
				t.Errorf("%s: tail %T", tt.in, so.Tail.AST)
			}
		}
		if strings.Join(strings.Fields(tail), " ") != tt.tail {
			t.Errorf("%s: tail %q, want %q", tt.in, tail, tt.tail)
		}
	}
	st, _ := ParseOne("select $1 intersect select $2")
	if p := st.(*SetOp).Params; p != 2 {
		t.Errorf("params = %d", p)
	}
	if _, err := ParseOne("select 1 intersect"); err == nil {
		t.Error("dangling INTERSECT: no error")
	}
	if _, err := ParseOne("select 1 intersect select from"); err == nil {
		t.Error("bad operand: no error")
	}
}
