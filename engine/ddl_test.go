package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	_ "github.com/medleysql/medley/connectors/csv"
	_ "github.com/medleysql/medley/connectors/memory"
	_ "github.com/medleysql/medley/connectors/postgres"
	_ "github.com/medleysql/medley/connectors/sqlite"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/sqlerr"
)

// ddlEnv runs DDL text through the real parser and execDDL.
type ddlEnv struct {
	t       *testing.T
	cat     *catalog.Catalog
	pool    *connPool
	notices []string
}

func newDDLEnv(t *testing.T) *ddlEnv {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	cat, err := catalog.Open(context.Background(), catalog.Options{Path: filepath.Join(t.TempDir(), "c.db"),
		SecretKey: []byte("0123456789abcdef0123456789abcdef"), BootstrapUser: "root"})
	if err != nil {
		t.Fatal(err)
	}
	e := &ddlEnv{t: t, cat: cat, pool: newConnPool(cat, mem, nil)}
	t.Cleanup(func() {
		if err := e.pool.Close(); err != nil {
			t.Error(err)
		}
		cat.Close()
	})
	return e
}

func (e *ddlEnv) run(user, text string) (string, error) {
	stmt, err := parse.ParseOne(text)
	if err != nil {
		e.t.Fatalf("parse %q: %v", text, err)
	}
	if !isDDL(stmt) {
		e.t.Fatalf("%q: not DDL (%T)", text, stmt)
	}
	ctx := catalog.WithNoticeHandler(context.Background(), func(n catalog.Notice) { e.notices = append(e.notices, n.Message) })
	return execDDL(ctx, e.cat, e.pool, user, stmt)
}

// state is everything the catalog holds, as root sees it.
func (e *ddlEnv) state() string {
	ctx := context.Background()
	var b strings.Builder
	ws, _ := e.cat.Wrappers(ctx)
	ss, _ := e.cat.Servers(ctx, "root")
	ms, _ := e.cat.UserMappings(ctx, "root")
	ts, _ := e.cat.Tables(ctx, "root")
	sc, _ := e.cat.Schemas(ctx)
	us, _ := e.cat.Users(ctx)
	gs, _ := e.cat.Grants(ctx, "")
	for _, x := range []any{ws, ss, ms, sc, us, gs} {
		fmt.Fprintf(&b, "%+v\n", x)
	}
	for _, t := range ts {
		fmt.Fprintf(&b, "%s.%s %s %s %v %v\n", t.Schema, t.Name, t.Server, t.Owner, t.Memory, t.Options)
		for _, c := range t.Columns {
			def := "-"
			if c.Default != nil {
				def = *c.Default
			}
			fmt.Fprintf(&b, "  %s %s %v %s %v\n", c.Name, c.TypeText, c.NotNull, def, c.Options)
		}
	}
	return b.String()
}

type ddlCase struct {
	user, sql string
	want      string // the tag, or the SQLSTATE of the expected error
	msg       string // part of the error message or of the last notice
}

func (e *ddlEnv) runCases(cases []ddlCase) {
	e.t.Helper()
	for _, c := range cases {
		user := c.user
		if user == "" {
			user = "root"
		}
		before := e.state()
		e.notices = nil
		tag, err := e.run(user, c.sql)
		if len(c.want) == 5 && strings.ContainsAny(c.want, "0123456789") {
			if got := sqlerr.CodeOf(err); string(got) != c.want {
				e.t.Errorf("%s: %q: got %v (%s), want %s", user, c.sql, err, got, c.want)
				continue
			}
			if !strings.Contains(err.Error(), c.msg) {
				e.t.Errorf("%q: error %q lacks %q", c.sql, err, c.msg)
			}
			if after := e.state(); after != before {
				e.t.Errorf("%q failed but changed the catalog:\n%s\n---\n%s", c.sql, before, after)
			}
			continue
		}
		if err != nil || tag != c.want {
			e.t.Errorf("%s: %q: tag %q err %v, want %q", user, c.sql, tag, err, c.want)
			continue
		}
		if c.msg != "" && !strings.Contains(strings.Join(e.notices, "\n"), c.msg) {
			e.t.Errorf("%q: notices %q lack %q", c.sql, e.notices, c.msg)
		}
	}
}

