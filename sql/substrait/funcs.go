package substrait

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/substrait-io/substrait-go/v8/extensions"
	stypes "github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/substrait/ext"
)

// funcIndex finds function variants by name and argument types.
type funcIndex struct {
	scalar    map[string][]*extensions.ScalarFunctionVariant
	aggregate map[string][]*extensions.AggregateFunctionVariant
	window    map[string][]*extensions.WindowFunctionVariant
}

var index = sync.OnceValue(func() *funcIndex {
	c := ext.Collection()
	ix := &funcIndex{
		scalar:    map[string][]*extensions.ScalarFunctionVariant{},
		aggregate: map[string][]*extensions.AggregateFunctionVariant{},
		window:    map[string][]*extensions.WindowFunctionVariant{},
	}
	for _, v := range c.GetAllScalarFunctions() {
		ix.scalar[v.Name()] = append(ix.scalar[v.Name()], v)
	}
	for _, v := range c.GetAllAggregateFunctions() {
		ix.aggregate[v.Name()] = append(ix.aggregate[v.Name()], v)
	}
	for _, v := range c.GetAllWindowFunctions() {
		ix.window[v.Name()] = append(ix.window[v.Name()], v)
	}
	// Deterministic choice among equals: standard URNs first, then by name.
	sortVariants(ix.scalar)
	sortVariants(ix.aggregate)
	sortVariants(ix.window)
	return ix
})

type variant interface {
	ID() extensions.ID
	CompoundName() string
}

func sortVariants[V variant](m map[string][]V) {
	for _, vs := range m {
		sort.SliceStable(vs, func(i, j int) bool {
			a, b := vs[i].ID(), vs[j].ID()
			if (a.URN == ext.URN) != (b.URN == ext.URN) {
				return b.URN == ext.URN
			}
			return a.URN+a.Name < b.URN+b.Name
		})
	}
}

// signature is the compound-name suffix of argument types ("i32_i32").
func signature(args []stypes.Type) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if a == nil {
			parts[i] = extensions.EnumTypeString
		} else {
			parts[i] = a.ShortString()
		}
	}
	return strings.Join(parts, "_")
}

// pick chooses the variant of name for args: an exact signature, else one
// with "any" parameters, else the first with the right number of arguments.
func pick[V variant](vs []V, name string, args []stypes.Type) (V, error) {
	var zero V
	if len(vs) == 0 {
		return zero, fmt.Errorf("function %s is not in the extension collection", name)
	}
	sig := name + ":" + signature(args)
	anys := make([]string, len(args))
	for i, a := range args {
		anys[i] = "any"
		if a == nil {
			anys[i] = extensions.EnumTypeString
		}
	}
	anySig := name + ":" + strings.Join(anys, "_")
	for _, want := range []string{sig, anySig} {
		for _, v := range vs {
			if v.CompoundName() == want {
				return v, nil
			}
		}
	}
	best, bestScore := -1, -1
	parts := strings.Split(signature(args), "_")
	for i, v := range vs {
		if arity(v.CompoundName()) != len(args) {
			continue
		}
		_, vsig, _ := strings.Cut(v.CompoundName(), ":")
		score := 0
		for j, p := range strings.Split(vsig, "_") {
			if j < len(parts) && p == parts[j] {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best >= 0 {
		return vs[best], nil
	}
	return vs[0], nil
}

// arity is the number of arguments in a compound name ("add:i32_i32" → 2).
func arity(compound string) int {
	_, sig, _ := strings.Cut(compound, ":")
	if sig == "" {
		return 0
	}
	return strings.Count(sig, "_") + 1
}
