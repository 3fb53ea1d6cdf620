// Package optimize rewrites logical plans. Each rule is one small file with
// its own test that runs the rule alone and diffs the plan's text.
package optimize

import (
	"context"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Rule is one rewrite of a whole plan.
type Rule struct {
	Name  string
	Apply func(plan.Node) plan.Node
}

// Rules are the optimizer's rules in the order Optimize runs them:
// expressions first (so that pushed predicates are simple), outer joins
// simplified while their filters are still above them, predicates pushed
// down (turning comma joins into inner joins), semi joins moved onto the
// input they filter, joins ordered once their
// conditions are known, columns pruned last among the rewrites so that
// every rule before sees the columns it needs, then limits, then the notes
// for whole-subtree pushdown on the final shape.
var Rules = []Rule{
	FoldConstants,
	SimplifyPredicates,
	SimplifyOuterJoins,
	PushDownPredicates,
	PushDownSemiJoins,
	ReorderJoins,
	ChooseBuildSides,
	PruneColumns,
	PushDownLimits,
	MarkServerSubtrees,
}

// Optimize runs every rule once, in order.
func Optimize(ctx context.Context, n plan.Node) (out plan.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = sqlerr.New(sqlerr.InternalError, "optimizer: %v", r)
		}
	}()
	for _, r := range Rules {
		if err := ctx.Err(); err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.QueryCanceled, "canceling statement")
		}
		n = r.Apply(n)
	}
	return n, nil
}
