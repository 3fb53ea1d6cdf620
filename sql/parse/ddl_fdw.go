package parse

// This file parses the wrapper, server and user mapping statements and the
// CREATE/ALTER/DROP dispatch.

func (p *parser) create() (Statement, error) {
	p.advance() // CREATE
	switch {
	case p.accept("foreign", "data", "wrapper"):
		return p.createWrapper()
	case p.accept("server"):
		return p.createServer()
	case p.accept("user", "mapping"):
		return p.createUserMapping()
	case p.accept("foreign", "table"):
		return p.createForeignTable()
	case p.accept("schema"):
		return p.createSchema()
	case p.accept("user"):
		return p.createRole(true)
	case p.accept("role"):
		return p.createRole(false)
	case p.accept("table"):
		return p.createTable()
	}
	return nil, p.fail("FOREIGN DATA WRAPPER, SERVER, USER MAPPING, FOREIGN TABLE, SCHEMA, USER, ROLE or TABLE")
}

func (p *parser) alter() (Statement, error) {
	p.advance() // ALTER
	switch {
	case p.accept("foreign", "data", "wrapper"):
		return p.alterWrapper()
	case p.accept("server"):
		return p.alterServer()
	case p.accept("user", "mapping"):
		return p.alterUserMapping()
	case p.accept("foreign", "table"):
		return p.alterForeignTable()
	case p.accept("user"):
		return p.alterRole(true)
	case p.accept("role"):
		return p.alterRole(false)
	}
	return nil, p.fail("FOREIGN DATA WRAPPER, SERVER, USER MAPPING, FOREIGN TABLE, USER or ROLE")
}

func (p *parser) drop() (Statement, error) {
	p.advance() // DROP
	switch {
	case p.accept("foreign", "data", "wrapper"):
		n := &DropForeignDataWrapper{Node: p.node(), IfExists: p.ifExists()}
		return n, p.dropNames(&n.Names, &n.Behavior, "a foreign-data wrapper name")
	case p.accept("server"):
		n := &DropServer{Node: p.node(), IfExists: p.ifExists()}
		return n, p.dropNames(&n.Names, &n.Behavior, "a server name")
	case p.accept("user", "mapping"):
		return p.dropUserMapping()
	case p.accept("foreign", "table"):
		n := &DropForeignTable{Node: p.node(), IfExists: p.ifExists()}
		return n, p.dropTables(&n.Tables, &n.Behavior)
	case p.accept("table"):
		n := &DropTable{Node: p.node(), IfExists: p.ifExists()}
		return n, p.dropTables(&n.Tables, &n.Behavior)
	case p.accept("schema"):
		n := &DropSchema{Node: p.node(), IfExists: p.ifExists()}
		return n, p.dropNames(&n.Names, &n.Behavior, "a schema name")
	case p.accept("user"), p.accept("role"):
		isUser := p.toks[p.i-1].is("user")
		n := &DropRole{Node: p.node(), IsUser: isUser, IfExists: p.ifExists()}
		var err error
		if n.Names, err = p.identList("a role name"); err != nil {
			return nil, err
		}
		return n, p.end()
	}
	return nil, p.fail("FOREIGN DATA WRAPPER, SERVER, USER MAPPING, FOREIGN TABLE, TABLE, SCHEMA, USER or ROLE")
}

// dropNames reads name [, ...] [CASCADE|RESTRICT] and the end.
func (p *parser) dropNames(names *[]string, b *DropBehavior, what string) error {
	var err error
	if *names, err = p.identList(what); err != nil {
		return err
	}
	*b = p.dropBehavior()
	return p.end()
}

func (p *parser) dropTables(tables *[]TableName, b *DropBehavior) error {
	var err error
	if *tables, err = p.tableNames("a table name"); err != nil {
		return err
	}
	*b = p.dropBehavior()
	return p.end()
}

