package sqlgen

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/types"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The test table: conntest's standard columns, then more types.
const (
	colTs = iota + conntest.ColB + 1
	colTz
	colBytes
	colF32
	colIv
	colChar
	colI16
)

func testColumns() []ColumnRef {
	var cols []ColumnRef
	for _, f := range conntest.Schema().Fields() {
		cols = append(cols, ColumnRef{Name: f.Name, Type: f.Type})
	}
	return append(cols,
		ColumnRef{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond}},
		ColumnRef{Name: "tz", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
		ColumnRef{Name: "bin", Type: arrow.BinaryTypes.Binary},
		ColumnRef{Name: "f32", Type: arrow.PrimitiveTypes.Float32},
		ColumnRef{Name: "iv", Type: arrow.FixedWidthTypes.MonthDayNanoInterval},
		ColumnRef{Name: "ch", Type: arrow.BinaryTypes.String, Padded: true},
		ColumnRef{Name: "i16", Type: arrow.PrimitiveTypes.Int16},
	)
}

type builder struct{ b expr.ExprBuilder }

func newBuilder() *builder {
	n := types.NullabilityNullable
	return &builder{b: expr.ExprBuilder{
		Reg: expr.NewEmptyExtensionRegistry(extensions.GetDefaultCollectionWithNoError()),
		BaseSchema: types.NewRecordTypeFromTypes([]types.Type{
			&types.Int64Type{Nullability: types.NullabilityRequired}, &types.Int32Type{Nullability: n},
			&types.Float64Type{Nullability: n}, &types.StringType{Nullability: n}, &types.DateType{Nullability: n},
			&types.DecimalType{Nullability: n, Precision: 10, Scale: 2}, &types.BooleanType{Nullability: n},
			&types.PrecisionTimestampType{Nullability: n, Precision: 6}, &types.PrecisionTimestampTzType{PrecisionTimestampType: types.PrecisionTimestampType{Nullability: n, Precision: 6}},
			&types.BinaryType{Nullability: n}, &types.Float32Type{Nullability: n},
			&types.IntervalYearType{Nullability: n}, &types.StringType{Nullability: n}, &types.Int16Type{Nullability: n},
		}),
	}}
}

func (b *builder) col(i int) expr.FuncArgBuilder {
	return b.b.RootRef(expr.NewStructFieldRef(int32(i)))
}
func (b *builder) lit(l expr.Literal) expr.FuncArgBuilder {
	return b.b.Literal(l)
}
func (b *builder) v(v any) expr.FuncArgBuilder {
	var l expr.Literal
	switch x := v.(type) {
	case int64:
		l = expr.NewPrimitiveLiteral(x, false)
	case int32:
		l = expr.NewPrimitiveLiteral(x, false)
	case float64:
		l = expr.NewPrimitiveLiteral(x, false)
	case float32:
		l = expr.NewPrimitiveLiteral(x, false)
	case string:
		l = expr.NewPrimitiveLiteral(x, false)
	case []byte:
		l = expr.NewByteSliceLiteral(x, false)
	case bool:
		l = expr.NewPrimitiveLiteral(x, false)
	default:
		panic(fmt.Sprintf("literal %T", v))
	}
	return b.b.Literal(l)
}
func (b *builder) e(e expr.Expression) expr.FuncArgBuilder { return b.b.Expression(e) }

func (b *builder) call(urn, name string, opts map[string]string, args ...expr.FuncArgBuilder) expr.Expression {
	id := extensions.ID{URN: extensions.SubstraitDefaultURNPrefix + urn, Name: name}
	if len(opts) > 0 {
		var fo []*types.FunctionOption
		for k, v := range opts {
			fo = append(fo, &types.FunctionOption{Name: k, Preference: []string{v}})
		}
		fargs := make([]types.FuncArg, len(args))
		for i, a := range args {
			fa, err := a.BuildFuncArg()
			if err != nil {
				panic(err)
			}
			fargs[i] = fa
		}
		f, err := expr.NewScalarFunc(b.b.Reg, id, fo, fargs...)
		if err != nil {
			panic(name + ": " + err.Error())
		}
		return f
	}
	e, err := b.b.ScalarFunc(id).Args(args...).BuildExpr()
	if err != nil {
		panic(name + ": " + err.Error())
	}
	return e
}

func (b *builder) cmp(name string, args ...expr.FuncArgBuilder) expr.Expression {
	return b.call("functions_comparison", name, nil, args...)
}

