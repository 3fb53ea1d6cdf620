package engine

import (
	"context"
	"strings"

	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/sqlerr"
)

// userDef turns role options into a catalog definition; options Medley
// does not keep (CREATEDB, CREATEROLE, INHERIT, CONNECTION LIMIT, VALID
// UNTIL) are accepted with a notice.
func userDef(ctx context.Context, name string, o parse.RoleOptions) catalog.UserDef {
	def := catalog.UserDef{Name: name, Password: o.Password, Superuser: o.Superuser, CanLogin: o.Login}
	if o.PasswordNull {
		def.Password = new(string)
	}
	var ignored []string
	if o.CreateDB != nil {
		ignored = append(ignored, "CREATEDB")
	}
	if o.CreateRole != nil {
		ignored = append(ignored, "CREATEROLE")
	}
	if o.Inherit != nil {
		ignored = append(ignored, "INHERIT")
	}
	if o.ConnectionLimit != nil {
		ignored = append(ignored, "CONNECTION LIMIT")
	}
	if o.ValidUntil != nil {
		ignored = append(ignored, "VALID UNTIL")
	}
	if len(ignored) > 0 {
		notice(ctx, "Medley ignores the role options %s", strings.Join(ignored, ", "))
	}
	return def
}

func (d *ddl) createRole(ctx context.Context, s *parse.CreateRole) error {
	def := userDef(ctx, s.Name, s.Options)
	if def.CanLogin == nil {
		login := s.IsUser // CREATE USER implies LOGIN, CREATE ROLE NOLOGIN
		def.CanLogin = &login
	}
	return d.cat.CreateUser(ctx, d.user, def)
}

func (d *ddl) alterRole(ctx context.Context, s *parse.AlterRole) error {
	if s.NewName != "" {
		return sqlerr.At(sqlerr.FeatureNotSupported, s.Pos, "ALTER ROLE ... RENAME TO is not supported")
	}
	return d.cat.AlterUser(ctx, d.user, userDef(ctx, d.role(s.Role), s.Options))
}

func (d *ddl) dropRoles(ctx context.Context, s *parse.DropRole) error {
	return d.cat.DropUsers(ctx, d.user, s.Names, s.IfExists)
}

func (d *ddl) grantDef(p parse.Privileges) (catalog.GrantDef, error) {
	var g catalog.GrantDef
	switch p.On {
	case parse.GrantOnTable:
		g.Kind = catalog.KindTable
		for _, t := range p.Objects {
			n := tableName(t)
			if n.Schema == "" {
				n.Schema = catalog.DefaultSchema
			}
			g.Tables = append(g.Tables, n)
		}
	case parse.GrantOnForeignServer, parse.GrantOnForeignDataWrapper, parse.GrantOnSchema:
		g.Kind = map[parse.GrantObjectKind]catalog.ObjectKind{parse.GrantOnForeignServer: catalog.KindServer,
			parse.GrantOnForeignDataWrapper: catalog.KindWrapper, parse.GrantOnSchema: catalog.KindSchema}[p.On]
		for _, t := range p.Objects {
			g.Names = append(g.Names, t.Name)
		}
	default:
		return g, sqlerr.New(sqlerr.FeatureNotSupported, "privileges on this kind of object are not supported")
	}
	if !p.All {
		for _, pr := range p.Privileges {
			g.Privileges = append(g.Privileges, catalog.Privilege(strings.ToUpper(pr)))
		}
	}
	for _, r := range p.Grantees {
		g.Grantees = append(g.Grantees, d.role(r))
	}
	return g, nil
}

func (d *ddl) grant(ctx context.Context, s *parse.Grant) error {
	if s.WithGrantOption {
		return sqlerr.At(sqlerr.FeatureNotSupported, s.Pos, "WITH GRANT OPTION is not supported: only owners grant")
	}
	g, err := d.grantDef(s.Privileges)
	if err != nil {
		return err
	}
	return d.cat.Grant(ctx, d.user, g)
}

func (d *ddl) revoke(ctx context.Context, s *parse.Revoke) error {
	if s.GrantOptionFor {
		return sqlerr.At(sqlerr.FeatureNotSupported, s.Pos, "GRANT OPTION FOR is not supported: only owners grant")
	}
	g, err := d.grantDef(s.Privileges)
	if err != nil {
		return err
	}
	return d.cat.Revoke(ctx, d.user, g)
}
