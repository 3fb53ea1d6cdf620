package optimize

import (
	"context"
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
)

// bound binds sql over the TPC-H test catalog, without optimizing.
func bound(t *testing.T, sql string) plan.Node {
	t.Helper()
	st, err := parse.ParseOne(sql)
	if err != nil {
		t.Fatalf("parse %q: %v", sql, err)
	}
	res, err := bind.BindParsed(context.Background(), bindtest.TPCH(), "alice", st, bind.Options{})
	if err != nil {
		t.Fatalf("bind %q: %v", sql, err)
	}
	return res.Root
}

type ruleCase struct {
	sql  string
	want string // FormatBrief of the plan after the rules, leading tabs and blank lines ignored
}

// runRules applies rules in order to each case's bound plan and diffs the text.
func runRules(t *testing.T, cases []ruleCase, rules ...Rule) {
	t.Helper()
	for _, tc := range cases {
		n := bound(t, tc.sql)
		for _, r := range rules {
			n = r.Apply(n)
		}
		got := strings.TrimSpace(plan.FormatBrief(n))
		want := trimLines(tc.want)
		if got != want {
			t.Errorf("%s\n--- got\n%s\n--- want\n%s", tc.sql, got, want)
		}
	}
}

// trimLines removes the common tab indentation of a raw string literal.
func trimLines(s string) string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		out = append(out, strings.TrimLeft(l, "\t"))
	}
	return strings.Join(out, "\n")
}