func (b *builder) cast(arg expr.FuncArgBuilder, t types.Type) expr.Expression {
	in, err := arg.(expr.Builder).BuildExpr()
	if err != nil {
		panic(err)
	}
	return &expr.Cast{Type: t, Input: in}
}

type selectCase struct {
	name string
	q    func(b *builder) Query
}

func filters(fs ...expr.Expression) func(b *builder) Query {
	return func(*builder) Query { return Query{Project: []int{0}, Filters: fs, Limit: -1} }
}

func selectCases(b *builder) []selectCase {
	c := conntest.NewBuilder()
	var cases []selectCase
	for _, fc := range conntest.FilterCases() {
		cases = append(cases, selectCase{"conntest " + fc.Name, filters(fc.Build(c))})
	}
	req := types.NullabilityRequired
	ts := expr.NewPrecisionTimestampLiteral(1704067200123456, types.PrecisionMicroSeconds, req)
	tz := expr.NewPrecisionTimestampTzLiteral(1704067200000000, types.PrecisionMicroSeconds, req)
	tsNano := expr.NewPrecisionTimestampLiteral(1704067200123456789, types.PrecisionNanoSeconds, req)
	iv, _ := expr.NewLiteral(&types.IntervalYearToMonth{Years: 1}, false)
	like := func(pat string, opts map[string]string) expr.Expression {
		return b.call("functions_string", "like", opts, b.col(conntest.ColS), b.v(pat))
	}
	more := []selectCase{
		{"timestamp", filters(b.cmp("gte", b.col(colTs), b.lit(ts)))},
		{"timestamptz", filters(b.cmp("lt", b.col(colTz), b.lit(tz)))},
		{"timestamp with nanoseconds", filters(&expr.SingularOrList{Value: must(b.col(colTs)), Options: []expr.Expression{tsNano}})},
		{"bytes", filters(b.cmp("equal", b.col(colBytes), b.v([]byte{0, 'a', '\'', 0xff})))},
		{"float4", filters(b.cmp("gt", b.col(colF32), b.v(float32(1.1))))},
		{"float column vs column", filters(b.cmp("gt", b.col(conntest.ColF64), b.e(b.cast(b.col(colF32), &types.Float64Type{}))))},
		{"float not equal columns", filters(b.cmp("not_equal", b.col(conntest.ColF64), b.col(conntest.ColF64)))},
		{"float NaN literal", filters(b.cmp("lt", b.col(conntest.ColF64), b.v(nan())))},
		{"negative float", filters(b.cmp("gt", b.col(conntest.ColF64), b.v(-2.5)))},
		{"interval", filters(b.cmp("equal", b.col(colIv), b.lit(iv)))},
		{"char(n) column", filters(b.cmp("equal", b.col(colChar), b.v("x")))},
		{"char(n) is null", filters(b.cmp("is_null", b.col(colChar)))},
		{"regexp_match", filters(b.call("functions_string", "regexp_match_substring", nil, b.col(conntest.ColS), b.v("a+")))},
		{"like", filters(like(`a%b_c\%d!e`, nil))},
		{"like glob specials", filters(like(`[x]*?%`, nil))},
		{"ilike", filters(like("abc%", map[string]string{"case_sensitivity": "CASE_INSENSITIVE"}))},
		{"is distinct from", filters(b.cmp("is_distinct_from", b.col(conntest.ColI32), b.v(int32(3))))},
		{"is not distinct from string", filters(b.cmp("is_not_distinct_from", b.col(conntest.ColS), b.v("a")))},
		{"widening cast", filters(b.cmp("equal", b.e(b.cast(b.col(colI16), &types.Int64Type{})), b.v(int64(7))))},
		{"narrowing cast", filters(b.cmp("equal", b.e(b.cast(b.col(conntest.ColID), &types.Int32Type{})), b.v(int32(7))))},
		{"cast int to decimal", filters(b.cmp("is_not_null", b.e(b.cast(b.col(conntest.ColI32), &types.DecimalType{Precision: 12, Scale: 2}))))},
		{"is distinct from, as the binder writes it", filters(b.cmp("is_false", b.e(b.cmp("is_not_distinct_from", b.col(conntest.ColI32), b.v(int32(3))))))},
		{"is not true", filters(b.cmp("is_not_true", b.e(b.cmp("gt", b.col(conntest.ColI32), b.v(int32(3))))))},
		{"widening decimal cast", filters(b.cmp("is_not_null", b.e(b.cast(b.col(conntest.ColDec), &types.DecimalType{Precision: 14, Scale: 3}))))},
		{"narrowing decimal cast", filters(b.cmp("is_not_null", b.e(b.cast(b.col(conntest.ColDec), &types.DecimalType{Precision: 5, Scale: 1}))))},
		{"cast string to int", filters(b.cmp("equal", b.e(b.cast(b.col(conntest.ColS), &types.Int64Type{})), b.v(int64(1))))},
		{"integer arithmetic", filters(b.cmp("equal", b.e(b.call("functions_arithmetic", "modulus", nil,
			b.e(b.call("functions_arithmetic", "divide", nil, b.col(conntest.ColID), b.v(int64(-3)))), b.v(int64(2)))), b.v(int64(1))))},
		{"decimal arithmetic", filters(b.cmp("is_not_null", b.e(b.call("functions_arithmetic_decimal", "multiply", nil, b.col(conntest.ColDec), b.col(conntest.ColDec)))))},
		{"decimal division", filters(b.cmp("is_not_null", b.e(b.call("functions_arithmetic_decimal", "divide", nil, b.col(conntest.ColDec), b.col(conntest.ColDec)))))},
		{"string with quotes and backslash", filters(b.cmp("equal", b.col(conntest.ColS), b.v(`it's a \ test -- /* x */ $$`)))},
		{"string with NUL", filters(b.cmp("equal", b.col(conntest.ColS), b.v("a\x00b")))},
		{"min int64", filters(b.cmp("gt", b.col(conntest.ColID), b.v(int64(-1<<63))))},
		{"projection none", func(*builder) Query { return Query{Limit: -1} }},
		{"limit with exact filters", func(*builder) Query {
			return Query{Project: []int{0, 3}, Filters: []expr.Expression{b.cmp("is_not_null", b.col(conntest.ColS))}, Limit: 10}
		}},
		{"limit with an unsupported filter", func(*builder) Query {
			return Query{Project: []int{0}, Filters: []expr.Expression{b.cmp("is_not_null", b.col(conntest.ColS)), like("a", map[string]string{"case_sensitivity": "CASE_INSENSITIVE"})}, Limit: 10}
		}},
		{"order and limit", func(*builder) Query {
			return Query{Project: []int{0, 3}, Limit: 5, Order: []connectors.SortKey{{Column: conntest.ColS, Descending: true, NullsFirst: true}, {Column: conntest.ColID}}}
		}},
		{"order by float", func(*builder) Query {
			return Query{Project: []int{0}, Limit: 5, Order: []connectors.SortKey{{Column: conntest.ColF64}}}
		}},
		{"extra condition", func(*builder) Query {
			return Query{Project: []int{0}, Limit: 5, Extra: []string{"(ctid >= '(0,0)')"}}
		}},
		{"identifiers", func(*builder) Query {
			return Query{Table: []string{`we"ird`, "tab`le"}, Columns: []ColumnRef{{Name: `a"b`, Type: arrow.PrimitiveTypes.Int64}, {Name: "c`d -- x", Type: arrow.PrimitiveTypes.Int64}}, Project: []int{1, 0}, Limit: -1}
		}},
	}
	return append(cases, more...)
}

