package mysql

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
	"github.com/medleysql/medley/connectors/testsrv"
)

// relFixture creates tables a (id, s under a case-insensitive collation,
// k int) and b (s, big) and returns the Conn and its foreign tables.
func relFixture(t *testing.T) (*Conn, map[string]connectors.Table) {
	t.Helper()
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	m.Exec(t, db, "CREATE TABLE a (id BIGINT, s VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci, k INT);"+
		"INSERT INTO a VALUES (1, 'x', 1), (2, 'X', 2), (3, 'x ', 3), (4, NULL, NULL);"+
		"CREATE TABLE b (s VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci, big BIGINT);"+
		"INSERT INTO b VALUES ('x', 9223372036854775807), ('X', 9223372036854775807)")
	c := connectTo(t, m)
	tables := map[string]connectors.Table{}
	for name, cols := range map[string][]connectors.ColumnDesc{
		"a": {{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
			{Name: "k", Type: arrow.PrimitiveTypes.Int32, Nullable: true}},
		"b": {{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "big", Type: arrow.PrimitiveTypes.Int64, Nullable: true}},
	} {
		tb, err := c.Table(context.Background(), connectors.TableDesc{Name: []string{name}, Columns: cols,
			Options: map[string]string{"dbname": db}})
		if err != nil {
			t.Fatal(err)
		}
		tables[name] = tb
	}
	return c, tables
}

var (
	relI64 = &types.Int64Type{Nullability: types.NullabilityNullable}
	relI32 = &types.Int32Type{Nullability: types.NullabilityNullable}
	relStr = &types.StringType{Nullability: types.NullabilityNullable}
)

// relJoin is a JOIN b ON a.s = b.s of type jt.
func relJoin(t *testing.T, jt plan.JoinType) (plan.Builder, *plan.JoinRel) {
	t.Helper()
	b := plan.NewBuilderDefault()
	l := b.NamedScan([]string{"a"}, sqlconntest.Named([]string{"id", "s", "k"}, relI64, relStr, relI32))
	r := b.NamedScan([]string{"b"}, sqlconntest.Named([]string{"s", "big"}, relStr, relI64))
	return b, sqlconntest.JoinOn(t, b, l, r, 1, 0, jt)
}

// A join on strings compares by byte, though the collation ignores case
// and trailing spaces.
func TestRelJoinByByte(t *testing.T) {
	c, tables := relFixture(t)
	_, j := relJoin(t, plan.JoinTypeInner)
	if ok, why := c.CanExecute(j, tables); !ok {
		t.Fatalf("CanExecute: %s", why)
	}
	rows, _, err := sqlconntest.RelRows(t, c, j, tables)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[1|x|1|x|9223372036854775807 2|X|2|X|9223372036854775807]"; fmt.Sprint(rows) != want {
		t.Errorf("rows %v, want %s", rows, want)
	}
}

// MySQL has no FULL JOIN; 32-bit arithmetic does not overflow remotely.
func TestRelNotShippable(t *testing.T) {
	c, tables := relFixture(t)
	_, full := relJoin(t, plan.JoinTypeOuter)
	if ok, why := c.CanExecute(full, tables); ok || !strings.Contains(why, "FULL JOIN") {
		t.Errorf("FULL JOIN: ok %v, reason %q", ok, why)
	}
	b, j := relJoin(t, plan.JoinTypeInner)
	k, err := b.RootFieldRef(j, 2)
	if err != nil {
		t.Fatal(err)
	}
	add, err := b.ScalarFn(sqlconntest.ArithURN, "add", nil, k, k)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.Project(j, add)
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := c.CanExecute(p, tables); ok || !strings.Contains(why, "4-byte integer add") {
		t.Errorf("int4 add: ok %v, reason %q", ok, why)
	}
}

// A sum out of the bigint range comes back as an exact DECIMAL (no
// clipping CAST AS SIGNED) and fails as the engine's sum does (22003).
func TestRelSumOverflow(t *testing.T) {
	c, tables := relFixture(t)
	sqlconntest.CheckSumOverflow(t, c, tables, "b", sqlconntest.Named([]string{"s", "big"}, relStr, relI64), 1)
}
