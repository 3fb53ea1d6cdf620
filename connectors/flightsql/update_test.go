package flightsql

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
)

// TestUpdateSQL pins the remote statements: remote names (column_name),
// quoting, the SET list in column order.
func TestUpdateSQL(t *testing.T) {
	tb := &Table{conn: &Conn{server: "remote"}, name: []string{"local", "w"}, remote: []string{"public", `we"ird`},
		schema: arrow.NewSchema([]arrow.Field{
			{Name: "id", Type: arrow.PrimitiveTypes.Int64},
			{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		}, nil),
		cols:      []sqlgen.ColumnRef{{Name: "id", Type: arrow.PrimitiveTypes.Int64}, {Name: "txt", Type: arrow.BinaryTypes.String}},
		updatable: true}
	u := sqlconntest.NewExprs(&types.Int64Type{Nullability: types.NullabilityRequired}, &types.StringType{})
	q, err := tb.updateSQL(map[int]expr.Expression{1: u.E(u.Lit(`a\b'c`)), 0: u.E(u.Call("add", u.Col(0), u.Lit(int64(1))))},
		u.E(u.Call("like", u.Col(1), u.Lit("it's%"))))
	want := `UPDATE "public"."we""ird" SET "id" = ("id" + 1), "txt" = E'a\\b''c' WHERE ("txt" COLLATE "C" LIKE 'it''s%' ESCAPE '!')`
	if err != nil || q != want {
		t.Errorf("UPDATE:\n got %s (%v)\nwant %s", q, err, want)
	}
	q, err = tb.deleteSQL(u.E(u.Call("is_null", u.Col(1))))
	if want := `DELETE FROM "public"."we""ird" WHERE ("txt" IS NULL)`; err != nil || q != want {
		t.Errorf("DELETE:\n got %s (%v)\nwant %s", q, err, want)
	}
	q, err = tb.deleteSQL(nil)
	if want := `DELETE FROM "public"."we""ird"`; err != nil || q != want {
		t.Errorf("DELETE all:\n got %s (%v)\nwant %s", q, err, want)
	}
}
