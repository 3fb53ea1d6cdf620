package engine

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/sqlerr"
)

// execDDL runs one DDL, user or grant statement of the parse package as
// user and returns PostgreSQL's command tag (e.g. "CREATE SERVER"). Each
// statement is one catalog transaction: on error the catalog is unchanged.
// Notices (IF [NOT] EXISTS skips, ignored options) go to the handler of
// catalog.WithNoticeHandler(ctx, ...).
//
// CREATE TABLE ... AS query is not run here (the engine runs the query and
// calls createMemoryTable); execDDL answers it with 0A000.
func execDDL(ctx context.Context, cat *catalog.Catalog, pool *connPool, user string, stmt parse.Statement) (tag string, err error) {
	d := &ddl{cat: cat, pool: pool, user: user}
	switch s := stmt.(type) {
	case *parse.CreateForeignDataWrapper:
		return "CREATE FOREIGN DATA WRAPPER", d.createWrapper(ctx, s)
	case *parse.AlterForeignDataWrapper:
		return "ALTER FOREIGN DATA WRAPPER", d.alterWrapper(ctx, s)
	case *parse.DropForeignDataWrapper:
		return "DROP FOREIGN DATA WRAPPER", d.dropWrappers(ctx, s)
	case *parse.CreateServer:
		return "CREATE SERVER", d.createServer(ctx, s)
	case *parse.AlterServer:
		return "ALTER SERVER", d.alterServer(ctx, s)
	case *parse.DropServer:
		return "DROP SERVER", d.dropServers(ctx, s)
	case *parse.CreateUserMapping:
		return "CREATE USER MAPPING", d.createMapping(ctx, s)
	case *parse.AlterUserMapping:
		return "ALTER USER MAPPING", d.alterMapping(ctx, s)
	case *parse.DropUserMapping:
		return "DROP USER MAPPING", d.dropMapping(ctx, s)
	case *parse.CreateForeignTable:
		return "CREATE FOREIGN TABLE", d.createForeignTable(ctx, s)
	case *parse.AlterForeignTable:
		return "ALTER FOREIGN TABLE", d.alterForeignTable(ctx, s)
	case *parse.DropForeignTable:
		return "DROP FOREIGN TABLE", d.dropTables(ctx, s.Tables, s.IfExists, false)
	case *parse.ImportForeignSchema:
		return "IMPORT FOREIGN SCHEMA", d.importSchema(ctx, s)
	case *parse.CreateTable:
		return "CREATE TABLE", d.createTable(ctx, s)
	case *parse.DropTable:
		return "DROP TABLE", d.dropTables(ctx, s.Tables, s.IfExists, true)
	case *parse.CreateSchema:
		return "CREATE SCHEMA", d.createSchema(ctx, s)
	case *parse.DropSchema:
		return "DROP SCHEMA", d.dropSchemas(ctx, s)
	case *parse.CreateRole:
		return "CREATE ROLE", d.createRole(ctx, s)
	case *parse.AlterRole:
		return "ALTER ROLE", d.alterRole(ctx, s)
	case *parse.DropRole:
		return "DROP ROLE", d.dropRoles(ctx, s)
	case *parse.Grant:
		return "GRANT", d.grant(ctx, s)
	case *parse.Revoke:
		return "REVOKE", d.revoke(ctx, s)
	}
	return "", sqlerr.New(sqlerr.FeatureNotSupported, "%T is not a DDL statement", stmt)
}

// isDDL reports whether execDDL runs stmt.
func isDDL(stmt parse.Statement) bool {
	switch stmt.(type) {
	case *parse.CreateForeignDataWrapper, *parse.AlterForeignDataWrapper, *parse.DropForeignDataWrapper,
		*parse.CreateServer, *parse.AlterServer, *parse.DropServer,
		*parse.CreateUserMapping, *parse.AlterUserMapping, *parse.DropUserMapping,
		*parse.CreateForeignTable, *parse.AlterForeignTable, *parse.DropForeignTable, *parse.ImportForeignSchema,
		*parse.CreateTable, *parse.DropTable, *parse.CreateSchema, *parse.DropSchema,
		*parse.CreateRole, *parse.AlterRole, *parse.DropRole, *parse.Grant, *parse.Revoke:
		return true
	}
	return false
}

// ddl is one statement's context.
type ddl struct {
	cat  *catalog.Catalog
	pool *connPool
	user string
}

func adds(opts []parse.Option) []catalog.OptionChange {
	out := make([]catalog.OptionChange, len(opts))
	for i, o := range opts {
		out[i] = catalog.OptionChange{Action: catalog.OptionAdd, Name: o.Name, Value: o.Value}
	}
	return out
}

func changes(acts []parse.OptionAction) []catalog.OptionChange {
	out := make([]catalog.OptionChange, len(acts))
	for i, a := range acts {
		act := catalog.OptionAdd
		switch a.Action {
		case parse.OptionSet:
			act = catalog.OptionSet
		case parse.OptionDrop:
			act = catalog.OptionDrop
		}
		out[i] = catalog.OptionChange{Action: act, Name: a.Name, Value: a.Value}
	}
	return out
}

// role resolves a role specification: CURRENT_USER and SESSION_USER are
// the statement's user, PUBLIC is catalog.Public.
func (d *ddl) role(r parse.RoleSpec) string {
	switch r.Kind {
	case parse.RoleCurrentUser, parse.RoleSessionUser:
		return d.user
	case parse.RolePublic:
		return catalog.Public
	}
	return r.Name
}

func (d *ddl) rolePtr(r *parse.RoleSpec) *string {
	if r == nil {
		return nil
	}
	s := d.role(*r)
	return &s
}

