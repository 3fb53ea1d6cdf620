package bind_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// TestBindRound: trunc is Substrait's round with the rounding option
// TRUNCATE; numeric results have PostgreSQL's scale.
func TestBindRound(t *testing.T) {
	cases := []struct{ expr, typ, rounding string }{
		{"trunc(n)", "numeric(13,0)", "TRUNCATE"},
		{"trunc(n, 1)", "numeric(14,1)", "TRUNCATE"},
		{"trunc(n, 4)", "numeric(17,4)", "TRUNCATE"},
		{"trunc(n, -2)", "numeric(13,0)", "TRUNCATE"},
		{"trunc(n, i)", "numeric(15,2)", "TRUNCATE"},
		{"trunc(2.789, 1)", "numeric(2,1)", "TRUNCATE"},
		{"trunc(i)", "numeric(19,0)", "TRUNCATE"},
		{"trunc(f)", "double precision", "TRUNCATE"},
		{"trunc(r)", "double precision", "TRUNCATE"},
		{"round(n)", "numeric(14,0)", ""},
		{"round(n, 1)", "numeric(15,1)", ""},
		{"round(n, 2)", "numeric(15,2)", ""},
		{"round(n, 5)", "numeric(18,5)", ""},
		{"round(n, i)", "numeric(16,2)", ""},
		{"round(f)", "double precision", ""},
	}
	cat := statsCatalog()
	for _, c := range cases {
		sql := "select " + c.expr + " from st"
		res, err := bindSQL(cat, "alice", sql)
		if err != nil {
			t.Errorf("%s: %v", sql, err)
			continue
		}
		if got := types.SQLName(res.Root.Columns()[0].Type); got != c.typ {
			t.Errorf("%s: type %s, want %s", sql, got, c.typ)
		}
		call := firstCall(res.Root)
		if call == nil || call.Func != "round" || call.Options["rounding"] != c.rounding || len(call.Args) != 2 {
			t.Errorf("%s: call %+v, want round(x, digits) with rounding %q", sql, call, c.rounding)
		}
	}
	_, err := bindSQL(cat, "alice", "select trunc(f, 1) from st")
	var e *sqlerr.Error
	if !errors.As(err, &e) || e.Code != sqlerr.UndefinedFunction || !strings.Contains(e.Message, "trunc(double precision, integer)") {
		t.Errorf("trunc(f, 1): got %v, want 42883 naming trunc(double precision, integer)", err)
	}
}

// firstCall is the first expression of the plan's top projection, if a
// call.
func firstCall(n plan.Node) *plan.Call {
	for n != nil {
		if p, ok := n.(*plan.Project); ok && len(p.Exprs) > 0 {
			c, _ := p.Exprs[0].(*plan.Call)
			return c
		}
		ch := n.Children()
		if len(ch) == 0 {
			return nil
		}
		n = ch[0]
	}
	return nil
}
