package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
)

// relFixture opens a file with tables a (id, s under NOCASE) and b (a_id,
// n) and returns the Conn and its foreign tables by name.
func relFixture(t *testing.T) (*Conn, map[string]connectors.Table) {
	t.Helper()
	path := newFile(t,
		"CREATE TABLE a (id INTEGER, s TEXT COLLATE NOCASE)",
		"INSERT INTO a VALUES (1, 'x'), (2, 'X'), (3, NULL)",
		"CREATE TABLE b (a_id INTEGER, n INTEGER)",
		"INSERT INTO b VALUES (1, 10), (4, 0)")
	c, err := connect(context.Background(), connectors.ConnectParams{Server: "lite", ServerOptions: map[string]string{"database": path}, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	tables := map[string]connectors.Table{}
	for name, cols := range map[string][]connectors.ColumnDesc{
		"a": {{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}},
		"b": {{Name: "a_id", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true}},
	} {
		tb, err := c.Table(context.Background(), connectors.TableDesc{Name: []string{name}, Columns: cols})
		if err != nil {
			t.Fatal(err)
		}
		tables[name] = tb
	}
	return c, tables
}

// relJoin is a JOIN b ON a.id = b.a_id of type jt, with the builder.
func relJoin(t *testing.T, jt plan.JoinType) (plan.Builder, *plan.JoinRel) {
	t.Helper()
	b := plan.NewBuilderDefault()
	i64 := &types.Int64Type{Nullability: types.NullabilityNullable}
	str := &types.StringType{Nullability: types.NullabilityNullable}
	l := b.NamedScan([]string{"a"}, sqlconntest.Named([]string{"id", "s"}, i64, str))
	r := b.NamedScan([]string{"b"}, sqlconntest.Named([]string{"a_id", "n"}, i64, i64))
	return b, sqlconntest.JoinOn(t, b, l, r, 0, 0, jt)
}

// relRows runs rel through ExecuteRel and returns its rows, sorted, and
// its EXPLAIN; a reader error fails the test.
func relRows(t *testing.T, c *Conn, rel plan.Rel, tables map[string]connectors.Table) ([]string, []string) {
	t.Helper()
	rows, explain, err := sqlconntest.RelRows(t, c, rel, tables)
	if err != nil {
		t.Fatal(err)
	}
	return rows, explain
}

// A FULL JOIN (SQLite 3.39+) runs as one remote query, comparing by byte
// under a NOCASE column.
func TestRelFullJoin(t *testing.T) {
	c, tables := relFixture(t)
	_, j := relJoin(t, plan.JoinTypeOuter)
	if ok, why := c.CanExecute(j, tables); !ok {
		t.Fatalf("CanExecute: %s", why)
	}
	rows, explain := relRows(t, c, j, tables)
	want := []string{"1|x|1|10", "2|X|NULL|NULL", "3|NULL|NULL|NULL", "NULL|NULL|4|0"}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("rows %q, want %q", rows, want)
	}
	if len(explain) != 1 || !strings.Contains(explain[0], " FULL JOIN ") || !strings.HasPrefix(explain[0], "Remote SQL: ") {
		t.Errorf("explain %q", explain)
	}
}

// Arithmetic whose remote meaning differs stays local, with a reason:
// integer + overflows into a REAL in SQLite, division by a column gives
// NULL for 0; division by a constant is shipped.
func TestRelArithmeticGuards(t *testing.T) {
	c, tables := relFixture(t)
	for _, tc := range []struct {
		fn      string
		byCol   bool
		wantWhy string
	}{
		{"add", false, "integer add: SQLite turns an overflow into a REAL"},
		{"divide", true, "divide by a value that may be 0"},
		{"divide", false, ""},
	} {
		b, j := relJoin(t, plan.JoinTypeInner)
		id, err := b.RootFieldRef(j, 0)
		if err != nil {
			t.Fatal(err)
		}
		var arg expr.Expression = expr.NewPrimitiveLiteral(int64(2), false)
		if tc.byCol {
			if arg, err = b.RootFieldRef(j, 3); err != nil {
				t.Fatal(err)
			}
		}
		f, err := b.ScalarFn(sqlconntest.ArithURN, tc.fn, nil, id, arg)
		if err != nil {
			t.Fatal(err)
		}
		p, err := b.Project(j, f)
		if err != nil {
			t.Fatal(err)
		}
		ok, why := c.CanExecute(p, tables)
		if tc.wantWhy == "" {
			if !ok {
				t.Errorf("%s: not shipped: %s", tc.fn, why)
				continue
			}
			rows, _ := relRows(t, c, p, tables)
			if want := "[1|x|1|10|0]"; fmt.Sprint(rows) != want {
				t.Errorf("%s: rows %q, want %s", tc.fn, rows, want)
			}
			continue
		}
		if ok || !strings.Contains(why, tc.wantWhy) {
			t.Errorf("%s (by column %v): ok %v, reason %q, want %q", tc.fn, tc.byCol, ok, why, tc.wantWhy)
		}
	}
}

// A table of another Conn is not this Conn's to run.
func TestRelOtherConn(t *testing.T) {
	c, tables := relFixture(t)
	_, other := relFixture(t)
	_, j := relJoin(t, plan.JoinTypeInner)
	mixed := map[string]connectors.Table{"a": tables["a"], "b": other["b"]}
	if ok, why := c.CanExecute(j, mixed); ok || !strings.Contains(why, "not a table of this server") {
		t.Errorf("ok %v, reason %q", ok, why)
	}
}

// A sum beyond the bigint range fails remotely as it does in the engine
// (22003).
func TestRelSumOverflow(t *testing.T) {
	c, tables := relFixture(t)
	if _, err := c.db.Exec("INSERT INTO b VALUES (9, 9223372036854775807), (9, 9223372036854775807)"); err != nil {
		t.Fatal(err)
	}
	i64 := &types.Int64Type{Nullability: types.NullabilityNullable}
	sqlconntest.CheckSumOverflow(t, c, tables, "b", sqlconntest.Named([]string{"a_id", "n"}, i64, i64), 1)
}
