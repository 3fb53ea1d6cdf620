package parse

import "github.com/apache/arrow-go/v18/arrow"

// This file is the AST of the statements Medley parses itself: SQL/MED DDL,
// schemas, memory tables, roles, grants and session statements. Names are
// already case-folded as PostgreSQL does (unquoted → lower case, "Quoted"
// kept). Every node records Pos, the 1-based byte offset of its first token
// in the text given to Parse.

// Node is embedded in every statement.
type Node struct {
	// Source is the statement's text as written, without the ending ';'.
	Source string
	// Pos is the 1-based byte offset of the statement's first token.
	Pos int
}

// Text returns the statement's source text.
func (n *Node) Text() string { return n.Source }

// Position returns the 1-based byte offset of the statement.
func (n *Node) Position() int { return n.Pos }

// Option is one `name 'value'` item of an OPTIONS (...) clause.
type Option struct {
	Name, Value string
	Pos         int
}

// OptionActionKind says what an ALTER ... OPTIONS item does.
type OptionActionKind int

// The actions of ALTER ... OPTIONS (...); ADD is the default, as PostgreSQL.
const (
	OptionAdd OptionActionKind = iota
	OptionSet
	OptionDrop
)

func (k OptionActionKind) String() string {
	return [...]string{"ADD", "SET", "DROP"}[k]
}

// OptionAction is one item of ALTER ... OPTIONS (ADD|SET|DROP ...). Value is
// empty for DROP.
type OptionAction struct {
	Action      OptionActionKind
	Name, Value string
	Pos         int
}

// DropBehavior is RESTRICT (the default) or CASCADE.
type DropBehavior int

// Drop behaviours.
const (
	DropRestrict DropBehavior = iota
	DropCascade
)

// TableName is a possibly schema-qualified table name; Schema is "" when
// not written.
type TableName struct {
	Schema, Name string
	Pos          int
}

// RoleKind tells a named role from the special role specifications.
type RoleKind int

// Role specifications. USER and CURRENT_USER (and CURRENT_ROLE) are
// RoleCurrentUser.
const (
	RoleNamed RoleKind = iota
	RoleCurrentUser
	RoleSessionUser
	RolePublic
)

// RoleSpec is a user or role as written in FOR ..., TO ..., OWNER TO ...;
// Name is set for RoleNamed only.
type RoleSpec struct {
	Kind RoleKind
	Name string
	Pos  int
}

// ColumnDef is a column of CREATE [FOREIGN] TABLE or ALTER ... ADD COLUMN.
type ColumnDef struct {
	Name string
	// TypeText is the type as written (e.g. "varchar(25)"); Type is what
	// sql/types.Parse made of it.
	TypeText string
	Type     arrow.DataType
	Options  []Option // foreign tables only
	NotNull  bool
	// Default is the DEFAULT expression's source text, "" when absent.
	Default string
	Pos     int
}

// CreateForeignDataWrapper is CREATE FOREIGN DATA WRAPPER.
type CreateForeignDataWrapper struct {
	Node
	Name string
	// Handler and Validator are the function names, "" when absent or
	// written NO HANDLER / NO VALIDATOR.
	Handler, Validator string
	Options            []Option
}

// AlterForeignDataWrapper is ALTER FOREIGN DATA WRAPPER: the HANDLER,
// VALIDATOR and OPTIONS form, or RENAME TO, or OWNER TO.
type AlterForeignDataWrapper struct {
	Node
	Name string
	// SetHandler is true when a HANDLER or NO HANDLER clause was given;
	// Handler is "" for NO HANDLER. The same for the validator.
	SetHandler, SetValidator bool
	Handler, Validator       string
	Options                  []OptionAction
	NewName                  string    // RENAME TO
	NewOwner                 *RoleSpec // OWNER TO
}

// DropForeignDataWrapper is DROP FOREIGN DATA WRAPPER.
type DropForeignDataWrapper struct {
	Node
	IfExists bool
	Names    []string
	Behavior DropBehavior
}

// CreateServer is CREATE SERVER.
type CreateServer struct {
	Node
	IfNotExists                  bool
	Name, Type, Version, Wrapper string
	Options                      []Option
}

