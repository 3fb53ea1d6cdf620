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
//
// For INSERT, Result.Root produces the rows to write. For UPDATE and
// DELETE, Result.Root is the scan of the rows touched (for EXPLAIN only;
// the write runs at the source) and Set and Where are expressions over
// Columns, the table's columns in TableInfo.Columns order.
type Write struct {
	Op    WriteOp
	Table TableInfo
	// Columns are the table's columns as Set and Where reference them
	// (UPDATE, DELETE); nil for INSERT.
	Columns []plan.Column
	// Set are UPDATE's assignments, in statement order, each already of
	// its column's type (assignment casts applied).
	Set []Assignment
	// Where is the condition of UPDATE or DELETE; nil for all rows.
	Where plan.Expr
}

// Assignment is one SET column = value of UPDATE.
type Assignment struct {
	Column int // index into Write.Columns
	Value  plan.Expr
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
		if err := b.checkLiterals(rows, target); err != nil {
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

// checkLiterals converts the constant values of INSERT ... VALUES to their
// columns' types first, so that a bad value's error names the column and
// the row (1-based).
func (b *binder) checkLiterals(rows sqlparser.Values, target []plan.Column) error {
	for i, r := range rows {
		for j, e := range r {
			lit, ok := e.(*sqlparser.Literal)
			if !ok || j >= len(target) {
				continue
			}
			x, err := b.literal(lit)
			if err != nil {
				return err
			}
			if _, err := b.coerce(x, target[j].Type); err != nil {
				msg := err.Error()
				if se, ok := err.(*sqlerr.Error); ok {
					msg = se.Message
				}
				code := sqlerr.DatatypeMismatch
				if se, ok := err.(*sqlerr.Error); ok {
					code = se.Code
				}
				return sqlerr.At(code, b.pos(lit.Val), "column \"%s\", row %d: %s", target[j].Name, i+1, msg)
			}
		}
	}
	return nil
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

// update binds UPDATE t [AS a] SET col = expr, ... [WHERE cond]. The SET
// values and the condition are bound over the table's columns only
// (subqueries and other tables are not supported: the source runs the
// statement itself).
func (b *binder) update(s *sqlparser.Update) (*Result, error) {
	if s.With != nil || s.Ignore || len(s.OrderBy) > 0 || s.Limit != nil {
		return nil, unsupported("UPDATE supports only UPDATE table SET column = expression, ... [WHERE condition]")
	}
	if len(s.TableExprs) != 1 {
		return nil, unsupported("UPDATE of more than one table is not supported")
	}
	info, scan, sc, err := b.writeTable(s.TableExprs[0], Update)
	if err != nil {
		return nil, err
	}
	ctx := &exprCtx{scope: sc, clause: "UPDATE"}
	w := &Write{Op: WriteUpdate, Table: *info, Columns: scan.TableCols}
	seen := map[int]bool{}
	for _, ue := range s.Exprs {
		i, err := b.setColumn(scan, sc, ue.Name)
		if err != nil {
			return nil, err
		}
		if seen[i] {
			n := scan.TableCols[i].Name
			return nil, b.errAt(sqlerr.DuplicateColumn, n, "multiple assignments to same column \"%s\"", n)
		}
		seen[i] = true
		x, err := b.expr(ctx, ue.Expr)
		if err != nil {
			return nil, err
		}
		if x, err = b.assign(x, scan.TableCols[i]); err != nil {
			return nil, err
		}
		w.Set = append(w.Set, Assignment{Column: i, Value: x})
	}
	if w.Where, err = b.writeWhere(sc, s.Where); err != nil {
		return nil, err
	}
	return b.writeResult(scan, w), nil
}

// delete binds DELETE FROM t [AS a] [WHERE cond].
func (b *binder) delete(s *sqlparser.Delete) (*Result, error) {
	if s.With != nil || s.Ignore || len(s.Targets) > 0 || len(s.Partitions) > 0 || len(s.OrderBy) > 0 || s.Limit != nil {
		return nil, unsupported("DELETE supports only DELETE FROM table [WHERE condition]")
	}
	if len(s.TableExprs) != 1 {
		return nil, unsupported("DELETE ... USING is not supported")
	}
	info, scan, sc, err := b.writeTable(s.TableExprs[0], Delete)
	if err != nil {
		return nil, err
	}
	w := &Write{Op: WriteDelete, Table: *info, Columns: scan.TableCols}
	if w.Where, err = b.writeWhere(sc, s.Where); err != nil {
		return nil, err
	}
	return b.writeResult(scan, w), nil
}

// writeTable resolves the target of UPDATE or DELETE with priv and returns
// its scan and the scope its columns are visible in (under the alias).
func (b *binder) writeTable(te sqlparser.TableExpr, priv Privilege) (*TableInfo, *plan.Scan, *scope, error) {
	ate, ok := te.(*sqlparser.AliasedTableExpr)
	if !ok {
		return nil, nil, nil, unsupported("%s of %s is not supported", priv, sqlparser.String(te))
	}
	tn, ok := ate.Expr.(sqlparser.TableName)
	if !ok || len(ate.Partitions) > 0 || ate.Hints != nil {
		return nil, nil, nil, unsupported("%s of %s is not supported", priv, sqlparser.String(te))
	}
	info, err := b.writeTarget(tn, priv)
	if err != nil {
		return nil, nil, nil, err
	}
	scan := b.scan(info)
	name := info.Name
	if !ate.As.IsEmpty() {
		name = ate.As.String()
	}
	sc := &scope{}
	sc.add(name, info.Schema, scan.TableCols)
	return info, scan, sc, nil
}

// setColumn finds the column a SET assigns: unqualified, or qualified by
// the table's name or alias.
func (b *binder) setColumn(scan *plan.Scan, sc *scope, ref *sqlparser.ColName) (int, error) {
	name := ref.Name.String()
	if q := ref.Qualifier.Name.String(); q != "" && !sc.hasTable(q) {
		return 0, b.errAt(sqlerr.UndefinedTable, q, "missing FROM-clause entry for table \"%s\"", q)
	}
	for i, c := range scan.TableCols {
		if c.Name == name {
			return i, nil
		}
	}
	return 0, b.errAt(sqlerr.UndefinedColumn, name, "column \"%s\" of relation \"%s\" does not exist", name, scan.Table.Name)
}

// assign converts a value to a column's type as PostgreSQL's assignment
// does: literals and untyped parameters take the type, other values need
// an assignment cast.
func (b *binder) assign(x plan.Expr, col plan.Column) (plan.Expr, error) {
	t := col.Type
	if arrow.TypeEqual(x.Type(), t) {
		return x, nil
	}
	if _, ok := x.(*plan.Literal); ok || b.isUntyped(x) {
		c, err := b.coerce(x, t)
		if err != nil {
			return nil, b.positioned(withColumn(err, col.Name), col.Name)
		}
		return c, nil
	}
	if !types.AssignmentCast(x.Type(), t) {
		return nil, b.errAt(sqlerr.DatatypeMismatch, col.Name,
			"column \"%s\" is of type %s but expression is of type %s", col.Name, types.SQLName(t), types.SQLName(x.Type())).
			WithHint("You will need to rewrite or cast the expression.")
	}
	return &plan.Cast{Input: x, Typ: t}, nil
}

// withColumn prefixes a conversion error with the column it was for.
func withColumn(err error, col string) error {
	if se, ok := err.(*sqlerr.Error); ok {
		out := *se
		out.Message = "column \"" + col + "\": " + se.Message
		return &out
	}
	return sqlerr.Wrap(err, sqlerr.DatatypeMismatch, "column \"%s\"", col)
}

// writeWhere binds the WHERE of UPDATE or DELETE over the table's columns.
func (b *binder) writeWhere(sc *scope, w *sqlparser.Where) (plan.Expr, error) {
	if w == nil || w.Expr == nil {
		return nil, nil
	}
	return b.boolExpr(&exprCtx{scope: sc, clause: "WHERE"}, w.Expr, "WHERE")
}

// writeResult is the bound UPDATE or DELETE: its Root is the scan of the
// rows it touches, for EXPLAIN.
func (b *binder) writeResult(scan *plan.Scan, w *Write) *Result {
	var root plan.Node = scan
	if w.Where != nil {
		root = &plan.Filter{Input: scan, Cond: w.Where}
	}
	names := make([]string, len(scan.TableCols))
	for i, c := range scan.TableCols {
		names[i] = c.Name
	}
	return &Result{Root: root, Names: names, Write: w}
}
