package arrowexec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"github.com/medleysql/medley/arrowexec/eval"
	"github.com/substrait-io/substrait-go/v8/expr"
)

func init() {
	compileFn = func(e expr.Expression, in *arrow.Schema, params []scalar.Scalar) (evaluator, error) {
		return eval.Compile(e, in, eval.Options{Params: params})
	}
}