// options reads OPTIONS ( name 'value' [, ...] ) if it comes next.
func (p *parser) options() ([]Option, error) {
	if !p.accept("options") {
		return nil, nil
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var out []Option
	for {
		n, t, err := p.optionName()
		if err != nil {
			return nil, err
		}
		v, err := p.str("an option value in single quotes")
		if err != nil {
			return nil, err
		}
		out = append(out, Option{Name: n, Value: v, Pos: p.pos(t)})
		if p.acceptOp(")") {
			return out, nil
		}
		if err := p.expectOp(","); err != nil {
			return nil, err
		}
	}
}

// optionName reads an option name: any word, keywords included, as
// PostgreSQL's generic options.
func (p *parser) optionName() (string, token, error) {
	t := p.peek()
	if t.kind == tWord || t.kind == tQIdent {
		p.i++
		return t.text, t, nil
	}
	return "", t, p.fail("an option name")
}

// alterOptions reads OPTIONS ( [ADD|SET|DROP] name ['value'] [, ...] ) if
// it comes next.
func (p *parser) alterOptions() ([]OptionAction, error) {
	if !p.accept("options") {
		return nil, nil
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var out []OptionAction
	for {
		a := OptionAction{Action: OptionAdd}
		t := p.peek()
		if next := p.peekN(1); (t.is("add") || t.is("set") || t.is("drop")) && (next.kind == tWord || next.kind == tQIdent) {
			a.Action = map[string]OptionActionKind{"add": OptionAdd, "set": OptionSet, "drop": OptionDrop}[t.text]
			p.i++
		}
		n, nt, err := p.optionName()
		if err != nil {
			return nil, err
		}
		a.Name, a.Pos = n, p.pos(nt)
		if a.Action != OptionDrop {
			if a.Value, err = p.str("an option value in single quotes"); err != nil {
				return nil, err
			}
		}
		out = append(out, a)
		if p.acceptOp(")") {
			return out, nil
		}
		if err := p.expectOp(","); err != nil {
			return nil, err
		}
	}
}

// handlerClauses reads [HANDLER f | NO HANDLER] [VALIDATOR f | NO VALIDATOR]
// in any order.
func (p *parser) handlerClauses(h, v *string, setH, setV *bool) error {
	for {
		var err error
		switch {
		case p.accept("handler"):
			*setH = true
			*h, _, err = p.ident("a handler function name")
		case p.accept("no", "handler"):
			*setH, *h = true, ""
		case p.accept("validator"):
			*setV = true
			*v, _, err = p.ident("a validator function name")
		case p.accept("no", "validator"):
			*setV, *v = true, ""
		default:
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (p *parser) createWrapper() (Statement, error) {
	n := &CreateForeignDataWrapper{Node: p.node()}
	var err error
	if n.Name, _, err = p.ident("a foreign-data wrapper name"); err != nil {
		return nil, err
	}
	var setH, setV bool
	if err = p.handlerClauses(&n.Handler, &n.Validator, &setH, &setV); err != nil {
		return nil, err
	}
	if n.Options, err = p.options(); err != nil {
		return nil, err
	}
	return n, p.end()
}

func (p *parser) alterWrapper() (Statement, error) {
	n := &AlterForeignDataWrapper{Node: p.node()}
	var err error
	if n.Name, _, err = p.ident("a foreign-data wrapper name"); err != nil {
		return nil, err
	}
	if done, err := p.renameOrOwner(&n.NewName, &n.NewOwner); done || err != nil {
		return n, err
	}
	if err = p.handlerClauses(&n.Handler, &n.Validator, &n.SetHandler, &n.SetValidator); err != nil {
		return nil, err
	}
	if n.Options, err = p.alterOptions(); err != nil {
		return nil, err
	}
	if !n.SetHandler && !n.SetValidator && n.Options == nil {
		return nil, p.fail("HANDLER, VALIDATOR, OPTIONS, RENAME TO or OWNER TO")
	}
	return n, p.end()
}

// renameOrOwner reads RENAME TO name or OWNER TO role and the end; done is
// false if neither comes next.
func (p *parser) renameOrOwner(newName *string, owner **RoleSpec) (done bool, err error) {
	switch {
	case p.accept("rename", "to"):
		if *newName, _, err = p.ident("a new name"); err != nil {
			return true, err
		}
	case p.accept("owner", "to"):
		r, err := p.roleSpec(false)
		if err != nil {
			return true, err
		}
		*owner = &r
	default:
		return false, nil
	}
	return true, p.end()
}

func (p *parser) createServer() (Statement, error) {
	n := &CreateServer{Node: p.node(), IfNotExists: p.ifNotExists()}
	var err error
	if n.Name, _, err = p.ident("a server name"); err != nil {
		return nil, err
	}
	if p.accept("type") {
		if n.Type, err = p.str("a server type in single quotes"); err != nil {
			return nil, err
		}
	}
	if p.accept("version") {
		if n.Version, err = p.str("a server version in single quotes"); err != nil {
			return nil, err
		}
	}
	if err = p.expect("foreign", "data", "wrapper"); err != nil {
		return nil, err
	}
	if n.Wrapper, _, err = p.ident("a foreign-data wrapper name"); err != nil {
		return nil, err
	}
	if n.Options, err = p.options(); err != nil {
		return nil, err
	}
	return n, p.end()
}

func (p *parser) alterServer() (Statement, error) {
	n := &AlterServer{Node: p.node()}
	var err error
	if n.Name, _, err = p.ident("a server name"); err != nil {
		return nil, err
	}
	if done, err := p.renameOrOwner(&n.NewName, &n.NewOwner); done || err != nil {
		return n, err
	}
	if p.accept("version") {
		n.SetVersion = true
		if n.Version, err = p.str("a server version in single quotes"); err != nil {
			return nil, err
		}
	}
	if n.Options, err = p.alterOptions(); err != nil {
		return nil, err
	}
	if !n.SetVersion && n.Options == nil {
		return nil, p.fail("VERSION, OPTIONS, RENAME TO or OWNER TO")
	}
	return n, p.end()
}

// mappingTarget reads FOR role SERVER name.
func (p *parser) mappingTarget(user *RoleSpec, server *string) error {
	if err := p.expect("for"); err != nil {
		return err
	}
	var err error
	if *user, err = p.roleSpec(true); err != nil {
		return err
	}
	if err = p.expect("server"); err != nil {
		return err
	}
	*server, _, err = p.ident("a server name")
	return err
}

func (p *parser) createUserMapping() (Statement, error) {
	n := &CreateUserMapping{Node: p.node(), IfNotExists: p.ifNotExists()}
	if err := p.mappingTarget(&n.User, &n.Server); err != nil {
		return nil, err
	}
	var err error
	if n.Options, err = p.options(); err != nil {
		return nil, err
	}
	return n, p.end()
}

func (p *parser) alterUserMapping() (Statement, error) {
	n := &AlterUserMapping{Node: p.node()}
	if err := p.mappingTarget(&n.User, &n.Server); err != nil {
		return nil, err
	}
	var err error
	if n.Options, err = p.alterOptions(); err != nil {
		return nil, err
	}
	if n.Options == nil {
		return nil, p.fail("OPTIONS")
	}
	return n, p.end()
}

func (p *parser) dropUserMapping() (Statement, error) {
	n := &DropUserMapping{Node: p.node(), IfExists: p.ifExists()}
	if err := p.mappingTarget(&n.User, &n.Server); err != nil {
		return nil, err
	}
	return n, p.end()
}
