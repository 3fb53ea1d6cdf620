package arrowexec

import (
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
)

func (pl *planner) window(in node, exprs []expr.Expression) (node, error) {
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "todo")
}
func hasWindow(exprs []expr.Expression) bool { return false }
