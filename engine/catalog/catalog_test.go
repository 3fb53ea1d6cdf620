package catalog

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/sqlerr"
)

func TestBootstrap(t *testing.T) {
	c, _ := openTest(t)
	ctx := context.Background()
	ws, err := c.Wrappers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, w := range ws {
		names = append(names, w.Name)
		if !w.BuiltIn || w.Owner != root {
			t.Errorf("wrapper %s: builtin %v owner %q", w.Name, w.BuiltIn, w.Owner)
		}
	}
	for _, b := range BuiltinWrappers {
		if !slices.Contains(names, b) {
			t.Errorf("built-in wrapper %s missing from %v", b, names)
		}
	}
	u, err := c.GetUser(ctx, root)
	if err != nil || !u.Superuser {
		t.Fatalf("bootstrap user: %+v %v", u, err)
	}
	schemas, _ := c.Schemas(ctx)
	if len(schemas) != 1 || schemas[0].Name != "public" {
		t.Errorf("schemas = %+v", schemas)
	}
	s, err := c.GetServer(ctx, root, MemoryServer)
	if err != nil || s.Wrapper != "memory" {
		t.Errorf("memory server: %+v %v", s, err)
	}
	// A second Open with another bootstrap user does not make it a user.
	c2, err := Open(ctx, Options{Path: c.Path(), SecretKey: testKey, BootstrapUser: "other"})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.GetUser(ctx, "other"); !sqlerr.Is(err, sqlerr.UndefinedObject) {
		t.Errorf("second bootstrap user created: %v", err)
	}
}

func TestServerStatements(t *testing.T) {
	c, _ := openTest(t)
	runSteps(t, c, []step{
		createServer(root, "pg", "postgres", Option{"host", "db1"}, Option{"port", "5432"}),
		{name: "duplicate", run: createServer(root, "pg", "postgres").run, code: sqlerr.DuplicateObject, msg: `server "pg" already exists`},
		{name: "if not exists", run: func(ctx context.Context, c *Catalog) error {
			var notices []Notice
			ctx = WithNoticeHandler(ctx, func(n Notice) { notices = append(notices, n) })
			err := c.CreateServer(ctx, root, ServerDef{Name: "pg", Wrapper: "postgres", IfNotExists: true})
			if err == nil && (len(notices) != 1 || !strings.Contains(notices[0].Message, "skipping")) {
				t.Errorf("notices = %+v", notices)
			}
			return err
		}},
		{name: "unknown wrapper", run: createServer(root, "x", "oracle").run, code: sqlerr.UndefinedObject,
			msg: `foreign-data wrapper "oracle" does not exist`},
		{name: "unknown option", run: createServer(root, "x", "postgres", Option{"hots", "a"}).run,
			code: sqlerr.FDWInvalidOptionName, msg: `invalid option "hots"`},
		{name: "unknown option lists valid ones", run: createServer(root, "x", "postgres", Option{"hots", "a"}).run,
			code: sqlerr.FDWInvalidOptionName, msg: "host, port, dbname"},
		{name: "user option on a server", run: createServer(root, "x", "postgres", Option{"password", "a"}).run,
			code: sqlerr.FDWInvalidOptionName},
		{name: "bad value", run: createServer(root, "x", "postgres", Option{"port", "http"}).run,
			code: sqlerr.InvalidParameterValue, msg: "port"},
		{name: "missing required", run: createServer(root, "x", "sqlite").run, code: "HV002", msg: `"database" is required`},
		{name: "option twice", run: createServer(root, "x", "postgres", Option{"host", "a"}, Option{"host", "b"}).run,
			code: sqlerr.DuplicateObject, msg: `option "host" provided more than once`},
		{name: "alter add existing", run: alterServer("pg", OptionChange{OptionAdd, "host", "x"}), code: sqlerr.DuplicateObject},
		{name: "alter set missing", run: alterServer("pg", OptionChange{OptionSet, "dbname", "x"}), code: sqlerr.UndefinedObject,
			msg: `option "dbname" not found`},
		{name: "alter drop missing", run: alterServer("pg", OptionChange{OptionDrop, "dbname", ""}), code: sqlerr.UndefinedObject},
		{name: "alter one good one bad", run: alterServer("pg", OptionChange{OptionSet, "host", "new"},
			OptionChange{OptionDrop, "dbname", ""}), code: sqlerr.UndefinedObject},
		{name: "alter ok", run: alterServer("pg", OptionChange{OptionSet, "host", "db2"},
			OptionChange{OptionAdd, "dbname", "tpch"}, OptionChange{OptionDrop, "port", ""})},
		{name: "alter unknown server", run: alterServer("nope"), code: sqlerr.UndefinedObject, msg: `server "nope" does not exist`},
		{name: "rename", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterServer(ctx, root, ServerDef{Name: "pg", NewName: ptr("pg2"), Version: ptr("15")})
		}},
		{name: "drop unknown", run: dropServer("pg", false), code: sqlerr.UndefinedObject},
		{name: "drop if exists", run: func(ctx context.Context, c *Catalog) error {
			_, err := c.DropServers(ctx, root, []string{"pg"}, true, false)
			return err
		}},
	})
	s, err := c.GetServer(context.Background(), root, "pg2")
	if err != nil {
		t.Fatal(err)
	}
	want := []Option{{"host", "db2"}, {"dbname", "tpch"}}
	if !slices.Equal(s.Options, want) || s.Version != "15" {
		t.Errorf("server = %+v, want options %v", s, want)
	}
}

