package sqlgen

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/plan"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/substrait/ext"
)

// TestRelStatistics: var_samp, var_pop, stddev_samp and stddev_pop ship
// only to PostgreSQL, only over integers and decimals (cast to the
// engine's types, the result cast to the declared type), and an
// unshippable one keeps the whole tree that holds it local.
func TestRelStatistics(t *testing.T) {
	n := types.NullabilityNullable
	base := types.NamedStruct{Names: []string{"i", "n", "f"}, Struct: types.StructType{Nullability: types.NullabilityRequired,
		Types: []types.Type{&types.Int32Type{Nullability: n}, &types.DecimalType{Nullability: n, Precision: 15, Scale: 2},
			&types.Float64Type{Nullability: n}}}}
	table := func(names []string) (RelTable, bool) {
		return RelTable{Remote: []string{"public", names[0]}, Columns: []ColumnRef{
			{Name: "i", Type: arrow.PrimitiveTypes.Int32},
			{Name: "n", Type: &arrow.Decimal128Type{Precision: 15, Scale: 2}},
			{Name: "f", Type: arrow.PrimitiveTypes.Float64},
		}}, true
	}
	// agg is SELECT i, fn(col) FROM t GROUP BY i, optionally joined with u
	// on i.
	agg := func(t *testing.T, fn string, col int32, join bool) plan.Rel {
		b := plan.NewBuilder(ext.Collection())
		scan := b.NamedScan([]string{"t"}, base)
		ref, err := b.RootFieldRef(scan, col)
		if err != nil {
			t.Fatal(err)
		}
		eb := b.GetExprBuilder()
		f, err := eb.AggFunc(extensions.ID{URN: ext.URN, Name: fn}).Args(eb.Expression(ref)).Build()
		if err != nil {
			t.Fatal(err)
		}
		r, err := b.AggregateColumns(scan, []plan.AggRelMeasure{b.Measure(f, nil)}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !join {
			return r
		}
		u := b.NamedScan([]string{"u"}, base)
		l, err := b.JoinedRecordFieldRef(r, u, 0)
		if err != nil {
			t.Fatal(err)
		}
		rr, err := b.JoinedRecordFieldRef(r, u, 2)
		if err != nil {
			t.Fatal(err)
		}
		cond, err := eb.ScalarFunc(extensions.ID{URN: extensions.SubstraitDefaultURNPrefix + "functions_comparison", Name: "equal"}).
			Args(eb.Expression(l), eb.Expression(rr)).Build()
		if err != nil {
			t.Fatal(err)
		}
		j, err := b.Join(r, u, cond, plan.JoinTypeInner)
		if err != nil {
			t.Fatal(err)
		}
		return j
	}
	cases := []struct {
		name    string
		d       *Dialect
		fn      string
		col     int32
		join    bool
		want    string // in the remote SQL
		unships string // in the Unshippable reason
	}{
		{"decimal", PostgreSQL, "stddev_samp:dec", 1, false,
			`CAST(stddev_samp(CAST("c2" AS numeric(15,2))) AS numeric(38,16))`, ""},
		{"integer", PostgreSQL, "var_pop:i32", 0, false, `CAST(var_pop(CAST("c1" AS int4)) AS numeric(38,16))`, ""},
		{"in a join", PostgreSQL, "var_samp:dec", 1, true, `var_samp(CAST(`, ""},
		{"float", PostgreSQL, "stddev_pop:fp64", 2, false, "", "stddev_pop of float: the remote result's rounding differs"},
		{"float in a join", PostgreSQL, "var_samp:fp64", 2, true, "", "var_samp of float"},
		{"MySQL", MySQL, "stddev_samp:dec", 1, false, "", "is not computed as the engine does in MySQL"},
		{"SQLite", SQLite, "var_pop:i32", 0, false, "", "is not computed as the engine does in SQLite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := Rel(c.d, agg(t, c.fn, c.col, c.join), table)
			var u *Unshippable
			switch {
			case c.unships != "":
				if !errors.As(err, &u) || !strings.Contains(u.Reason, c.unships) {
					t.Fatalf("got %q, %v; want unshippable %q", q.SQL, err, c.unships)
				}
			case err != nil:
				t.Fatal(err)
			case !strings.Contains(q.SQL, c.want):
				t.Fatalf("remote SQL lacks %s:\n%s", c.want, q.SQL)
			}
		})
	}
}
