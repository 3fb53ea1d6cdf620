package sqlconn

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

// relTable is a table of the Conn named conn.
type relTable struct {
	conn, remote string
	schema       *arrow.Schema
}

func (t *relTable) Schema() *arrow.Schema { return t.schema }
func (t *relTable) Statistics(context.Context) (connectors.Statistics, error) {
	return connectors.UnknownStatistics, nil
}
func (t *relTable) Scan(context.Context, connectors.ScanRequest) (*connectors.ScanPlan, error) {
	return nil, fmt.Errorf("not scanned")
}

// relPart records what the Partition was given.
type relPart struct {
	table  string
	tables []connectors.Table
	sql    string
}

func (p *relPart) Open(context.Context, memory.Allocator) (array.RecordReader, error) {
	return nil, fmt.Errorf("not opened")
}

func testRel(readable bool) Rel {
	return Rel{
		Dialect: sqlgen.SQLite, Server: `server "s"`, Where: `on server "s"`,
		Table: func(t connectors.Table) (sqlgen.RelTable, bool) {
			rt, ok := t.(*relTable)
			if !ok || rt.conn != "s" {
				return sqlgen.RelTable{}, false
			}
			return sqlgen.RelTable{Remote: []string{rt.remote}, Columns: []sqlgen.ColumnRef{{Name: "id", Type: arrow.PrimitiveTypes.Int64}}}, true
		},
		Partition: func(table string, tables []connectors.Table, q sqlgen.RelQuery, schema *arrow.Schema) (connectors.Partition, error) {
			if !readable {
				return nil, fmt.Errorf("a result column of type %s is not readable", q.Types[0])
			}
			return &relPart{table: table, tables: tables, sql: q.SQL}, nil
		},
	}
}

func TestRel(t *testing.T) {
	ctx := context.Background()
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	tables := map[string]connectors.Table{
		"b": &relTable{conn: "s", remote: "rb", schema: schema},
		"a": &relTable{conn: "s", remote: "ra", schema: schema},
		"x": &relTable{conn: "other", remote: "rx", schema: schema},
	}
	b := plan.NewBuilderDefault()
	i64 := &types.Int64Type{Nullability: types.NullabilityNullable}
	ns := types.NamedStruct{Names: []string{"id"}, Struct: types.StructType{Nullability: types.NullabilityRequired, Types: []types.Type{i64}}}
	scan := b.NamedScan([]string{"a"}, ns)

	r := testRel(true)
	if ok, why := r.CanExecute(scan, tables); !ok {
		t.Fatalf("CanExecute: %s", why)
	}
	sp, err := r.ExecuteRel(ctx, scan, tables)
	if err != nil {
		t.Fatal(err)
	}
	p := sp.Partitions[0].(*relPart)
	if got := fmt.Sprint(sp.Schema.Fields()[0].Name, " ", sp.Schema.Fields()[0].Type, " ", sp.Explain); !strings.HasPrefix(got, "c0 int64 [Remote SQL: SELECT ") ||
		!strings.Contains(p.sql, `"ra"`) || "Remote SQL: "+p.sql != sp.Explain[0] {
		t.Errorf("plan: %s (partition SQL %s)", got, p.sql)
	}
	if p.table != `(query of a, b on server "s")` || len(p.tables) != 2 || p.tables[0] != tables["a"] || p.tables[1] != tables["b"] {
		t.Errorf("partition of %q over %v", p.table, p.tables)
	}

	// A table of another Conn, or an unreadable result, is not shippable.
	other := b.NamedScan([]string{"x"}, ns)
	if ok, why := r.CanExecute(other, tables); ok || !strings.Contains(why, "not a table of this server") {
		t.Errorf("other Conn: %v %q", ok, why)
	}
	if _, err := r.ExecuteRel(ctx, other, tables); !sqlerr.Is(err, sqlerr.FDWError) || !strings.HasPrefix(err.Error(), `server "s": relation not shippable: `) {
		t.Errorf("ExecuteRel of another Conn's table: %v", err)
	}
	r = testRel(false)
	if ok, why := r.CanExecute(scan, tables); ok || why != "a result column of type int64 is not readable" {
		t.Errorf("unreadable: %v %q", ok, why)
	}
	if _, err := r.ExecuteRel(ctx, scan, tables); !sqlerr.Is(err, sqlerr.FDWError) || err.Error() != `server "s": a result column of type int64 is not readable` {
		t.Errorf("ExecuteRel of an unreadable result: %v", err)
	}
}
