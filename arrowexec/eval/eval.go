// Package eval evaluates Substrait scalar expressions over Arrow record
// batches, vectorized: every kernel works on whole arrays (typed value slices,
// validity bitmaps, string offsets) with fast paths for arrays without NULLs
// and for literal operands, which are never materialised by the binary
// kernels.
//
// Semantics are PostgreSQL's: three-valued logic, integer overflow is an
// error (22003, never wrap-around), division by zero is 22012, decimals round
// half away from zero, casts parse strictly (22P02). String comparisons are
// bytewise on UTF-8 (PostgreSQL's C collation). Functions are those of
// sql/substrait/CONVENTIONS.md; anything else fails to compile with 0A000.
//
// Memory: every array an Expr returns is allocated from the allocator passed
// to Eval and belongs to the caller. Constants (literals, parameters, folded
// sub-expressions) are small Go-heap scalars held by the compiled Expr.
package eval

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/sqlerr"
)

// Options are the compile-time inputs of an expression besides its schema.
type Options struct {
	// Params are the values of DynamicParameter expressions, indexed by
	// parameter_reference ($1 is Params[0]).
	Params []scalar.Scalar
}

// Expr is a compiled expression. It is immutable and safe for concurrent use.
type Expr interface {
	// Type is the result type: the Substrait output type converted to Arrow.
	Type() arrow.DataType
	// Eval returns an array of batch.NumRows() values, allocated from mem;
	// the caller releases it.
	Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error)
}

// Compile prepares a Substrait expression for evaluation over batches whose
// schema is input.
func Compile(e expr.Expression, input *arrow.Schema, opts Options) (Expr, error) {
	c := &compiler{input: input, opts: opts}
	n, err := c.compile(e)
	if err != nil {
		return nil, err
	}
	if k, ok := n.(*constNode); ok {
		return k, nil
	}
	return &root{n}, nil
}

// root checks for cancellation once per batch.
type root struct{ Expr }

func (r *root) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	return r.Expr.Eval(ctx, mem, batch)
}

func cancelled(err error) error {
	return sqlerr.Wrap(err, sqlerr.QueryCanceled, "canceling statement due to user request")
}

// Scalar evaluates an expression that reads no columns (literals, parameters
// and functions of them) to a single value. The scalar does not reference
// memory from mem.
func Scalar(ctx context.Context, mem memory.Allocator, e Expr) (scalar.Scalar, error) {
	if r, ok := e.(*root); ok {
		e = r.Expr
	}
	if k, ok := e.(*constNode); ok {
		return k.sc, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	batch := oneRow()
	defer batch.Release()
	arr, err := e.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer arr.Release()
	return ownScalar(arr, 0)
}

// oneRow is a batch of one row and no columns, for evaluating constants.
func oneRow() arrow.RecordBatch {
	return array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, 1)
}

// compiler holds the state of one Compile call.
type compiler struct {
	input *arrow.Schema
	opts  Options
}

func (c *compiler) compile(e expr.Expression) (Expr, error) {
	switch e := e.(type) {
	case *expr.FieldReference:
		return c.fieldRef(e)
	case expr.Literal:
		return literal(e)
	case *expr.DynamicParameter:
		return c.param(e)
	case *expr.Cast:
		return c.cast(e)
	case *expr.IfThen:
		return c.ifThen(e)
	case *expr.SingularOrList:
		return c.inList(e)
	case *expr.ScalarFunction:
		return c.function(e)
	case nil:
		return nil, sqlerr.New(sqlerr.InternalError, "missing expression")
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "expression %T is not supported by the executor: %s", e, e)
}

// fold evaluates n once when all its inputs are constants and returns the
// constant; when evaluation fails the error is deferred to run time (a CASE
// branch that divides by zero must only fail when taken).
func fold(n Expr, args ...Expr) Expr {
	for _, a := range args {
		if _, ok := a.(*constNode); !ok {
			return n
		}
	}
	mem := memory.NewGoAllocator()
	sc, err := Scalar(context.Background(), mem, n)
	if err != nil {
		return n
	}
	return &constNode{dt: n.Type(), sc: sc}
}

func (c *compiler) compileArgs(f *expr.ScalarFunction) (args []Expr, enums []string, err error) {
	for i := 0; i < f.NArgs(); i++ {
		switch a := f.Arg(i).(type) {
		case types.Enum:
			enums = append(enums, string(a))
		case expr.Expression:
			n, err := c.compile(a)
			if err != nil {
				return nil, nil, err
			}
			args = append(args, n)
		default:
			return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "function argument %T of %s is not supported", a, f.Name())
		}
	}
	return args, enums, nil
}

// call is what a function builder receives.
type call struct {
	name  string
	args  []Expr
	enums []string
	out   arrow.DataType
	f     *expr.ScalarFunction
}

// option returns the first value of a function option, "" when absent.
func (k *call) option(name string) string {
	if k.f == nil {
		return ""
	}
	if v := k.f.GetOption(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

type builder func(c *compiler, k *call) (Expr, error)

func (c *compiler) function(f *expr.ScalarFunction) (Expr, error) {
	args, enums, err := c.compileArgs(f)
	if err != nil {
		return nil, err
	}
	out, err := arrowType(f.GetType())
	if err != nil {
		return nil, err
	}
	k := &call{name: f.Name(), args: args, enums: enums, out: out, f: f}
	b, ok := functions[k.name]
	if !ok {
		return nil, unsupported(k)
	}
	n, err := b(c, k)
	if err != nil {
		return nil, err
	}
	return fold(n, args...), nil
}

// unsupported is the error for a function without a kernel for its arguments.
func unsupported(k *call) error {
	return sqlerr.New(sqlerr.FeatureNotSupported, "function %s is not supported", signature(k))
}

func signature(k *call) string {
	parts := make([]string, 0, len(k.enums)+len(k.args))
	parts = append(parts, k.enums...)
	for _, a := range k.args {
		parts = append(parts, sqlTypeName(a.Type()))
	}
	return fmt.Sprintf("%s(%s)", k.name, strings.Join(parts, ", "))
}

// functions maps Substrait function names to their builders; filled by the
// init functions of the files that implement them.
var functions = map[string]builder{}

func register(b builder, names ...string) {
	for _, n := range names {
		if _, dup := functions[n]; dup {
			panic("eval: function registered twice: " + n)
		}
		functions[n] = b
	}
}

// asSQLErr converts arbitrary errors into engine errors.
func asSQLErr(err error) error {
	var se *sqlerr.Error
	if err == nil || errors.As(err, &se) {
		return err
	}
	return sqlerr.Wrap(err, sqlerr.InternalError, "expression evaluation")
}
