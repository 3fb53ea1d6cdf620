package parse

import (
	"errors"
	"testing"

	"github.com/medleysql/medley/sql/sqlerr"
)

// TestTransactionStatements: COMMIT and ROLLBACK, in all their spellings,
// are queries the engine ends no transaction with; what needs a transaction
// block is 0A000 at the statement's first word.
func TestTransactionStatements(t *testing.T) {
	ends := map[string]string{
		"COMMIT": "COMMIT", "commit work": "COMMIT", "COMMIT TRANSACTION;": "COMMIT", "commit and no chain": "COMMIT",
		"END": "COMMIT", "end transaction": "COMMIT",
		"ROLLBACK": "ROLLBACK", "rollback work and no chain": "ROLLBACK", "ABORT": "ROLLBACK", "abort transaction": "ROLLBACK",
	}
	for in, tag := range ends {
		st, err := ParseOne(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		q, ok := st.(*Query)
		if !ok || q.EndTransaction != tag || q.AST != nil || q.Position() != 1 {
			t.Errorf("%s: %T %+v, want a Query ending with %s", in, st, st, tag)
		}
	}
	refused := []string{"BEGIN", "begin work", "BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", "begin read only",
		"START TRANSACTION", "start transaction read write", "SAVEPOINT s", "RELEASE SAVEPOINT s", "release s",
		"ROLLBACK TO SAVEPOINT s", "rollback transaction to s", "COMMIT AND CHAIN", "rollback and chain",
		"PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'"}
	for _, in := range refused {
		_, err := Parse("select 1; " + in)
		checkErr(t, in, err, sqlerr.FeatureNotSupported, 11, "transaction blocks are not supported: each statement commits on its own")
		var e *sqlerr.Error
		if errors.As(err, &e) && e.Hint == "" {
			t.Errorf("%s: no hint", in)
		}
	}
	for in, pos := range map[string]int{"commit now": 8, "rollback and": 13, "end and maybe": 9, "start again": 1} {
		_, err := Parse(in)
		var e *sqlerr.Error
		if !errors.As(err, &e) || e.Code != sqlerr.SyntaxError || e.Position != pos {
			t.Errorf("%s: %v, want a syntax error at %d", in, err, pos)
		}
	}
}
