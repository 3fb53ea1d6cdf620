package parse

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/sqlerr"
)

// truncate parses TRUNCATE [TABLE] [ONLY] name [*] [, ...] [CONTINUE
// IDENTITY] [RESTRICT] into a *Query whose Truncate holds DELETE FROM name
// for each table, in order. Medley has no inheritance (ONLY and * change
// nothing), no sequences and no foreign keys: RESTART IDENTITY and
// CASCADE are 0A000.
func (p *parser) truncate() (Statement, error) {
	first := p.advance() // TRUNCATE
	p.accept("table")
	q := &Query{Node: Node{Source: p.src, Pos: p.pos(first)}}
	for {
		p.accept("only")
		start := p.peek()
		tn, err := p.tableName("a table name")
		if err != nil {
			return nil, err
		}
		end := p.toks[p.i-1]
		p.acceptOp("*")
		q.Truncate = append(q.Truncate, p.deleteAll(tn, start, end))
		if !p.acceptOp(",") {
			break
		}
	}
	switch t := p.peek(); {
	case t.is("restart") && p.peekN(1).is("identity"):
		return nil, sqlerr.At(sqlerr.FeatureNotSupported, p.pos(t), "TRUNCATE ... RESTART IDENTITY is not supported: tables have no sequences")
	case t.is("continue"):
		p.i++
		if err := p.expect("identity"); err != nil {
			return nil, err
		}
	}
	if t := p.peek(); t.is("cascade") {
		return nil, sqlerr.At(sqlerr.FeatureNotSupported, p.pos(t), "TRUNCATE ... CASCADE is not supported")
	}
	p.accept("restrict")
	return q, p.end()
}

// deleteAll returns the query DELETE FROM tn; its text is the name as
// written, from token start to end, so that errors about the table point
// at its name.
func (p *parser) deleteAll(tn TableName, start, end token) *Query {
	name := sqlparser.TableName{Name: sqlparser.NewIdentifierCS(tn.Name), Qualifier: sqlparser.NewIdentifierCS(tn.Schema)}
	ast := &sqlparser.Delete{TableExprs: []sqlparser.TableExpr{&sqlparser.AliasedTableExpr{Expr: name}}}
	return &Query{Node: Node{Source: p.src[start.pos:end.end], Pos: p.pos(start)}, Rewritten: sqlparser.String(ast), AST: ast}
}
