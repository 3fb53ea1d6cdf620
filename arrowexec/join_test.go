package arrowexec

import (
	"slices"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/plan"
	proto "github.com/substrait-io/substrait-protobuf/go/substraitpb"
)

func kvTable(mem memory.Allocator, rows [][]any) *testTable {
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "v", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	// two partitions
	h := len(rows) / 2
	bs := []arrow.RecordBatch{buildRows(mem, sch, rows[:h]), buildRows(mem, sch, rows[h:])}
	return &testTable{sch: sch, batches: bs, failAt: -1}
}

var (
	leftRows  = [][]any{{1, "l1"}, {2, "l2"}, {2, "l2b"}, {nil, "lnull"}, {4, "l4"}}
	rightRows = [][]any{{1, "r1"}, {2, "r2"}, {2, "r2b"}, {nil, "rnull"}, {5, "r5"}}
	uniqRows  = [][]any{{1, "r1"}, {5, "r5"}}
	inner     = []string{"1|l1|1|r1", "2|l2b|2|r2", "2|l2b|2|r2b", "2|l2|2|r2", "2|l2|2|r2b"}
)

type joinCase struct {
	name     string
	kind     plan.JoinType
	right    [][]any
	residual bool // AND r.v <> 'r2b'
	noKeys   bool // condition is only the residual
	want     []string
	code     sqlerr.Code
}