func alterServer(name string, ch ...OptionChange) func(context.Context, *Catalog) error {
	return func(ctx context.Context, c *Catalog) error {
		return c.AlterServer(ctx, root, ServerDef{Name: name, Options: ch})
	}
}

func dropServer(name string, cascade bool) func(context.Context, *Catalog) error {
	return func(ctx context.Context, c *Catalog) error {
		_, err := c.DropServers(ctx, root, []string{name}, false, cascade)
		return err
	}
}

func TestDropWithDependents(t *testing.T) {
	c, _ := openTest(t)
	mustRun(t, c,
		createUser("bob", false),
		step{name: "create wrapper", run: func(ctx context.Context, c *Catalog) error {
			return c.CreateWrapper(ctx, root, WrapperDef{Name: "mypg", Handler: ptr("postgres")})
		}},
		createServer(root, "s1", "mypg", Option{"host", "h"}),
		createMapping(root, "s1", "bob", Option{"user", "bob"}),
		createTable(root, "", "t1", "s1", ColumnDef{Name: "a", Type: "int"}),
		grant(root, GrantDef{Kind: KindTable, Tables: []TableName{{"public", "t1"}}, Grantees: []string{"bob"}}),
	)
	runSteps(t, c, []step{
		{name: "drop server restrict", run: dropServer("s1", false), code: sqlerr.DependentObjectsExist,
			msg: `user mapping for "bob" on server "s1", foreign table public.t1`},
		{name: "drop wrapper restrict", run: func(ctx context.Context, c *Catalog) error {
			_, err := c.DropWrappers(ctx, root, []string{"mypg"}, false, false)
			return err
		}, code: sqlerr.DependentObjectsExist, msg: `server "s1"`},
		{name: "drop built-in wrapper", run: func(ctx context.Context, c *Catalog) error {
			_, err := c.DropWrappers(ctx, root, []string{"postgres"}, false, true)
			return err
		}, code: sqlerr.FeatureNotSupported},
		{name: "drop user with grants and mapping", run: func(ctx context.Context, c *Catalog) error {
			return c.DropUser(ctx, root, "bob", false)
		}, code: sqlerr.DependentObjectsExist, msg: `privileges for table "public.t1"`},
		{name: "drop wrapper cascade", run: func(ctx context.Context, c *Catalog) error {
			dropped, err := c.DropWrappers(ctx, root, []string{"mypg"}, false, true)
			if err == nil && (len(dropped) != 1 || dropped[0] != (TableName{"public", "t1"})) {
				t.Errorf("dropped = %v", dropped)
			}
			return err
		}},
		{name: "drop user now", run: func(ctx context.Context, c *Catalog) error {
			return c.DropUser(ctx, root, "bob", false)
		}},
	})
	after := snapshot(t, c)
	for _, gone := range []string{"s1", "t1", "bob", "mypg"} {
		if strings.Contains(after, gone) {
			t.Errorf("%s still in catalog after CASCADE:\n%s", gone, after)
		}
	}
}

