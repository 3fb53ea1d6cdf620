package arrowexec

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute/exprs"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"
	proto "github.com/substrait-io/substrait-protobuf/go/substraitpb"
)

const (
	cmpURN   = extensions.SubstraitDefaultURNPrefix + "functions_comparison"
	boolURN  = extensions.SubstraitDefaultURNPrefix + "functions_boolean"
	arithURN = extensions.SubstraitDefaultURNPrefix + "functions_arithmetic"
	aggURN   = extensions.SubstraitDefaultURNPrefix + "functions_aggregate_generic"
)

// testTable is a connectors.Table over Arrow batches, one partition per
// batch. Filters are answered with support; Exact filters are applied.
type testTable struct {
	sch     *arrow.Schema
	batches []arrow.RecordBatch
	support connectors.FilterSupport
	failAt  int // a partition whose reader fails after one batch; -1 none
	lastReq connectors.ScanRequest
}

func (t *testTable) Schema() *arrow.Schema { return t.sch }
func (t *testTable) Statistics(context.Context) (connectors.Statistics, error) {
	return connectors.UnknownStatistics, nil
}

func (t *testTable) Scan(_ context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	t.lastReq = req
	fields := make([]arrow.Field, len(req.Columns))
	for i, c := range req.Columns {
		fields[i] = t.sch.Field(c)
	}
	sp := &connectors.ScanPlan{Schema: arrow.NewSchema(fields, nil), Explain: []string{"test table"}}
	for range req.Filters {
		sp.FilterSupport = append(sp.FilterSupport, t.support)
	}
	for i, b := range t.batches {
		sp.Partitions = append(sp.Partitions, &testPart{t: t, b: b, req: req, out: sp.Schema, fail: i == t.failAt})
	}
	if len(sp.Partitions) == 0 {
		sp.Partitions = append(sp.Partitions, &testPart{t: t, req: req, out: sp.Schema})
	}
	return sp, nil
}

type testPart struct {
	t    *testTable
	b    arrow.RecordBatch
	req  connectors.ScanRequest
	out  *arrow.Schema
	fail bool
}

func (p *testPart) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if p.b == nil {
		return array.NewRecordReader(p.out, nil)
	}
	b := p.b
	b.Retain()
	if p.t.support == connectors.Exact {
		for _, f := range p.req.Filters {
			ev, err := compileExpr(f, b.Schema(), nil)
			if err != nil {
				b.Release()
				return nil, err
			}
			m, err := ev.Eval(ctx, mem, b)
			if err != nil {
				b.Release()
				return nil, err
			}
			nb, err := filterBatch(ctx, mem, b, m.(*array.Boolean))
			m.Release()
			b.Release()
			if err != nil {
				return nil, err
			}
			if nb == nil {
				return array.NewRecordReader(p.out, nil)
			}
			b = nb
		}
	}
	cols := make([]arrow.Array, len(p.req.Columns))
	for i, c := range p.req.Columns {
		cols[i] = b.Column(c)
	}
	out := array.NewRecordBatch(p.out, cols, b.NumRows())
	b.Release()
	defer out.Release()
	if p.fail {
		return &failReader{RecordReader: mustReader(p.out, out)}, nil
	}
	return mustReader(p.out, out), nil
}

func mustReader(sch *arrow.Schema, b arrow.RecordBatch) array.RecordReader {
	r, err := array.NewRecordReader(sch, []arrow.RecordBatch{b})
	if err != nil {
		panic(err)
	}
	return r
}

// failReader returns its batches, then an error.
type failReader struct{ array.RecordReader }

func (f *failReader) Err() error { return sqlerr.New(sqlerr.IOError, "disk on fire") }

type resolver map[string]connectors.Table

func (r resolver) ResolveTable(_ context.Context, names []string) (connectors.Table, error) {
	t, ok := r[strings.Join(names, ".")]
	if !ok {
		return nil, sqlerr.New(sqlerr.UndefinedTable, "relation %q does not exist", strings.Join(names, "."))
	}
	return t, nil
}

var defaultExtSet = exprs.NewExtensionSetDefault(
	expr.NewEmptyExtensionRegistry(extensions.GetDefaultCollectionWithNoError()))

// namedStruct is the Substrait schema of an Arrow schema.
func namedStruct(t testing.TB, sch *arrow.Schema) types.NamedStruct {
	ns := types.NamedStruct{Struct: types.StructType{Nullability: types.NullabilityRequired}}
	for _, f := range sch.Fields() {
		st, err := exprs.ToSubstraitType(f.Type, f.Nullable, defaultExtSet)
		if err != nil {
			t.Fatal(err)
		}
		ns.Names = append(ns.Names, f.Name)
		ns.Struct.Types = append(ns.Struct.Types, st)
	}
	return ns
}