// AlterServer is ALTER SERVER: [VERSION '...'] [OPTIONS (...)], or
// RENAME TO, or OWNER TO.
type AlterServer struct {
	Node
	Name       string
	SetVersion bool // VERSION given
	Version    string
	Options    []OptionAction
	NewName    string    // RENAME TO
	NewOwner   *RoleSpec // OWNER TO
}

// DropServer is DROP SERVER.
type DropServer struct {
	Node
	IfExists bool
	Names    []string
	Behavior DropBehavior
}

// CreateUserMapping is CREATE USER MAPPING.
type CreateUserMapping struct {
	Node
	IfNotExists bool
	User        RoleSpec
	Server      string
	Options     []Option
}

// AlterUserMapping is ALTER USER MAPPING ... OPTIONS (...).
type AlterUserMapping struct {
	Node
	User    RoleSpec
	Server  string
	Options []OptionAction
}

// DropUserMapping is DROP USER MAPPING.
type DropUserMapping struct {
	Node
	IfExists bool
	User     RoleSpec
	Server   string
}

// CreateForeignTable is CREATE FOREIGN TABLE.
type CreateForeignTable struct {
	Node
	IfNotExists bool
	Table       TableName
	Columns     []ColumnDef
	Server      string
	Options     []Option
}

// AlterTableKind is what one ALTER [FOREIGN] TABLE action does.
type AlterTableKind int

// ALTER FOREIGN TABLE actions.
const (
	AlterAddColumn         AlterTableKind = iota // ADD [COLUMN] [IF NOT EXISTS] Column
	AlterDropColumn                              // DROP [COLUMN] [IF EXISTS] Name [Behavior]
	AlterRenameColumn                            // RENAME [COLUMN] Name TO NewName
	AlterRenameTable                             // RENAME TO NewName
	AlterSetSchema                               // SET SCHEMA NewName
	AlterColumnOptions                           // ALTER [COLUMN] Name OPTIONS (Options)
	AlterColumnType                              // ALTER [COLUMN] Name [SET DATA] TYPE Column.TypeText
	AlterColumnSetNotNull                        // ALTER [COLUMN] Name SET NOT NULL
	AlterColumnDropNotNull                       // ALTER [COLUMN] Name DROP NOT NULL
	AlterColumnSetDefault                        // ALTER [COLUMN] Name SET DEFAULT Column.Default
	AlterColumnDropDefault                       // ALTER [COLUMN] Name DROP DEFAULT
	AlterTableOptions                            // OPTIONS (Options)
	AlterOwner                                   // OWNER TO Owner
)

// AlterTableAction is one action of ALTER FOREIGN TABLE.
type AlterTableAction struct {
	Kind AlterTableKind
	// Name is the column acted on; NewName the new column, table or
	// schema name.
	Name, NewName         string
	Column                ColumnDef // ADD COLUMN; TYPE and DEFAULT use its fields
	IfExists, IfNotExists bool
	Behavior              DropBehavior
	Options               []OptionAction
	Owner                 *RoleSpec
	Pos                   int
}

// AlterForeignTable is ALTER FOREIGN TABLE with one or more actions (the
// RENAME forms take exactly one).
type AlterForeignTable struct {
	Node
	IfExists bool
	Table    TableName
	Actions  []AlterTableAction
}

// DropForeignTable is DROP FOREIGN TABLE.
type DropForeignTable struct {
	Node
	IfExists bool
	Tables   []TableName
	Behavior DropBehavior
}

// ImportRestriction is IMPORT FOREIGN SCHEMA's table filter.
type ImportRestriction int

// Import restrictions.
const (
	ImportAll ImportRestriction = iota
	ImportLimitTo
	ImportExcept
)

// ImportForeignSchema is IMPORT FOREIGN SCHEMA.
type ImportForeignSchema struct {
	Node
	RemoteSchema string
	Restriction  ImportRestriction
	Tables       []string // of LIMIT TO / EXCEPT
	Server       string
	LocalSchema  string
	Options      []Option
}

// CreateSchema is CREATE SCHEMA [IF NOT EXISTS] name [AUTHORIZATION role].
type CreateSchema struct {
	Node
	IfNotExists bool
	Name        string
	Owner       *RoleSpec
}