func strPtr(s string, given bool) *string {
	if !given {
		return nil
	}
	return &s
}

func (d *ddl) createWrapper(ctx context.Context, s *parse.CreateForeignDataWrapper) error {
	return atOption(d.cat.CreateWrapper(ctx, d.user, catalog.WrapperDef{Name: s.Name,
		Handler: strPtr(s.Handler, s.Handler != ""), Validator: strPtr(s.Validator, s.Validator != ""), Options: adds(s.Options)}),
		s.Options, nil)
}

func (d *ddl) alterWrapper(ctx context.Context, s *parse.AlterForeignDataWrapper) error {
	err := d.cat.AlterWrapper(ctx, d.user, catalog.WrapperDef{Name: s.Name,
		Handler: strPtr(s.Handler, s.SetHandler), Validator: strPtr(s.Validator, s.SetValidator),
		Options: changes(s.Options), NewName: strPtr(s.NewName, s.NewName != ""), NewOwner: d.rolePtr(s.NewOwner)})
	if err == nil {
		d.pool.prune(ctx)
	}
	return atOption(err, nil, s.Options)
}

func (d *ddl) dropWrappers(ctx context.Context, s *parse.DropForeignDataWrapper) error {
	dropped, err := d.cat.DropWrappers(ctx, d.user, s.Names, s.IfExists, s.Behavior == parse.DropCascade)
	if err != nil {
		return err
	}
	d.pool.prune(ctx)
	return d.forgetMemoryTables(ctx, dropped)
}

func (d *ddl) createServer(ctx context.Context, s *parse.CreateServer) error {
	return atOption(d.cat.CreateServer(ctx, d.user, catalog.ServerDef{Name: s.Name, Wrapper: s.Wrapper, Type: s.Type,
		Version: strPtr(s.Version, s.Version != ""), Options: adds(s.Options), IfNotExists: s.IfNotExists}), s.Options, nil)
}

func (d *ddl) alterServer(ctx context.Context, s *parse.AlterServer) error {
	err := d.cat.AlterServer(ctx, d.user, catalog.ServerDef{Name: s.Name, Version: strPtr(s.Version, s.SetVersion),
		Options: changes(s.Options), NewName: strPtr(s.NewName, s.NewName != ""), NewOwner: d.rolePtr(s.NewOwner)})
	if err != nil {
		return atOption(err, nil, s.Options)
	}
	if s.NewName != "" {
		d.pool.rename(s.Name, s.NewName)
	} else {
		d.pool.invalidate(s.Name, false)
	}
	return nil
}

func (d *ddl) dropServers(ctx context.Context, s *parse.DropServer) error {
	_, err := d.cat.DropServers(ctx, d.user, s.Names, s.IfExists, s.Behavior == parse.DropCascade)
	if err != nil {
		return err
	}
	// Closing a dropped server's connections frees its memory tables too.
	for _, name := range s.Names {
		d.pool.invalidate(name, true)
	}
	return nil
}

func (d *ddl) createMapping(ctx context.Context, s *parse.CreateUserMapping) error {
	return atOption(d.cat.CreateUserMapping(ctx, d.user, catalog.MappingDef{Server: s.Server, User: d.role(s.User),
		Options: adds(s.Options), IfNotExists: s.IfNotExists}), s.Options, nil)
}

func (d *ddl) alterMapping(ctx context.Context, s *parse.AlterUserMapping) error {
	err := d.cat.AlterUserMapping(ctx, d.user, catalog.MappingDef{Server: s.Server, User: d.role(s.User),
		Options: changes(s.Options)})
	if err == nil {
		d.pool.invalidate(s.Server, false)
	}
	return atOption(err, nil, s.Options)
}

func (d *ddl) dropMapping(ctx context.Context, s *parse.DropUserMapping) error {
	err := d.cat.DropUserMapping(ctx, d.user, catalog.MappingDef{Server: s.Server, User: d.role(s.User), IfExists: s.IfExists})
	if err == nil {
		d.pool.invalidate(s.Server, false)
	}
	return err
}

func (d *ddl) createSchema(ctx context.Context, s *parse.CreateSchema) error {
	def := catalog.SchemaDef{Name: s.Name, IfNotExists: s.IfNotExists}
	if s.Owner != nil {
		def.Authorization = d.role(*s.Owner)
	}
	return d.cat.CreateSchema(ctx, d.user, def)
}

func (d *ddl) dropSchemas(ctx context.Context, s *parse.DropSchema) error {
	dropped, err := d.cat.DropSchemas(ctx, d.user, s.Names, s.IfExists, s.Behavior == parse.DropCascade)
	if err != nil {
		return err
	}
	return d.forgetMemoryTables(ctx, dropped)
}

func notice(ctx context.Context, format string, args ...any) {
	catalog.SendNotice(ctx, catalog.Notice{Code: sqlerr.SuccessfulCompletion, Message: fmt.Sprintf(format, args...)})
}

var optionInMessage = regexp.MustCompile(`option "([^"]+)"`)

// atOption gives an error about an option the position of that option in
// the statement text (when the error has none), for the CLI's caret.
func atOption(err error, opts []parse.Option, acts []parse.OptionAction) error {
	var e *sqlerr.Error
	if err == nil || !errors.As(err, &e) || e.Position != 0 {
		return err
	}
	m := optionInMessage.FindStringSubmatch(e.Message)
	if m == nil {
		return err
	}
	for _, o := range opts {
		if o.Name == m[1] && o.Pos > 0 {
			e.Position = o.Pos
			return err
		}
	}
	for _, a := range acts {
		if a.Name == m[1] && a.Pos > 0 {
			e.Position = a.Pos
			return err
		}
	}
	return err
}
