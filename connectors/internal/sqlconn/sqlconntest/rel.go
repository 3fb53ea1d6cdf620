package sqlconntest

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// The URNs of Substrait's comparison and arithmetic functions.
var (
	CmpURN   = extensions.SubstraitDefaultURNPrefix + "functions_comparison"
	ArithURN = extensions.SubstraitDefaultURNPrefix + "functions_arithmetic"
)

// Named is the schema of a named scan: columns names of types ts.
func Named(names []string, ts ...types.Type) types.NamedStruct {
	return types.NamedStruct{Names: names, Struct: types.StructType{Nullability: types.NullabilityRequired, Types: ts}}
}

// JoinOn is l JOIN r ON l.lcol = r.rcol of type jt; rcol counts from r's
// first column.
func JoinOn(t *testing.T, b plan.Builder, l, r plan.Rel, lcol, rcol int, jt plan.JoinType) *plan.JoinRel {
	t.Helper()
	lf, err := b.JoinedRecordFieldRef(l, r, int32(lcol))
	if err != nil {
		t.Fatal(err)
	}
	rf, err := b.JoinedRecordFieldRef(l, r, l.RecordType().FieldCount()+int32(rcol))
	if err != nil {
		t.Fatal(err)
	}
	eq, err := b.ScalarFn(CmpURN, "equal", nil, lf, rf)
	if err != nil {
		t.Fatal(err)
	}
	j, err := b.Join(l, r, eq, jt)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// RelRows runs rel through x.ExecuteRel and reads its one partition from a
// checked allocator: the rows (cells joined by "|", sorted), the plan's
// EXPLAIN (one line, "Remote SQL: SELECT ...") and the reader's error.
func RelRows(t *testing.T, x connectors.RelExecutor, rel plan.Rel, tables map[string]connectors.Table) ([]string, []string, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	sp, err := x.ExecuteRel(context.Background(), rel, tables)
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.Explain) != 1 || !strings.HasPrefix(sp.Explain[0], "Remote SQL: SELECT ") {
		t.Errorf("explain %q", sp.Explain)
	}
	if len(sp.Partitions) != 1 {
		t.Fatalf("%d partitions", len(sp.Partitions))
	}
	rd, err := sp.Partitions[0].Open(context.Background(), mem)
	if err != nil {
		return nil, sp.Explain, err
	}
	defer rd.Release()
	var rows [][]string
	for rd.Next() {
		rows = append(rows, cells(rd.RecordBatch())...)
	}
	return sorted(rows), sp.Explain, rd.Err()
}

// CheckSumOverflow pushes down SELECT sum(col) FROM table (a scan of ns)
// and checks that x ships it and that reading it fails with 22003, as the
// engine's sum fails, the table holding values whose sum leaves the
// bigint range.
func CheckSumOverflow(t *testing.T, x connectors.RelExecutor, tables map[string]connectors.Table, table string, ns types.NamedStruct, col int) {
	t.Helper()
	b := plan.NewBuilderDefault()
	scan := b.NamedScan([]string{table}, ns)
	ref, err := b.RootFieldRef(scan, int32(col))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := b.AggregateFn(ArithURN, "sum", nil, ref)
	if err != nil {
		t.Fatal(err)
	}
	agg, err := b.GetRelBuilder().AggregateRel(scan, []plan.AggRelMeasure{b.Measure(sum, nil)}).Build()
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := x.CanExecute(agg, tables); !ok {
		t.Fatalf("CanExecute: %s", why)
	}
	if _, _, err = RelRows(t, x, agg, tables); sqlerr.CodeOf(err) != sqlerr.NumericValueOutOfRange {
		t.Fatalf("got %v, want 22003", err)
	}
}
