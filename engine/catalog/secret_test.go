package catalog

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/medleysql/medley/sql/sqlerr"
)

const password = "Tr0ub4dor&3-unique-secret"

func TestSecretsNotInCatalogFile(t *testing.T) {
	c, path := openTest(t)
	mustRun(t, c, createUser("bob", false), createServer(root, "pg", "postgres"),
		createMapping(root, "pg", "bob", Option{"user", "bob"}, Option{"password", password}))
	check := func(when string) {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			b, err := os.ReadFile(path + suffix)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(password)) {
				t.Errorf("%s: password found in %s", when, path+suffix)
			}
			if suffix == "" && len(b) == 0 {
				t.Errorf("%s: empty catalog file", when)
			}
		}
	}
	check("open")
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("catalog file mode: %v %v", st.Mode(), err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	check("closed")
}

func TestKeyFileAndWrongKey(t *testing.T) {
	ctx := context.Background()
	t.Setenv("MEDLEY_SECRET_KEY", "")
	path := filepath.Join(t.TempDir(), "c.db")
	c, err := Open(ctx, Options{Path: path, BootstrapUser: root})
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, c, createServer(root, "pg", "postgres"), createMapping(root, "pg", root, Option{"password", password}))
	c.Close()
	st, err := os.Stat(KeyFilePath(path))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", st.Mode().Perm())
	}
	c, err = Open(ctx, Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	ci, err := c.ConnectInfo(ctx, "pg", root)
	if err != nil || ci.UserOptions["password"] != password {
		t.Fatalf("after reopen with key file: %v %v", ci, err)
	}
	c.Close()
	c, err = Open(ctx, Options{Path: path, SecretKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.ConnectInfo(ctx, "pg", root)
	if !sqlerr.Is(err, sqlerr.FDWInvalidAttributeValue) || strings.Contains(err.Error(), password) {
		t.Fatalf("wrong key: %v", err)
	}
}

func TestConnectInfo(t *testing.T) {
	c, _ := openTest(t)
	ctx := context.Background()
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MEDLEY_TEST_PW", "from-env")
	mustRun(t, c, createUser("bob", false), createUser("carol", false), createUser("dave", false),
		createServer(root, "pg", "postgres", Option{"host", "h"}),
		createServer(root, "lite", "sqlite", Option{"database", "/tmp/x.db"}),
		createMapping(root, "pg", "bob", Option{"user", "b"}, Option{"password_env", "MEDLEY_TEST_PW"}),
		createMapping(root, "pg", "carol", Option{"password_file", pwFile}),
		createMapping(root, "pg", Public, Option{"user", "guest"}, Option{"password", "pub"}),
	)
	tests := []struct {
		user, mappingUser, pw string
	}{
		{"bob", "bob", "from-env"},
		{"carol", "carol", "from-file"},
		{"dave", Public, "pub"},
	}
	for _, tc := range tests {
		ci, err := c.ConnectInfo(ctx, "pg", tc.user)
		if err != nil {
			t.Fatal(err)
		}
		if ci.MappingUser != tc.mappingUser || ci.UserOptions["password"] != tc.pw || ci.ServerOptions["host"] != "h" ||
			ci.Connector != "postgres" {
			t.Errorf("%s: %+v", tc.user, ci)
		}
		if _, ok := ci.UserOptions["password_env"]; ok {
			t.Errorf("%s: reference not resolved: %v", tc.user, ci.UserOptions)
		}
	}
	// No mapping at all: PostgreSQL's message.
	mustRun(t, c, step{name: "drop public", run: func(ctx context.Context, c *Catalog) error {
		return c.DropUserMapping(ctx, root, MappingDef{Server: "pg", User: "PUBLIC"})
	}})
	_, err := c.ConnectInfo(ctx, "pg", "dave")
	if !sqlerr.Is(err, sqlerr.UndefinedObject) || err.Error() != `user mapping not found for user "dave", server "pg"` {
		t.Errorf("no mapping: %v", err)
	}
	// A wrapper without credentials needs no mapping.
	ci, err := c.ConnectInfo(ctx, "lite", "dave")
	if err != nil || !ci.NoUserMapping || ci.ServerOptions["database"] != "/tmp/x.db" {
		t.Errorf("sqlite: %+v %v", ci, err)
	}
	// A missing variable is an error naming it, not the secret.
	t.Setenv("MEDLEY_TEST_PW", "")
	os.Unsetenv("MEDLEY_TEST_PW")
	if _, err := c.ConnectInfo(ctx, "pg", "bob"); !sqlerr.Is(err, sqlerr.FDWInvalidAttributeValue) ||
		!strings.Contains(err.Error(), "MEDLEY_TEST_PW") {
		t.Errorf("unset env: %v", err)
	}
	// Generations move with mapping changes.
	g1, _ := c.ServerGeneration(ctx, "pg")
	mustRun(t, c, step{name: "alter mapping", run: func(ctx context.Context, c *Catalog) error {
		return c.AlterUserMapping(ctx, root, MappingDef{Server: "pg", User: "carol",
			Options: []OptionChange{{OptionAdd, "user", "c"}}})
	}})
	if g2, _ := c.ServerGeneration(ctx, "pg"); g2 <= g1 {
		t.Errorf("generation %d -> %d", g1, g2)
	}
}

func TestReopenFindsEverything(t *testing.T) {
	c, path := openTest(t)
	ctx := context.Background()
	mustRun(t, c, createUser("bob", false), createServer(root, "pg", "postgres", Option{"host", "h"}),
		createMapping(root, "pg", "bob", Option{"password", password}),
		step{name: "schema", run: createSchema(root, "sales")},
		createTable(root, "sales", "orders", "pg", ColumnDef{Name: "id", Type: "bigint", NotNull: true}),
		grant(root, GrantDef{Kind: KindTable, Tables: []TableName{{"sales", "orders"}}, Privileges: []Privilege{PrivSelect}, Grantees: []string{"bob"}}),
	)
	before := snapshot(t, c)
	c.Close()
	c2, err := Open(ctx, Options{Path: path, SecretKey: testKey, BootstrapUser: root})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if after := snapshot(t, c2); after != before {
		t.Fatalf("catalog changed across reopen:\n%s\n---\n%s", before, after)
	}
	info, err := c2.LookupTable(ctx, "bob", TableName{"sales", "orders"}, PrivSelect)
	if err != nil || info.Table.Columns[0].Type.String() != "int64" {
		t.Fatalf("lookup after reopen: %+v %v", info, err)
	}
	m, err := c2.EffectiveUserMapping(ctx, "pg", "bob")
	if err != nil || m.Options[0].Value != password {
		t.Fatalf("mapping after reopen: %+v %v", m, err)
	}
}

// TestTwoCatalogsOneFile runs DDL from two Catalog instances on one file at
// once (as two processes would): nothing is lost, duplicates are refused.
func TestTwoCatalogsOneFile(t *testing.T) {
	c1, path := openTest(t)
	ctx := context.Background()
	c2, err := Open(ctx, Options{Path: path, SecretKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	const n = 15
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for i, c := range []*Catalog{c1, c2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range n {
				errs <- c.CreateServer(ctx, root, ServerDef{Name: fmt.Sprintf("s%d_%d", i, j), Wrapper: "postgres"})
				errs <- c.CreateServer(ctx, root, ServerDef{Name: fmt.Sprintf("both_%d", j), Wrapper: "postgres"})
			}
		}()
	}
	wg.Wait()
	close(errs)
	dups := 0
	for err := range errs {
		if sqlerr.Is(err, sqlerr.DuplicateObject) {
			dups++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if dups != n {
		t.Errorf("%d duplicate errors, want %d", dups, n)
	}
	for _, c := range []*Catalog{c1, c2} {
		ss, err := c.Servers(ctx, root)
		if err != nil {
			t.Fatal(err)
		}
		if len(ss) != 3*n+1 { // + the memory server
			t.Errorf("%d servers, want %d", len(ss), 3*n+1)
		}
	}
}

func TestMemoryCatalog(t *testing.T) {
	ctx := context.Background()
	c, err := Open(ctx, Options{Path: ":memory:", BootstrapUser: root})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mustRun(t, c, createServer(root, "pg", "postgres"), createMapping(root, "pg", root, Option{"password", "x"}))
	ci, err := c.ConnectInfo(ctx, "pg", root)
	if err != nil || ci.UserOptions["password"] != "x" {
		t.Fatalf("%+v %v", ci, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if _, err := c.Servers(ctx, root); err == nil {
		t.Fatal("use after Close succeeded")
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("MEDLEY_CATALOG", "/x/c.db")
	if p, _ := DefaultPath(); p != "/x/c.db" {
		t.Errorf("MEDLEY_CATALOG: %s", p)
	}
	t.Setenv("MEDLEY_CATALOG", "")
	t.Setenv("XDG_DATA_HOME", "/data")
	if p, _ := DefaultPath(); p != "/data/medley/catalog.db" {
		t.Errorf("XDG_DATA_HOME: %s", p)
	}
}