func TestForeignTables(t *testing.T) {
	c, _ := openTest(t)
	ctx := context.Background()
	mustRun(t, c, createServer(root, "pg", "postgres"), createServer(root, "my", "mysql"))
	cols := []ColumnDef{
		{Name: "id", Type: "int8", NotNull: true},
		{Name: "price", Type: "numeric(15,2)", Default: ptr("0"), Options: Adds(Option{"column_name", "p"})},
	}
	runSteps(t, c, []step{
		{name: "create", run: func(ctx context.Context, c *Catalog) error {
			_, err := c.CreateTable(ctx, root, TableDef{Name: "orders", Server: "pg", Columns: cols,
				Options: Adds(Option{"schema_name", "s"}, Option{"table_name", "orders"})})
			return err
		}},
		{name: "duplicate", run: createTable(root, "public", "orders", "pg").run, code: sqlerr.DuplicateTable},
		{name: "unknown server", run: createTable(root, "", "x", "nope").run, code: sqlerr.UndefinedObject, msg: `server "nope" does not exist`},
		{name: "unknown schema", run: createTable(root, "sales", "x", "pg").run, code: sqlerr.InvalidSchemaName},
		{name: "unknown type", run: createTable(root, "", "x", "pg", ColumnDef{Name: "a", Type: "blob"}).run, code: sqlerr.UndefinedObject},
		{name: "duplicate column", run: createTable(root, "", "x", "pg", ColumnDef{Name: "a", Type: "int"}, ColumnDef{Name: "a", Type: "text"}).run,
			code: sqlerr.DuplicateColumn},
		{name: "bad column option", run: createTable(root, "", "x", "pg", ColumnDef{Name: "a", Type: "int", Options: Adds(Option{"colname", "b"})}).run,
			code: sqlerr.FDWInvalidOptionName, msg: "column_name"},
		{name: "missing required table option", run: createTable(root, "", "x", "my", ColumnDef{Name: "a", Type: "int"}).run,
			code: "HV002", msg: "dbname"},
		{name: "alter many", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterTable(ctx, root, TableAlter{Table: TableName{Name: "orders"}, Actions: []AlterAction{
				{Kind: AlterAddColumn, Column: ColumnDef{Name: "note", Type: "varchar(20)"}},
				{Kind: AlterRenameColumn, Name: "id", NewName: "o_id"},
				{Kind: AlterColumnOptions, Name: "price", Options: []OptionChange{{OptionSet, "column_name", "pp"}}},
				{Kind: AlterTableOptions, Options: []OptionChange{{OptionDrop, "schema_name", ""}}},
			}})
		}},
		{name: "alter drop missing column", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterTable(ctx, root, TableAlter{Table: TableName{Name: "orders"}, Actions: []AlterAction{
				{Kind: AlterAddColumn, Column: ColumnDef{Name: "z", Type: "int"}},
				{Kind: AlterDropColumn, Name: "nope"},
			}})
		}, code: sqlerr.UndefinedColumn},
		{name: "rename table", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterTable(ctx, root, TableAlter{Table: TableName{Name: "orders"}, Actions: []AlterAction{
				{Kind: AlterRenameTable, NewName: "orders2"}}})
		}},
		{name: "drop table on foreign table", run: func(ctx context.Context, c *Catalog) error {
			_, err := c.DropTables(ctx, root, []TableName{{Name: "orders2"}}, false, true)
			return err
		}, code: "42809"},
	})
	info, err := c.LookupTable(ctx, root, TableName{Name: "orders2"}, PrivSelect)
	if err != nil {
		t.Fatal(err)
	}
	tb := info.Table
	if len(tb.Columns) != 3 || tb.Columns[0].Name != "o_id" || !tb.Columns[0].NotNull ||
		tb.Columns[1].TypeText != "numeric(15,2)" || tb.Columns[1].Type.String() != "decimal(15, 2)" ||
		*tb.Columns[1].Default != "0" || tb.Columns[1].Options[0] != (Option{"column_name", "pp"}) ||
		tb.Columns[2].TypeText != "character varying(20)" {
		t.Errorf("table = %+v", tb)
	}
	if !slices.Equal(tb.Options, []Option{{"table_name", "orders"}}) || info.Server.Name != "pg" || info.Wrapper.Name != "postgres" {
		t.Errorf("info = %+v", info)
	}
	d := tb.Desc()
	if d.Schema().NumFields() != 3 || d.Columns[1].Options["column_name"] != "pp" {
		t.Errorf("desc = %+v", d)
	}
}

