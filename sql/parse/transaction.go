package parse

import "github.com/medleysql/medley/sql/sqlerr"

// Medley has no transaction blocks: every statement commits on its own, in
// one remote transaction per server it writes to. BEGIN, START
// TRANSACTION, SAVEPOINT, RELEASE, ROLLBACK TO, the AND CHAIN forms (which
// would start a transaction) and the two-phase commit statements fail with
// 0A000 (errNoTransactions). COMMIT, END, ROLLBACK and ABORT, which
// PostgreSQL runs outside a transaction block with a warning, become a
// *Query whose EndTransaction is the command tag.

// errNoTransactions is the error of the statements that need a
// transaction block, at the statement's first token t.
func (p *parser) errNoTransactions(t token) error {
	return sqlerr.At(sqlerr.FeatureNotSupported, p.pos(t), "transaction blocks are not supported: each statement commits on its own").
		WithHint("Each statement runs in one remote transaction per server it writes to: a statement that fails leaves nothing behind.")
}

// transaction parses the statements of transaction control.
func (p *parser) transaction() (Statement, error) {
	t := p.advance()
	switch t.text {
	case "begin", "start", "savepoint", "release", "prepare":
		return nil, p.errNoTransactions(t)
	}
	if p.peek().is("prepared") { // COMMIT PREPARED, ROLLBACK PREPARED
		return nil, p.errNoTransactions(t)
	}
	if !p.accept("work") {
		p.accept("transaction")
	}
	if (t.is("rollback") || t.is("abort")) && p.peek().is("to") { // ROLLBACK TO [SAVEPOINT] name
		return nil, p.errNoTransactions(t)
	}
	if p.accept("and") {
		if !p.accept("no") {
			if err := p.expect("chain"); err != nil {
				return nil, err
			}
			return nil, p.errNoTransactions(t)
		}
		if err := p.expect("chain"); err != nil {
			return nil, err
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	tag := "COMMIT"
	if t.is("rollback") || t.is("abort") {
		tag = "ROLLBACK"
	}
	return &Query{Node: Node{Source: p.src, Pos: p.pos(t)}, EndTransaction: tag}, nil
}

// isTransaction reports whether the statement starting with t, u is one of
// transaction control.
func isTransaction(t, u token) bool {
	switch {
	case t.is("begin") || t.is("commit") || t.is("end") || t.is("rollback") || t.is("abort") || t.is("savepoint") || t.is("release"):
		return true
	case t.is("start") || t.is("prepare"):
		return u.is("transaction")
	}
	return false
}
