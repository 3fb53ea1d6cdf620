package catalog

import (
	"context"
	"testing"

	"github.com/medleysql/medley/sql/sqlerr"
)

func TestPrivileges(t *testing.T) {
	c, _ := openTest(t)
	ctx := context.Background()
	mustRun(t, c, createUser("alice", false), createUser("bob", false), createUser("carol", false))
	lookup := func(user string, p Privilege) func(context.Context, *Catalog) error {
		return func(ctx context.Context, c *Catalog) error {
			_, err := c.LookupTable(ctx, user, TableName{Name: "t"}, p)
			return err
		}
	}
	runSteps(t, c, []step{
		{name: "create wrapper non-superuser", run: func(ctx context.Context, c *Catalog) error {
			return c.CreateWrapper(ctx, "alice", WrapperDef{Name: "w"})
		}, code: sqlerr.InsufficientPrivilege},
		{name: "server without wrapper usage", run: createServer("alice", "pg", "postgres").run, code: sqlerr.InsufficientPrivilege,
			msg: `permission denied for foreign-data wrapper "postgres"`},
		grant(root, GrantDef{Kind: KindWrapper, Names: []string{"postgres"}, Grantees: []string{"alice"}}),
		createServer("alice", "pg", "postgres", Option{"host", "h"}),
		{name: "bob alters alice's server", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterServer(ctx, "bob", ServerDef{Name: "pg", Options: []OptionChange{{OptionSet, "host", "x"}}})
		}, code: sqlerr.InsufficientPrivilege, msg: `must be owner of foreign server "pg"`},
		{name: "bob drops alice's server", run: func(ctx context.Context, c *Catalog) error {
			_, err := c.DropServers(ctx, "bob", []string{"pg"}, false, true)
			return err
		}, code: sqlerr.InsufficientPrivilege},
		{name: "bob maps himself without usage", run: createMapping("bob", "pg", "bob").run, code: sqlerr.InsufficientPrivilege},
		{name: "bob grants on alice's server", run: grant("bob", GrantDef{Kind: KindServer, Names: []string{"pg"}, Grantees: []string{"bob"}}).run,
			code: sqlerr.InsufficientPrivilege},
		grant("alice", GrantDef{Kind: KindServer, Names: []string{"pg"}, Grantees: []string{"bob"}}),
		createMapping("bob", "pg", "bob", Option{"user", "b"}, Option{"password", "bobs-secret"}),
		{name: "bob maps carol", run: createMapping("bob", "pg", "carol").run, code: sqlerr.InsufficientPrivilege},
		createMapping("alice", "pg", "carol", Option{"password", "carols-secret"}),
		createMapping("alice", "pg", Public, Option{"user", "guest"}, Option{"password", "public-secret"}),
		{name: "duplicate mapping", run: createMapping("alice", "pg", "bob").run, code: sqlerr.DuplicateObject,
			msg: `user mapping for "bob" already exists for server "pg"`},
		{name: "mapping for unknown user", run: createMapping("alice", "pg", "zed").run, code: sqlerr.UndefinedObject},
		{name: "carol creates table without usage", run: createTable("carol", "", "t", "pg").run, code: sqlerr.InsufficientPrivilege},
		createTable("bob", "", "t", "pg", ColumnDef{Name: "a", Type: "int"}),
		{name: "carol selects", run: lookup("carol", PrivSelect), code: sqlerr.InsufficientPrivilege, msg: `permission denied for table "t"`},
		{name: "unknown table", run: func(ctx context.Context, c *Catalog) error {
			_, err := c.LookupTable(ctx, "carol", TableName{Name: "nope"}, PrivSelect)
			return err
		}, code: sqlerr.UndefinedTable, msg: `relation "nope" does not exist`},
		{name: "alice grants on bob's table", run: grant("alice", GrantDef{Kind: KindTable, Tables: []TableName{{"public", "t"}},
			Grantees: []string{"carol"}}).run, code: sqlerr.InsufficientPrivilege},
		{name: "grant usage on a table", run: grant("bob", GrantDef{Kind: KindTable, Tables: []TableName{{"public", "t"}},
			Privileges: []Privilege{PrivUsage}, Grantees: []string{"carol"}}).run, code: "0LP01"},
		grant("bob", GrantDef{Kind: KindTable, Tables: []TableName{{"public", "t"}}, Privileges: []Privilege{PrivSelect}, Grantees: []string{Public}}),
		{name: "carol selects via PUBLIC", run: lookup("carol", PrivSelect)},
		{name: "carol inserts", run: lookup("carol", PrivInsert), code: sqlerr.InsufficientPrivilege},
		{name: "root inserts", run: lookup(root, PrivInsert)},
		{name: "revoke", run: func(ctx context.Context, c *Catalog) error {
			return c.Revoke(ctx, "bob", GrantDef{Kind: KindTable, Tables: []TableName{{"public", "t"}}, Grantees: []string{"public"}})
		}},
		{name: "carol selects after revoke", run: lookup("carol", PrivSelect), code: sqlerr.InsufficientPrivilege},
		{name: "non-superuser creates user", run: func(ctx context.Context, c *Catalog) error {
			return c.CreateUser(ctx, "alice", UserDef{Name: "x"})
		}, code: sqlerr.InsufficientPrivilege},
		{name: "duplicate user", run: createUser("alice", false).run, code: sqlerr.DuplicateObject},
		{name: "reserved name", run: createUser("public", false).run, code: "42939"},
		{name: "alice makes herself superuser", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterUser(ctx, "alice", UserDef{Name: "alice", Superuser: ptr(true)})
		}, code: sqlerr.InsufficientPrivilege},
		{name: "alice changes her password", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterUser(ctx, "alice", UserDef{Name: "alice", Password: ptr("new")})
		}},
		{name: "unknown actor", run: createServer("ghost", "x", "postgres").run, code: sqlerr.InvalidAuthorization},
	})
	// Masking: secrets are write-only, everybody sees ********, the
	// mapping's own user and superusers included.
	cases := []struct {
		viewer string
		want   map[string]string // mapping user -> password shown
	}{
		{root, map[string]string{"bob": Mask, "carol": Mask, Public: Mask}},
		{"bob", map[string]string{"bob": Mask, "carol": Mask, Public: Mask}},
		{"alice", map[string]string{"bob": Mask, "carol": Mask, Public: Mask}},
	}
	for _, tc := range cases {
		ms, err := c.UserMappings(ctx, tc.viewer)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != len(tc.want) {
			t.Fatalf("%s sees %d mappings, want %d", tc.viewer, len(ms), len(tc.want))
		}
		for _, m := range ms {
			got, _ := optSet(m.Options).get("password")
			if got != tc.want[m.User] {
				t.Errorf("%s sees password %q for %s, want %q", tc.viewer, got, m.User, tc.want[m.User])
			}
		}
	}
	// carol has no USAGE on pg: she sees neither the server nor its mappings.
	if ms, _ := c.UserMappings(ctx, "carol"); len(ms) != 0 {
		t.Errorf("carol sees %v", ms)
	}
	if _, err := c.GetServer(ctx, "carol", "pg"); !sqlerr.Is(err, sqlerr.InsufficientPrivilege) {
		t.Errorf("carol GetServer: %v", err)
	}
}