func TestSchemas(t *testing.T) {
	c, _ := openTest(t)
	mustRun(t, c, createServer(root, "pg", "postgres"), createUser("bob", false))
	runSteps(t, c, []step{
		{name: "create", run: createSchema(root, "sales")},
		{name: "duplicate", run: createSchema(root, "sales"), code: sqlerr.DuplicateSchema},
		{name: "non-superuser", run: createSchema("bob", "b"), code: sqlerr.InsufficientPrivilege},
		{name: "reserved", run: createSchema(root, "pg_x"), code: "42939"},
		createTable(root, "sales", "t", "pg", ColumnDef{Name: "a", Type: "int"}),
		{name: "bob cannot create in sales", run: createTable("bob", "sales", "u", "pg").run, code: sqlerr.InsufficientPrivilege},
		grant(root, GrantDef{Kind: KindSchema, Names: []string{"sales"}, Privileges: []Privilege{PrivCreate}, Grantees: []string{"bob"}}),
		grant(root, GrantDef{Kind: KindServer, Names: []string{"pg"}, Grantees: []string{"bob"}}),
		{name: "bob creates in sales", run: createTable("bob", "sales", "u", "pg").run},
		{name: "bob drops his table", run: func(ctx context.Context, c *Catalog) error {
			_, err := c.DropTables(ctx, "bob", []TableName{{"sales", "u"}}, false, false)
			return err
		}},
		{name: "select on a schema", run: grant(root, GrantDef{Kind: KindSchema, Names: []string{"sales"},
			Privileges: []Privilege{PrivSelect}, Grantees: []string{"bob"}}).run, code: "0LP01"},
		{name: "drop restrict", run: dropSchema("sales", false), code: sqlerr.DependentObjectsExist, msg: "sales.t"},
		{name: "drop cascade", run: dropSchema("sales", true)},
		{name: "drop unknown", run: dropSchema("sales", false), code: sqlerr.InvalidSchemaName},
	})
}

func createSchema(actor, name string) func(context.Context, *Catalog) error {
	return func(ctx context.Context, c *Catalog) error {
		return c.CreateSchema(ctx, actor, SchemaDef{Name: name})
	}
}

func dropSchema(name string, cascade bool) func(context.Context, *Catalog) error {
	return func(ctx context.Context, c *Catalog) error {
		_, err := c.DropSchemas(ctx, root, []string{name}, false, cascade)
		return err
	}
}

func TestRenameWithDependents(t *testing.T) {
	c, _ := openTest(t)
	ctx := context.Background()
	mustRun(t, c, createUser("bob", false),
		step{name: "wrapper", run: func(ctx context.Context, c *Catalog) error {
			return c.CreateWrapper(ctx, root, WrapperDef{Name: "w", Handler: ptr("postgres")})
		}},
		createServer(root, "s", "w", Option{"host", "h"}),
		createMapping(root, "s", "bob", Option{"password", "pw"}),
		createTable(root, "", "t", "s", ColumnDef{Name: "a", Type: "int"}),
		grant(root, GrantDef{Kind: KindServer, Names: []string{"s"}, Grantees: []string{"bob"}}),
		grant(root, GrantDef{Kind: KindTable, Tables: []TableName{{"public", "t"}}, Privileges: []Privilege{PrivSelect}, Grantees: []string{"bob"}}),
		step{name: "schema", run: createSchema(root, "other")},
	)
	runSteps(t, c, []step{
		{name: "rename wrapper", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterWrapper(ctx, root, WrapperDef{Name: "w", NewName: ptr("w2")})
		}},
		{name: "rename server to existing", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterServer(ctx, root, ServerDef{Name: "s", NewName: ptr(MemoryServer)})
		}, code: sqlerr.DuplicateObject},
		{name: "rename server", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterServer(ctx, root, ServerDef{Name: "s", NewName: ptr("s2"), NewOwner: ptr("bob")})
		}},
		{name: "move table", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterTable(ctx, root, TableAlter{Table: TableName{Name: "t"}, Actions: []AlterAction{
				{Kind: AlterSetSchema, NewName: "other"}, {Kind: AlterRenameTable, NewName: "t2"}}})
		}},
		{name: "move table to unknown schema", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterTable(ctx, root, TableAlter{Table: TableName{"other", "t2"}, Actions: []AlterAction{
				{Kind: AlterSetSchema, NewName: "nope"}}})
		}, code: sqlerr.InvalidSchemaName},
	})
	info, err := c.LookupTable(ctx, "bob", TableName{"other", "t2"}, PrivSelect)
	if err != nil {
		t.Fatal(err)
	}
	if info.Server.Name != "s2" || info.Server.Owner != "bob" || info.Wrapper.Name != "w2" || info.Wrapper.Connector() != "postgres" {
		t.Errorf("after renames: %+v", info)
	}
	ci, err := c.ConnectInfo(ctx, "s2", "bob")
	if err != nil || ci.UserOptions["password"] != "pw" {
		t.Errorf("mapping after rename: %+v %v", ci, err)
	}
	// bob now owns s2 and may manage any of its mappings.
	mustRun(t, c, createMapping("bob", "s2", Public))
	if err := c.DropUsers(ctx, root, []string{"nobody", "bob"}, true); !sqlerr.Is(err, sqlerr.DependentObjectsExist) {
		t.Errorf("drop users: %v", err)
	}
}
