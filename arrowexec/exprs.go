package arrowexec

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"
)

// evaluator is a compiled scalar expression: the shape of eval.Expr.
type evaluator interface {
	Type() arrow.DataType
	// Eval returns a new reference to an array of batch.NumRows() values;
	// the caller releases it.
	Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error)
}

// compileFn compiles expressions that are not plain column references. It
// is set to eval.Compile by eval_bridge.go.
var compileFn func(e expr.Expression, in *arrow.Schema, params []scalar.Scalar) (evaluator, error)

// colRef evaluates a direct reference to a column without copying.
type colRef struct {
	idx int
	typ arrow.DataType
}

func (c *colRef) Type() arrow.DataType { return c.typ }

func (c *colRef) Eval(_ context.Context, _ memory.Allocator, b arrow.RecordBatch) (arrow.Array, error) {
	col := b.Column(c.idx)
	col.Retain()
	return col, nil
}

// fieldIndex returns the column index of a direct root field reference.
func fieldIndex(e expr.Expression) (int, bool) {
	fr, ok := e.(*expr.FieldReference)
	if !ok || fr.Root != expr.RootReference {
		return 0, false
	}
	sf, ok := fr.Reference.(*expr.StructFieldRef)
	if !ok || sf.Child != nil {
		return 0, false
	}
	return int(sf.Field), true
}

// compile compiles e over schema in.
func (r *run) compile(e expr.Expression, in *arrow.Schema) (evaluator, error) {
	return compileExpr(e, in, r.params)
}

func compileExpr(e expr.Expression, in *arrow.Schema, params []scalar.Scalar) (evaluator, error) {
	if i, ok := fieldIndex(e); ok {
		if i < 0 || i >= in.NumFields() {
			return nil, sqlerr.New(sqlerr.InvalidColumnReference,
				"field reference %d out of range (input has %d columns)", i, in.NumFields())
		}
		return &colRef{idx: i, typ: in.Field(i).Type}, nil
	}
	if compileFn == nil {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "expression %s: no evaluator linked", e)
	}
	ev, err := compileFn(e, in, params)
	if err != nil {
		return nil, wrapCode(err, sqlerr.FeatureNotSupported, "expression %s", e)
	}
	return ev, nil
}

// wrapCode keeps err's SQLSTATE or gives it code.
func wrapCode(err error, code sqlerr.Code, format string, args ...any) error {
	if sqlerr.CodeOf(err) != sqlerr.InternalError {
		return err
	}
	return sqlerr.Wrap(err, code, format, args...)
}

// remapFields rewrites the root field references of e with f (old index →
// new index).
func remapFields(e expr.Expression, f func(int32) int32) (expr.Expression, error) {
	var err error
	var visit expr.VisitFunc
	visit = func(x expr.Expression) expr.Expression {
		fr, ok := x.(*expr.FieldReference)
		if !ok {
			return x.Visit(visit)
		}
		sf, ok := fr.Reference.(*expr.StructFieldRef)
		if !ok || fr.Root != expr.RootReference {
			return x
		}
		nr, e2 := expr.NewRootFieldRefFromType(&expr.StructFieldRef{Field: f(sf.Field), Child: sf.Child}, fr.GetType())
		if e2 != nil {
			err = e2
			return x
		}
		return nr
	}
	out := visit(e)
	return out, err
}

// fieldsUsed adds the root field indexes e references to set.
func fieldsUsed(e expr.Expression, set map[int32]bool) {
	var visit expr.VisitFunc
	visit = func(x expr.Expression) expr.Expression {
		if fr, ok := x.(*expr.FieldReference); ok {
			if sf, ok := fr.Reference.(*expr.StructFieldRef); ok && fr.Root == expr.RootReference {
				set[sf.Field] = true
			}
			return x
		}
		return x.Visit(visit)
	}
	visit(e)
}

// conjuncts splits e at the top-level "and" calls.
func conjuncts(e expr.Expression) []expr.Expression {
	if e == nil {
		return nil
	}
	if sf, ok := e.(*expr.ScalarFunction); ok && sf.Name() == "and" {
		var out []expr.Expression
		for i := 0; i < sf.NArgs(); i++ {
			a, ok := sf.Arg(i).(expr.Expression)
			if !ok {
				return []expr.Expression{e}
			}
			out = append(out, conjuncts(a)...)
		}
		return out
	}
	return []expr.Expression{e}
}

// describeExpr is an expression's EXPLAIN text.
func describeExpr(e expr.Expression) string {
	if e == nil {
		return ""
	}
	return fmt.Sprint(e)
}

var _ = types.NullabilityNullable

// describeExprs is a conjunction's EXPLAIN text.
func describeExprs(es []expr.Expression) string {
	ss := make([]string, len(es))
	for i, e := range es {
		ss[i] = describeExpr(e)
	}
	return strings.Join(ss, " AND ")
}
