package engine

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"

	"github.com/medleysql/medley/connectors/testsrv"
)

func TestMain(m *testing.M) { testsrv.Main(m) }

var updatePushdown = flag.Bool("update", false, "rewrite the golden EXPLAIN files of testdata/pushdown")

// PushdownColumn is one column of a conformance table: its name and its
// type as Medley declares it (bigint, integer, double precision, text,
// boolean); the source maps it to its own type.
type PushdownColumn struct {
	Name, Type string
}

// PushdownTable is one table of the pushdown conformance suite. Rows hold
// int64, float64, string, bool or nil (NULL) values.
type PushdownTable struct {
	Name    string
	Columns []PushdownColumn
	Rows    [][]any
}

// PushdownSource is a SQL source under the pushdown conformance suite: a
// wrapper, a server's and a user mapping's options, and Create, which
// creates the suite's tables (with their rows) on the source, under the
// tables' own names.
type PushdownSource struct {
	Wrapper       string
	ServerOptions map[string]string
	UserOptions   map[string]string
	// TableOptions are added to every foreign table's options (e.g. the
	// remote database of a MySQL table), after the remote table's name.
	TableOptions map[string]string
	// TableNameOption is the table option naming the remote table;
	// "table_name" when empty.
	TableNameOption string
	// GoldenReplace replaces each key by its value in the golden text
	// (e.g. a temporary file's path by "<database>").
	GoldenReplace map[string]string
	Create        func(t *testing.T, tables []PushdownTable)
}

// pushdownTables are the suite's tables: NULLs in every column but the
// keys, strings with quotes, backslashes, LIKE metacharacters and
// non-ASCII letters, duplicate values for grouping and DISTINCT.
var pushdownTables = []PushdownTable{
	{Name: "pd_a", Columns: []PushdownColumn{{"id", "bigint"}, {"k", "integer"}, {"s", "text"}, {"f", "double precision"}, {"flag", "boolean"}},
		Rows: [][]any{
			{int64(1), int64(10), "apple", 1.5, true},
			{int64(2), int64(20), "it's", 2.5, false},
			{int64(3), nil, `back\slash`, nil, nil},
			{int64(4), int64(10), "Ünïcødé ☃", -3.25, true},
			{int64(5), int64(30), nil, 0.0, false},
			{int64(6), int64(20), "100%_off", 7.0, true},
			{int64(7), int64(40), "", 2.5, nil},
			{int64(8), int64(10), "apple", nil, false},
			{int64(9), nil, `quote"double`, 9.75, true},
			{int64(10), int64(50), "zebra", -1.0, false},
		}},
	{Name: "pd_b", Columns: []PushdownColumn{{"id", "bigint"}, {"a_id", "bigint"}, {"v", "integer"}, {"note", "text"}},
		Rows: [][]any{
			{int64(100), int64(1), int64(5), "x"},
			{int64(101), int64(1), int64(7), "it's"},
			{int64(102), int64(2), nil, "y"},
			{int64(103), int64(4), int64(1), `back\slash`},
			{int64(104), nil, int64(3), nil},
			{int64(105), int64(11), int64(9), "orphan"},
			{int64(106), int64(6), int64(2), "Ünïcødé ☃"},
			{int64(107), int64(6), int64(2), "z"},
		}},
	{Name: "pd_c", Columns: []PushdownColumn{{"k", "integer"}, {"label", "text"}},
		Rows: [][]any{
			{int64(10), "ten"}, {int64(20), "twenty"}, {nil, "null"}, {int64(99), "ninety-nine"},
		}},
}

