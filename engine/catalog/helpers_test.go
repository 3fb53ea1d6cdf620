package catalog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	_ "github.com/medleysql/medley/connectors/flightsql"
	_ "github.com/medleysql/medley/connectors/mysql"
	_ "github.com/medleysql/medley/connectors/postgres"
	_ "github.com/medleysql/medley/connectors/sqlite"
	"github.com/medleysql/medley/sql/sqlerr"
)

func TestMain(m *testing.M) {
	bcryptCost = bcrypt.MinCost
	os.Exit(m.Run())
}

var testKey = []byte("0123456789abcdef0123456789abcdef")

const root = "root"

// openTest opens a catalog in a temporary directory with root as its
// superuser.
func openTest(t *testing.T) (*Catalog, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "catalog.db")
	c, err := Open(context.Background(), Options{Path: path, SecretKey: testKey, BootstrapUser: root})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, path
}

func ptr[T any](v T) *T { return &v }

// snapshot dumps every row of every catalog table, to prove that a failed
// statement changed nothing.
func snapshot(t *testing.T, c *Catalog) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range []string{"users", "wrappers", "servers", "user_mappings", "schemas", "tables", "columns", "grants"} {
		rows, err := c.db.Query(`SELECT * FROM ` + tbl + ` ORDER BY 1, 2`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", tbl, vals)
		}
		rows.Close()
	}
	return b.String()
}

// step is one statement of a scenario: code "" means it must succeed; else
// it must fail with that code, leave the catalog unchanged and (if msg is
// set) say msg.
type step struct {
	name string
	run  func(ctx context.Context, c *Catalog) error
	code sqlerr.Code
	msg  string
}

func runSteps(t *testing.T, c *Catalog, steps []step) {
	t.Helper()
	ctx := context.Background()
	for _, s := range steps {
		before := snapshot(t, c)
		err := s.run(ctx, c)
		if s.code == "" {
			if err != nil {
				t.Fatalf("%s: unexpected error: %v", s.name, err)
			}
			continue
		}
		if got := sqlerr.CodeOf(err); got != s.code {
			t.Fatalf("%s: code %q (%v), want %q", s.name, got, err, s.code)
		}
		if s.msg != "" && !strings.Contains(err.Error(), s.msg) {
			t.Fatalf("%s: error %q does not contain %q", s.name, err.Error(), s.msg)
		}
		if after := snapshot(t, c); after != before {
			t.Fatalf("%s: failed statement changed the catalog:\nbefore:\n%s\nafter:\n%s", s.name, before, after)
		}
	}
}

func mustRun(t *testing.T, c *Catalog, steps ...step) {
	t.Helper()
	for i := range steps {
		steps[i].code = ""
	}
	runSteps(t, c, steps)
}

func createServer(actor, name, wrapper string, opts ...Option) step {
	return step{name: "create server " + name, run: func(ctx context.Context, c *Catalog) error {
		return c.CreateServer(ctx, actor, ServerDef{Name: name, Wrapper: wrapper, Options: Adds(opts...)})
	}}
}

func createUser(name string, super bool) step {
	return step{name: "create user " + name, run: func(ctx context.Context, c *Catalog) error {
		return c.CreateUser(ctx, root, UserDef{Name: name, Superuser: ptr(super), Password: ptr("pw-" + name)})
	}}
}

func createMapping(actor, server, user string, opts ...Option) step {
	return step{name: "create mapping " + user + "@" + server, run: func(ctx context.Context, c *Catalog) error {
		return c.CreateUserMapping(ctx, actor, MappingDef{Server: server, User: user, Options: Adds(opts...)})
	}}
}

func createTable(actor, schema, name, server string, cols ...ColumnDef) step {
	return step{name: "create table " + name, run: func(ctx context.Context, c *Catalog) error {
		_, err := c.CreateTable(ctx, actor, TableDef{Schema: schema, Name: name, Server: server, Columns: cols})
		return err
	}}
}

func grant(actor string, g GrantDef) step {
	return step{name: fmt.Sprintf("grant %v", g), run: func(ctx context.Context, c *Catalog) error {
		return c.Grant(ctx, actor, g)
	}}
}
