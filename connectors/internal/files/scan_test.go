package files

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/scan"
)

// idSource yields one batch of the read columns per file: the file's
// number (its name) in every column.
type idSource struct {
	files  []string
	schema *arrow.Schema
	mem    memory.Allocator
}

func (s *idSource) Next(context.Context) (arrow.RecordBatch, error) {
	if len(s.files) == 0 {
		return nil, nil
	}
	var n int64
	fmt.Sscan(s.files[0], &n)
	s.files = s.files[1:]
	b := array.NewRecordBuilder(s.mem, s.schema)
	defer b.Release()
	for i := range s.schema.Fields() {
		b.Field(i).(*array.Int64Builder).Append(n)
	}
	return b.NewRecordBatch(), nil
}

func (s *idSource) Close() error { return nil }

func TestScan(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "b", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	eb := expr.ExprBuilder{
		Reg:        expr.NewEmptyExtensionRegistry(extensions.GetDefaultCollectionWithNoError()),
		BaseSchema: types.NewRecordTypeFromTypes([]types.Type{&types.Int64Type{Nullability: types.NullabilityNullable}, &types.Int64Type{Nullability: types.NullabilityNullable}}),
	}
	gt, err := eb.ScalarFunc(extensions.ID{URN: extensions.SubstraitDefaultURNPrefix + "functions_comparison", Name: "gt"}).
		Args(eb.RootRef(expr.NewStructFieldRef(1)), eb.Wrap(expr.NewLiteral(int64(2), false))).BuildExpr()
	if err != nil {
		t.Fatal(err)
	}
	var reads [][]int
	source := func(files []string, read []int, mem memory.Allocator) scan.Source {
		reads = append(reads, read)
		return &idSource{files: files, schema: scan.Project(schema, read), mem: mem}
	}
	paths := []string{"1", "2", "3", "4", "5"}
	plan := Scan("test", []string{"public", "t"}, schema, paths, connectors.ScanRequest{Columns: []int{0}, Filters: []expr.Expression{gt}, Limit: -1, MaxPartitions: 2}, source)
	if len(plan.Partitions) != 2 || fmt.Sprint(plan.FilterSupport) != fmt.Sprint([]connectors.FilterSupport{connectors.Exact}) ||
		plan.Schema.NumFields() != 1 || plan.LimitApplied {
		t.Errorf("plan: %d partitions, support %v, schema %v, limit %v", len(plan.Partitions), plan.FilterSupport, plan.Schema, plan.LimitApplied)
	}
	if plan.Explain[0] != "test public.t: files: 5, partitions: 2" || len(plan.Explain) != 2 || !strings.HasPrefix(plan.Explain[1], "filters: ") {
		t.Errorf("explain %q", plan.Explain)
	}
	var got []int64
	for _, p := range plan.Partitions {
		rd, err := p.Open(context.Background(), mem)
		if err != nil {
			t.Fatal(err)
		}
		for rd.Next() {
			got = append(got, rd.RecordBatch().Column(0).(*array.Int64).Int64Values()...)
		}
		if err := rd.Err(); err != nil {
			t.Fatal(err)
		}
		rd.Release()
	}
	// Files 1-2 and 3-5, b > 2 applied while reading; both columns read.
	if fmt.Sprint(got) != "[3 4 5]" || fmt.Sprint(reads) != "[[0 1] [0 1]]" {
		t.Errorf("rows %v, columns read %v", got, reads)
	}
	// A limit without filters is applied; a cancelled context opens nothing.
	plan = Scan("test", []string{"t"}, schema, paths, connectors.ScanRequest{Columns: []int{1}, Limit: 3}, source)
	if !plan.LimitApplied || len(plan.Partitions) != 5 || len(plan.Explain) != 1 {
		t.Errorf("limit plan: %v, %d partitions, explain %q", plan.LimitApplied, len(plan.Partitions), plan.Explain)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := plan.Partitions[0].Open(ctx, mem); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a cancelled context: %v", err)
	}
}
