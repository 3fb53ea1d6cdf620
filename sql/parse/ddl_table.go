package parse

import (
	"errors"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// This file parses foreign and memory tables, IMPORT FOREIGN SCHEMA and
// schemas.

func (p *parser) createForeignTable() (Statement, error) {
	n := &CreateForeignTable{Node: p.node(), IfNotExists: p.ifNotExists()}
	var err error
	if n.Table, err = p.tableName("a table name"); err != nil {
		return nil, err
	}
	if n.Columns, err = p.columnList(true); err != nil {
		return nil, err
	}
	if err = p.expect("server"); err != nil {
		return nil, err
	}
	if n.Server, _, err = p.ident("a server name"); err != nil {
		return nil, err
	}
	if n.Options, err = p.options(); err != nil {
		return nil, err
	}
	return n, p.end()
}

func (p *parser) createTable() (Statement, error) {
	n := &CreateTable{Node: p.node(), IfNotExists: p.ifNotExists()}
	var err error
	if n.Table, err = p.tableName("a table name"); err != nil {
		return nil, err
	}
	if p.peek().isOp("(") && !p.columnNamesOnly() {
		if n.Columns, err = p.columnList(false); err != nil {
			return nil, err
		}
		return n, p.end()
	}
	if p.acceptOp("(") {
		names, err := p.identList("a column name")
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		for _, name := range names {
			n.Columns = append(n.Columns, ColumnDef{Name: name})
		}
	}
	if err = p.expect("as"); err != nil {
		return nil, p.fail("a column list or AS query")
	}
	t := p.peek()
	if t.kind == tEOF {
		return nil, p.fail("a query")
	}
	n.Query, err = parseQuery(p.src[t.pos:], p.base+t.pos)
	return n, err
}

// columnNamesOnly reports whether the parenthesized list that comes next
// is `(a, b) AS`, the column names of CREATE TABLE ... AS.
func (p *parser) columnNamesOnly() bool {
	for k := 1; ; k += 2 {
		if t := p.peekN(k); t.kind != tWord && t.kind != tQIdent {
			return false
		}
		switch t := p.peekN(k + 1); {
		case t.isOp(")"):
			return p.peekN(k + 2).is("as")
		case !t.isOp(","):
			return false
		}
	}
}

// columnList reads ( column [, ...] ).
func (p *parser) columnList(foreign bool) ([]ColumnDef, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var cols []ColumnDef
	if p.acceptOp(")") {
		return cols, nil
	}
	for {
		c, err := p.column(foreign)
		if err != nil {
			return nil, err
		}
		cols = append(cols, c)
		if p.acceptOp(")") {
			return cols, nil
		}
		if err := p.expectOp(","); err != nil {
			return nil, p.fail(`"," or ")"`)
		}
	}
}

// column reads name type [OPTIONS (...)] [NOT NULL | NULL | DEFAULT expr]...
func (p *parser) column(foreign bool) (ColumnDef, error) {
	if t := p.peek(); t.is("constraint") || t.is("primary") || t.is("unique") || t.is("check") || t.is("foreign") {
		return ColumnDef{}, sqlerr.At(sqlerr.FeatureNotSupported, p.pos(t), "table constraints are not supported")
	}
	name, nt, err := p.ident("a column name")
	if err != nil {
		return ColumnDef{}, err
	}
	c := ColumnDef{Name: name, Pos: p.pos(nt)}
	if err := p.columnType(&c); err != nil {
		return ColumnDef{}, err
	}
	if foreign {
		if c.Options, err = p.options(); err != nil {
			return ColumnDef{}, err
		}
	}
	return c, p.columnConstraints(&c)
}

// typeStop are the words that end a type name in a column definition.
var typeStop = map[string]bool{"options": true, "not": true, "null": true, "default": true,
	"constraint": true, "collate": true, "primary": true, "unique": true, "check": true,
	"references": true, "generated": true}

// columnType reads a type name up to the next , or ) or constraint word and
// resolves it with types.Parse.
func (p *parser) columnType(c *ColumnDef) error {
	start, first := p.peek(), p.i
	depth := 0
	for {
		t := p.peek()
		if t.kind == tEOF || depth == 0 && (t.isOp(",") || t.isOp(")") || t.kind == tWord && typeStop[t.text]) {
			break
		}
		if t.isOp("(") || t.isOp("[") {
			depth++
		} else if t.isOp(")") || t.isOp("]") {
			depth--
		}
		p.i++
	}
	if p.i == first {
		return p.failAt(start, "a type name")
	}
	c.TypeText = p.src[start.pos:p.toks[p.i-1].end]
	dt, err := types.Parse(c.TypeText)
	if err != nil {
		var e *sqlerr.Error
		if errors.As(err, &e) {
			return sqlerr.At(e.Code, p.pos(start), "%s", e.Message)
		}
		return err
	}
	c.Type = dt
	return nil
}

// columnConstraints reads [NOT NULL | NULL | DEFAULT expr]...
func (p *parser) columnConstraints(c *ColumnDef) error {
	for {
		t := p.peek()
		switch {
		case p.accept("not", "null"):
			c.NotNull = true
		case p.accept("null"):
			c.NotNull = false
		case p.accept("default"):
			text, err := p.exprText()
			if err != nil {
				return err
			}
			c.Default = text
		case p.accept("collate"):
			if _, _, err := p.ident("a collation name"); err != nil {
				return err
			}
		case t.kind == tWord && typeStop[t.text] && !t.is("options"):
			return sqlerr.At(sqlerr.FeatureNotSupported, p.pos(t), "column constraint %s is not supported", strings.ToUpper(t.text))
		default:
			return nil
		}
	}
}

// exprText reads an expression's tokens up to a , or ) or constraint word
// at depth 0 and returns its source text.
func (p *parser) exprText() (string, error) {
	start, first := p.peek(), p.i
	depth := 0
	for n := 0; ; n++ {
		t := p.peek()
		if t.kind == tEOF || depth == 0 && (t.isOp(",") || t.isOp(")") ||
			n > 0 && t.kind == tWord && typeStop[t.text] && !t.is("default")) {
			break
		}
		if t.isOp("(") {
			depth++
		} else if t.isOp(")") {
			depth--
		}
		p.i++
	}
	if p.i == first {
		return "", p.failAt(start, "an expression")
	}
	return p.src[start.pos:p.toks[p.i-1].end], nil
}

func (p *parser) importSchema() (Statement, error) {
	p.advance() // IMPORT
	if err := p.expect("foreign", "schema"); err != nil {
		return nil, err
	}
	n := &ImportForeignSchema{Node: p.node()}
	var err error
	if n.RemoteSchema, _, err = p.ident("a remote schema name"); err != nil {
		return nil, err
	}
	switch {
	case p.accept("limit", "to"):
		n.Restriction = ImportLimitTo
	case p.accept("except"):
		n.Restriction = ImportExcept
	}
	if n.Restriction != ImportAll {
		if err = p.expectOp("("); err != nil {
			return nil, err
		}
		if n.Tables, err = p.identList("a table name"); err != nil {
			return nil, err
		}
		if err = p.expectOp(")"); err != nil {
			return nil, err
		}
	}
	if err = p.expect("from", "server"); err != nil {
		return nil, err
	}
	if n.Server, _, err = p.ident("a server name"); err != nil {
		return nil, err
	}
	if err = p.expect("into"); err != nil {
		return nil, err
	}
	if n.LocalSchema, _, err = p.ident("a local schema name"); err != nil {
		return nil, err
	}
	if n.Options, err = p.options(); err != nil {
		return nil, err
	}
	return n, p.end()
}

func (p *parser) createSchema() (Statement, error) {
	n := &CreateSchema{Node: p.node(), IfNotExists: p.ifNotExists()}
	var err error
	if p.accept("authorization") {
		r, err := p.roleSpec(false)
		if err != nil {
			return nil, err
		}
		n.Owner, n.Name = &r, r.Name
		return n, p.end()
	}
	if n.Name, _, err = p.ident("a schema name"); err != nil {
		return nil, err
	}
	if p.accept("authorization") {
		r, err := p.roleSpec(false)
		if err != nil {
			return nil, err
		}
		n.Owner = &r
	}
	return n, p.end()
}
