package engine

// Acceptance tests of remote sources: one query over Parquet, PostgreSQL,
// MariaDB and SQLite at once (TPC-H at scale factor 0.01 split over the
// four) returns what PostgreSQL returns with all the data in one database;
// IMPORT FOREIGN SCHEMA from each SQL source declares the right types; the
// failure paths (unreachable server, wrong password, no user mapping,
// dropped remote table, a killed remote session, a remote statement
// timeout) are clear errors that name the server and never the password;
// medley.connections lists the pool without credentials.

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	_ "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"github.com/medleysql/medley/benchmarks/tpch"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/sql/sqlerr"
)

// fedEnv is the data of the federation tests: TPC-H SF 0.01 generated once,
// all of it in PostgreSQL database ref, and split over the four sources.
type fedEnv struct {
	pg       *testsrv.PG
	my       *testsrv.Maria
	ref      string // PostgreSQL database with every table
	pgdb     string // PostgreSQL database with customer, nation (and test tables)
	mydb     string // MariaDB database with supplier, part
	litePath string // SQLite file with region, partsupp
	dataDir  string // CSV files; Parquet lineitem, orders under pq/
}

// Where each TPC-H table lives in the federated setup.
var (
	fedPostgresTables = []string{"customer", "nation"}
	fedMariaTables    = []string{"supplier", "part"}
	fedSQLiteTables   = []string{"region", "partsupp"}
	fedParquetTables  = []string{"lineitem", "orders"}
)

func newFedEnv(t *testing.T) *fedEnv {
	t.Helper()
	ctx := context.Background()
	e := &fedEnv{pg: testsrv.Postgres(t), my: testsrv.MariaDB(t), dataDir: t.TempDir()}
	gen := func(dir string, f tpch.Format, tables []string) {
		t.Helper()
		if err := tpch.Generate(ctx, tpch.Options{ScaleFactor: 0.01, Dir: dir, Formats: []tpch.Format{f}, Tables: tables}); err != nil {
			t.Fatal(err)
		}
	}
	gen(e.dataDir, tpch.CSV, nil)
	gen(filepath.Join(e.dataDir, "pq"), tpch.Parquet, fedParquetTables)
	_ = os.Remove(filepath.Join(e.dataDir, "pq", tpch.ManifestFile))

	// The reference: everything in one PostgreSQL database.
	e.ref = e.pg.NewDatabase(t)
	if err := tpch.LoadPostgres(ctx, e.pg.DSN(e.ref), e.dataDir); err != nil {
		t.Fatal(err)
	}
	// PostgreSQL source: customer and nation, loaded with pgx (LoadPostgres
	// over a directory holding only their CSV files).
	e.pgdb = e.pg.NewDatabase(t)
	pgDir := t.TempDir()
	for _, n := range fedPostgresTables {
		if err := os.Symlink(filepath.Join(e.dataDir, n+".csv"), filepath.Join(pgDir, n+".csv")); err != nil {
			t.Fatal(err)
		}
	}
	if err := tpch.LoadPostgres(ctx, e.pg.DSN(e.pgdb), pgDir); err != nil {
		t.Fatal(err)
	}
	// MariaDB source, with go-sql-driver/mysql.
	e.mydb = e.my.NewDatabase(t)
	mdb, err := sql.Open("mysql", e.my.DSN(e.mydb))
	if err != nil {
		t.Fatal(err)
	}
	defer mdb.Close()
	for _, n := range fedMariaTables {
		loadSQL(t, mdb, e.dataDir, n, "?", mariaType)
	}
	// SQLite source, with modernc.org/sqlite.
	e.litePath = filepath.Join(t.TempDir(), "tpch.sqlite")
	ldb, err := sql.Open("sqlite", e.litePath)
	if err != nil {
		t.Fatal(err)
	}
	defer ldb.Close()
	for _, n := range fedSQLiteTables {
		loadSQL(t, ldb, e.dataDir, n, "?", sqliteType)
	}
	return e
}