// pushdownQueries are run with pushdown on and off; the results must be
// equal. Queries without ORDER BY are compared as sorted rows.
var pushdownQueries = []string{
	// filters of every kind, with NULLs
	"SELECT id FROM pd_a WHERE k = 10",
	"SELECT id FROM pd_a WHERE k <> 10",
	"SELECT id FROM pd_a WHERE k > 15 AND k <= 40",
	"SELECT id FROM pd_a WHERE k IS NULL OR s IS NULL",
	"SELECT id FROM pd_a WHERE k IS NOT NULL AND NOT flag",
	"SELECT id FROM pd_a WHERE k IN (10, 30, NULL)",
	"SELECT id FROM pd_a WHERE k NOT IN (10, 30)",
	"SELECT id FROM pd_a WHERE k BETWEEN 20 AND 40",
	"SELECT id FROM pd_a WHERE f > 1.0",
	"SELECT id FROM pd_a WHERE f < 2.5 OR f IS NULL",
	"SELECT id FROM pd_a WHERE flag",
	"SELECT id FROM pd_a WHERE flag = FALSE OR flag IS NULL",
	"SELECT id FROM pd_a WHERE k IS DISTINCT FROM 3",
	"SELECT id FROM pd_a WHERE s IS NOT DISTINCT FROM 'b'",
	"SELECT id FROM pd_a WHERE (k > 2) IS NOT TRUE",
	"SELECT id FROM pd_a WHERE flag IS FALSE OR flag IS UNKNOWN",
	"SELECT id, k > ALL (SELECT a_id FROM pd_b), id IN (SELECT a_id FROM pd_b) FROM pd_a",
	"SELECT id FROM pd_a WHERE k = ANY (SELECT a_id FROM pd_b WHERE a_id > 1)",
	"SELECT id FROM pd_a WHERE k + 5 > 20",
	"SELECT id FROM pd_a WHERE id % 3 = 0",
	// strings: quotes, backslashes, unicode, LIKE
	"SELECT id FROM pd_a WHERE s = 'it''s'",
	`SELECT id FROM pd_a WHERE s = 'back\slash'`,
	"SELECT id FROM pd_a WHERE s = 'Ünïcødé ☃'",
	"SELECT id FROM pd_a WHERE s = ''",
	"SELECT id FROM pd_a WHERE s > 'apple'",
	"SELECT id FROM pd_a WHERE s LIKE 'a%'",
	"SELECT id FROM pd_a WHERE s LIKE '%\\%%' ESCAPE '\\'",
	"SELECT id FROM pd_a WHERE s NOT LIKE '%e%'",
	"SELECT id FROM pd_a WHERE upper(s) = 'APPLE'",
	// LIMIT, with and without filters; ORDER BY + LIMIT
	"SELECT count(*) FROM (SELECT id FROM pd_a LIMIT 3) q",
	"SELECT count(*) FROM (SELECT id FROM pd_a WHERE k = 10 LIMIT 2) q",
	"SELECT count(*) FROM (SELECT id FROM pd_a WHERE upper(s) = 'APPLE' LIMIT 1) q",
	"SELECT id, k FROM pd_a ORDER BY k NULLS FIRST, id LIMIT 4",
	"SELECT id, s FROM pd_a ORDER BY s DESC, id LIMIT 5",
	"SELECT id FROM pd_a WHERE k >= 20 ORDER BY id DESC LIMIT 2 OFFSET 1",
	"SELECT id, s FROM pd_a ORDER BY s, id",
	// joins of all kinds
	"SELECT a.id, b.id FROM pd_a a JOIN pd_b b ON a.id = b.a_id",
	"SELECT a.id, b.id FROM pd_a a LEFT JOIN pd_b b ON a.id = b.a_id",
	"SELECT a.id, b.id FROM pd_a a RIGHT JOIN pd_b b ON a.id = b.a_id",
	"SELECT a.id, b.id FROM pd_a a FULL JOIN pd_b b ON a.id = b.a_id",
	"SELECT a.id, b.id FROM pd_a a JOIN pd_b b ON a.id = b.a_id AND b.v > 2 WHERE a.k IS NOT NULL",
	"SELECT a.id, c.label FROM pd_a a JOIN pd_c c ON a.k = c.k",
	"SELECT a.id, b.id, c.label FROM pd_a a JOIN pd_b b ON a.id = b.a_id LEFT JOIN pd_c c ON a.k = c.k",
	"SELECT a.s, b.note FROM pd_a a JOIN pd_b b ON a.s = b.note",
	"SELECT a.id, b.id FROM pd_a a, pd_b b WHERE a.id = b.a_id AND a.s LIKE '%e%'",
	// semi and anti joins with NULLs
	"SELECT id FROM pd_a a WHERE EXISTS (SELECT 1 FROM pd_b b WHERE b.a_id = a.id)",
	"SELECT id FROM pd_a a WHERE NOT EXISTS (SELECT 1 FROM pd_b b WHERE b.a_id = a.id)",
	"SELECT id FROM pd_a WHERE id IN (SELECT a_id FROM pd_b)",
	"SELECT id FROM pd_a WHERE id NOT IN (SELECT a_id FROM pd_b)",
	"SELECT id FROM pd_a WHERE id NOT IN (SELECT a_id FROM pd_b WHERE a_id IS NOT NULL)",
	"SELECT id FROM pd_a WHERE k IN (SELECT k FROM pd_c)",
	"SELECT id FROM pd_a WHERE k NOT IN (SELECT k FROM pd_c)",
	"SELECT id FROM pd_a WHERE k NOT IN (SELECT k FROM pd_c WHERE k IS NOT NULL)",
	// aggregates, GROUP BY, HAVING, DISTINCT
	"SELECT count(*), count(k), count(s), sum(k), min(k), max(k), min(s), max(s) FROM pd_a",
	"SELECT avg(k), avg(f), sum(f) FROM pd_a",
	"SELECT count(DISTINCT k), count(DISTINCT s) FROM pd_a",
	"SELECT k, count(*), sum(id) FROM pd_a GROUP BY k",
	"SELECT k, count(*) FROM pd_a GROUP BY k HAVING count(*) > 1",
	"SELECT flag, min(s), max(f) FROM pd_a GROUP BY flag",
	"SELECT s, count(*) FROM pd_a GROUP BY s",
	"SELECT DISTINCT k FROM pd_a",
	"SELECT DISTINCT s, flag FROM pd_a",
	"SELECT a.k, count(b.id), sum(b.v) FROM pd_a a LEFT JOIN pd_b b ON a.id = b.a_id GROUP BY a.k",
	"SELECT a.k, count(*) FROM pd_a a JOIN pd_b b ON a.id = b.a_id GROUP BY a.k HAVING sum(b.v) > 3",
	"SELECT k, count(*) FROM pd_a WHERE f > 0 GROUP BY k ORDER BY k LIMIT 2",
	"SELECT count(*) FROM pd_a WHERE k > (SELECT min(k) FROM pd_c)",
}

