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
	"os"
	"path/filepath"
	"sort"
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

// sortedRows is rows sorted, for comparing queries without ORDER BY.
func sortedRows(rows []string) []string {
	out := append([]string(nil), rows...)
	sort.Strings(out)
	return out
}