func TestSelectGolden(t *testing.T) {
	for _, d := range []*Dialect{PostgreSQL, MySQL, SQLite} {
		t.Run(d.Name, func(t *testing.T) {
			b := newBuilder()
			var out strings.Builder
			for _, c := range selectCases(b) {
				q := c.q(b)
				if q.Table == nil {
					q.Table = []string{"public", "std"}
				}
				if q.Columns == nil {
					q.Columns = testColumns()
				}
				res, err := Select(d, q)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				fmt.Fprintf(&out, "-- %s\n%s\n", c.name, res.SQL)
				for i, s := range res.Support {
					fmt.Fprintf(&out, "   filter %d: %s\n", i+1, s)
				}
				for _, r := range res.Reasons {
					fmt.Fprintf(&out, "   %s\n", r)
				}
				if res.OrderReason != "" {
					fmt.Fprintf(&out, "   order not shipped: %s\n", res.OrderReason)
				}
				if len(res.Support) != len(q.Filters) {
					t.Errorf("%s: %d answers for %d filters", c.name, len(res.Support), len(q.Filters))
				}
			}
			golden(t, filepath.Join("testdata", strings.ToLower(d.Name)+".golden"), out.String())
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run with -update and diff):\n%s", path, got)
	}
}

func nan() float64 { var z float64; return z / z }

func must(a expr.FuncArgBuilder) expr.Expression {
	e, err := a.(expr.Builder).BuildExpr()
	if err != nil {
		panic(err)
	}
	return e
}