func TestExecDDL(t *testing.T) {
	e := newDDLEnv(t)
	t.Setenv("MEDLEY_X", "root-secret")
	e.runCases([]ddlCase{
		{sql: "CREATE USER alice PASSWORD 'a'", want: "CREATE ROLE"},
		{sql: "CREATE ROLE bob LOGIN PASSWORD 'b' CREATEDB", want: "CREATE ROLE", msg: "ignores the role options CREATEDB"},
		{sql: "CREATE USER alice", want: "42710", msg: `role "alice" already exists`},
		{user: "alice", sql: "CREATE USER eve", want: "42501"},
		{sql: "CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host 'localhost', port '5432', dbname 'x')", want: "CREATE SERVER"},
		{sql: "CREATE SERVER pg FOREIGN DATA WRAPPER postgres", want: "42710", msg: `server "pg" already exists`},
		{sql: "CREATE SERVER IF NOT EXISTS pg FOREIGN DATA WRAPPER postgres", want: "CREATE SERVER", msg: "skipping"},
		{sql: "CREATE SERVER x FOREIGN DATA WRAPPER postgres OPTIONS (hots 'a')", want: "HV00D", msg: "valid options are: host, port"},
		{sql: "CREATE SERVER x FOREIGN DATA WRAPPER sqlite", want: "HV002", msg: `"database" is required`},
		{sql: "CREATE SERVER x FOREIGN DATA WRAPPER nope", want: "42704"},
		{sql: "ALTER SERVER pg OPTIONS (ADD host 'b')", want: "42710"},
		{sql: "ALTER SERVER pg OPTIONS (SET nope 'b')", want: "42704"},
		{sql: "ALTER SERVER pg VERSION '15' OPTIONS (SET port '5433', DROP dbname)", want: "ALTER SERVER"},
		{sql: "CREATE USER MAPPING FOR alice SERVER pg OPTIONS (user 'al', password 'secret')", want: "CREATE USER MAPPING"},
		{sql: "CREATE USER MAPPING FOR CURRENT_USER SERVER pg OPTIONS (password_env 'MEDLEY_X')", want: "CREATE USER MAPPING"},
		{sql: "CREATE USER MAPPING FOR PUBLIC SERVER nope", want: "42704", msg: `server "nope" does not exist`},
		{sql: "CREATE USER MAPPING FOR alice SERVER pg", want: "42710"},
		{sql: "CREATE USER MAPPING FOR bob SERVER pg OPTIONS (passwd 'x')", want: "HV00D", msg: "password_env"},
		{sql: "ALTER USER MAPPING FOR alice SERVER pg OPTIONS (SET password 'new')", want: "ALTER USER MAPPING"},
		{sql: "ALTER USER MAPPING FOR bob SERVER pg OPTIONS (SET password 'new')", want: "42704"},
		{sql: "CREATE FOREIGN TABLE orders (id int NOT NULL, total numeric(15,2) OPTIONS (column_name 'o_total') DEFAULT 0) " +
			"SERVER pg OPTIONS (schema_name 'public', table_name 'orders')", want: "CREATE FOREIGN TABLE"},
		{sql: "CREATE FOREIGN TABLE orders (id int) SERVER pg", want: "42P07"},
		{sql: "CREATE FOREIGN TABLE t2 (a int) SERVER nope", want: "42704"},
		{sql: "CREATE FOREIGN TABLE t2 (a int) SERVER pg OPTIONS (tablename 'x')", want: "HV00D"},
		{sql: "ALTER FOREIGN TABLE orders ADD COLUMN note text, ALTER COLUMN total SET NOT NULL", want: "ALTER FOREIGN TABLE"},
		{sql: "ALTER FOREIGN TABLE orders RENAME COLUMN note TO memo", want: "ALTER FOREIGN TABLE"},
		{sql: "ALTER FOREIGN TABLE orders RENAME COLUMN nope TO x", want: "42703"},
		{sql: "ALTER FOREIGN TABLE orders OPTIONS (SET table_name 'orders2')", want: "ALTER FOREIGN TABLE"},
		{sql: "ALTER FOREIGN TABLE IF EXISTS nope RENAME TO x", want: "ALTER FOREIGN TABLE", msg: "skipping"},
		{sql: "GRANT SELECT ON orders TO alice", want: "GRANT"},
		{sql: "GRANT SELECT ON nope TO alice", want: "42P01"},
		{sql: "GRANT SELECT ON orders TO nobody", want: "42704"},
		{user: "alice", sql: "DROP FOREIGN TABLE orders", want: "42501", msg: "must be owner"},
		{user: "alice", sql: "CREATE SERVER a FOREIGN DATA WRAPPER postgres", want: "42501"},
		{user: "bob", sql: "CREATE USER MAPPING FOR bob SERVER pg", want: "42501"},
		{sql: "GRANT USAGE ON FOREIGN SERVER pg TO bob", want: "GRANT"},
		{user: "bob", sql: "CREATE USER MAPPING FOR bob SERVER pg OPTIONS (user 'b')", want: "CREATE USER MAPPING"},
		{user: "bob", sql: "CREATE USER MAPPING FOR PUBLIC SERVER pg", want: "42501"},
		{sql: "DROP SERVER pg", want: "2BP01", msg: "foreign table public.orders"},
		{sql: "DROP FOREIGN DATA WRAPPER postgres", want: "0A000"},
		{sql: "CREATE SCHEMA sales", want: "CREATE SCHEMA"},
		{sql: "CREATE FOREIGN TABLE sales.x (a int) SERVER pg", want: "CREATE FOREIGN TABLE"},
		{sql: "DROP SCHEMA sales", want: "2BP01", msg: "sales.x"},
		{sql: "DROP SCHEMA sales CASCADE", want: "DROP SCHEMA"},
		{sql: "DROP SCHEMA IF EXISTS sales", want: "DROP SCHEMA", msg: "does not exist, skipping"},
		{sql: "IMPORT FOREIGN SCHEMA public FROM SERVER pg INTO public", want: "HV00N", msg: `could not connect to server "pg"`},
		{sql: "IMPORT FOREIGN SCHEMA public FROM SERVER pg INTO nowhere", want: "3F000"},
		{sql: "CREATE FOREIGN DATA WRAPPER mypg HANDLER postgres", want: "CREATE FOREIGN DATA WRAPPER"},
		{user: "alice", sql: "DROP FOREIGN DATA WRAPPER mypg", want: "42501"},
		{sql: "DROP FOREIGN DATA WRAPPER mypg", want: "DROP FOREIGN DATA WRAPPER"},
		{sql: "REVOKE ALL ON FOREIGN TABLE orders FROM alice", want: "REVOKE"},
		{user: "alice", sql: "ALTER USER alice PASSWORD 'z'", want: "ALTER ROLE"},
		{user: "alice", sql: "ALTER USER bob PASSWORD 'z'", want: "42501"},
		{sql: "DROP USER bob", want: "2BP01", msg: `user mapping for "bob" on server "pg"`},
		{sql: "DROP SERVER pg CASCADE", want: "DROP SERVER"},
		{sql: "DROP USER bob, nobody", want: "42704"},
		{sql: "DROP USER bob", want: "DROP ROLE"},
		{sql: "DROP USER IF EXISTS bob", want: "DROP ROLE", msg: "skipping"},
	})
	if err := e.cat.Authenticate(context.Background(), "alice", "z"); err != nil {
		t.Errorf("alice's new password: %v", err)
	}
}

