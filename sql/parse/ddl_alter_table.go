package parse

// alterForeignTable parses ALTER FOREIGN TABLE.
func (p *parser) alterForeignTable() (Statement, error) {
	n := &AlterForeignTable{Node: p.node(), IfExists: p.ifExists()}
	p.accept("only")
	var err error
	if n.Table, err = p.tableName("a table name"); err != nil {
		return nil, err
	}
	p.acceptOp("*")
	t := p.peek()
	switch {
	case p.accept("rename", "to"):
		a := AlterTableAction{Kind: AlterRenameTable, Pos: p.pos(t)}
		if a.NewName, _, err = p.ident("a new table name"); err != nil {
			return nil, err
		}
		n.Actions = []AlterTableAction{a}
		return n, p.end()
	case p.accept("rename"):
		p.accept("column")
		a := AlterTableAction{Kind: AlterRenameColumn, Pos: p.pos(t)}
		if a.Name, _, err = p.ident("a column name"); err != nil {
			return nil, err
		}
		if err = p.expect("to"); err != nil {
			return nil, err
		}
		if a.NewName, _, err = p.ident("a new column name"); err != nil {
			return nil, err
		}
		n.Actions = []AlterTableAction{a}
		return n, p.end()
	case p.accept("set", "schema"):
		a := AlterTableAction{Kind: AlterSetSchema, Pos: p.pos(t)}
		if a.NewName, _, err = p.ident("a schema name"); err != nil {
			return nil, err
		}
		n.Actions = []AlterTableAction{a}
		return n, p.end()
	}
	for {
		a, err := p.alterTableAction()
		if err != nil {
			return nil, err
		}
		n.Actions = append(n.Actions, a)
		if !p.acceptOp(",") {
			return n, p.end()
		}
	}
}

// alterTableAction reads one action of ALTER FOREIGN TABLE.
func (p *parser) alterTableAction() (AlterTableAction, error) {
	t := p.peek()
	a := AlterTableAction{Pos: p.pos(t)}
	var err error
	switch {
	case p.accept("add"):
		p.accept("column")
		a.Kind, a.IfNotExists = AlterAddColumn, p.ifNotExists()
		a.Column, err = p.column(true)
		a.Name = a.Column.Name
	case p.accept("drop"):
		p.accept("column")
		a.Kind, a.IfExists = AlterDropColumn, p.ifExists()
		if a.Name, _, err = p.ident("a column name"); err == nil {
			a.Behavior = p.dropBehavior()
		}
	case p.accept("alter"):
		p.accept("column")
		if a.Name, _, err = p.ident("a column name"); err == nil {
			err = p.alterColumn(&a)
		}
	case p.peek().is("options"):
		a.Kind = AlterTableOptions
		a.Options, err = p.alterOptions()
	case p.accept("owner", "to"):
		a.Kind = AlterOwner
		var r RoleSpec
		r, err = p.roleSpec(false)
		a.Owner = &r
	default:
		err = p.fail("ADD, DROP, ALTER, OPTIONS, OWNER TO, RENAME or SET SCHEMA")
	}
	return a, err
}

// alterColumn reads what follows ALTER [COLUMN] name.
func (p *parser) alterColumn(a *AlterTableAction) error {
	a.Column.Name = a.Name
	switch {
	case p.peek().is("options"):
		a.Kind = AlterColumnOptions
		var err error
		a.Options, err = p.alterOptions()
		return err
	case p.accept("set", "data", "type"), p.accept("type"):
		a.Kind = AlterColumnType
		return p.columnType(&a.Column)
	case p.accept("set", "not", "null"):
		a.Kind = AlterColumnSetNotNull
	case p.accept("drop", "not", "null"):
		a.Kind = AlterColumnDropNotNull
	case p.accept("set", "default"):
		a.Kind = AlterColumnSetDefault
		var err error
		a.Column.Default, err = p.exprText()
		return err
	case p.accept("drop", "default"):
		a.Kind = AlterColumnDropDefault
	default:
		return p.fail("OPTIONS, TYPE, SET or DROP")
	}
	return nil
}
