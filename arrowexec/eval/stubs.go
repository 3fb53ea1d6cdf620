package eval

import (
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/sql/sqlerr"
)

func (c *compiler) ifThen(e *expr.IfThen) (Expr, error) {
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "CASE is not supported yet")
}

func (c *compiler) inList(e *expr.SingularOrList) (Expr, error) {
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "IN is not supported yet")
}

func buildDatetimeArith(k *call, op arithOp) (Expr, error) { return nil, unsupported(k) }
