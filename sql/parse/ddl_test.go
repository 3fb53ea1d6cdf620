package parse

import (
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

func bp(b bool) *bool     { return &b }
func sp(s string) *string { return &s }
func ip(i int) *int       { return &i }
func node(s string) Node  { return Node{Source: s, Pos: 1} }
func opt(n, v string, pos int) Option {
	return Option{Name: n, Value: v, Pos: pos}
}

// ddlCases pair a statement with the node it parses to (Source and Pos of
// the Node are filled in by the test).
var ddlCases = []struct {
	in   string
	want Statement
}{
	{"CREATE FOREIGN DATA WRAPPER pg HANDLER h VALIDATOR v OPTIONS (debug 'true')",
		&CreateForeignDataWrapper{Name: "pg", Handler: "h", Validator: "v", Options: []Option{opt("debug", "true", 63)}}},
	{"create foreign data wrapper w no handler no validator",
		&CreateForeignDataWrapper{Name: "w"}},
	{"ALTER FOREIGN DATA WRAPPER w NO HANDLER OPTIONS (ADD a '1', SET b '2', DROP c)",
		&AlterForeignDataWrapper{Name: "w", SetHandler: true, Options: []OptionAction{
			{Action: OptionAdd, Name: "a", Value: "1", Pos: 54}, {Action: OptionSet, Name: "b", Value: "2", Pos: 65},
			{Action: OptionDrop, Name: "c", Pos: 77}}}},
	{"alter foreign data wrapper w rename to w2", &AlterForeignDataWrapper{Name: "w", NewName: "w2"}},
	{"alter foreign data wrapper w owner to bob",
		&AlterForeignDataWrapper{Name: "w", NewOwner: &RoleSpec{Kind: RoleNamed, Name: "bob", Pos: 39}}},
	{"DROP FOREIGN DATA WRAPPER IF EXISTS a, b CASCADE",
		&DropForeignDataWrapper{IfExists: true, Names: []string{"a", "b"}, Behavior: DropCascade}},
	{`CREATE SERVER IF NOT EXISTS "Pg1" TYPE 'pg' VERSION '15' FOREIGN DATA WRAPPER postgres OPTIONS (host 'h', port '5432')`,
		&CreateServer{IfNotExists: true, Name: "Pg1", Type: "pg", Version: "15", Wrapper: "postgres",
			Options: []Option{opt("host", "h", 97), opt("port", "5432", 107)}}},
	{"create server s foreign data wrapper csv", &CreateServer{Name: "s", Wrapper: "csv"}},
	{"ALTER SERVER s VERSION '16' OPTIONS (SET host 'x')",
		&AlterServer{Name: "s", SetVersion: true, Version: "16",
			Options: []OptionAction{{Action: OptionSet, Name: "host", Value: "x", Pos: 42}}}},
	{"alter server s options (add set 'x')",
		&AlterServer{Name: "s", Options: []OptionAction{{Action: OptionAdd, Name: "set", Value: "x", Pos: 29}}}},
	{"alter server s rename to t", &AlterServer{Name: "s", NewName: "t"}},
	{"alter server s owner to current_user",
		&AlterServer{Name: "s", NewOwner: &RoleSpec{Kind: RoleCurrentUser, Pos: 25}}},
	{"DROP SERVER IF EXISTS a, b RESTRICT", &DropServer{IfExists: true, Names: []string{"a", "b"}}},
	{"CREATE USER MAPPING IF NOT EXISTS FOR bob SERVER s OPTIONS (user 'u', password 'p')",
		&CreateUserMapping{IfNotExists: true, User: RoleSpec{Name: "bob", Pos: 39}, Server: "s",
			Options: []Option{opt("user", "u", 61), opt("password", "p", 71)}}},
	{"create user mapping for public server s",
		&CreateUserMapping{User: RoleSpec{Kind: RolePublic, Pos: 25}, Server: "s"}},
	{"create user mapping for user server s",
		&CreateUserMapping{User: RoleSpec{Kind: RoleCurrentUser, Pos: 25}, Server: "s"}},
	{"ALTER USER MAPPING FOR CURRENT_USER SERVER s OPTIONS (SET password 'q')",
		&AlterUserMapping{User: RoleSpec{Kind: RoleCurrentUser, Pos: 24}, Server: "s",
			Options: []OptionAction{{Action: OptionSet, Name: "password", Value: "q", Pos: 59}}}},
	{"DROP USER MAPPING IF EXISTS FOR PUBLIC SERVER s",
		&DropUserMapping{IfExists: true, User: RoleSpec{Kind: RolePublic, Pos: 33}, Server: "s"}},
	{"CREATE FOREIGN TABLE IF NOT EXISTS sales.Orders (id int8 OPTIONS (column_name 'ID') NOT NULL, " +
		"amt numeric(15, 2) DEFAULT 0, note varchar(20) NULL) SERVER s OPTIONS (table_name 'orders')",
		&CreateForeignTable{IfNotExists: true, Table: TableName{Schema: "sales", Name: "orders", Pos: 36},
			Columns: []ColumnDef{
				{Name: "id", TypeText: "int8", Type: types.Int8, Options: []Option{opt("column_name", "ID", 67)}, NotNull: true, Pos: 50},
				{Name: "amt", TypeText: "numeric(15, 2)", Type: types.Decimal(15, 2), Default: "0", Pos: 95},
				{Name: "note", TypeText: "varchar(20)", Type: types.Text, Pos: 125}},
			Server: "s", Options: []Option{opt("table_name", "orders", 166)}}},
	{"ALTER FOREIGN TABLE IF EXISTS t ADD COLUMN c int, DROP COLUMN IF EXISTS d CASCADE, " +
		"ALTER COLUMN e OPTIONS (ADD column_name 'E'), OPTIONS (SET table_name 'x'), ALTER f TYPE text, " +
		"ALTER g SET NOT NULL, ALTER h DROP DEFAULT, ALTER i SET DEFAULT 1 + 2",
		&AlterForeignTable{IfExists: true, Table: TableName{Name: "t", Pos: 31}, Actions: []AlterTableAction{
			{Kind: AlterAddColumn, Name: "c", Column: ColumnDef{Name: "c", TypeText: "int", Type: types.Int4, Pos: 44}, Pos: 33},
			{Kind: AlterDropColumn, Name: "d", IfExists: true, Behavior: DropCascade, Pos: 51},
			{Kind: AlterColumnOptions, Name: "e", Column: ColumnDef{Name: "e"}, Options: []OptionAction{{Name: "column_name", Value: "E", Pos: 112}}, Pos: 84},
			{Kind: AlterTableOptions, Options: []OptionAction{{Action: OptionSet, Name: "table_name", Value: "x", Pos: 143}}, Pos: 130},
			{Kind: AlterColumnType, Name: "f", Column: ColumnDef{Name: "f", TypeText: "text", Type: types.Text}, Pos: 160},
			{Kind: AlterColumnSetNotNull, Name: "g", Column: ColumnDef{Name: "g"}, Pos: 179},
			{Kind: AlterColumnDropDefault, Name: "h", Column: ColumnDef{Name: "h"}, Pos: 201},
			{Kind: AlterColumnSetDefault, Name: "i", Column: ColumnDef{Name: "i", Default: "1 + 2"}, Pos: 223},
		}}},
	{"alter foreign table s.t rename column a to b",
		&AlterForeignTable{Table: TableName{Schema: "s", Name: "t", Pos: 21}, Actions: []AlterTableAction{
			{Kind: AlterRenameColumn, Name: "a", NewName: "b", Pos: 25}}}},
	{"alter foreign table t rename to u",
		&AlterForeignTable{Table: TableName{Name: "t", Pos: 21}, Actions: []AlterTableAction{
			{Kind: AlterRenameTable, NewName: "u", Pos: 23}}}},
	{"DROP FOREIGN TABLE IF EXISTS a, s.b CASCADE",
		&DropForeignTable{IfExists: true, Tables: []TableName{{Name: "a", Pos: 30}, {Schema: "s", Name: "b", Pos: 33}}, Behavior: DropCascade}},
	{"IMPORT FOREIGN SCHEMA public LIMIT TO (a, \"B\") FROM SERVER s INTO local OPTIONS (import_default 'true')",
		&ImportForeignSchema{RemoteSchema: "public", Restriction: ImportLimitTo, Tables: []string{"a", "B"},
			Server: "s", LocalSchema: "local", Options: []Option{opt("import_default", "true", 82)}}},
	{"import foreign schema r except (x) from server s into l",
		&ImportForeignSchema{RemoteSchema: "r", Restriction: ImportExcept, Tables: []string{"x"}, Server: "s", LocalSchema: "l"}},
	{"CREATE SCHEMA IF NOT EXISTS s", &CreateSchema{IfNotExists: true, Name: "s"}},
	{"create schema s authorization bob", &CreateSchema{Name: "s", Owner: &RoleSpec{Name: "bob", Pos: 31}}},
	{"DROP SCHEMA IF EXISTS a, b CASCADE", &DropSchema{IfExists: true, Names: []string{"a", "b"}, Behavior: DropCascade}},
	{"CREATE USER bob WITH PASSWORD 'secret' SUPERUSER NOLOGIN CONNECTION LIMIT 3 VALID UNTIL '2030-01-01'",
		&CreateRole{IsUser: true, Name: "bob", Options: RoleOptions{Password: sp("secret"), Superuser: bp(true),
			Login: bp(false), ConnectionLimit: ip(3), ValidUntil: sp("2030-01-01")}}},
	{"create role r nosuperuser createdb", &CreateRole{Name: "r", Options: RoleOptions{Superuser: bp(false), CreateDB: bp(true)}}},
	{"ALTER USER bob PASSWORD NULL", &AlterRole{IsUser: true, Role: RoleSpec{Name: "bob", Pos: 12}, Options: RoleOptions{PasswordNull: true}}},
	{"alter role r rename to s", &AlterRole{Role: RoleSpec{Name: "r", Pos: 12}, NewName: "s"}},
	{"DROP USER IF EXISTS a, b", &DropRole{IsUser: true, IfExists: true, Names: []string{"a", "b"}}},
	{"drop role r", &DropRole{Names: []string{"r"}}},
	{"GRANT USAGE ON FOREIGN SERVER s TO bob, PUBLIC",
		&Grant{Privileges: Privileges{Privileges: []string{"usage"}, On: GrantOnForeignServer,
			Objects: []TableName{{Name: "s", Pos: 31}}, Grantees: []RoleSpec{{Name: "bob", Pos: 36}, {Kind: RolePublic, Pos: 41}}}}},
	{"grant select, insert on foreign table s.t, u to bob with grant option",
		&Grant{Privileges: Privileges{Privileges: []string{"select", "insert"}, On: GrantOnTable,
			Objects:  []TableName{{Schema: "s", Name: "t", Pos: 39}, {Name: "u", Pos: 44}},
			Grantees: []RoleSpec{{Name: "bob", Pos: 49}}}, WithGrantOption: true}},
	{"GRANT ALL PRIVILEGES ON t TO bob",
		&Grant{Privileges: Privileges{All: true, On: GrantOnTable, Objects: []TableName{{Name: "t", Pos: 25}},
			Grantees: []RoleSpec{{Name: "bob", Pos: 30}}}}},
	{"REVOKE GRANT OPTION FOR USAGE ON FOREIGN SERVER s FROM PUBLIC CASCADE",
		&Revoke{Privileges: Privileges{Privileges: []string{"usage"}, On: GrantOnForeignServer,
			Objects: []TableName{{Name: "s", Pos: 49}}, Grantees: []RoleSpec{{Kind: RolePublic, Pos: 56}}},
			GrantOptionFor: true, Behavior: DropCascade}},
	{"revoke delete on table t from bob",
		&Revoke{Privileges: Privileges{Privileges: []string{"delete"}, On: GrantOnTable,
			Objects: []TableName{{Name: "t", Pos: 24}}, Grantees: []RoleSpec{{Name: "bob", Pos: 31}}}}},
	{"CREATE TABLE IF NOT EXISTS m (a int NOT NULL DEFAULT 1, b text)",
		&CreateTable{IfNotExists: true, Table: TableName{Name: "m", Pos: 28}, Columns: []ColumnDef{
			{Name: "a", TypeText: "int", Type: types.Int4, NotNull: true, Default: "1", Pos: 31},
			{Name: "b", TypeText: "text", Type: types.Text, Pos: 57}}}},
	{"DROP TABLE IF EXISTS m, n", &DropTable{IfExists: true, Tables: []TableName{{Name: "m", Pos: 22}, {Name: "n", Pos: 25}}}},
	{"SET threads = 4", &Set{Name: "threads", Values: []string{"4"}}},
	{"set session search_path to a, 'B'", &Set{Name: "search_path", Values: []string{"a", "B"}}},
	{"SET LOCAL medley.x TO -1", &Set{Local: true, Name: "medley.x", Values: []string{"-1"}}},
	{"set time zone 'UTC'", &Set{Name: "timezone", Values: []string{"UTC"}}},
	{"set x to default", &Set{Name: "x", Default: true}},
	{"RESET threads", &Reset{Name: "threads"}},
	{"reset all", &Reset{All: true}},
	{"SHOW threads", &Show{Name: "threads"}},
	{"show all", &Show{All: true}},
}

// setNode fills in the Node of a statement.
func setNode(st Statement, n Node) {
	reflect.ValueOf(st).Elem().FieldByName("Node").Set(reflect.ValueOf(n))
}

func TestDDL(t *testing.T) {
	for _, tt := range ddlCases {
		got, err := ParseOne(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		setNode(tt.want, node(tt.in))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

func TestCreateTableAs(t *testing.T) {
	st, err := ParseOne("create table t (a, b) as select 1, 2")
	if err != nil {
		t.Fatal(err)
	}
	ct := st.(*CreateTable)
	if len(ct.Columns) != 2 || ct.Columns[1].Name != "b" || ct.Columns[0].Type != nil {
		t.Errorf("columns = %+v", ct.Columns)
	}
	q, ok := ct.Query.(*Query)
	if !ok || q.Rewritten != "select 1, 2" || q.Pos != 26 {
		t.Errorf("query = %+v", ct.Query)
	}
	st, err = ParseOne("create table t as select a from u intersect select b from v")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.(*CreateTable).Query.(*SetOp); !ok {
		t.Errorf("query = %T", st.(*CreateTable).Query)
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		in                string
		analyze, verbose  bool
		format, rewritten string
	}{
		{"explain select 1", false, false, ExplainText, "select 1"},
		{"EXPLAIN ANALYZE VERBOSE select 1", true, true, ExplainText, "select 1"},
		{"explain (format substrait) select a::int from t", false, false, ExplainSubstrait, "select __medley_cast(a, 'int') from t"},
		{"explain (analyze, verbose false, costs off, format json) (select 1)", true, false, ExplainJSON, "(select 1)"},
	}
	for _, tt := range tests {
		st, err := ParseOne(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		e := st.(*Explain)
		q := e.Query.(*Query)
		if e.Analyze != tt.analyze || e.Verbose != tt.verbose || e.Format != tt.format || q.Rewritten != tt.rewritten {
			t.Errorf("%s: %+v %q", tt.in, e, q.Rewritten)
		}
	}
}

func TestDDLErrors(t *testing.T) {
	tests := []struct {
		in   string
		code sqlerr.Code
		pos  int
		msg  string
	}{
		{"CREATE SERVER FROM", sqlerr.SyntaxError, 15, `syntax error at or near "FROM"; expected a server name`},
		{"create server s", sqlerr.SyntaxError, 16, "syntax error at end of input; expected FOREIGN DATA WRAPPER"},
		{"create server s foreign data wrapper w options (host 5432)", sqlerr.SyntaxError, 54,
			`syntax error at or near "5432"; expected an option value in single quotes`},
		{"create server s foreign data wrapper w options (host 'x' port '1')", sqlerr.SyntaxError, 58,
			`syntax error at or near "port"; expected ","`},
		{"create server s foreign data wrapper w extra", sqlerr.SyntaxError, 40,
			`syntax error at or near "extra"; expected end of statement`},
		{"create foreign table t (a nosuchtype) server s", sqlerr.UndefinedObject, 27, `type "nosuchtype" does not exist`},
		{"create foreign table t (a int, ) server s", sqlerr.SyntaxError, 32, `syntax error at or near ")"; expected a column name`},
		{"create foreign table t (a) server s", sqlerr.SyntaxError, 26, `syntax error at or near ")"; expected a type name`},
		{"create table t (a int primary key)", sqlerr.FeatureNotSupported, 23, "column constraint PRIMARY is not supported"},
		{"create user mapping for bob", sqlerr.SyntaxError, 28, "syntax error at end of input; expected SERVER"},
		{"alter server s", sqlerr.SyntaxError, 15, "syntax error at end of input; expected VERSION, OPTIONS, RENAME TO or OWNER TO"},
		{"drop server", sqlerr.SyntaxError, 12, "syntax error at end of input; expected a server name"},
		{"grant frobnicate on t to bob", sqlerr.SyntaxError, 7,
			`syntax error at or near "frobnicate"; expected a privilege (SELECT, INSERT, UPDATE, DELETE, USAGE, ALL, ...)`},
		{"grant select on t", sqlerr.SyntaxError, 18, "syntax error at end of input; expected TO"},
		{"import foreign schema r from server s", sqlerr.SyntaxError, 38, "syntax error at end of input; expected INTO"},
		{"set x", sqlerr.SyntaxError, 6, "syntax error at end of input; expected TO or ="},
		{"explain (format yaml) select 1", sqlerr.FeatureNotSupported, 17, "EXPLAIN format YAML is not supported; use TEXT, JSON or SUBSTRAIT"},
		{"explain create server s foreign data wrapper w", sqlerr.SyntaxError, 9,
			`syntax error at or near "create"; expected a query (SELECT, WITH, VALUES, INSERT, UPDATE, DELETE)`},
		{"frob", sqlerr.SyntaxError, 1,
			`syntax error at or near "frob"; expected a statement (SELECT, INSERT, CREATE, ALTER, DROP, IMPORT, GRANT, REVOKE, SET, RESET, SHOW, EXPLAIN, ...)`},
		{"select 1;\n  create server \"\" foreign data wrapper w", sqlerr.SyntaxError, 27,
			`zero-length delimited identifier at or near "\"\""`},
		{"create user u with password", sqlerr.SyntaxError, 28, "syntax error at end of input; expected a password in single quotes or NULL"},
		{"create role r in role x", sqlerr.FeatureNotSupported, 15, "role option IN is not supported"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		checkErr(t, tt.in, err, tt.code, tt.pos, tt.msg)
	}
}

func TestParseMany(t *testing.T) {
	text := "create schema a; select 1 ;\n-- only a comment;\n show x"
	stmts, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 3 {
		t.Fatalf("got %d statements", len(stmts))
	}
	wantPos := []int{1, 18, 49}
	for k, st := range stmts {
		if st.Position() != wantPos[k] {
			t.Errorf("statement %d at %d, want %d", k, st.Position(), wantPos[k])
		}
	}
	if stmts[2].Text() != "-- only a comment;\n show x" {
		t.Errorf("text = %q", stmts[2].Text())
	}
	if _, err := ParseOne("select 1; select 2"); err == nil {
		t.Error("ParseOne of two statements: no error")
	}
	if _, err := ParseOne(" ; "); err == nil {
		t.Error("ParseOne of nothing: no error")
	}
	_ = arrow.Null
}