// pushdownExplain are the queries whose EXPLAIN is pinned in the golden
// file of each source: the remote SQL of every scan and why what was not
// pushed stayed local.
var pushdownExplain = []string{
	"SELECT id FROM pd_a WHERE k = 10 AND s = 'it''s'",
	"SELECT id FROM pd_a WHERE upper(s) = 'APPLE' LIMIT 2",
	"SELECT id FROM pd_a WHERE k > 1 LIMIT 2",
	"SELECT id, k FROM pd_a ORDER BY k NULLS FIRST, id LIMIT 4",
	"SELECT a.id, b.id FROM pd_a a JOIN pd_b b ON a.id = b.a_id",
	"SELECT a.id, b.id FROM pd_a a FULL JOIN pd_b b ON a.id = b.a_id",
	"SELECT id FROM pd_a a WHERE NOT EXISTS (SELECT 1 FROM pd_b b WHERE b.a_id = a.id)",
	"SELECT id FROM pd_a WHERE id NOT IN (SELECT a_id FROM pd_b)",
	"SELECT k, count(*), count(DISTINCT s), sum(id) FROM pd_a GROUP BY k HAVING count(*) > 1",
	"SELECT a.k, count(*) FROM pd_a a JOIN pd_b b ON a.id = b.a_id WHERE upper(a.s) <> 'X' GROUP BY a.k",
	"SELECT a.id, m.id FROM pd_a a JOIN pd_mem m ON a.id = m.id",
}

