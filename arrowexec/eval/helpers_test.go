package eval

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/substrait/ext"
	sqltypes "github.com/medleysql/medley/sql/types"
)

var reg = expr.NewExtensionRegistry(extensions.NewSet(), ext.Collection())

// st converts an Arrow type to its (nullable) Substrait type.
func st(t testing.TB, dt arrow.DataType) types.Type {
	t.Helper()
	s, err := sqltypes.ToSubstrait(dt, true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fn builds a call of the named function with an explicit output type, as
// the compiler does.
func fn(t testing.TB, name string, out arrow.DataType, args ...types.FuncArg) expr.Expression {
	return fnOpts(t, name, out, nil, args...)
}

func fnOpts(t testing.TB, name string, out arrow.DataType, opts []*types.FunctionOption, args ...types.FuncArg) expr.Expression {
	t.Helper()
	for _, v := range ext.Collection().GetAllScalarFunctions() {
		if v.Name() == name {
			f, err := expr.NewCustomScalarFunc(reg, v, st(t, out), opts, args...)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("no function %s", name)
	return nil
}

// col references column i of type dt.
func col(t testing.TB, i int, dt arrow.DataType) expr.Expression {
	t.Helper()
	r, err := expr.NewFieldRefFromType(expr.RootReference, expr.NewStructFieldRef(int32(i)), st(t, dt))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func lit(t testing.TB, v any) expr.Expression {
	t.Helper()
	var l expr.Literal
	var err error
	switch v := v.(type) {
	case int:
		l = expr.NewPrimitiveLiteral(int64(v), true)
	case int32:
		l = expr.NewPrimitiveLiteral(v, true)
	case int16:
		l = expr.NewPrimitiveLiteral(v, true)
	case float64:
		l = expr.NewPrimitiveLiteral(v, true)
	case string:
		l = expr.NewPrimitiveLiteral(v, true)
	case bool:
		l = expr.NewPrimitiveLiteral(v, true)
	case expr.Literal:
		l = v
	default:
		t.Fatalf("lit %T", v)
	}
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// decLit is a decimal literal from its text.
func decLit(t testing.TB, s string, p, sc int32) expr.Expression {
	t.Helper()
	n, err := parseDecimal(s, p, sc)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 16)
	lo, hi := n.LowBits(), uint64(n.HighBits())
	for i := 0; i < 8; i++ {
		b[i] = byte(lo >> (8 * i))
		b[8+i] = byte(hi >> (8 * i))
	}
	l, err := expr.NewLiteral(&types.Decimal{Value: b, Precision: p, Scale: sc}, true)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func nullLit(t testing.TB, dt arrow.DataType) expr.Expression {
	return expr.NewNullLiteral(st(t, dt))
}

// column is a column for a test batch: a type and values (nil is NULL).
type column struct {
	dt   arrow.DataType
	vals []any
}

func c(dt arrow.DataType, vals ...any) column { return column{dt, vals} }

func buildArray(t testing.TB, mem memory.Allocator, cl column) arrow.Array {
	t.Helper()
	b := array.NewBuilder(mem, cl.dt)
	defer b.Release()
	for _, v := range cl.vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		switch b := b.(type) {
		case *array.Decimal128Builder:
			_, s := decimalOf(cl.dt)
			n, err := parseDecimal(v.(string), 38, s)
			if err != nil {
				t.Fatal(err)
			}
			b.Append(n)
		default:
			if err := b.AppendValueFromString(fmt.Sprint(v)); err != nil {
				t.Fatalf("append %v to %s: %v", v, cl.dt, err)
			}
		}
	}
	return b.NewArray()
}

// batch makes a record batch of the columns (named c0, c1, ...).
func batch(t testing.TB, mem memory.Allocator, cols ...column) arrow.RecordBatch {
	t.Helper()
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	rows := 0
	for i, cl := range cols {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: cl.dt, Nullable: true}
		arrs[i] = buildArray(t, mem, cl)
		defer arrs[i].Release()
		rows = len(cl.vals)
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), arrs, int64(rows))
}

// evalStrings compiles e over the batch's schema, evaluates it and prints
// the result ("NULL" for NULL).
func evalStrings(t testing.TB, mem memory.Allocator, e expr.Expression, b arrow.RecordBatch) ([]string, error) {
	t.Helper()
	x, err := Compile(e, b.Schema(), Options{})
	if err != nil {
		return nil, err
	}
	a, err := x.Eval(context.Background(), mem, b)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	if !arrow.TypeEqual(a.DataType(), x.Type()) {
		t.Errorf("result type %s, Type() says %s", a.DataType(), x.Type())
	}
	if a.Len() != int(b.NumRows()) {
		t.Errorf("result has %d rows, batch %d", a.Len(), b.NumRows())
	}
	return show(t, a), nil
}

func show(t testing.TB, a arrow.Array) []string {
	f, err := formatter(a)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, a.Len())
	for i := range out {
		if a.IsNull(i) {
			out[i] = "NULL"
		} else {
			out[i] = string(f(nil, i))
		}
	}
	return out
}

// exprCase is one table-driven case: an expression over columns, and the
// expected output or SQLSTATE.
type exprCase struct {
	name string
	cols []column
	e    func(t testing.TB) expr.Expression
	want string // rows joined by "|"
	code sqlerr.Code
	msg  string // substring of the error message
}

func runCases(t *testing.T, cases []exprCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			b := batch(t, mem, tc.cols...)
			defer b.Release()
			got, err := evalStrings(t, mem, tc.e(t), b)
			if tc.code != "" {
				if sqlerr.CodeOf(err) != tc.code || !strings.Contains(fmt.Sprint(err), tc.msg) {
					t.Fatalf("error %v (%s), want %s %q; result %v", err, sqlerr.CodeOf(err), tc.code, tc.msg, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := strings.Join(got, "|"); s != tc.want {
				t.Fatalf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
}

var (
	i16  = arrow.PrimitiveTypes.Int16
	i32  = arrow.PrimitiveTypes.Int32
	i64  = arrow.PrimitiveTypes.Int64
	f64  = arrow.PrimitiveTypes.Float64
	str  = arrow.BinaryTypes.String
	bl   = arrow.FixedWidthTypes.Boolean
	dt32 = arrow.FixedWidthTypes.Date32
	ts   = sqltypes.Timestamp
)

func dec(p, s int32) arrow.DataType { return &arrow.Decimal128Type{Precision: p, Scale: s} }

var _ = decimal128.Num{}

func dtOf(v any) arrow.DataType { return v.(arrow.DataType) }

// dateLit is a date literal from ISO text.
func dateLit(t testing.TB, s string) expr.Expression {
	t.Helper()
	d, err := parseDate(s, dt32)
	if err != nil {
		t.Fatal(err)
	}
	return expr.NewPrimitiveLiteral(types.Date(int32(d.(int64))), true)
}

func strsFor(vals []any) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		if v != nil {
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}

func joinRows(rows []string) string { return strings.Join(rows, "|") }
