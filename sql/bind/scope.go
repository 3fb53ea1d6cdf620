package bind

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// scopeCol is a column visible to expressions: a column of a FROM item.
type scopeCol struct {
	table  string // the FROM item's name (alias or table name)
	schema string // the table's schema, for schema-qualified references
	col    plan.Column
	hidden bool // the right copy of a USING column: only qualified access
}

// scope is the set of columns an expression may reference; parent is the
// enclosing query's scope (for correlated subqueries).
type scope struct {
	parent *scope
	cols   []scopeCol
}

func (s *scope) add(table, schema string, cols []plan.Column) {
	for _, c := range cols {
		c.Table = table
		s.cols = append(s.cols, scopeCol{table: table, schema: schema, col: c})
	}
}

func (s *scope) hasTable(name string) bool {
	for _, c := range s.cols {
		if c.table == name {
			return true
		}
	}
	return false
}

// lookup finds the columns named by ref in this scope only.
func (s *scope) lookup(ref *sqlparser.ColName) []plan.Column {
	name := ref.Name.String()
	table, schema := ref.Qualifier.Name.String(), ref.Qualifier.Qualifier.String()
	var found []plan.Column
	seen := plan.ColumnSet{}
	for _, c := range s.cols {
		if c.col.Name != name {
			continue
		}
		if table == "" && c.hidden {
			continue
		}
		if table != "" && (c.table != table || schema != "" && c.schema != schema) {
			continue
		}
		if !seen.Has(c.col.ID) {
			seen.Add(c.col.ID)
			found = append(found, c.col)
		}
	}
	return found
}

// resolve finds the column ref names, searching enclosing scopes outward.
func (b *binder) resolve(s *scope, ref *sqlparser.ColName) (plan.Column, error) {
	name := ref.Name.String()
	for sc := s; sc != nil; sc = sc.parent {
		found := sc.lookup(ref)
		switch {
		case len(found) == 1:
			return found[0], nil
		case len(found) > 1:
			return plan.Column{}, b.errAt(sqlerr.AmbiguousColumn, name, "column reference \"%s\" is ambiguous", name)
		}
	}
	if q := ref.Qualifier.Name.String(); q != "" {
		known := false
		for sc := s; sc != nil; sc = sc.parent {
			known = known || sc.hasTable(q)
		}
		if !known {
			return plan.Column{}, b.errAt(sqlerr.UndefinedTable, q, "missing FROM-clause entry for table \"%s\"", q)
		}
		return plan.Column{}, b.errAt(sqlerr.UndefinedColumn, name, "column %s.%s does not exist", q, name)
	}
	return plan.Column{}, b.errAt(sqlerr.UndefinedColumn, name, "column \"%s\" does not exist", name)
}

// star expands * or t.* into the visible columns.
func (b *binder) star(s *scope, st *sqlparser.StarExpr) ([]plan.Column, error) {
	table := st.TableName.Name.String()
	var out []plan.Column
	for _, c := range s.cols {
		if table == "" && c.hidden || table != "" && c.table != table {
			continue
		}
		out = append(out, c.col)
	}
	if table != "" && len(out) == 0 {
		return nil, b.errAt(sqlerr.UndefinedTable, table, "missing FROM-clause entry for table \"%s\"", table)
	}
	if len(out) == 0 {
		return nil, sqlerr.New(sqlerr.SyntaxError, "SELECT * with no tables specified is not valid")
	}
	return out, nil
}
