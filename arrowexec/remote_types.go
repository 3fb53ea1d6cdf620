package arrowexec

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"

	"github.com/medleysql/medley/connectors"
)

// relTypes is the output column types of r as the local planner would
// produce them (substrait-go's RecordType does not know mark joins and
// ignores read projections).
func relTypes(r plan.Rel, tables map[string]connectors.Table) ([]arrow.DataType, error) {
	ts, err := relTypesDirect(r, tables)
	if err != nil {
		return nil, err
	}
	m := r.OutputMapping()
	if m == nil {
		return ts, nil
	}
	out := make([]arrow.DataType, len(m))
	for i, c := range m {
		if c < 0 || int(c) >= len(ts) {
			return nil, fmt.Errorf("emit column %d out of range", c)
		}
		out[i] = ts[c]
	}
	return out, nil
}

func relTypesDirect(r plan.Rel, tables map[string]connectors.Table) ([]arrow.DataType, error) {
	switch r := r.(type) {
	case *plan.NamedTableReadRel:
		t, ok := tables[strings.Join(r.Names(), ".")]
		if !ok {
			return nil, fmt.Errorf("table %s not resolved", strings.Join(r.Names(), "."))
		}
		base := t.Schema()
		proj := readMask(r)
		if proj == nil {
			for i := 0; i < base.NumFields(); i++ {
				proj = append(proj, i)
			}
		}
		var out []arrow.DataType
		for _, c := range proj {
			if c < 0 || c >= base.NumFields() {
				return nil, fmt.Errorf("projection column %d out of range", c)
			}
			out = append(out, base.Field(c).Type)
		}
		return out, nil
	case *plan.FilterRel:
		return relTypes(r.Input(), tables)
	case *plan.SortRel:
		return relTypes(r.Input(), tables)
	case *plan.FetchRel:
		return relTypes(r.Input(), tables)
	case *plan.ProjectRel:
		in, err := relTypes(r.Input(), tables)
		if err != nil {
			return nil, err
		}
		return appendExprTypes(in, r.Expressions())
	case *plan.AggregateRel:
		var out []arrow.DataType
		if refs := r.GroupingReferences(); len(refs) == 1 {
			all := r.GroupingExpressions()
			for _, ref := range refs[0] {
				if int(ref) >= len(all) {
					return nil, fmt.Errorf("grouping reference %d out of range", ref)
				}
				var err error
				if out, err = appendExprTypes(out, []expr.Expression{all[ref]}); err != nil {
					return nil, err
				}
			}
		}
		for _, m := range r.Measures() {
			t, err := arrowType(m.Measure().GetType())
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
		return out, nil
	case *plan.JoinRel:
		l, err := relTypes(r.Left(), tables)
		if err != nil {
			return nil, err
		}
		switch r.Type() {
		case plan.JoinTypeLeftSemi, plan.JoinTypeLeftAnti:
			return l, nil
		case joinMark:
			return append(l, arrow.FixedWidthTypes.Boolean), nil
		}
		rt, err := relTypes(r.Right(), tables)
		if err != nil {
			return nil, err
		}
		return append(l, rt...), nil
	case *plan.CrossRel:
		l, err := relTypes(r.Left(), tables)
		if err != nil {
			return nil, err
		}
		rt, err := relTypes(r.Right(), tables)
		if err != nil {
			return nil, err
		}
		return append(l, rt...), nil
	}
	return nil, fmt.Errorf("relation %s has no known output", relName(r))
}

func appendExprTypes(out []arrow.DataType, es []expr.Expression) ([]arrow.DataType, error) {
	out = append([]arrow.DataType{}, out...)
	for _, e := range es {
		t, err := arrowType(e.GetType())
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
