package substrait

import (
	"github.com/substrait-io/substrait-go/v8/expr"
	splan "github.com/substrait-io/substrait-go/v8/plan"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/substrait/ext"
)

// Exprs converts scalar expressions over a table's columns (cols, in the
// table's schema order) to Substrait expressions whose field references
// index cols: the form connectors.Updater and connectors.Deleter take for
// UPDATE's SET values and the WHERE of UPDATE and DELETE.
func Exprs(cols []plan.Column, es []plan.Expr) (out []expr.Expression, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = sqlerr.New(sqlerr.InternalError, "converting an expression to Substrait: %v", r)
		}
	}()
	b := splan.NewBuilder(ext.Collection())
	c := &converter{b: b, reg: b.GetExprBuilder().Reg}
	l, err := newLayout(cols)
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.InternalError, "converting an expression to Substrait")
	}
	out = make([]expr.Expression, len(es))
	for i, e := range es {
		if out[i], err = c.expr(e, l); err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.FeatureNotSupported, "converting an expression to Substrait")
		}
	}
	return out, nil
}