func TestAuthenticate(t *testing.T) {
	c, _ := openTest(t)
	ctx := context.Background()
	mustRun(t, c, createUser("alice", false), step{name: "nologin", run: func(ctx context.Context, c *Catalog) error {
		return c.CreateUser(ctx, root, UserDef{Name: "svc", Password: ptr("pw"), CanLogin: ptr(false)})
	}})
	if err := c.Authenticate(ctx, "alice", "pw-alice"); err != nil {
		t.Fatal(err)
	}
	wrong := c.Authenticate(ctx, "alice", "nope")
	unknown := c.Authenticate(ctx, "nobody", "nope")
	nopw := c.Authenticate(ctx, root, "")
	for _, err := range []error{wrong, unknown, nopw} {
		if !sqlerr.Is(err, sqlerr.InvalidPassword) {
			t.Errorf("got %v, want 28P01", err)
		}
	}
	if wrong.Error() != `password authentication failed for user "alice"` {
		t.Errorf("message %q", wrong)
	}
	if err := c.Authenticate(ctx, "svc", "pw"); !sqlerr.Is(err, sqlerr.InvalidAuthorization) {
		t.Errorf("nologin: %v", err)
	}
	var u *User
	u, _ = c.GetUser(ctx, "alice")
	if !u.HasPassword || u.Superuser || !u.CanLogin {
		t.Errorf("alice = %+v", u)
	}
}
