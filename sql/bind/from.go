package bind

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// cteDef is a WITH query visible to the FROM items of its query.
type cteDef struct {
	name  string
	ast   *sqlparser.CommonTableExpr
	level int // its index in binder.ctes: its body sees only levels below
}

// fullJoinMarker is how sql/parse spells FULL [OUTER] JOIN for Vitess.
const fullJoinMarker = sqlparser.StraightJoinType

// from binds a FROM list; the items are cross-joined.
func (b *binder) from(items []sqlparser.TableExpr) (plan.Node, *scope, error) {
	sc := &scope{}
	var root plan.Node
	for _, item := range items {
		if isDual(item) {
			continue
		}
		n, s, err := b.tableExpr(item)
		if err != nil {
			return nil, nil, err
		}
		sc.cols = append(sc.cols, s.cols...)
		if root == nil {
			root = n
		} else {
			root = &plan.Join{Kind: plan.CrossJoin, Left: root, Right: n}
		}
	}
	if root == nil {
		root = &plan.Values{Rows: [][]plan.Expr{{}}}
	}
	return root, sc, nil
}

func isDual(t sqlparser.TableExpr) bool {
	a, ok := t.(*sqlparser.AliasedTableExpr)
	if !ok {
		return false
	}
	tn, ok := a.Expr.(sqlparser.TableName)
	return ok && tn.Qualifier.IsEmpty() && tn.Name.String() == "dual" && a.As.IsEmpty()
}

func (b *binder) tableExpr(t sqlparser.TableExpr) (plan.Node, *scope, error) {
	switch t := t.(type) {
	case *sqlparser.AliasedTableExpr:
		return b.aliasedTable(t)
	case *sqlparser.JoinTableExpr:
		return b.join(t)
	case *sqlparser.ParenTableExpr:
		return b.from(t.Exprs)
	}
	return nil, nil, unsupported("FROM item %s is not supported", sqlparser.String(t))
}

func (b *binder) aliasedTable(t *sqlparser.AliasedTableExpr) (plan.Node, *scope, error) {
	var (
		n      plan.Node
		name   = t.As.String()
		schema string
		cols   []plan.Column
	)
	switch e := t.Expr.(type) {
	case sqlparser.TableName:
		var err error
		n, schema, err = b.tableName(e)
		if err != nil {
			return nil, nil, err
		}
		if name == "" {
			name = e.Name.String()
		}
		if s, ok := n.(*plan.Scan); ok {
			s.Alias = name
			for i := range s.TableCols {
				s.TableCols[i].Table = name
			}
		}
		cols = n.Columns()
	case *sqlparser.DerivedTable:
		if e.Lateral {
			return nil, nil, unsupported("LATERAL is not supported")
		}
		sub, _, err := b.query(e.Select, nil)
		if err != nil {
			return nil, nil, err
		}
		n, cols = sub, sub.Columns()
	default:
		return nil, nil, unsupported("FROM item %s is not supported", sqlparser.String(t))
	}
	if len(t.Columns) > 0 {
		if len(t.Columns) > len(cols) {
			return nil, nil, b.errAt(sqlerr.InvalidColumnReference, name,
				"table \"%s\" has %d columns available but %d columns specified", name, len(cols), len(t.Columns))
		}
		// A projection under the new names (same columns), so that the
		// query above names its output columns after them.
		exprs := make([]plan.Expr, len(cols))
		cols = append([]plan.Column(nil), cols...)
		for i, c := range cols {
			exprs[i] = c.Ref()
			if i < len(t.Columns) {
				cols[i].Name = t.Columns[i].String()
			}
		}
		n = &plan.Project{Input: n, Exprs: exprs, Cols: cols}
	}
	sc := &scope{}
	sc.add(name, schema, cols)
	return n, sc, nil
}

// tableName resolves a table or CTE name into a plan.
func (b *binder) tableName(tn sqlparser.TableName) (plan.Node, string, error) {
	name, schema := tn.Name.String(), tn.Qualifier.String()
	if schema == "" {
		for i := len(b.ctes) - 1; i >= 0; i-- {
			if def, ok := b.ctes[i][name]; ok {
				n, err := b.cte(def)
				return n, "", err
			}
		}
	}
	schemas := b.opts.SearchPath
	if schema != "" {
		schemas = []string{schema}
	}
	for _, s := range schemas {
		info, err := b.cat.Table(b.ctx, b.user, s, name, Select)
		if err != nil {
			return nil, "", b.positioned(err, name)
		}
		if info != nil {
			return b.scan(info), info.Schema, nil
		}
	}
	full := name
	if schema != "" {
		full = schema + "." + name
	}
	return nil, "", b.errAt(sqlerr.UndefinedTable, name, "relation \"%s\" does not exist", full)
}

// positioned gives a catalog error the position of word if it has none.
func (b *binder) positioned(err error, word string) error {
	if se, ok := err.(*sqlerr.Error); ok && se.Position == 0 {
		se.Position = b.pos(word)
	}
	return err
}

func (b *binder) scan(info *TableInfo) *plan.Scan {
	cols := make([]plan.Column, len(info.Columns))
	for i, c := range info.Columns {
		t, _ := types.Normalize(c.Type)
		if t == nil {
			t = c.Type
		}
		cols[i] = plan.Column{ID: b.ids.Next(), Name: c.Name, Table: info.Name, Type: t, Nullable: c.Nullable,
			Distinct: c.Distinct}
	}
	return &plan.Scan{
		Table: plan.TableRef{Schema: info.Schema, Name: info.Name, Server: info.Server,
			Wrapper: info.Wrapper, Rows: info.Rows},
		TableCols: cols,
	}
}

// cte binds a reference to a WITH query: each reference is bound afresh.
func (b *binder) cte(def *cteDef) (plan.Node, error) {
	saved := b.ctes
	b.ctes = b.ctes[:def.level]
	defer func() { b.ctes = saved }()
	n, _, err := b.query(def.ast.Subquery, nil)
	if err != nil {
		return nil, err
	}
	if len(def.ast.Columns) == 0 {
		return n, nil
	}
	cols := n.Columns()
	if len(def.ast.Columns) > len(cols) {
		return nil, b.errAt(sqlerr.InvalidColumnReference, def.name,
			"WITH query \"%s\" has %d columns available but %d columns specified", def.name, len(cols), len(def.ast.Columns))
	}
	exprs := make([]plan.Expr, len(cols))
	out := make([]plan.Column, len(cols))
	for i, c := range cols {
		exprs[i] = c.Ref()
		out[i] = c
		if i < len(def.ast.Columns) {
			out[i].Name = def.ast.Columns[i].String()
		}
	}
	return &plan.Project{Input: n, Exprs: exprs, Cols: out}, nil
}

// with makes the WITH queries visible; the returned func hides them again.
func (b *binder) with(w *sqlparser.With) (func(), error) {
	saved := b.ctes
	if w == nil {
		return func() {}, nil
	}
	if w.Recursive {
		return nil, unsupported("WITH RECURSIVE is not supported")
	}
	for _, c := range w.CTEs {
		name := c.ID.String()
		b.ctes = append(b.ctes[:len(b.ctes):len(b.ctes)], map[string]*cteDef{name: {name: name, ast: c, level: len(b.ctes)}})
	}
	return func() { b.ctes = saved }, nil
}
