package parquet

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	"github.com/substrait-io/substrait-go/v8/expr"
	"go.uber.org/zap"
)

// openStd writes the standard table into one file of row groups of rgRows
// rows and returns it as a Table.
func openStd(t *testing.T, rgRows int64) connectors.Table {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	data := conntest.Data(mem)
	dir := t.TempDir()
	writeParquet(t, filepath.Join(dir, "std.parquet"), conntest.Schema(), data, rgRows)
	for _, b := range data {
		b.Release()
	}
	conn, err := Connector{}.Connect(context.Background(), connectors.ConnectParams{
		ServerOptions: map[string]string{"directory": dir}, Logger: zap.NewNop(), Allocator: mem,
	})
	if err != nil {
		t.Fatal(err)
	}
	d := conntest.Fixture{Table: map[string]string{"filename": "std.parquet"}}.Desc()
	tbl, err := conn.Table(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

// readAll reads every partition of a plan and returns the number of rows.
func readAll(t *testing.T, plan *connectors.ScanPlan) int64 {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	var n int64
	for _, p := range plan.Partitions {
		rdr, err := p.Open(context.Background(), mem)
		if err != nil {
			t.Fatal(err)
		}
		for rdr.Next() {
			n += rdr.RecordBatch().NumRows()
		}
		if err := rdr.Err(); err != nil {
			t.Fatal(err)
		}
		rdr.Release()
	}
	return n
}

func TestRowGroupPruning(t *testing.T) {
	tbl := openStd(t, 30) // 10 row groups of 30 rows, id ascending
	b := conntest.NewBuilder()
	d0 := conntest.BaseDate
	cases := []struct {
		name   string
		filter expr.Expression
		groups int64 // row groups read
	}{
		{"none", nil, 10},
		{"id=42", b.Call("equal", b.Col(conntest.ColID), b.Int64(42)), 1},
		{"id<=60", b.Call("lte", b.Col(conntest.ColID), b.Int64(60)), 2},
		{"id>295", b.Call("gt", b.Col(conntest.ColID), b.Int64(295)), 1},
		{"id in (1,299)", b.In(conntest.ColID, b.Int64(1), b.Int64(299)), 2},
		{"not id<271", b.Call("not", b.Expr(b.Call("lt", b.Col(conntest.ColID), b.Int64(271)))), 1},
		{"id<0 or id=100", b.Call("or", b.Expr(b.Call("lt", b.Col(conntest.ColID), b.Int64(0))), b.Expr(b.Call("equal", b.Col(conntest.ColID), b.Int64(100)))), 1},
		{"d<base (dates ascend with id)", b.Call("lt", b.Col(conntest.ColD), b.Date(d0)), 3},
		{"dec=12.50", b.Call("equal", b.Col(conntest.ColDec), b.Decimal(1250)), 1},
		{"id=NULL", b.Call("equal", b.Col(conntest.ColID), b.NullInt64()), 0},
		{"id is null", b.Call("is_null", b.Col(conntest.ColID)), 0},
		{"s is null", b.Call("is_null", b.Col(conntest.ColS)), 10},
		{"i32=100", b.Call("equal", b.Col(conntest.ColI32), b.Int32(100)), 0},
		{"computed", b.Call("equal", b.Expr(b.Call("add", b.Col(conntest.ColID), b.Int64(1))), b.Int64(5)), 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := connectors.ScanRequest{Columns: []int{conntest.ColID}, Limit: -1, MaxPartitions: 4}
			if c.filter != nil {
				req.Filters = []expr.Expression{c.filter}
			}
			plan, err := tbl.Scan(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			before := rowGroupsRead.Load()
			readAll(t, plan)
			if got := rowGroupsRead.Load() - before; got != c.groups {
				t.Errorf("read %d row groups, want %d (explain %v)", got, c.groups, plan.Explain)
			}
			if !strings.Contains(plan.Explain[0], "row groups: ") {
				t.Errorf("explain %v does not show row groups", plan.Explain)
			}
		})
	}
}

func TestStatistics(t *testing.T) {
	tbl := openStd(t, 50)
	st, err := tbl.Statistics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.RowCount != conntest.NumRows {
		t.Errorf("RowCount = %d", st.RowCount)
	}
	tests := []struct {
		col      int
		min, max string
	}{
		{conntest.ColID, "1", "300"},
		{conntest.ColI32, "-3", "3"},
		{conntest.ColDec, "-98.75", "275"},
		{conntest.ColB, "false", "true"},
	}
	for _, tc := range tests {
		c := st.Columns[tc.col]
		if c.Min == nil || c.Max == nil {
			t.Errorf("column %d: no min/max", tc.col)
			continue
		}
		if got := c.Min.(interface{ String() string }).String(); got != tc.min {
			t.Errorf("column %d min = %s, want %s", tc.col, got, tc.min)
		}
		if got := c.Max.(interface{ String() string }).String(); got != tc.max {
			t.Errorf("column %d max = %s, want %s", tc.col, got, tc.max)
		}
	}
}

// TestCasts reads an int32/float32/large_string file as int64/float64/string
// columns with other names.
func TestCasts(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	fileSchema := arrow.NewSchema([]arrow.Field{
		{Name: "A", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "b", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		{Name: "c", Type: arrow.BinaryTypes.LargeString, Nullable: true},
	}, nil)
	rb := array.NewRecordBuilder(mem, fileSchema)
	rb.Field(0).(*array.Int32Builder).AppendValues([]int32{1, 2, 3}, []bool{true, false, true})
	rb.Field(1).(*array.Float32Builder).AppendValues([]float32{1.5, 2.5, 3.5}, nil)
	rb.Field(2).(*array.LargeStringBuilder).AppendValues([]string{"x", "y", "z"}, nil)
	rec := rb.NewRecordBatch()
	rb.Release()
	dir := t.TempDir()
	writeParquet(t, filepath.Join(dir, "c.parquet"), fileSchema, []arrow.RecordBatch{rec}, 10)
	rec.Release()
	conn, _ := Connector{}.Connect(context.Background(), connectors.ConnectParams{ServerOptions: map[string]string{"directory": dir}})
	d := connectors.TableDesc{Name: []string{"public", "c"}, Options: map[string]string{"filename": "c.parquet"}, Columns: []connectors.ColumnDesc{
		{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "bee", Type: arrow.PrimitiveTypes.Float64, Nullable: true, Options: map[string]string{"column_name": "b"}},
		{Name: "c", Type: arrow.BinaryTypes.String, Nullable: true},
	}}
	tbl, err := conn.Table(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := tbl.Scan(context.Background(), connectors.ScanRequest{Columns: []int{2, 0, 1}, Limit: -1, MaxPartitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	rdr, err := plan.Partitions[0].Open(context.Background(), mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Release()
	if !rdr.Next() {
		t.Fatal(rdr.Err())
	}
	got := rdr.RecordBatch()
	want := `["x" "y" "z"] [1 (null) 3] [1.5 2.5 3.5]`
	s := ""
	for i, c := range got.Columns() {
		if i > 0 {
			s += " "
		}
		s += c.String()
	}
	if s != want {
		t.Errorf("got %s, want %s", s, want)
	}
}
