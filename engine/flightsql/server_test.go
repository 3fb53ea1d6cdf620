package flightsql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
)

func TestQueryBatches(t *testing.T) {
	f := newFixture(t, nil)
	f.exec("CREATE TABLE big (n bigint, s text)")
	for i := 0; i < 3; i++ {
		var vals []string
		for j := 0; j < 1000; j++ {
			vals = append(vals, fmt.Sprintf("(%d, 'v%d')", i*1000+j, j))
		}
		f.exec("INSERT INTO big VALUES " + strings.Join(vals, ", "))
	}
	cl, ctx := f.admin()
	info, err := cl.Execute(ctx, "SELECT n, s FROM big WHERE n % 2 = 0")
	if err != nil {
		t.Fatal(err)
	}
	rows, batches, schema := readAll(t, ctx, cl, info)
	if len(rows) != 1500 || batches < 2 {
		t.Errorf("got %d rows in %d batches, want 1500 rows in several batches", len(rows), batches)
	}
	if schema.NumFields() != 2 || schema.Field(0).Name != "n" || schema.Field(0).Type.ID() != arrow.INT64 {
		t.Errorf("schema %v", schema)
	}
}

func TestUpdateAndDDL(t *testing.T) {
	f := newFixture(t, nil)
	cl, ctx := f.admin()
	if _, err := cl.ExecuteUpdate(ctx, "CREATE TABLE t (a integer, b text)"); err != nil {
		t.Fatal(err)
	}
	n, err := cl.ExecuteUpdate(ctx, "INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, NULL)")
	if err != nil || n != 3 {
		t.Fatalf("INSERT: %d, %v", n, err)
	}
	if got := queryRows(t, ctx, cl, "SELECT a, b FROM t ORDER BY a"); strings.Join(got, ",") != "1|x,2|y,3|(null)" {
		t.Errorf("rows %q", got)
	}
	_, err = cl.ExecuteUpdate(ctx, "SELEC 1")
	if code, msg := codeOf(err); code != "InvalidArgument" || !strings.HasPrefix(msg, "42601") {
		t.Errorf("syntax error: %s %q", code, msg)
	}
	_, err = cl.Execute(ctx, "SELECT * FROM nope")
	if code, msg := codeOf(err); code != "InvalidArgument" || !strings.HasPrefix(msg, "42P01") {
		t.Errorf("undefined table: %s %q", code, msg)
	}
	// SHOW runs at GetFlightInfo and is read back.
	if got := queryRows(t, ctx, cl, "SHOW search_path"); len(got) != 1 || got[0] != "public" {
		t.Errorf("SHOW: %q", got)
	}
}

func TestPrepared(t *testing.T) {
	f := newFixture(t, nil)
	f.exec("CREATE TABLE t (a bigint, b text)", "INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')")
	cl, ctx := f.admin()
	p, err := cl.Prepare(ctx, "SELECT b FROM t WHERE a >= $1 ORDER BY a")
	if err != nil {
		t.Fatal(err)
	}
	if ps := p.ParameterSchema(); ps.NumFields() != 1 || ps.Field(0).Type.ID() != arrow.INT64 {
		t.Errorf("parameter schema %v", ps)
	}
	if ds := p.DatasetSchema(); ds.NumFields() != 1 || ds.Field(0).Name != "b" {
		t.Errorf("dataset schema %v", ds)
	}
	if up, ok := p.IsUpdate(); !ok || up {
		t.Errorf("IsUpdate %v %v", up, ok)
	}
	bind := func(v int64) {
		b := array.NewInt64Builder(f.mem)
		b.Append(v)
		arr := b.NewArray()
		b.Release()
		rec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "$1", Type: arrow.PrimitiveTypes.Int64}}, nil), []arrow.Array{arr}, 1)
		arr.Release()
		p.SetParameters(rec)
		rec.Release()
	}
	for _, tc := range []struct {
		v    int64
		want string
	}{{2, "y,z"}, {3, "z"}} {
		bind(tc.v)
		info, err := p.Execute(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rows, _, _ := readAll(t, ctx, cl, info)
		if strings.Join(rows, ",") != tc.want {
			t.Errorf("$1=%d: %q, want %q", tc.v, rows, tc.want)
		}
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}

	ins, err := cl.Prepare(ctx, "INSERT INTO t VALUES ($1, $2)")
	if err != nil {
		t.Fatal(err)
	}
	if up, ok := ins.IsUpdate(); !ok || !up {
		t.Errorf("INSERT IsUpdate %v %v", up, ok)
	}
	sch := arrow.NewSchema([]arrow.Field{{Name: "$1", Type: arrow.PrimitiveTypes.Int64}, {Name: "$2", Type: arrow.BinaryTypes.String}}, nil)
	rb := array.NewRecordBuilder(f.mem, sch)
	rb.Field(0).(*array.Int64Builder).AppendValues([]int64{10, 11}, nil)
	rb.Field(1).(*array.StringBuilder).AppendValues([]string{"p", "q"}, nil)
	rec := rb.NewRecordBatch()
	rb.Release()
	ins.SetParameters(rec)
	rec.Release()
	n, err := ins.ExecuteUpdate(ctx)
	if err != nil || n != 2 {
		t.Fatalf("prepared INSERT: %d %v", n, err)
	}
	ins.Close(ctx)
	if got := queryRows(t, ctx, cl, "SELECT count(*) FROM t"); got[0] != "5" {
		t.Errorf("count %q", got)
	}
}

func TestSubstrait(t *testing.T) {
	f := newFixture(t, nil)
	f.exec("CREATE TABLE t (a bigint, b text)", "INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')")
	cl, ctx := f.admin()
	rows := queryRows(t, ctx, cl, "EXPLAIN (FORMAT SUBSTRAIT) SELECT b FROM t WHERE a > 1")
	plan := strings.Join(rows, "\n")
	info, err := cl.ExecuteSubstrait(ctx, flightsql.SubstraitPlan{Plan: []byte(plan), Version: "0.85.0"})
	if err != nil {
		t.Fatal(err)
	}
	got, _, _ := readAll(t, ctx, cl, info)
	if strings.Join(got, ",") != "y,z" && strings.Join(got, ",") != "z,y" {
		t.Errorf("substrait rows %q", got)
	}
}

func TestTransactionsRefused(t *testing.T) {
	f := newFixture(t, nil)
	cl, ctx := f.admin()
	_, err := cl.BeginTransaction(ctx)
	if code, msg := codeOf(err); code != "Unimplemented" || !strings.Contains(msg, "transactions are not supported") {
		t.Errorf("BeginTransaction: %s %q", code, msg)
	}
}