func TestJoins(t *testing.T) {
	cat := func(a []string, b ...string) []string { return append(append([]string{}, a...), b...) }
	cases := []joinCase{
		{name: "inner", kind: plan.JoinTypeInner, right: rightRows, want: inner},
		{name: "left", kind: plan.JoinTypeLeft, right: rightRows, want: cat(inner, "4|l4|NULL|NULL", "NULL|lnull|NULL|NULL")},
		{name: "right", kind: plan.JoinTypeRight, right: rightRows, want: cat(inner, "NULL|NULL|5|r5", "NULL|NULL|NULL|rnull")},
		{name: "full", kind: plan.JoinTypeOuter, right: rightRows, want: cat(inner, "4|l4|NULL|NULL", "NULL|NULL|5|r5", "NULL|NULL|NULL|rnull", "NULL|lnull|NULL|NULL")},
		{name: "semi", kind: plan.JoinTypeLeftSemi, right: rightRows, want: []string{"1|l1", "2|l2", "2|l2b"}},
		{name: "anti", kind: plan.JoinTypeLeftAnti, right: rightRows, want: []string{"4|l4", "NULL|lnull"}},
		{name: "mark null build", kind: joinMark, right: rightRows, want: []string{"1|l1|true", "2|l2b|true", "2|l2|true", "4|l4|NULL", "NULL|lnull|NULL"}},
		{name: "mark", kind: joinMark, right: uniqRows, want: []string{"1|l1|true", "2|l2b|false", "2|l2|false", "4|l4|false", "NULL|lnull|NULL"}},
		{name: "single", kind: plan.JoinTypeLeftSingle, right: uniqRows, want: []string{"1|l1|1|r1", "2|l2b|NULL|NULL", "2|l2|NULL|NULL", "4|l4|NULL|NULL", "NULL|lnull|NULL|NULL"}},
		{name: "single dup", kind: plan.JoinTypeLeftSingle, right: rightRows, code: sqlerr.CardinalityViolation},
		{name: "inner residual", kind: plan.JoinTypeInner, right: rightRows, residual: true, want: []string{"1|l1|1|r1", "2|l2b|2|r2", "2|l2|2|r2"}},
		{name: "left residual", kind: plan.JoinTypeLeft, right: rightRows, residual: true, want: []string{"1|l1|1|r1", "2|l2b|2|r2", "2|l2|2|r2", "4|l4|NULL|NULL", "NULL|lnull|NULL|NULL"}},
		{name: "inner empty build", kind: plan.JoinTypeInner, right: [][]any{}, want: nil},
		{name: "left empty build", kind: plan.JoinTypeLeft, right: [][]any{}, want: []string{"1|l1|NULL|NULL", "2|l2b|NULL|NULL", "2|l2|NULL|NULL", "4|l4|NULL|NULL", "NULL|lnull|NULL|NULL"}},
		{name: "anti empty build", kind: plan.JoinTypeLeftAnti, right: [][]any{}, want: []string{"1|l1", "2|l2", "2|l2b", "4|l4", "NULL|lnull"}},
		{name: "nested loop", kind: plan.JoinTypeInner, right: uniqRows, noKeys: true, want: []string{"1|l1|1|r1", "1|l1|5|r5", "2|l2b|1|r1", "2|l2b|5|r5", "2|l2|1|r1", "2|l2|5|r5", "4|l4|1|r1", "4|l4|5|r5", "NULL|lnull|1|r1", "NULL|lnull|5|r5"}},
		{name: "nested loop anti", kind: plan.JoinTypeLeftAnti, right: uniqRows, noKeys: true, want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			lt, rt := kvTable(mem, leftRows), kvTable(mem, tc.right)
			defer lt.release()
			defer rt.release()
			res := resolver{"l": lt, "r": rt}
			b := plan.NewBuilderDefault()
			l := b.NamedScan([]string{"l"}, namedStruct(t, lt.sch))
			r := b.NamedScan([]string{"r"}, namedStruct(t, rt.sch))
			ref := func(i int32) *expr.FieldReference {
				return mustT[*expr.FieldReference](t)(b.JoinedRecordFieldRef(l, r, i))
			}
			cond := expr.Expression(mustT[*expr.ScalarFunction](t)(b.ScalarFn(cmpURN, "equal", nil, ref(0), ref(2))))
			resid := mustT[*expr.ScalarFunction](t)(b.ScalarFn(cmpURN, "not_equal", nil, ref(3), expr.NewPrimitiveLiteral("r2b", false)))
			switch {
			case tc.noKeys:
				cond = mustT[*expr.ScalarFunction](t)(b.ScalarFn(cmpURN, "not_equal", nil, ref(1), expr.NewPrimitiveLiteral("zz", false)))
			case tc.residual:
				cond = mustT[*expr.ScalarFunction](t)(b.ScalarFn(boolURN, "and", nil, cond, resid))
			}
			kind := tc.kind
			if kind == joinMark {
				kind = plan.JoinTypeInner // substrait-go cannot type a mark join: patched below
			}
			j := mustT[*plan.JoinRel](t)(b.Join(l, r, cond, kind))
			p := planOf(t, b, j)
			if tc.kind == joinMark {
				p = withJoinType(t, p, proto.JoinRel_JOIN_TYPE_LEFT_MARK)
			}
			rows, err := runPlan(t, mem, p, res, Options{Threads: 2})
			if tc.code != "" {
				if !sqlerr.Is(err, tc.code) {
					t.Fatalf("got %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(rows)
			want := append([]string{}, tc.want...)
			sort.Strings(want)
			if !slices.Equal(rows, want) {
				t.Fatalf("got  %q\nwant %q", rows, want)
			}
		})
	}
}

// withJoinType changes the type of the root's JoinRel through protobuf.
func withJoinType(t testing.TB, p *plan.Plan, jt proto.JoinRel_JoinType) *plan.Plan {
	pb := mustT[*proto.Plan](t)(p.ToProto())
	root := pb.Relations[0].GetRoot()
	root.Input.GetJoin().Type = jt
	root.Names = nil // substrait-go types a mark join as having no columns
	pb.Relations[0].GetRoot().Input.GetJoin().Common = &proto.RelCommon{EmitKind: &proto.RelCommon_Direct_{Direct: &proto.RelCommon_Direct{}}}
	out, err := plan.FromProto(pb, extensions.GetDefaultCollectionWithNoError())
	if err != nil {
		t.Fatal(err)
	}
	return out
}
