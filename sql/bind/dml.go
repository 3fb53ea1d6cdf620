package bind

import (
	"github.com/apache/arrow-go/v18/arrow"
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
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

// insert binds INSERT INTO t [(cols)] VALUES ... | query. The result's Root
// produces the rows to write, one column per target column, named and
// typed as the table's columns (assignment casts applied); columns not
// listed are left to the table (NULL).
func (b *binder) insert(s *sqlparser.Insert) (*Result, error) {
	if s.Action == sqlparser.ReplaceAct || s.Ignore || len(s.OnDup) > 0 || s.RowAlias != nil || len(s.Partitions) > 0 {
		return nil, unsupported("INSERT supports only INSERT INTO table [(columns)] VALUES ... | query")
	}
	tn, ok := s.Table.Expr.(sqlparser.TableName)
	if !ok {
		return nil, unsupported("INSERT INTO %s is not supported", sqlparser.String(s.Table))
	}
	info, err := b.writeTarget(tn, Insert)
	if err != nil {
		return nil, err
	}
	target, err := b.insertColumns(info, s.Columns)
	if err != nil {
		return nil, err
	}
	var src plan.Node
	switch rows := s.Rows.(type) {
	case sqlparser.Values:
		if err := b.checkWidth(len(rows[0]), len(target)); err != nil {
			return nil, err
		}
		src, err = b.valueRows(rows, target)
	case sqlparser.TableStatement:
		src, err = b.insertQuery(rows, target)
	default:
		return nil, unsupported("INSERT ... %s is not supported", sqlparser.String(s.Rows))
	}
	if err != nil {
		return nil, err
	}
	names := make([]string, len(target))
	for i, c := range target {
		names[i] = c.Name
	}
	return &Result{Root: src, Names: names, Write: &Write{Op: WriteInsert, Table: *info}}, nil
}

// writeTarget resolves the table written to, through the search path, with
// the privilege the write needs.
func (b *binder) writeTarget(tn sqlparser.TableName, priv Privilege) (*TableInfo, error) {
	name, schema := tn.Name.String(), tn.Qualifier.String()
	schemas := b.opts.SearchPath
	if schema != "" {
		schemas = []string{schema}
	}
	for _, sc := range schemas {
		info, err := b.cat.Table(b.ctx, b.user, sc, name, priv)
		if err != nil {
			return nil, b.positioned(err, name)
		}
		if info != nil {
			return info, nil
		}
	}
	full := name
	if schema != "" {
		full = schema + "." + name
	}
	return nil, b.errAt(sqlerr.UndefinedTable, name, "relation \"%s\" does not exist", full)
}

// insertColumns returns the target columns: those listed, or all.
func (b *binder) insertColumns(info *TableInfo, list sqlparser.Columns) ([]plan.Column, error) {
	byName := map[string]ColumnInfo{}
	for _, c := range info.Columns {
		byName[c.Name] = c
	}
	var out []plan.Column
	add := func(c ColumnInfo) {
		t, _ := types.Normalize(c.Type)
		if t == nil {
			t = c.Type
		}
		out = append(out, plan.Column{ID: b.ids.Next(), Name: c.Name, Table: info.Name, Type: t, Nullable: c.Nullable})
	}
	if len(list) == 0 {
		for _, c := range info.Columns {
			add(c)
		}
		return out, nil
	}
	seen := map[string]bool{}
	for _, id := range list {
		n := id.String()
		c, ok := byName[n]
		if !ok {
			return nil, b.errAt(sqlerr.UndefinedColumn, n, "column \"%s\" of relation \"%s\" does not exist", n, info.Name)
		}
		if seen[n] {
			return nil, b.errAt(sqlerr.DuplicateColumn, n, "column \"%s\" specified more than once", n)
		}
		seen[n] = true
		add(c)
	}
	return out, nil
}

func (b *binder) checkWidth(got, want int) error {
	if got > want {
		return sqlerr.New(sqlerr.SyntaxError, "INSERT has more expressions than target columns")
	}
	if got < want {
		return sqlerr.New(sqlerr.SyntaxError, "INSERT has more target columns than expressions")
	}
	return nil
}

// insertQuery binds INSERT ... SELECT: the query's columns are converted to
// the target columns' types by assignment casts.
func (b *binder) insertQuery(q sqlparser.TableStatement, target []plan.Column) (plan.Node, error) {
	n, _, err := b.query(q, nil)
	if err != nil {
		return nil, err
	}
	cols := n.Columns()
	if err := b.checkWidth(len(cols), len(target)); err != nil {
		return nil, err
	}
	exprs := make([]plan.Expr, len(cols))
	out := make([]plan.Column, len(cols))
	for i, c := range cols {
		t := target[i]
		var x plan.Expr = c.Ref()
		if !arrow.TypeEqual(c.Type, t.Type) {
			if !types.AssignmentCast(c.Type, t.Type) {
				return nil, b.errAt(sqlerr.DatatypeMismatch, t.Name,
					"column \"%s\" is of type %s but expression is of type %s", t.Name, types.SQLName(t.Type), types.SQLName(c.Type)).
					WithHint("You will need to rewrite or cast the expression.")
			}
			x = &plan.Cast{Input: x, Typ: t.Type}
		}
		exprs[i] = x
		out[i] = b.newCol(t.Name, t.Type, c.Nullable)
	}
	return &plan.Project{Input: n, Exprs: exprs, Cols: out}, nil
}

func (b *binder) update(s *sqlparser.Update) (*Result, error) {
	return nil, unsupported("UPDATE is not supported yet")
}

func (b *binder) delete(s *sqlparser.Delete) (*Result, error) {
	return nil, unsupported("DELETE is not supported yet")
}
