package bind_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/sqlerr"
)

// FuzzBind parses and binds arbitrary text against the TPC-H catalog. Any
// outcome but a panic or an internal error (XX000: the binder recovers its
// own panics as XX000) is fine. `go test` runs the seeds; `go test -fuzz
// FuzzBind ./sql/bind` explores.
func FuzzBind(f *testing.F) {
	files, _ := filepath.Glob("../parse/testdata/tpch/*.sql")
	for _, fn := range files {
		b, err := os.ReadFile(fn)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		"select a from t where a not in (select x from other.t)",
		"select n_name, (select r_name from region r where r.r_regionkey = n.n_regionkey) from nation n",
		"select n_name, row_number() over (partition by n_regionkey order by n_name) from nation",
		"select a from t union select x from other.t intersect select x from other.t order by 1 limit 2",
		"with c as (select a from t) select * from c, c d",
		"select count(distinct a) filter (where b > 'x') from t group by rollup(a)",
		"select $1 + $2, ? from t",
		"insert into t (a, b) select a, b from t",
		"select cast(a as numeric(5,2)), a::text, d - interval '1' month from t",
		"select * from nation n full join nation m using (n_regionkey)",
		"select sum(sum(a)) from t", "select a from t group by a having sum(b) > 1", "values (1, 'a'), (2, null)",
	} {
		f.Add(s)
	}
	cat := bindtest.TPCH()
	f.Fuzz(func(t *testing.T, sql string) {
		_, err := bindSQL(cat, "alice", sql)
		if sqlerr.Is(err, sqlerr.InternalError) {
			t.Fatalf("internal error binding %q: %v", sql, err)
		}
	})
}