// DropSchema is DROP SCHEMA.
type DropSchema struct {
	Node
	IfExists bool
	Names    []string
	Behavior DropBehavior
}

// RoleOptions are the options of CREATE/ALTER USER|ROLE; nil means not
// given.
type RoleOptions struct {
	Password        *string // PASSWORD 'x'
	PasswordNull    bool    // PASSWORD NULL
	Superuser       *bool   // SUPERUSER / NOSUPERUSER
	Login           *bool   // LOGIN / NOLOGIN
	CreateDB        *bool   // CREATEDB / NOCREATEDB
	CreateRole      *bool   // CREATEROLE / NOCREATEROLE
	Inherit         *bool   // INHERIT / NOINHERIT
	ConnectionLimit *int    // CONNECTION LIMIT n
	ValidUntil      *string // VALID UNTIL 'timestamp'
}

// CreateRole is CREATE USER or CREATE ROLE (IsUser tells which: a user
// has LOGIN unless NOLOGIN is given, as PostgreSQL).
type CreateRole struct {
	Node
	IsUser  bool
	Name    string
	Options RoleOptions
}

// AlterRole is ALTER USER|ROLE name [WITH] options, or RENAME TO.
type AlterRole struct {
	Node
	IsUser  bool
	Role    RoleSpec
	Options RoleOptions
	NewName string // RENAME TO
}

// DropRole is DROP USER|ROLE [IF EXISTS] name [, ...].
type DropRole struct {
	Node
	IsUser   bool
	IfExists bool
	Names    []string
}

// GrantObjectKind is what a GRANT or REVOKE is on.
type GrantObjectKind int

// Objects of privileges.
const (
	GrantOnTable GrantObjectKind = iota // [FOREIGN] [TABLE] t
	GrantOnForeignServer
	GrantOnForeignDataWrapper
	GrantOnSchema
)

// Privileges is the part GRANT and REVOKE share.
type Privileges struct {
	// All is ALL [PRIVILEGES]; otherwise Privileges lists them in lower
	// case: "select", "insert", "update", "delete", "usage", "create".
	All        bool
	Privileges []string
	On         GrantObjectKind
	// Objects are the tables (with optional schema), or the servers,
	// wrappers or schemas (in Name).
	Objects  []TableName
	Grantees []RoleSpec
}

// Grant is GRANT privileges ON objects TO roles [WITH GRANT OPTION].
type Grant struct {
	Node
	Privileges
	WithGrantOption bool
}

// Revoke is REVOKE [GRANT OPTION FOR] privileges ON objects FROM roles
// [CASCADE|RESTRICT].
type Revoke struct {
	Node
	Privileges
	GrantOptionFor bool
	Behavior       DropBehavior
}

// CreateTable is CREATE TABLE for memory tables: with columns, or AS a
// query (Query is then set and Columns holds only the optional column
// names, with no types).
type CreateTable struct {
	Node
	IfNotExists bool
	Table       TableName
	Columns     []ColumnDef
	Query       Statement // *Query or *SetOp, for CREATE TABLE ... AS
}

// DropTable is DROP TABLE.
type DropTable struct {
	Node
	IfExists bool
	Tables   []TableName
	Behavior DropBehavior
}

// Set is SET [SESSION|LOCAL] name {=|TO} value [, ...] | DEFAULT. Values
// are the items as text: strings without their quotes, numbers and
// words as written (words lower-cased). SET TIME ZONE x sets "timezone".
type Set struct {
	Node
	Local   bool
	Name    string
	Values  []string
	Default bool
}

// Reset is RESET name | ALL.
type Reset struct {
	Node
	Name string
	All  bool
}

// Show is SHOW name | ALL.
type Show struct {
	Node
	Name string
	All  bool
}

// Explain formats.
const (
	ExplainText      = "text"
	ExplainJSON      = "json"
	ExplainSubstrait = "substrait"
)

// Explain is EXPLAIN [ANALYZE] [VERBOSE] query or EXPLAIN (option [value],
// ...) query, with options ANALYZE, VERBOSE, COSTS (accepted, ignored) and
// FORMAT TEXT|JSON|SUBSTRAIT.
type Explain struct {
	Node
	Analyze, Verbose bool
	Format           string    // ExplainText unless given
	Query            Statement // *Query or *SetOp
}
