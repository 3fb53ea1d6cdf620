package arrowexec

import (
	"slices"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/plan"
	proto "github.com/substrait-io/substrait-protobuf/go/substraitpb"
)

func TestSetOps(t *testing.T) {
	a := [][]any{{1, "x"}, {1, "x"}, {1, "x"}, {2, "y"}, {nil, "n"}, {nil, "n"}, {3, nil}}
	b := [][]any{{1, "x"}, {nil, "n"}, {4, "z"}, {3, nil}, {3, nil}}
	cases := []struct {
		op   proto.SetRel_SetOp
		want []string
	}{
		{proto.SetRel_SET_OP_UNION_ALL, []string{"1|x", "1|x", "1|x", "1|x", "2|y", "3|NULL", "3|NULL", "3|NULL", "4|z", "NULL|n", "NULL|n", "NULL|n"}},
		{proto.SetRel_SET_OP_UNION_DISTINCT, []string{"1|x", "2|y", "3|NULL", "4|z", "NULL|n"}},
		{proto.SetRel_SET_OP_INTERSECTION_PRIMARY, []string{"1|x", "3|NULL", "NULL|n"}},
		{proto.SetRel_SET_OP_INTERSECTION_MULTISET_ALL, []string{"1|x", "3|NULL", "NULL|n"}},
		{proto.SetRel_SET_OP_MINUS_PRIMARY, []string{"2|y"}},
		{proto.SetRel_SET_OP_MINUS_PRIMARY_ALL, []string{"1|x", "1|x", "2|y", "NULL|n"}},
	}
	for _, tc := range cases {
		t.Run(tc.op.String(), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			at, bt := kvTable(mem, a), kvTable(mem, b)
			defer at.release()
			defer bt.release()
			bld := plan.NewBuilderDefault()
			l := bld.NamedScan([]string{"a"}, namedStruct(t, at.sch))
			r := bld.NamedScan([]string{"b"}, namedStruct(t, bt.sch))
			s := mustT[*plan.SetRel](t)(bld.Set(plan.SetOp(tc.op), l, r))
			rows, err := runPlan(t, mem, planOf(t, bld, s), resolver{"a": at, "b": bt}, Options{Threads: 4})
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(rows)
			if !slices.Equal(rows, tc.want) {
				t.Fatalf("got  %q\nwant %q", rows, tc.want)
			}
		})
	}
}
