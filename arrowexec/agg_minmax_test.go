package arrowexec

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestIntervalMinMax: intervals in PostgreSQL's order (a month is 30
// days, a day 24 hours); of equal spans the value read last wins, as with
// PostgreSQL's interval_larger and interval_smaller.
func TestIntervalMinMax(t *testing.T) {
	const hour = int64(3600e9)
	iv := func(m, d int32, h int64) arrow.MonthDayNanoInterval {
		return arrow.MonthDayNanoInterval{Months: m, Days: d, Nanoseconds: h * hour}
	}
	cases := []struct {
		name     string
		batches  [][]*arrow.MonthDayNanoInterval
		gids     [][]int32
		min, max []arrow.MonthDayNanoInterval
		nulls    []bool // groups without values
	}{
		{"order", [][]*arrow.MonthDayNanoInterval{{ptr(iv(0, 1, 0)), ptr(iv(0, 0, 25)), nil}, {ptr(iv(-12, 0, 0)), ptr(iv(0, 0, -1))}},
			[][]int32{{0, 0, 1}, {0, 0}}, []arrow.MonthDayNanoInterval{iv(-12, 0, 0), {}}, []arrow.MonthDayNanoInterval{iv(0, 0, 25), {}},
			[]bool{false, true}},
		{"ties keep the last", [][]*arrow.MonthDayNanoInterval{{ptr(iv(1, 0, 0)), ptr(iv(0, 30, 0)), ptr(iv(0, 0, 720))}},
			[][]int32{{0, 0, 0}}, []arrow.MonthDayNanoInterval{iv(0, 0, 720)}, []arrow.MonthDayNanoInterval{iv(0, 0, 720)}, []bool{false}},
		{"ties reversed", [][]*arrow.MonthDayNanoInterval{{ptr(iv(0, 0, 720)), ptr(iv(0, 30, 0)), ptr(iv(1, 0, 0))}},
			[][]int32{{0, 0, 0}}, []arrow.MonthDayNanoInterval{iv(1, 0, 0)}, []arrow.MonthDayNanoInterval{iv(1, 0, 0)}, []bool{false}},
		{"days beyond nanoseconds", [][]*arrow.MonthDayNanoInterval{{ptr(iv(0, 200000, 0)), ptr(iv(0, 0, 200000*24+1)), ptr(iv(7000, 0, 0))}},
			[][]int32{{0, 0, 0}}, []arrow.MonthDayNanoInterval{iv(0, 0, 200000*24+1)}, []arrow.MonthDayNanoInterval{iv(7000, 0, 0)}, []bool{false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			for _, name := range []string{"min", "max"} {
				acc, err := newAccumulator(name, []arrow.DataType{arrow.FixedWidthTypes.MonthDayNanoInterval}, arrow.FixedWidthTypes.MonthDayNanoInterval)
				if err != nil {
					t.Fatal(err)
				}
				groups := len(c.nulls)
				acc.resize(groups)
				for bi, vals := range c.batches {
					a := intervalArray(mem, vals)
					err := acc.update(c.gids[bi], []arrow.Array{a})
					a.Release()
					if err != nil {
						t.Fatal(err)
					}
				}
				res, err := acc.result(mem, 0, groups)
				if err != nil {
					t.Fatal(err)
				}
				want := c.min
				if name == "max" {
					want = c.max
				}
				got := res.(*array.MonthDayNanoInterval)
				for g := 0; g < groups; g++ {
					if got.IsNull(g) != c.nulls[g] || !c.nulls[g] && got.Value(g) != want[g] {
						t.Errorf("%s group %d: %v (null %v), want %v (null %v)", name, g, got.Value(g), got.IsNull(g), want[g], c.nulls[g])
					}
				}
				res.Release()
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func intervalArray(mem memory.Allocator, vals []*arrow.MonthDayNanoInterval) arrow.Array {
	b := array.NewMonthDayNanoIntervalBuilder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(*v)
		}
	}
	return b.NewArray()
}