// RunPushdownConformance creates the suite's tables on src, declares them
// as foreign tables of one server, and checks that every query returns the
// same rows with SET pushdown = on and off. The EXPLAIN of pushdownExplain
// is compared with testdata/pushdown/<golden>.golden (-update rewrites it).
func RunPushdownConformance(t *testing.T, src PushdownSource, golden string) {
	src.Create(t, pushdownTables)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	db, err := Open(ctx, Config{CatalogPath: filepath.Join(t.TempDir(), "catalog.db"), User: "medley", Allocator: mem,
		SecretKey: []byte("0123456789abcdef0123456789abcdef"), Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sess, err := db.Session(ctx, "medley")
	if err != nil {
		t.Fatal(err)
	}
	must := func(sqlText string) {
		t.Helper()
		if _, err := sltRun(ctx, sess, sqlText); err != nil {
			t.Fatalf("%s: %v", sqlText, describeErr(err))
		}
	}
	must(fmt.Sprintf("CREATE SERVER src FOREIGN DATA WRAPPER %s OPTIONS (%s)", src.Wrapper, optionList(src.ServerOptions)))
	mapping := "CREATE USER MAPPING FOR CURRENT_USER SERVER src"
	if len(src.UserOptions) > 0 {
		mapping += fmt.Sprintf(" OPTIONS (%s)", optionList(src.UserOptions))
	}
	must(mapping)
	nameOpt := src.TableNameOption
	if nameOpt == "" {
		nameOpt = "table_name"
	}
	tableOpts := ""
	if len(src.TableOptions) > 0 {
		tableOpts = ", " + optionList(src.TableOptions)
	}
	for _, tb := range pushdownTables {
		var cols []string
		for _, c := range tb.Columns {
			cols = append(cols, c.Name+" "+c.Type)
		}
		must(fmt.Sprintf("CREATE FOREIGN TABLE %s (%s) SERVER src OPTIONS (%s '%s'%s)", tb.Name, strings.Join(cols, ", "), nameOpt, tb.Name, tableOpts))
	}
	must("CREATE TABLE pd_mem (id bigint, w text)")
	must("INSERT INTO pd_mem VALUES (1, 'one'), (2, 'two'), (42, 'x')")

	run := func(q string, on bool) ([]string, error) {
		must(fmt.Sprintf("SET pushdown = %v", map[bool]string{true: "on", false: "off"}[on]))
		rows, err := sltRun(ctx, sess, q)
		if err == nil && !strings.Contains(strings.ToUpper(q), "ORDER BY") {
			sort.Strings(rows)
		}
		return rows, err
	}
	for _, q := range pushdownQueries {
		off, err := run(q, false)
		if err != nil {
			t.Errorf("%s\npushdown off: %v", q, describeErr(err))
			continue
		}
		on, err := run(q, true)
		if err != nil {
			t.Errorf("%s\npushdown on: %v", q, describeErr(err))
			continue
		}
		if strings.Join(on, "\n") != strings.Join(off, "\n") {
			t.Errorf("%s\n-- pushdown on:\n%s\n-- pushdown off:\n%s", q, strings.Join(on, "\n"), strings.Join(off, "\n"))
		}
	}

	// Where each query runs with pushdown on: pinned in the golden file, so
	// that a regression in what is pushed shows as a diff.
	var b strings.Builder
	b.WriteString("== where each conformance query runs with pushdown on\n")
	must("SET pushdown = on")
	for _, q := range pushdownQueries {
		lines, err := sltRun(ctx, sess, "EXPLAIN "+q)
		if err != nil {
			t.Errorf("EXPLAIN %s: %v", q, describeErr(err))
			continue
		}
		fmt.Fprintf(&b, "%s\n  %s\n", q, pushdownSummary(lines))
	}
	b.WriteString("\n== EXPLAIN\n")
	for _, on := range []bool{true, false} {
		for _, q := range pushdownExplain {
			if !on && !strings.Contains(q, "JOIN") {
				continue
			}
			must(fmt.Sprintf("SET pushdown = %v", map[bool]string{true: "on", false: "off"}[on]))
			lines, err := sltRun(ctx, sess, "EXPLAIN "+q)
			if err != nil {
				t.Errorf("EXPLAIN %s: %v", q, describeErr(err))
				continue
			}
			fmt.Fprintf(&b, "-- pushdown %v: %s\n%s\n\n", map[bool]string{true: "on", false: "off"}[on], q, physicalPart(lines))
		}
	}
	got := b.String()
	for k, v := range src.GoldenReplace {
		got = strings.ReplaceAll(got, k, v)
	}
	checkGolden(t, filepath.Join("testdata", "pushdown", golden+".golden"), got)
}

// pushdownSummary says where a query ran: "remote" when its whole plan
// is one remote scan, else the number of remote scans and each reason
// for not pushing.
func pushdownSummary(lines []string) string {
	phys := strings.Split(physicalPart(lines), "\n")
	remote, scans := 0, 0
	var reasons []string
	for _, l := range phys {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "RemoteScan "):
			remote++
		case strings.HasPrefix(l, "Scan "):
			scans++
		case strings.HasPrefix(l, "Not pushed down: "):
			reasons = append(reasons, strings.TrimPrefix(l, "Not pushed down: "))
		}
	}
	if len(phys) > 1 && strings.HasPrefix(strings.TrimSpace(phys[1]), "RemoteScan ") && remote == 1 && scans == 0 {
		return "remote"
	}
	s := fmt.Sprintf("partly local: %d remote scans, %d table scans", remote, scans)
	if len(reasons) > 0 {
		s += "; " + strings.Join(reasons, "; ")
	}
	return s
}