// mariaType and sqliteType spell a TPC-H column's PostgreSQL type in the
// source's dialect. SQLite's INT (not INTEGER) keeps keys 32-bit: an
// INTEGER PRIMARY KEY would be the 64-bit rowid.
func mariaType(pgType string) string {
	switch {
	case pgType == "integer":
		return "INT"
	case strings.HasPrefix(pgType, "numeric"):
		return "DECIMAL" + strings.TrimPrefix(pgType, "numeric")
	}
	return strings.ToUpper(pgType)
}

func sqliteType(pgType string) string { return mariaType(pgType) }

// loadSQL creates TPC-H table name through db and inserts its CSV rows in
// multi-row INSERTs.
func loadSQL(t *testing.T, db *sql.DB, dir, name, ph string, typeOf func(string) string) {
	t.Helper()
	tb, _ := tpch.TableByName(name)
	var cols []string
	for _, c := range tb.Columns {
		cols = append(cols, c.Name+" "+typeOf(c.SQLType)+" NOT NULL")
	}
	ddl := fmt.Sprintf("CREATE TABLE %s (%s, PRIMARY KEY (%s))", name, strings.Join(cols, ", "), strings.Join(tb.PrimaryKey, ", "))
	if _, err := db.Exec(ddl); err != nil {
		t.Fatalf("%s: %v", ddl, err)
	}
	f, err := os.Open(filepath.Join(dir, name+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '|'
	tuple := "(" + strings.TrimSuffix(strings.Repeat(ph+",", len(tb.Columns)), ",") + ")"
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var batch []any
	flush := func() {
		if len(batch) == 0 {
			return
		}
		n := len(batch) / len(tb.Columns)
		q := "INSERT INTO " + name + " VALUES " + strings.TrimSuffix(strings.Repeat(tuple+",", n), ",")
		if _, err := tx.Exec(q, batch...); err != nil {
			t.Fatalf("load %s: %v", name, err)
		}
		batch = batch[:0]
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range rec {
			batch = append(batch, v)
		}
		if len(batch) >= 100*len(tb.Columns) {
			flush()
		}
	}
	flush()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// fedSession opens a DB on a fresh catalog with the allocator mem.
func fedSession(t *testing.T, mem memory.Allocator) (*DB, *Session) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, Config{CatalogPath: filepath.Join(t.TempDir(), "catalog.db"), User: "medley", Allocator: mem,
		SecretKey: []byte("0123456789abcdef0123456789abcdef"), Threads: 4})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := db.Session(ctx, "medley")
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, sess
}

func mustRun(t *testing.T, sess *Session, sqlText string) []string {
	t.Helper()
	rows, err := sltRun(context.Background(), sess, sqlText)
	if err != nil {
		t.Fatalf("%s: %v", sqlText, describeErr(err))
	}
	return rows
}

// pgServerSQL is CREATE SERVER name for the PostgreSQL database db, plus
// extra options.
func (e *fedEnv) pgServerSQL(name, db, extra string) string {
	return fmt.Sprintf("CREATE SERVER %s FOREIGN DATA WRAPPER postgres OPTIONS (host '%s', port '%d', dbname '%s', sslmode 'disable', application_name 'medley_fed'%s)",
		name, e.pg.Host, e.pg.Port, db, extra)
}

// attach creates the four servers, their user mappings, and imports every
// table of each source into public.
func (e *fedEnv) attach(t *testing.T, sess *Session) {
	t.Helper()
	mustRun(t, sess, fmt.Sprintf("CREATE SERVER files FOREIGN DATA WRAPPER parquet OPTIONS (directory '%s')", e.dataDir))
	mustRun(t, sess, "IMPORT FOREIGN SCHEMA pq FROM SERVER files INTO public")
	mustRun(t, sess, e.pgServerSQL("pg", e.pgdb, ""))
	mustRun(t, sess, fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER pg OPTIONS (user '%s', password '%s')", e.pg.User, e.pg.Password))
	mustRun(t, sess, "IMPORT FOREIGN SCHEMA public FROM SERVER pg INTO public")
	mustRun(t, sess, fmt.Sprintf("CREATE SERVER my FOREIGN DATA WRAPPER mysql OPTIONS (host '%s', port '%d')", e.my.Host, e.my.Port))
	mustRun(t, sess, fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER my OPTIONS (username '%s', password '%s')", e.my.User, e.my.Password))
	mustRun(t, sess, fmt.Sprintf(`IMPORT FOREIGN SCHEMA "%s" FROM SERVER my INTO public`, e.mydb))
	mustRun(t, sess, fmt.Sprintf("CREATE SERVER lite FOREIGN DATA WRAPPER sqlite OPTIONS (database '%s')", e.litePath))
	mustRun(t, sess, "IMPORT FOREIGN SCHEMA main FROM SERVER lite INTO public")
}

// refRows runs q in the reference database and returns its rows as
// PostgreSQL's text output, cells joined by tabs.
func (e *fedEnv) refRows(t *testing.T, q string) []string {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, e.pg.DSN(e.ref))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	rows, err := c.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatalf("reference: %s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var cells []string
		for _, v := range rows.RawValues() {
			switch {
			case v == nil:
				cells = append(cells, "NULL")
			case len(v) == 0:
				cells = append(cells, "(empty)")
			default:
				cells = append(cells, string(v))
			}
		}
		out = append(out, strings.Join(cells, "\t"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("reference: %s: %v", q, err)
	}
	return out
}

func TestFederation(t *testing.T) {
	e := newFedEnv(t)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	db, sess := fedSession(t, mem)
	defer db.Close()
	e.attach(t, sess)

	t.Run("queries", func(t *testing.T) { testFedQueries(t, e, sess) })
	t.Run("import_types", func(t *testing.T) { testFedImportTypes(t, sess) })
	t.Run("connections_view", func(t *testing.T) { testConnectionsView(t, e, db, sess) })
	t.Run("explain", func(t *testing.T) { testFedExplain(t, e, sess) })
}

// testFedExplain pins, in testdata/federation/explain.golden (rewritten by
// -update), the physical plans of cross-source queries: per scan the remote
// SQL with its pushed filters and columns, same-server joins and aggregates
// as one remote query, and the reason for what stays local.
func testFedExplain(t *testing.T, e *fedEnv, sess *Session) {
	mustRun(t, sess, "SET threads = 1")
	defer mustRun(t, sess, "RESET threads")
	queries := []string{
		// A PostgreSQL join and a MariaDB scan under a local join with Parquet.
		"SELECT n_name, count(*) FROM customer JOIN nation ON c_nationkey = n_nationkey JOIN orders ON o_custkey = c_custkey " +
			"WHERE o_orderdate < date '1993-01-01' GROUP BY n_name",
		// An aggregate over one PostgreSQL table, pushed whole.
		"SELECT c_nationkey, count(*), sum(c_acctbal) FROM customer WHERE c_mktsegment = 'BUILDING' GROUP BY c_nationkey",
		// A function PostgreSQL is not sent: the reason is shown.
		"SELECT s_name FROM supplier WHERE upper(s_name) LIKE 'SUPPLIER#00000001%' AND s_acctbal > 0",
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "federation", "q5_*.sql"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(l, "--") {
				lines = append(lines, l)
			}
		}
		queries = append(queries, strings.TrimSuffix(strings.TrimSpace(strings.Join(lines, "\n")), ";"))
	}
	var out strings.Builder
	for _, q := range queries {
		rows := mustRun(t, sess, "EXPLAIN "+q)
		text := strings.Join(rows, "\n")
		if i := strings.Index(text, "Physical plan:"); i >= 0 {
			text = text[i:]
		}
		fmt.Fprintf(&out, "-- %s\n%s\n\n", q, text)
	}
	got := strings.NewReplacer(e.mydb, "<mariadb database>", e.litePath, "<sqlite file>").Replace(out.String())
	path := filepath.Join("testdata", "federation", "explain.golden")
	if *updatePushdown {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("EXPLAIN differs from %s (run with -update to accept):\n%s", path, got)
	}
	for _, secret := range []string{e.pg.Password, e.my.Password} {
		if secret != "" && strings.Contains(got, secret) {
			t.Error("EXPLAIN shows a password")
		}
	}
}

// testFedQueries runs each testdata/federation/*.sql over the four sources
// and in the reference database; the rows must be equal, cell by cell as
// PostgreSQL prints them (decimals at their scale). Every query orders its
// rows completely.
func testFedQueries(t *testing.T, e *fedEnv, sess *Session) {
	files, err := filepath.Glob(filepath.Join("testdata", "federation", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no queries in testdata/federation: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		q := strings.TrimSuffix(strings.TrimSpace(string(b)), ";")
		t.Run(strings.TrimSuffix(filepath.Base(f), ".sql"), func(t *testing.T) {
			want := e.refRows(t, q)
			got, err := sltRun(context.Background(), sess, q)
			if err != nil {
				t.Fatalf("medley: %v", describeErr(err))
			}
			if len(want) == 0 {
				t.Fatal("the reference returned no rows: the query tests nothing")
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("rows differ\n-- medley (%d rows):\n%s\n-- postgresql (%d rows):\n%s",
					len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
			}
		})
	}
}

// testFedImportTypes checks information_schema.columns of every imported
// table against the TPC-H schema: integer, bigint, numeric(15,2), date; the
// varchar(n) columns are text (Medley's strings carry no length); all NOT
// NULL.
func testFedImportTypes(t *testing.T, sess *Session) {
	rows := mustRun(t, sess, `SELECT table_name, column_name, data_type, numeric_precision, numeric_scale, is_nullable
		FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`)
	got := map[string][]string{}
	for _, r := range rows {
		f := strings.SplitN(r, "\t", 2)
		got[f[0]] = append(got[f[0]], f[1])
	}
	for _, group := range [][]string{fedParquetTables, fedPostgresTables, fedMariaTables, fedSQLiteTables} {
		for _, name := range group {
			tb, _ := tpch.TableByName(name)
			var want []string
			for _, c := range tb.Columns {
				typ, prec, scale := c.SQLType, "NULL", "NULL"
				switch {
				case strings.HasPrefix(typ, "varchar"):
					typ = "text"
				case strings.HasPrefix(typ, "numeric"):
					typ, prec, scale = "numeric", "15", "2"
				case typ == "integer":
					prec, scale = "32", "0"
				case typ == "bigint":
					prec, scale = "64", "0"
				}
				want = append(want, strings.Join([]string{c.Name, typ, prec, scale, "NO"}, "\t"))
			}
			if g := strings.Join(got[name], "\n"); g != strings.Join(want, "\n") {
				t.Errorf("information_schema.columns of %s:\n%s\nwant:\n%s", name, g, strings.Join(want, "\n"))
			}
		}
	}
}

// testConnectionsView checks medley.connections after the queries: one row
// per (server, mapping), mapping kinds, use counts, no option values; a
// non-superuser sees only what they may use.
func testConnectionsView(t *testing.T, e *fedEnv, db *DB, sess *Session) {
	rows := mustRun(t, sess, `SELECT server, wrapper, "user", mapping_kind, uses > 0, opened_at <= last_used
		FROM medley.connections ORDER BY server`)
	want := []string{
		"files\tparquet\tNULL\tnone\tt\tt",
		"lite\tsqlite\tNULL\tnone\tt\tt",
		"my\tmysql\tmedley\tuser\tt\tt",
		"pg\tpostgres\tmedley\tuser\tt\tt",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("medley.connections:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	all := strings.Join(mustRun(t, sess, "SELECT * FROM medley.connections"), "\n")
	for _, secret := range []string{e.pg.Password, e.my.Password, strconv.Itoa(e.pg.Port), strconv.Itoa(e.my.Port), e.litePath, e.dataDir, e.pgdb} {
		if strings.Contains(all, secret) {
			t.Errorf("medley.connections shows an option value %q:\n%s", secret, all)
		}
	}
	if _, err := sltRun(context.Background(), sess, "SELECT * FROM medley.nope"); !sqlerr.Is(err, sqlerr.UndefinedTable) {
		t.Errorf("medley.nope: %v", describeErr(err))
	}
	// A plain user sees the mapping-less server it may use, not medley's
	// own mappings.
	mustRun(t, sess, "CREATE USER carol")
	mustRun(t, sess, "GRANT USAGE ON FOREIGN SERVER files TO carol")
	carol, err := db.Session(context.Background(), "carol")
	if err != nil {
		t.Fatal(err)
	}
	if rows := mustRun(t, carol, "SELECT server FROM medley.connections"); strings.Join(rows, ",") != "files" {
		t.Errorf("carol sees %v, want [files]", rows)
	}
}

// fedErr checks that err is a *sqlerr.Error of one of the code classes
// (or codes) given, whose text names want and holds no password.
func fedErr(t *testing.T, what string, err error, classes []string, want []string, passwords ...string) {
	t.Helper()
	var se *sqlerr.Error
	if !errors.As(err, &se) {
		t.Errorf("%s: want a *sqlerr.Error, got %T %v", what, err, err)
		return
	}
	ok := false
	for _, c := range classes {
		ok = ok || strings.HasPrefix(string(se.Code), c)
	}
	if !ok {
		t.Errorf("%s: SQLSTATE %s (%v), want %v", what, se.Code, err, classes)
	}
	t.Logf("%s: %s %s", what, se.Code, err)
	text := err.Error() + " " + se.Detail + " " + se.Hint
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: error %q does not mention %s", what, text, w)
		}
	}
	for _, p := range passwords {
		if strings.Contains(text, p) {
			t.Errorf("%s: error %q shows the password", what, text)
		}
	}
}

// freeTCPPort is a port of 127.0.0.1 nothing listens on (a moment ago).
func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestFederationKilledSession terminates the remote sessions of a scan
// while it streams: the query fails cleanly (class 08, the server named, no
// Arrow memory left), and the next query on the same DB reconnects.
func TestFederationKilledSession(t *testing.T) {
	ctx := context.Background()
	pg := testsrv.Postgres(t)
	e := &fedEnv{pg: pg, pgdb: pg.NewDatabase(t)}
	pg.Exec(t, e.pgdb, "CREATE TABLE big AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 200000) g; ANALYZE big")
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	db, sess := fedSession(t, mem)
	defer db.Close()
	mustRun(t, sess, strings.Replace(e.pgServerSQL("pg", e.pgdb, ", fetch_size '1000'"), "'medley_fed'", "'medley_kill'", 1))
	mustRun(t, sess, fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER pg OPTIONS (user '%s', password '%s')", pg.User, pg.Password))
	mustRun(t, sess, "IMPORT FOREIGN SCHEMA public LIMIT TO (big) FROM SERVER pg INTO public")

	rdr, err := sess.Query(ctx, "SELECT id, pad FROM big")
	if err != nil {
		t.Fatal(describeErr(err))
	}
	if !rdr.Next() {
		rdr.Release()
		t.Fatalf("no first batch: %v", rdr.Err())
	}
	killer, err := pgx.Connect(ctx, pg.DSN(e.pgdb))
	if err != nil {
		t.Fatal(err)
	}
	defer killer.Close(ctx)
	var killed int
	if err := killer.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity
		WHERE application_name = 'medley_kill' AND pid <> pg_backend_pid()`).Scan(&killed); err != nil || killed == 0 {
		t.Fatalf("terminated %d sessions: %v", killed, err)
	}
	rows := int64(0)
	for rdr.Next() {
		rows += rdr.RecordBatch().NumRows()
	}
	err = rdr.Err()
	rdr.Release()
	if err == nil {
		t.Fatalf("the scan ended without an error after the kill (%d more rows)", rows)
	}
	fedErr(t, "killed session", err, []string{"08"}, []string{`"pg"`}, pg.Password)
	if n := mem.CurrentAlloc(); n != 0 {
		t.Errorf("%d bytes of Arrow memory held after the failed query", n)
	}
	// The same DB, the same pooled connection: a new remote session.
	if got := mustRun(t, sess, "SELECT count(*), sum(id) FROM big"); strings.Join(got, ",") != "200000\t20000100000" {
		t.Errorf("after the kill: %v", got)
	}
	// Sessions killed while idle in the pool are found dead on reuse and
	// replaced, and the query does not fail.
	if err := killer.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity
		WHERE application_name = 'medley_kill' AND pid <> pg_backend_pid()`).Scan(&killed); err != nil || killed == 0 {
		t.Fatalf("terminated %d idle sessions: %v", killed, err)
	}
	if got := mustRun(t, sess, "SELECT count(*) FROM big WHERE id <= 10"); strings.Join(got, ",") != "10" {
		t.Errorf("after killing idle sessions: %v", got)
	}
}

// TestFederationFailures runs the failure paths of remote sources through
// SQL. Each is a *sqlerr.Error with a PostgreSQL SQLSTATE that names the
// server (or the table) and never shows a password.
func TestFederationFailures(t *testing.T) {
	ctx := context.Background()
	pg, my := testsrv.Postgres(t), testsrv.MariaDB(t)
	e := &fedEnv{pg: pg, my: my, pgdb: pg.NewDatabase(t), mydb: my.NewDatabase(t), litePath: filepath.Join(t.TempDir(), "f.sqlite")}
	pg.Exec(t, e.pgdb, `CREATE TABLE small (id integer); INSERT INTO small VALUES (1), (2), (3);
		CREATE TABLE doomed (id integer); INSERT INTO doomed VALUES (1);
		CREATE VIEW slow AS SELECT pg_sleep(2)::text AS x`)
	my.Exec(t, e.mydb, "CREATE TABLE doomed (id INT); INSERT INTO doomed VALUES (1)")
	lite, err := sql.Open("sqlite", e.litePath)
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if _, err := lite.Exec("CREATE TABLE doomed (id INT); INSERT INTO doomed VALUES (1)"); err != nil {
		t.Fatal(err)
	}

	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	db, sess := fedSession(t, mem)
	defer db.Close()
	mustRun(t, sess, e.pgServerSQL("pg", e.pgdb, ""))
	mustRun(t, sess, fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER pg OPTIONS (user '%s', password '%s')", pg.User, pg.Password))
	mustRun(t, sess, "IMPORT FOREIGN SCHEMA public FROM SERVER pg INTO public")
	query := func(s *Session, q string) error {
		t.Helper()
		_, err := sltRun(ctx, s, q)
		if err == nil {
			t.Errorf("%s: no error", q)
		}
		return err
	}
	conn := []string{"08", "HV"}

	t.Run("wrong_port", func(t *testing.T) {
		mustRun(t, sess, fmt.Sprintf("CREATE SERVER badport FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '%d', dbname '%s', sslmode 'disable', connect_timeout '5')", freeTCPPort(t), e.pgdb))
		mustRun(t, sess, "CREATE USER MAPPING FOR CURRENT_USER SERVER badport OPTIONS (user 'medley', password 'Wr0ngP0rt-pw')")
		mustRun(t, sess, "CREATE FOREIGN TABLE bp (id integer) SERVER badport OPTIONS (table_name 'small')")
		fedErr(t, "wrong port", query(sess, "SELECT * FROM bp"), conn, []string{`"badport"`}, "Wr0ngP0rt-pw")
	})
	t.Run("wrong_host", func(t *testing.T) {
		mustRun(t, sess, fmt.Sprintf("CREATE SERVER badhost FOREIGN DATA WRAPPER postgres OPTIONS (host 'no-such-host.invalid', dbname '%s', sslmode 'disable', connect_timeout '5')", e.pgdb))
		mustRun(t, sess, "CREATE USER MAPPING FOR CURRENT_USER SERVER badhost OPTIONS (user 'medley', password 'Wr0ngH0st-pw')")
		mustRun(t, sess, "CREATE FOREIGN TABLE bh (id integer) SERVER badhost OPTIONS (table_name 'small')")
		fedErr(t, "wrong host", query(sess, "SELECT * FROM bh"), conn, []string{`"badhost"`}, "Wr0ngH0st-pw")
	})
	t.Run("wrong_password", func(t *testing.T) {
		mustRun(t, sess, e.pgServerSQL("badpw", e.pgdb, ""))
		mustRun(t, sess, fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER badpw OPTIONS (user '%s', password 'Not-The-Pa55word')", pg.User))
		mustRun(t, sess, "CREATE FOREIGN TABLE bpw (id integer) SERVER badpw OPTIONS (table_name 'small')")
		fedErr(t, "wrong password", query(sess, "SELECT * FROM bpw"), conn, []string{`"badpw"`}, "Not-The-Pa55word", pg.Password)
		// MariaDB the same way.
		mustRun(t, sess, fmt.Sprintf("CREATE SERVER badmy FOREIGN DATA WRAPPER mysql OPTIONS (host '%s', port '%d')", my.Host, my.Port))
		mustRun(t, sess, fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER badmy OPTIONS (username '%s', password 'Not-The-Pa55word')", my.User))
		mustRun(t, sess, fmt.Sprintf("CREATE FOREIGN TABLE bmy (id integer) SERVER badmy OPTIONS (dbname '%s', table_name 'doomed')", e.mydb))
		fedErr(t, "wrong password (mysql)", query(sess, "SELECT * FROM bmy"), conn, []string{`"badmy"`}, "Not-The-Pa55word", my.Password)
	})
	t.Run("no_user_mapping", func(t *testing.T) {
		mustRun(t, sess, "CREATE USER bob")
		mustRun(t, sess, "GRANT USAGE ON FOREIGN SERVER pg TO bob")
		mustRun(t, sess, "GRANT SELECT ON small TO bob")
		bob, err := db.Session(ctx, "bob")
		if err != nil {
			t.Fatal(err)
		}
		// The catalog words it as PostgreSQL 16 does.
		fedErr(t, "no mapping", query(bob, "SELECT * FROM small"), []string{"42704"},
			[]string{`user mapping not found for user "bob", server "pg"`}, pg.Password)
	})
	t.Run("remote_table_dropped", func(t *testing.T) {
		mustRun(t, sess, fmt.Sprintf("CREATE SERVER my FOREIGN DATA WRAPPER mysql OPTIONS (host '%s', port '%d')", my.Host, my.Port))
		mustRun(t, sess, fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER my OPTIONS (username '%s', password '%s')", my.User, my.Password))
		mustRun(t, sess, "CREATE SCHEMA m")
		mustRun(t, sess, fmt.Sprintf(`IMPORT FOREIGN SCHEMA "%s" FROM SERVER my INTO m`, e.mydb))
		mustRun(t, sess, fmt.Sprintf("CREATE SERVER lite FOREIGN DATA WRAPPER sqlite OPTIONS (database '%s')", e.litePath))
		mustRun(t, sess, "CREATE SCHEMA l")
		mustRun(t, sess, "IMPORT FOREIGN SCHEMA main FROM SERVER lite INTO l")
		for _, q := range []string{"SELECT * FROM doomed", "SELECT * FROM m.doomed", "SELECT * FROM l.doomed"} {
			if rows := mustRun(t, sess, q); len(rows) != 1 {
				t.Fatalf("%s: %v", q, rows)
			}
		}
		pg.Exec(t, e.pgdb, "DROP TABLE doomed")
		my.Exec(t, e.mydb, "DROP TABLE doomed")
		if _, err := lite.Exec("DROP TABLE doomed"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ server, q string }{{"pg", "SELECT * FROM doomed"}, {"my", "SELECT * FROM m.doomed"}, {"lite", "SELECT * FROM l.doomed"}} {
			fedErr(t, "dropped on "+c.server, query(sess, c.q), []string{"HV"}, []string{"doomed", `"` + c.server + `"`}, pg.Password, my.Password)
		}
	})
	t.Run("statement_timeout", func(t *testing.T) {
		if _, err := sltRun(ctx, sess, e.pgServerSQL("pgbad", e.pgdb, ", statement_timeout 'soon'")); err == nil {
			t.Error("statement_timeout 'soon' accepted")
		}
		mustRun(t, sess, e.pgServerSQL("pgslow", e.pgdb, ", statement_timeout '100ms'"))
		mustRun(t, sess, fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER pgslow OPTIONS (user '%s', password '%s')", pg.User, pg.Password))
		mustRun(t, sess, "CREATE FOREIGN TABLE slow_t (x text) SERVER pgslow OPTIONS (table_name 'slow')")
		mustRun(t, sess, "CREATE FOREIGN TABLE small_t (id integer) SERVER pgslow OPTIONS (table_name 'small')")
		// The remote's own code: 57014, canceling statement due to
		// statement timeout.
		fedErr(t, "statement timeout", query(sess, "SELECT x FROM slow_t"), []string{"57014"},
			[]string{`"pgslow"`, "statement timeout"}, pg.Password)
		if rows := mustRun(t, sess, "SELECT count(*) FROM small_t"); strings.Join(rows, ",") != "3" {
			t.Errorf("after the timeout: %v", rows)
		}
	})
}
