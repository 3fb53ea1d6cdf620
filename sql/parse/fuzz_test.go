package parse

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/medleysql/medley/sql/sqlerr"
)

// FuzzParse checks that Parse and Split never panic and that every error is
// an *sqlerr.Error whose position lies within the text.
func FuzzParse(f *testing.F) {
	for _, c := range rewriteCases {
		f.Add(c.in)
	}
	for _, c := range ddlCases {
		f.Add(c.in)
	}
	for _, s := range []string{"select a from from t", "select 'abc", "select a::", "create server s",
		"select 1 union select 2 intersect select 3 order by 1", "explain (format json) select 1",
		"create table t (a, b) as select 1, 2", "select $$x$$ || E'\\x41'", "/* unterminated", "(((",
		"select a is distinct from", "select * from t order by nulls first", "select count(*) filter (where",
		"values", "select cast(a as", "select x::numeric(", "select interval '1' day (", "offset 1",
		"select * from (select 1 intersect select 2 order by 1) x", "insert into t (a) select 1 except (select 2",
		"with w as (select 1 except select 2) select * from w", "select (select ? intersect select ?), ?",
		"select timestamptz '2024-01-01', timestamp(3) with time zone 'x'"} {
		f.Add(s)
	}
	files, _ := filepath.Glob("testdata/tpch/*.sql")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		Split(text)
		_, err := Parse(text)
		if err == nil {
			return
		}
		var e *sqlerr.Error
		if !errors.As(err, &e) {
			t.Fatalf("Parse(%q): error %v is %T", text, err, err)
		}
		if e.Code == "" || e.Position < 0 || e.Position > len(text)+1 {
			t.Fatalf("Parse(%q): bad error %s @%d %q", text, e.Code, e.Position, e.Message)
		}
	})
}
