package bind

import (
	"vitess.io/vitess/go/vt/sqlparser"
)

// WriteOp is the kind of a write.
type WriteOp int

// The writes.
const (
	WriteInsert WriteOp = iota
	WriteUpdate
	WriteDelete
)

// Write describes the target of INSERT, UPDATE or DELETE.
type Write struct {
	Op    WriteOp
	Table TableInfo
}

func (b *binder) insert(s *sqlparser.Insert) (*Result, error) {
	return nil, unsupported("INSERT is not supported yet")
}

func (b *binder) update(s *sqlparser.Update) (*Result, error) {
	return nil, unsupported("UPDATE is not supported yet")
}

func (b *binder) delete(s *sqlparser.Delete) (*Result, error) {
	return nil, unsupported("DELETE is not supported yet")
}
