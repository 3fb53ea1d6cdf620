package flightsql_test

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
)

// TestRemoteSQL pins the query sent for a scan: projected columns quoted,
// shippable filters Exact in WHERE, LIMIT only when every filter is Exact;
// and the rows that come back.
func TestRemoteSQL(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	data := conntest.Data(mem)
	defer func() {
		for _, b := range data {
			b.Release()
		}
	}()
	db, addr := startServer(t)
	loadStd(t, db, data)
	ctx := context.Background()
	conn, err := mustLookup(t).Connect(ctx, connectors.ConnectParams{
		Server: "remote", ServerOptions: map[string]string{"uri": "grpc://" + addr},
		UserOptions: map[string]string{"username": "admin", "password": adminPW},
		Logger:      zap.NewNop(), Allocator: mem,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	d := conntest.Fixture{Table: map[string]string{"schema_name": "public", "table_name": "std"},
		Columns: map[string]map[string]string{}}.Desc()
	d.Name = []string{"local", "Std"}
	tbl, err := conn.Table(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	b := conntest.NewBuilder()
	shippable := b.Call("equal", b.Col(conntest.ColS), b.String("s05"))
	unshippable := b.Call("is_infinite", b.Col(conntest.ColF64))
	tests := []struct {
		name    string
		cols    []int
		filters []expr.Expression
		limit   int64
		explain string
		support []connectors.FilterSupport
		limited bool
		rows    int64
	}{
		{"exact filter and limit", []int{conntest.ColS, conntest.ColID}, []expr.Expression{shippable}, 3,
			`Remote SQL: SELECT "s", "id" FROM "public"."std" WHERE ("s" = 's05') LIMIT 3`,
			[]connectors.FilterSupport{connectors.Exact}, true, 3},
		{"unsupported filter drops the limit", []int{conntest.ColID}, []expr.Expression{shippable, unshippable}, 3,
			`Remote SQL: SELECT "id" FROM "public"."std" WHERE ("s" = 's05')`,
			[]connectors.FilterSupport{connectors.Exact, connectors.Unsupported}, false, 6},
		{"no columns", nil, nil, -1, `Remote SQL: SELECT NULL FROM "public"."std"`, []connectors.FilterSupport{}, false, conntest.NumRows},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := tbl.Scan(ctx, connectors.ScanRequest{Columns: tc.cols, Filters: tc.filters, Limit: tc.limit, MaxPartitions: 4})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.Join(plan.Explain, "\n"), adminPW) {
				t.Error("EXPLAIN shows the password")
			}
			if plan.Explain[0] != tc.explain {
				t.Errorf("explain %q\nwant    %q", plan.Explain[0], tc.explain)
			}
			if len(plan.FilterSupport) != len(tc.support) {
				t.Fatalf("support %v, want %v", plan.FilterSupport, tc.support)
			}
			for i := range tc.support {
				if plan.FilterSupport[i] != tc.support[i] {
					t.Errorf("filter %d: %v, want %v", i, plan.FilterSupport[i], tc.support[i])
				}
			}
			if plan.LimitApplied != tc.limited {
				t.Errorf("LimitApplied %v", plan.LimitApplied)
			}
			var n int64
			for _, p := range plan.Partitions {
				rdr, err := p.Open(ctx, mem)
				if err != nil {
					t.Fatal(err)
				}
				for rdr.Next() {
					if !rdr.RecordBatch().Schema().Equal(plan.Schema) {
						t.Errorf("batch schema %v, want %v", rdr.RecordBatch().Schema(), plan.Schema)
					}
					n += rdr.RecordBatch().NumRows()
				}
				if err := rdr.Err(); err != nil {
					t.Error(err)
				}
				rdr.Release()
			}
			if n != tc.rows {
				t.Errorf("%d rows, want %d", n, tc.rows)
			}
		})
	}
}
