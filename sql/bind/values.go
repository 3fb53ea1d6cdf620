package bind

import (
	"fmt"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// values binds VALUES (...), (...): columns column1, column2, ... typed by
// the rows' common types.
func (b *binder) values(v *sqlparser.ValuesStatement) (plan.Node, error) {
	restore, err := b.with(v.With)
	if err != nil {
		return nil, err
	}
	defer restore()
	if len(v.Rows) == 0 {
		return nil, unsupported("VALUES with a list argument is not supported")
	}
	n, err := b.valueRows(v.Rows, nil)
	if err != nil {
		return nil, err
	}
	if len(v.Order) == 0 && v.Limit == nil {
		return n, nil
	}
	exprs := make([]plan.Expr, len(n.Cols))
	for i, c := range n.Cols {
		exprs[i] = c.Ref()
	}
	out, err := b.finish(&plan.Project{Input: n, Exprs: exprs, Cols: n.Cols}, nil, v.Order, v.Limit, false)
	if err != nil {
		return nil, err
	}
	return stripIdentity(out), nil
}

// valueRows binds rows of constants (or expressions without columns);
// want, when not nil, are the types to convert them to (INSERT).
func (b *binder) valueRows(rows sqlparser.Values, want []plan.Column) (*plan.Values, error) {
	width := len(rows[0])
	ctx := &exprCtx{scope: &scope{}, clause: "VALUES"}
	bound := make([][]plan.Expr, len(rows))
	for i, r := range rows {
		if len(r) != width {
			return nil, sqlerr.New(sqlerr.SyntaxError, "VALUES lists must all be the same length")
		}
		xs, err := b.exprs(ctx, r)
		if err != nil {
			return nil, err
		}
		bound[i] = xs
	}
	n := &plan.Values{Rows: bound}
	for j := 0; j < width; j++ {
		col := make([]plan.Expr, len(rows))
		for i := range bound {
			col[i] = bound[i][j]
		}
		t, err := b.commonType("VALUES", col)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("column%d", j+1)
		if want != nil && j < len(want) {
			t, name = want[j].Type, want[j].Name
		}
		nullable := false
		for i := range bound {
			if bound[i][j], err = b.coerce(bound[i][j], t); err != nil {
				return nil, err
			}
			nullable = nullable || mayBeNull(bound[i][j], n)
		}
		n.Cols = append(n.Cols, b.newCol(name, t, nullable))
	}
	return n, nil
}