func TestDDLErrorPosition(t *testing.T) {
	e := newDDLEnv(t)
	for _, text := range []string{
		"CREATE SERVER x FOREIGN DATA WRAPPER postgres OPTIONS (host 'h', hots 'a')",
		"CREATE FOREIGN TABLE t (a int OPTIONS (colname 'x')) SERVER memory",
		"ALTER SERVER memory OPTIONS (DROP hots)",
	} {
		_, err := e.run("root", text)
		var se *sqlerr.Error
		if !errors.As(err, &se) {
			t.Fatalf("%q: %v", text, err)
		}
		want := strings.Index(text, "hots") + 1
		if want == 0 {
			want = strings.Index(text, "colname") + 1
		}
		if se.Position != want {
			t.Errorf("%q: %v at %d, want %d", text, err, se.Position, want)
		}
	}
}

func TestMemoryTablesDDL(t *testing.T) {
	e := newDDLEnv(t)
	ctx := context.Background()
	e.runCases([]ddlCase{
		{sql: "CREATE USER alice", want: "CREATE ROLE"},
		{user: "alice", sql: "CREATE TABLE m (a int NOT NULL, b text)", want: "CREATE TABLE"},
		{sql: "CREATE TABLE m (a int)", want: "42P07"},
		{sql: "CREATE TABLE IF NOT EXISTS m (a int)", want: "CREATE TABLE", msg: "skipping"},
		{sql: "DROP FOREIGN TABLE m", want: "42809"},
		{sql: "ALTER FOREIGN TABLE m ADD COLUMN c int", want: "42809"},
	})
	info, err := e.cat.LookupTable(ctx, "alice", catalog.TableName{Name: "m"}, catalog.PrivSelect)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := e.pool.Conn(ctx, catalog.MemoryServer, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Table(ctx, info.Table.Desc()); err != nil {
		t.Fatalf("memory connection lacks the table: %v", err)
	}
	e.runCases([]ddlCase{
		{user: "root", sql: "DROP TABLE m", want: "DROP TABLE"},
		{sql: "DROP TABLE m", want: "42P01"},
		{sql: "DROP TABLE IF EXISTS m", want: "DROP TABLE", msg: "skipping"},
	})
	if _, err := conn.Table(ctx, info.Table.Desc()); !sqlerr.Is(err, sqlerr.UndefinedTable) {
		t.Errorf("memory table still there after DROP TABLE: %v", err)
	}
	// A new pool (a restarted engine) finds the definitions again, empty.
	e.runCases([]ddlCase{{sql: "CREATE TABLE k (a bigint)", want: "CREATE TABLE"}})
	p2 := newConnPool(e.cat, memory.NewGoAllocator(), nil)
	defer p2.Close()
	conn2, err := p2.Conn(ctx, catalog.MemoryServer, "root")
	if err != nil {
		t.Fatal(err)
	}
	info, _ = e.cat.LookupTable(ctx, "root", catalog.TableName{Name: "k"}, catalog.PrivNone)
	if _, err := conn2.Table(ctx, info.Table.Desc()); err != nil {
		t.Errorf("restored memory table: %v", err)
	}
}

func TestImportForeignSchema(t *testing.T) {
	e := newDDLEnv(t)
	dir := t.TempDir()
	sub := filepath.Join(dir, "data")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"people.csv": "id,name\n1,ann\n2,bo\n",
		"cities.csv": "city,pop\nOslo,700000\n",
		"other.csv":  "x\n1\n",
	} {
		if err := os.WriteFile(filepath.Join(sub, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e.runCases([]ddlCase{
		{sql: fmt.Sprintf("CREATE SERVER files FOREIGN DATA WRAPPER csv OPTIONS (directory '%s')", dir), want: "CREATE SERVER"},
		{sql: "CREATE FOREIGN TABLE public.people (a int) SERVER files OPTIONS (filename 'x.csv')", want: "CREATE FOREIGN TABLE"},
		// people exists already: nothing is imported.
		{sql: "IMPORT FOREIGN SCHEMA data FROM SERVER files INTO public", want: "42P07"},
		{sql: "DROP FOREIGN TABLE people", want: "DROP FOREIGN TABLE"},
		{sql: "IMPORT FOREIGN SCHEMA data EXCEPT (other) FROM SERVER files INTO public", want: "IMPORT FOREIGN SCHEMA"},
		{sql: "IMPORT FOREIGN SCHEMA data FROM SERVER pg INTO public", want: "42704"},
		{sql: "CREATE SERVER lite FOREIGN DATA WRAPPER sqlite OPTIONS (database '/nonexistent')", want: "CREATE SERVER"},
		// A connection failure is a class 08 error naming the server.
		{sql: "IMPORT FOREIGN SCHEMA main FROM SERVER lite INTO public", want: "08006"},
		// The memory wrapper has no remote schema to import.
		{sql: "IMPORT FOREIGN SCHEMA x FROM SERVER memory INTO public", want: "0A000"},
	})
	ts, err := e.cat.Tables(context.Background(), "root")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tb := range ts {
		var cols []string
		for _, c := range tb.Columns {
			cols = append(cols, c.Name+" "+c.TypeText)
		}
		got = append(got, tb.Name+"("+strings.Join(cols, ", ")+")")
	}
	want := "cities(city text, pop bigint) people(id bigint, name text)"
	if strings.Join(got, " ") != want {
		t.Errorf("imported %q, want %q", strings.Join(got, " "), want)
	}
	var _ connectors.SchemaImporter // the csv Conn is one
}
