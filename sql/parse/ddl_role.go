package parse

import (
	"strconv"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// This file parses users, roles, GRANT and REVOKE.

func (p *parser) createRole(isUser bool) (Statement, error) {
	n := &CreateRole{Node: p.node(), IsUser: isUser}
	var err error
	if n.Name, _, err = p.ident("a role name"); err != nil {
		return nil, err
	}
	if err = p.roleOptions(&n.Options); err != nil {
		return nil, err
	}
	return n, p.end()
}

func (p *parser) alterRole(isUser bool) (Statement, error) {
	n := &AlterRole{Node: p.node(), IsUser: isUser}
	var err error
	if n.Role, err = p.roleSpec(false); err != nil {
		return nil, err
	}
	if p.accept("rename", "to") {
		if n.NewName, _, err = p.ident("a new role name"); err != nil {
			return nil, err
		}
		return n, p.end()
	}
	if p.peek().kind == tEOF {
		return nil, p.fail("role options or RENAME TO")
	}
	if err = p.roleOptions(&n.Options); err != nil {
		return nil, err
	}
	return n, p.end()
}

// roleFlags are the yes/no role options: NAME / NONAME.
var roleFlags = map[string]func(*RoleOptions) **bool{
	"superuser":  func(o *RoleOptions) **bool { return &o.Superuser },
	"login":      func(o *RoleOptions) **bool { return &o.Login },
	"createdb":   func(o *RoleOptions) **bool { return &o.CreateDB },
	"createrole": func(o *RoleOptions) **bool { return &o.CreateRole },
	"inherit":    func(o *RoleOptions) **bool { return &o.Inherit },
}

// roleOptions reads [WITH] option [...] up to the end of the statement.
func (p *parser) roleOptions(o *RoleOptions) error {
	p.accept("with")
	for p.peek().kind != tEOF {
		t := p.peek()
		if t.kind != tWord {
			return p.fail("a role option")
		}
		word := t.text
		if f, ok := roleFlags[word]; ok {
			p.i++
			v := true
			*f(o) = &v
			continue
		}
		if f, ok := roleFlags[strings.TrimPrefix(word, "no")]; ok && strings.HasPrefix(word, "no") {
			p.i++
			v := false
			*f(o) = &v
			continue
		}
		if err := p.roleValueOption(o); err != nil {
			return err
		}
	}
	return nil
}

// roleValueOption reads PASSWORD, CONNECTION LIMIT or VALID UNTIL.
func (p *parser) roleValueOption(o *RoleOptions) error {
	t := p.peek()
	switch {
	case p.accept("encrypted", "password"), p.accept("password"):
		if p.accept("null") {
			o.PasswordNull, o.Password = true, nil
			return nil
		}
		s, err := p.str("a password in single quotes or NULL")
		if err != nil {
			return err
		}
		o.Password = &s
	case p.accept("connection", "limit"):
		nt := p.peek()
		neg := p.acceptOp("-")
		if p.peek().kind != tNumber {
			return p.fail("a number")
		}
		v, err := strconv.Atoi(p.advance().text)
		if err != nil {
			return p.failAt(nt, "an integer")
		}
		if neg {
			v = -v
		}
		o.ConnectionLimit = &v
	case p.accept("valid", "until"):
		s, err := p.str("a timestamp in single quotes")
		if err != nil {
			return err
		}
		o.ValidUntil = &s
	case t.is("replication") || t.is("noreplication") || t.is("bypassrls") || t.is("nobypassrls") ||
		t.is("in") || t.is("role") || t.is("admin") || t.is("sysid") || t.is("user"):
		return sqlerr.At(sqlerr.FeatureNotSupported, p.pos(t), "role option %s is not supported", strings.ToUpper(t.text))
	default:
		return p.fail("a role option (SUPERUSER, NOSUPERUSER, LOGIN, NOLOGIN, CREATEDB, CREATEROLE, INHERIT, PASSWORD, CONNECTION LIMIT, VALID UNTIL)")
	}
	return nil
}

// privilegeWords are the privileges GRANT and REVOKE know.
var privilegeWords = map[string]bool{"select": true, "insert": true, "update": true, "delete": true,
	"usage": true, "create": true, "truncate": true, "references": true, "trigger": true}

func (p *parser) grant() (Statement, error) {
	p.advance() // GRANT
	n := &Grant{Node: p.node()}
	if err := p.privileges(&n.Privileges, "to"); err != nil {
		return nil, err
	}
	if p.accept("with", "grant", "option") {
		n.WithGrantOption = true
	}
	return n, p.end()
}

func (p *parser) revoke() (Statement, error) {
	p.advance() // REVOKE
	n := &Revoke{Node: p.node(), GrantOptionFor: p.accept("grant", "option", "for")}
	if err := p.privileges(&n.Privileges, "from"); err != nil {
		return nil, err
	}
	n.Behavior = p.dropBehavior()
	return n, p.end()
}

// privileges reads privileges ON objects TO|FROM grantees.
func (p *parser) privileges(pr *Privileges, toFrom string) error {
	if p.accept("all") {
		pr.All = true
		p.accept("privileges")
	} else {
		for {
			t := p.peek()
			if t.kind != tWord || !privilegeWords[t.text] {
				return p.fail("a privilege (SELECT, INSERT, UPDATE, DELETE, USAGE, ALL, ...)")
			}
			p.i++
			if p.peek().isOp("(") {
				return sqlerr.At(sqlerr.FeatureNotSupported, p.pos(p.peek()), "column privileges are not supported")
			}
			pr.Privileges = append(pr.Privileges, t.text)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if err := p.expect("on"); err != nil {
		return err
	}
	if err := p.grantObjects(pr); err != nil {
		return err
	}
	if err := p.expect(toFrom); err != nil {
		return err
	}
	for {
		p.accept("group")
		r, err := p.roleSpec(true)
		if err != nil {
			return err
		}
		pr.Grantees = append(pr.Grantees, r)
		if !p.acceptOp(",") {
			return nil
		}
	}
}

// grantObjects reads the objects after ON.
func (p *parser) grantObjects(pr *Privileges) error {
	var what string
	switch {
	case p.accept("foreign", "server"):
		pr.On, what = GrantOnForeignServer, "a server name"
	case p.accept("foreign", "data", "wrapper"):
		pr.On, what = GrantOnForeignDataWrapper, "a foreign-data wrapper name"
	case p.accept("schema"):
		pr.On, what = GrantOnSchema, "a schema name"
	default:
		if p.peek().is("all") && p.peekN(1).is("tables") {
			return sqlerr.At(sqlerr.FeatureNotSupported, p.pos(p.peek()), "ALL TABLES IN SCHEMA is not supported")
		}
		p.accept("foreign")
		p.accept("table")
		pr.On = GrantOnTable
		objs, err := p.tableNames("a table name")
		pr.Objects = objs
		return err
	}
	for {
		n, t, err := p.ident(what)
		if err != nil {
			return err
		}
		pr.Objects = append(pr.Objects, TableName{Name: n, Pos: p.pos(t)})
		if !p.acceptOp(",") {
			return nil
		}
	}
}
