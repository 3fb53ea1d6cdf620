package conntest

import (
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/types"
)

// Builder builds Substrait filter expressions over the standard table's
// schema with substrait-go's ExprBuilder and the default extensions.
type Builder struct {
	b expr.ExprBuilder
}

// NewBuilder returns a Builder for Schema().
func NewBuilder() *Builder {
	req, opt := types.NullabilityRequired, types.NullabilityNullable
	base := types.NewRecordTypeFromTypes([]types.Type{
		&types.Int64Type{Nullability: req},
		&types.Int32Type{Nullability: opt},
		&types.Float64Type{Nullability: opt},
		&types.StringType{Nullability: opt},
		&types.DateType{Nullability: opt},
		&types.DecimalType{Nullability: opt, Precision: DecimalType.Precision, Scale: DecimalType.Scale},
		&types.BooleanType{Nullability: opt},
	})
	return &Builder{b: expr.ExprBuilder{
		Reg:        expr.NewEmptyExtensionRegistry(extensions.GetDefaultCollectionWithNoError()),
		BaseSchema: base,
	}}
}

// The standard table's column indexes.
const (
	ColID = iota
	ColI32
	ColF64
	ColS
	ColD
	ColDec
	ColB
)

// Arg is an operand: a column or a literal.
type Arg = expr.FuncArgBuilder

// Col references column i of the standard table.
func (b *Builder) Col(i int) Arg { return b.b.RootRef(expr.NewStructFieldRef(int32(i))) }

// Int64, Int32, Float64, String, Bool, Date and Decimal are literals.
func (b *Builder) Int64(v int64) Arg { return b.b.Wrap(expr.NewLiteral(v, false)) }

// Int32 is an int32 literal.
func (b *Builder) Int32(v int32) Arg { return b.b.Wrap(expr.NewLiteral(v, false)) }

// Float64 is a float64 literal.
func (b *Builder) Float64(v float64) Arg { return b.b.Wrap(expr.NewLiteral(v, false)) }

// String is a string literal.
func (b *Builder) String(v string) Arg { return b.b.Wrap(expr.NewLiteral(v, false)) }

// Bool is a boolean literal.
func (b *Builder) Bool(v bool) Arg { return b.b.Wrap(expr.NewLiteral(v, false)) }

// Date is a date literal (days since the epoch).
func (b *Builder) Date(days int32) Arg { return b.b.Wrap(expr.NewLiteral(types.Date(days), false)) }

// Decimal is a decimal(10,2) literal of hundredths.
func (b *Builder) Decimal(hundredths int64) Arg {
	return b.b.Wrap(expr.NewLiteral(decimalOf(hundredths), false))
}

// NullInt32 is a NULL of type int32.
func (b *Builder) NullInt32() Arg {
	return b.b.Literal(expr.NewNullLiteral(&types.Int32Type{}))
}

// NullInt64 is a NULL of type int64.
func (b *Builder) NullInt64() Arg {
	return b.b.Literal(expr.NewNullLiteral(&types.Int64Type{}))
}

func decimalOf(hundredths int64) *types.Decimal {
	n := decimal128.FromI64(hundredths)
	var v [16]byte
	lo, hi := n.LowBits(), uint64(n.HighBits())
	for i := 0; i < 8; i++ {
		v[i] = byte(lo >> (8 * i))
		v[8+i] = byte(hi >> (8 * i))
	}
	return &types.Decimal{Value: v[:], Precision: DecimalType.Precision, Scale: DecimalType.Scale}
}

func id(urn, name string) extensions.ID {
	return extensions.ID{URN: extensions.SubstraitDefaultURNPrefix + urn, Name: name}
}

// Call builds a call of a comparison or boolean function by its Substrait
// name ("equal", "lt", "is_null", "and", ...).
func (b *Builder) Call(name string, args ...Arg) expr.Expression {
	urn := "functions_comparison"
	switch name {
	case "and", "or", "not":
		urn = "functions_boolean"
	case "add", "subtract", "multiply":
		urn = "functions_arithmetic"
	}
	e, err := b.b.ScalarFunc(id(urn, name)).Args(args...).BuildExpr()
	if err != nil {
		panic("conntest: building " + name + ": " + err.Error())
	}
	return e
}

// Expr wraps a built expression as an operand.
func (b *Builder) Expr(e expr.Expression) Arg { return b.b.Expression(e) }

// In builds "column IN (options...)".
func (b *Builder) In(col int, options ...Arg) expr.Expression {
	v, err := b.Col(col).(expr.Builder).BuildExpr()
	if err != nil {
		panic(err)
	}
	s := &expr.SingularOrList{Value: v}
	for _, o := range options {
		oe, err := o.(expr.Builder).BuildExpr()
		if err != nil {
			panic(err)
		}
		s.Options = append(s.Options, oe)
	}
	return s
}
