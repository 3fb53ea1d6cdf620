package parse

import (
	"fmt"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// Parse parses every statement of text (split as Split does; an
// unterminated last statement is parsed too). Errors are *sqlerr.Error with
// code 42601 and the 1-based byte Position in text, saying what was expected
// at which token; a type name that does not exist in a column definition is
// 42704 with its position; an unsupported construct is 0A000.
func Parse(text string) ([]Statement, error) {
	pieces, rest := Split(text)
	if rest != "" {
		off := strings.LastIndex(text, rest)
		pieces = append(pieces, Piece{Text: rest, Offset: off})
	}
	out := make([]Statement, 0, len(pieces))
	for _, pc := range pieces {
		st, err := parsePiece(pc)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// ParseOne parses text that must hold exactly one statement (a trailing ';'
// is allowed).
func ParseOne(text string) (Statement, error) {
	stmts, err := Parse(text)
	if err != nil {
		return nil, err
	}
	switch len(stmts) {
	case 0:
		return nil, sqlerr.At(sqlerr.SyntaxError, len(text)+1, "syntax error at end of input; expected a statement")
	case 1:
		return stmts[0], nil
	}
	return nil, sqlerr.At(sqlerr.SyntaxError, stmts[1].Position(), "syntax error: expected one statement, found %d", len(stmts))
}

// parser is the recursive-descent parser of one statement.
type parser struct {
	src  string // the statement's text
	base int    // its offset in the text given to Parse
	toks []token
	i    int
}

func newParser(src string, base int) (*parser, error) {
	toks, err := lex(src, base)
	if err != nil {
		return nil, err
	}
	return &parser{src: src, base: base, toks: toks}, nil
}

// parsePiece parses one statement.
func parsePiece(pc Piece) (Statement, error) {
	p, err := newParser(pc.Text, pc.Offset)
	if err != nil {
		return nil, err
	}
	return p.statement()
}

// node returns the Node of the statement being parsed.
func (p *parser) node() Node { return Node{Source: p.src, Pos: p.pos(p.toks[0])} }

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekN(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) advance() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// pos returns the 1-based position of a token in the text given to Parse.
func (p *parser) pos(t token) int { return p.base + t.pos + 1 }

// accept consumes the words (unquoted, lower case) if they come next.
func (p *parser) accept(words ...string) bool {
	for k, w := range words {
		if !p.peekN(k).is(w) {
			return false
		}
	}
	p.i += len(words)
	return true
}

// acceptOp consumes op if it comes next.
func (p *parser) acceptOp(op string) bool {
	if p.peek().isOp(op) {
		p.i++
		return true
	}
	return false
}

// tokenText is how a token is quoted in error messages.
func (p *parser) tokenText(t token) string { return p.src[t.pos:t.end] }

// fail returns the syntax error at the next token: `syntax error at or near
// "x"; expected <what>`.
func (p *parser) fail(what string, args ...any) error {
	return p.failAt(p.peek(), what, args...)
}

func (p *parser) failAt(t token, what string, args ...any) error {
	exp := fmt.Sprintf(what, args...)
	if t.kind == tEOF {
		return sqlerr.At(sqlerr.SyntaxError, p.pos(t), "syntax error at end of input; expected %s", exp)
	}
	return sqlerr.At(sqlerr.SyntaxError, p.pos(t), "syntax error at or near %q; expected %s", p.tokenText(t), exp)
}

// expect consumes the words or fails saying they were expected.
func (p *parser) expect(words ...string) error {
	if !p.accept(words...) {
		return p.fail("%s", strings.ToUpper(strings.Join(words, " ")))
	}
	return nil
}

func (p *parser) expectOp(op string) error {
	if !p.acceptOp(op) {
		return p.fail("%q", op)
	}
	return nil
}

// end fails unless the statement is over.
func (p *parser) end() error {
	if p.peek().kind != tEOF {
		return p.fail("end of statement")
	}
	return nil
}

// reserved words cannot be names unless quoted (a subset of PostgreSQL's
// reserved keywords, the ones that matter in these statements).
var reserved = map[string]bool{
	"all": true, "and": true, "as": true, "by": true, "cascade": false, "create": true, "default": true,
	"from": true, "for": true, "grant": true, "in": true, "into": true, "not": true, "null": true,
	"on": true, "options": false, "or": true, "select": true, "table": true, "to": true, "user": true,
	"with": true, "where": true, "current_user": true, "session_user": true, "current_role": true,
}

// ident reads a name (what says which, for the error).
func (p *parser) ident(what string) (string, token, error) {
	t := p.peek()
	if t.kind == tQIdent || t.kind == tWord && !reserved[t.text] {
		p.i++
		return t.text, t, nil
	}
	return "", t, p.fail("%s", what)
}

// identList reads name [, ...].
func (p *parser) identList(what string) ([]string, error) {
	var out []string
	for {
		n, _, err := p.ident(what)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
		if !p.acceptOp(",") {
			return out, nil
		}
	}
}

// str reads a '...' string.
func (p *parser) str(what string) (string, error) {
	t := p.peek()
	if t.kind != tString {
		return "", p.fail("%s", what)
	}
	p.i++
	return t.text, nil
}

// tableName reads [schema.]name.
func (p *parser) tableName(what string) (TableName, error) {
	n, t, err := p.ident(what)
	if err != nil {
		return TableName{}, err
	}
	tn := TableName{Name: n, Pos: p.pos(t)}
	if p.acceptOp(".") {
		tn.Schema = n
		if tn.Name, _, err = p.ident(what); err != nil {
			return TableName{}, err
		}
	}
	return tn, nil
}

// tableNames reads [schema.]name [, ...].
func (p *parser) tableNames(what string) ([]TableName, error) {
	var out []TableName
	for {
		tn, err := p.tableName(what)
		if err != nil {
			return nil, err
		}
		out = append(out, tn)
		if !p.acceptOp(",") {
			return out, nil
		}
	}
}

// ifExists reads IF EXISTS; ifNotExists IF NOT EXISTS.
func (p *parser) ifExists() bool    { return p.accept("if", "exists") }
func (p *parser) ifNotExists() bool { return p.accept("if", "not", "exists") }

// dropBehavior reads [CASCADE | RESTRICT].
func (p *parser) dropBehavior() DropBehavior {
	if p.accept("cascade") {
		return DropCascade
	}
	p.accept("restrict")
	return DropRestrict
}

// roleSpec reads a user: a name, USER, CURRENT_USER, CURRENT_ROLE,
// SESSION_USER or PUBLIC (when public is allowed).
func (p *parser) roleSpec(public bool) (RoleSpec, error) {
	t := p.peek()
	switch {
	case t.is("user") || t.is("current_user") || t.is("current_role"):
		p.i++
		return RoleSpec{Kind: RoleCurrentUser, Pos: p.pos(t)}, nil
	case t.is("session_user"):
		p.i++
		return RoleSpec{Kind: RoleSessionUser, Pos: p.pos(t)}, nil
	case t.is("public") && public:
		p.i++
		return RoleSpec{Kind: RolePublic, Pos: p.pos(t)}, nil
	}
	n, _, err := p.ident("a user name")
	if err != nil {
		return RoleSpec{}, err
	}
	return RoleSpec{Kind: RoleNamed, Name: n, Pos: p.pos(t)}, nil
}

// statement dispatches on the first words.
func (p *parser) statement() (Statement, error) {
	t := p.peek()
	switch {
	case t.is("select") || t.is("with") || t.is("values") || t.is("insert") ||
		t.is("update") || t.is("delete") || t.isOp("(") || t.is("table"):
		return parseQuery(p.src, p.base)
	case t.is("create"):
		return p.create()
	case t.is("alter"):
		return p.alter()
	case t.is("drop"):
		return p.drop()
	case t.is("import"):
		return p.importSchema()
	case t.is("grant"):
		return p.grant()
	case t.is("revoke"):
		return p.revoke()
	case t.is("set"):
		return p.set()
	case t.is("reset"):
		return p.reset()
	case t.is("show"):
		return p.show()
	case t.is("explain"):
		return p.explain()
	case isTransaction(t, p.peekN(1)):
		return p.transaction()
	case t.is("truncate"):
		return p.truncate()
	}
	return nil, p.fail("a statement (SELECT, INSERT, CREATE, ALTER, DROP, IMPORT, GRANT, REVOKE, SET, RESET, SHOW, EXPLAIN, ...)")
}