// physicalPart is the physical plan of an EXPLAIN's lines.
func physicalPart(lines []string) string {
	for i, l := range lines {
		if strings.TrimSpace(l) == "Physical plan:" {
			return strings.Join(lines[i:], "\n")
		}
	}
	return strings.Join(lines, "\n")
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updatePushdown {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("EXPLAIN differs from %s (run with -update to accept):\n%s", path, got)
	}
}

func optionList(opts map[string]string) string {
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s '%s'", k, strings.ReplaceAll(opts[k], "'", "''")))
	}
	return strings.Join(parts, ", ")
}

// postgresSource is a fresh database of the test PostgreSQL server.
func postgresSource(t *testing.T) PushdownSource {
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	return PushdownSource{
		Wrapper:       "postgres",
		ServerOptions: map[string]string{"host": pg.Host, "port": strconv.Itoa(pg.Port), "dbname": db, "sslmode": "disable"},
		UserOptions:   map[string]string{"user": pg.User, "password": pg.Password},
		Create: func(t *testing.T, tables []PushdownTable) {
			ctx := context.Background()
			c, err := pgx.Connect(ctx, pg.DSN(db))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(ctx)
			for _, tb := range tables {
				var cols, names []string
				for _, col := range tb.Columns {
					cols = append(cols, col.Name+" "+col.Type)
					names = append(names, col.Name)
				}
				if _, err := c.Exec(ctx, fmt.Sprintf("CREATE TABLE %s (%s)", tb.Name, strings.Join(cols, ", "))); err != nil {
					t.Fatal(err)
				}
				rows := make([][]any, len(tb.Rows))
				for i, r := range tb.Rows {
					rows[i] = make([]any, len(r))
					for j, v := range r {
						if n, ok := v.(int64); ok && tb.Columns[j].Type == "integer" {
							v = int32(n)
						}
						rows[i][j] = v
					}
				}
				if _, err := c.CopyFrom(ctx, pgx.Identifier{tb.Name}, names, pgx.CopyFromRows(rows)); err != nil {
					t.Fatal(err)
				}
				if _, err := c.Exec(ctx, "ANALYZE "+tb.Name); err != nil {
					t.Fatal(err)
				}
			}
		},
	}
}