// run executes p and returns its rows as "v1|v2" strings and the error.
func runPlan(t testing.TB, mem memory.Allocator, p *plan.Plan, tables TableResolver, opts Options) ([]string, error) {
	t.Helper()
	opts.Allocator = mem
	rdr, err := Execute(context.Background(), p, tables, opts)
	if err != nil {
		return nil, err
	}
	defer rdr.Release()
	var rows []string
	for rdr.Next() {
		rows = append(rows, batchRows(rdr.RecordBatch())...)
	}
	return rows, rdr.Err()
}

func batchRows(b arrow.RecordBatch) []string {
	var rows []string
	for i := 0; i < int(b.NumRows()); i++ {
		vals := make([]string, b.NumCols())
		for c := range vals {
			col := b.Column(c)
			if col.IsNull(i) {
				vals[c] = "NULL"
			} else {
				vals[c] = col.ValueStr(i)
			}
		}
		rows = append(rows, strings.Join(vals, "|"))
	}
	return rows
}

// buildInts makes a batch of nullable int64 columns from rows (nil = NULL).
func buildInts(mem memory.Allocator, names []string, rows [][]any) arrow.RecordBatch {
	fields := make([]arrow.Field, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Int64, Nullable: true}
	}
	return buildRows(mem, arrow.NewSchema(fields, nil), rows)
}

// buildRows makes a batch from Go values (int, int64, float64, string,
// bool, nil) matching the schema's types.
func buildRows(mem memory.Allocator, sch *arrow.Schema, rows [][]any) arrow.RecordBatch {
	bld := array.NewRecordBuilder(mem, sch)
	defer bld.Release()
	for _, r := range rows {
		for c, v := range r {
			fb := bld.Field(c)
			if v == nil {
				fb.AppendNull()
				continue
			}
			switch b := fb.(type) {
			case *array.Int64Builder:
				b.Append(int64(v.(int)))
			case *array.Int32Builder:
				b.Append(int32(v.(int)))
			case *array.Float64Builder:
				b.Append(v.(float64))
			case *array.StringBuilder:
				b.Append(v.(string))
			case *array.BooleanBuilder:
				b.Append(v.(bool))
			default:
				if err := fb.AppendValueFromString(fmt.Sprint(v)); err != nil {
					panic(err)
				}
			}
		}
	}
	return bld.NewRecordBatch()
}

func mustT[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func maskOf(cols ...int32) *proto.Expression_MaskExpression {
	items := make([]*proto.Expression_MaskExpression_StructItem, len(cols))
	for i, c := range cols {
		items[i] = &proto.Expression_MaskExpression_StructItem{Field: c}
	}
	return &proto.Expression_MaskExpression{Select: &proto.Expression_MaskExpression_StructSelect{StructItems: items}}
}

// withReadFilter sets the filter of p's first ReadRel (under Fetch/Filter/
// Project/Sort), through the protobuf form.
func withReadFilter(t testing.TB, p *plan.Plan, f expr.Expression) *plan.Plan {
	pb := mustT[*proto.Plan](t)(p.ToProto())
	rel := pb.Relations[0].GetRoot().Input
	for rel.GetRead() == nil {
		switch {
		case rel.GetFetch() != nil:
			rel = rel.GetFetch().Input
		case rel.GetFilter() != nil:
			rel = rel.GetFilter().Input
		case rel.GetProject() != nil:
			rel = rel.GetProject().Input
		case rel.GetSort() != nil:
			rel = rel.GetSort().Input
		case rel.GetAggregate() != nil:
			rel = rel.GetAggregate().Input
		default:
			t.Fatal("no ReadRel")
		}
	}
	rel.GetRead().Filter = f.ToProto()
	return mustT[*plan.Plan](t)(plan.FromProto(pb, extensions.GetDefaultCollectionWithNoError()))
}

// planOf makes a plan of root with generated column names.
func planOf(t testing.TB, b plan.Builder, root plan.Rel) *plan.Plan {
	t.Helper()
	rt := root.RecordType()
	names := make([]string, rt.FieldCount())
	for i := range names {
		names[i] = fmt.Sprintf("c%d", i)
	}
	return mustT[*plan.Plan](t)(b.Plan(root, names))
}

func idOf(urn, name string) extensions.ID { return extensions.ID{URN: urn, Name: name} }
