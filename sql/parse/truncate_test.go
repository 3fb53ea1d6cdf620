package parse

import (
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/sqlerr"
)

// TestTruncate: TRUNCATE is DELETE FROM each table, each positioned at its
// table's name.
func TestTruncate(t *testing.T) {
	cases := []struct {
		in      string
		deletes []string // each DELETE's text for Vitess, then its source text
	}{
		{"TRUNCATE t", []string{"delete from t", "t"}},
		{"truncate table only s.t, ONLY \"U v\" *, w * continue identity restrict;",
			[]string{"delete from s.t", "s.t", "delete from `U v`", `"U v"`, "delete from w", "w"}},
	}
	for _, c := range cases {
		st, err := ParseOne(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		q, ok := st.(*Query)
		if !ok || q.AST != nil || q.Position() != 1 || len(q.Truncate) != len(c.deletes)/2 {
			t.Errorf("%s: %T %+v", c.in, st, st)
			continue
		}
		for k, d := range q.Truncate {
			if d.Rewritten != c.deletes[2*k] || d.Text() != c.deletes[2*k+1] || d.Position() != strings.Index(c.in, d.Text())+1 {
				t.Errorf("%s: DELETE %d is %q from %q at %d", c.in, k, d.Rewritten, d.Text(), d.Position())
			}
		}
	}
	errs := []struct {
		in   string
		code sqlerr.Code
		pos  int
		msg  string
	}{
		{"truncate t restart identity", sqlerr.FeatureNotSupported, 12, "TRUNCATE ... RESTART IDENTITY is not supported: tables have no sequences"},
		{"truncate t, u cascade", sqlerr.FeatureNotSupported, 15, "TRUNCATE ... CASCADE is not supported"},
		{"truncate", sqlerr.SyntaxError, 9, "syntax error at end of input; expected a table name"},
		{"truncate t,", sqlerr.SyntaxError, 12, "syntax error at end of input; expected a table name"},
		{"truncate t u", sqlerr.SyntaxError, 12, `syntax error at or near "u"; expected end of statement`},
		{"truncate t continue", sqlerr.SyntaxError, 20, "syntax error at end of input; expected IDENTITY"},
	}
	for _, e := range errs {
		_, err := Parse(e.in)
		checkErr(t, e.in, err, e.code, e.pos, e.msg)
	}
}
