package sqlconn

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

// modExprs builds expressions over (id int64, n int32, s string).
type modExprs struct{ b expr.ExprBuilder }

func newModExprs() *modExprs {
	opt := types.NullabilityNullable
	return &modExprs{b: expr.ExprBuilder{
		Reg: expr.NewEmptyExtensionRegistry(extensions.GetDefaultCollectionWithNoError()),
		BaseSchema: types.NewRecordTypeFromTypes([]types.Type{
			&types.Int64Type{Nullability: types.NullabilityRequired}, &types.Int32Type{Nullability: opt}, &types.StringType{Nullability: opt},
		}),
	}}
}

func (m *modExprs) col(i int) expr.FuncArgBuilder {
	return m.b.RootRef(expr.NewStructFieldRef(int32(i)))
}
func (m *modExprs) i32(v int32) expr.FuncArgBuilder { return m.b.Wrap(expr.NewLiteral(v, false)) }

func (m *modExprs) call(urn, name string, args ...expr.FuncArgBuilder) expr.Expression {
	e, err := m.b.ScalarFunc(extensions.ID{URN: extensions.SubstraitDefaultURNPrefix + urn, Name: name}).Args(args...).BuildExpr()
	if err != nil {
		panic(err)
	}
	return e
}

func (m *modExprs) e(a expr.FuncArgBuilder) expr.Expression {
	x, err := a.(expr.Builder).BuildExpr()
	if err != nil {
		panic(err)
	}
	return x
}

func testModify() Modify {
	return Modify{
		Dialect: sqlgen.SQLite, Table: "public.t", Remote: `"t"`,
		Columns: []sqlgen.ColumnRef{{Name: "id", Type: arrow.PrimitiveTypes.Int64}, {Name: "n", Type: arrow.PrimitiveTypes.Int32},
			{Name: "txt", Type: arrow.Null}}, // txt: not comparable remotely
		Names:  []string{"id", "n", "s"},
		Quote:  func(s string) string { return `"` + s + `"` },
		Server: "the test server", Hint: "a hint",
	}
}

func TestModifySQL(t *testing.T) {
	m, x := testModify(), newModExprs()
	add := x.call("functions_arithmetic", "add", x.col(1), x.i32(1))
	where := x.call("functions_comparison", "gt", x.col(1), x.i32(5))
	q, err := m.UpdateSQL(map[int]expr.Expression{1: add, 0: x.e(x.col(0))}, where)
	if want := `UPDATE "t" SET "id" = "id", "n" = ("n" + 1) WHERE ("n" > 5)`; err != nil || q != want {
		t.Errorf("UPDATE: %s, %v; want %s", q, err, want)
	}
	if q, err := m.DeleteSQL(nil); err != nil || q != `DELETE FROM "t"` {
		t.Errorf("DELETE: %s, %v", q, err)
	}
	m.Check = func(i int, v expr.Expression) string {
		if FieldsOf(v)[0] {
			return "reads id"
		}
		return ""
	}
	txt := x.call("functions_comparison", "equal", x.col(2), x.b.Wrap(expr.NewLiteral("a", false)))
	for _, tc := range []struct {
		name string
		run  func() (string, error)
		code sqlerr.Code
		msg  string
	}{
		{"Check refuses", func() (string, error) { return m.UpdateSQL(map[int]expr.Expression{1: x.e(x.col(0))}, nil) },
			sqlerr.FeatureNotSupported, `UPDATE of foreign table "public.t": the SET n clause cannot be sent to the test server: reads id`},
		{"WHERE not shippable", func() (string, error) { return m.DeleteSQL(txt) },
			sqlerr.FeatureNotSupported, `DELETE of foreign table "public.t": the WHERE clause cannot be sent to the test server: `},
		{"no SET", func() (string, error) { return m.UpdateSQL(nil, nil) }, sqlerr.InternalError, "without SET"},
		{"no such column", func() (string, error) { return m.UpdateSQL(map[int]expr.Expression{3: add}, nil) }, sqlerr.InternalError, "no column 3"},
	} {
		q, err := tc.run()
		if q != "" || !sqlerr.Is(err, tc.code) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %q, %v; want %s %q", tc.name, q, err, tc.code, tc.msg)
		}
		if se, ok := err.(*sqlerr.Error); ok && tc.code == sqlerr.FeatureNotSupported && se.Hint != "a hint" {
			t.Errorf("%s: hint %q", tc.name, se.Hint)
		}
	}
	if got := fmt.Sprint(FieldsOf(x.call("functions_boolean", "and", x.b.Expression(where), x.b.Expression(txt)))); got != "map[1:true 2:true]" {
		t.Errorf("FieldsOf: %s", got)
	}
}

func TestExec(t *testing.T) {
	db := testDB(t, 10)
	ctx := context.Background()
	sum := func() (n int) {
		if err := db.QueryRow("SELECT sum(n) FROM t").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n, err := Exec(ctx, db, "public.t", "UPDATE", "UPDATE t SET n = n + 1 WHERE n > 5", testErrors); err != nil || n != 5 || sum() != 60 {
		t.Errorf("UPDATE: %d, %v; sum %d", n, err, sum())
	}
	// A failure after some rows were changed rolls them back.
	n, err := Exec(ctx, db, "public.t", "UPDATE", "UPDATE t SET n = CASE WHEN n > 8 THEN json('x') ELSE n END", testErrors)
	if err == nil || n != 0 || !strings.Contains(err.Error(), `foreign table "public.t": UPDATE`) || sum() != 60 {
		t.Errorf("failing UPDATE: %d, %v; sum %d", n, err, sum())
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Exec(cctx, db, "public.t", "DELETE", "DELETE FROM t", testErrors); !sqlerr.Is(err, sqlerr.QueryCanceled) || sum() != 60 {
		t.Errorf("cancelled DELETE: %v; sum %d", err, sum())
	}
}