func TestPushdownPostgres(t *testing.T) {
	RunPushdownConformance(t, postgresSource(t), "postgres")
}

// Remote names with quotes and a join and aggregate over them: every
// identifier of the remote SQL is quoted, and the pushed query returns
// what the local plan does.
func TestPushdownQuotedNamesPostgres(t *testing.T) {
	pg := testsrv.Postgres(t)
	dbName := pg.NewDatabase(t)
	pg.Exec(t, dbName, `CREATE TABLE "odd ""t""" ("c""1" bigint, "it's" text);
		INSERT INTO "odd ""t""" VALUES (1, 'a''b'), (2, E'c\\d'), (3, NULL), (1, 'a''b');
		CREATE TABLE "Other" ("ID" bigint); INSERT INTO "Other" VALUES (1), (3), (NULL)`)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	db, err := Open(ctx, Config{CatalogPath: filepath.Join(t.TempDir(), "catalog.db"), User: "medley", Allocator: mem,
		SecretKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sess, err := db.Session(ctx, "medley")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		fmt.Sprintf("CREATE SERVER src FOREIGN DATA WRAPPER postgres OPTIONS (host '%s', port '%d', dbname '%s', sslmode 'disable')", pg.Host, pg.Port, dbName),
		fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER src OPTIONS (user '%s', password '%s')", pg.User, pg.Password),
		`CREATE FOREIGN TABLE odd (n bigint OPTIONS (column_name 'c"1'), s text OPTIONS (column_name 'it''s')) SERVER src OPTIONS (table_name 'odd "t"')`,
		`CREATE FOREIGN TABLE other (id bigint OPTIONS (column_name 'ID')) SERVER src OPTIONS (table_name 'Other')`,
	} {
		if _, err := sltRun(ctx, sess, s); err != nil {
			t.Fatalf("%s: %v", s, describeErr(err))
		}
	}
	q := `SELECT o.s, count(*), sum(o.n) FROM odd o JOIN other x ON o.n = x.id WHERE o.s <> 'zz' GROUP BY o.s`
	var results [2][]string
	for i, on := range []string{"on", "off"} {
		if _, err := sltRun(ctx, sess, "SET pushdown = "+on); err != nil {
			t.Fatal(err)
		}
		rows, err := sltRun(ctx, sess, q)
		if err != nil {
			t.Fatalf("pushdown %s: %v", on, describeErr(err))
		}
		sort.Strings(rows)
		results[i] = rows
	}
	if want := []string{"a'b\t2\t2"}; strings.Join(results[0], "\n") != strings.Join(want, "\n") ||
		strings.Join(results[1], "\n") != strings.Join(want, "\n") {
		t.Fatalf("pushdown on %q, off %q, want %q", results[0], results[1], want)
	}
	if _, err := sltRun(ctx, sess, "SET pushdown = on"); err != nil {
		t.Fatal(err)
	}
	lines, err := sltRun(ctx, sess, "EXPLAIN "+q)
	if err != nil {
		t.Fatal(err)
	}
	plan := strings.Join(lines, "\n")
	for _, want := range []string{"RemoteScan public.odd, public.other", `FROM "public"."odd ""t"""`, `"c""1" AS`, `"it's" AS`, `"public"."Other"`, `'zz'`} {
		if !strings.Contains(plan, want) {
			t.Errorf("EXPLAIN lacks %q:\n%s", want, plan)
		}
	}
}
