package bind

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// isUntyped reports whether x is a quoted literal whose type is still open
// (PostgreSQL's unknown), or a parameter with no type yet.
func (b *binder) isUntyped(x plan.Expr) bool {
	switch x := x.(type) {
	case *plan.Literal:
		return b.untyped[x] || x.Value == nil && x.Typ.ID() == arrow.NULL
	case *plan.Param:
		return x.Typ == nil || x.Typ.ID() == arrow.NULL
	}
	return false
}

// coerce converts x to type to: literals are converted now (an invalid
// value is an error, as PostgreSQL reports it), a parameter of unknown type
// takes the type, anything else gets a Cast.
func (b *binder) coerce(x plan.Expr, to arrow.DataType) (plan.Expr, error) {
	if arrow.TypeEqual(x.Type(), to) {
		return x, nil
	}
	switch v := x.(type) {
	case *plan.Literal:
		out, err := plan.CastLiteral(v, to)
		if se, ok := err.(*sqlerr.Error); ok && se.Position == 0 {
			se.Position = b.literalPos(v)
		}
		return out, err
	case *plan.Param:
		if v.Typ == nil || v.Typ.ID() == arrow.NULL {
			for len(b.params) <= v.Index {
				b.params = append(b.params, nil)
			}
			b.params[v.Index] = to
			return &plan.Param{Index: v.Index, Typ: to}, nil
		}
	}
	return &plan.Cast{Input: x, Typ: to}, nil
}

// literalPos is the position of a string literal's text in the statement
// ('abc'), for errors about its value; 0 when it cannot be found.
func (b *binder) literalPos(l *plan.Literal) int {
	s, ok := l.Value.(string)
	if !ok {
		return 0
	}
	return b.pos("'" + strings.ReplaceAll(s, "'", "''") + "'")
}

// unify resolves the untyped operands of an operator against the typed
// ones: 'x' compared with a date is a date literal.
func (b *binder) unify(args ...plan.Expr) ([]plan.Expr, error) {
	var typed arrow.DataType
	for _, a := range args {
		if !b.isUntyped(a) {
			typed = a.Type()
			break
		}
	}
	out := append([]plan.Expr(nil), args...)
	if typed == nil {
		return out, nil
	}
	for i, a := range out {
		if b.isUntyped(a) {
			c, err := b.coerce(a, typed)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
	}
	return out, nil
}

// commonType is the type a list of values (CASE branches, COALESCE, IN,
// UNION) is resolved to; an all-unknown list is text.
func (b *binder) commonType(what string, args []plan.Expr) (arrow.DataType, error) {
	var t arrow.DataType = types.Null
	for _, a := range args {
		if b.isUntyped(a) {
			continue
		}
		c, err := types.Common(t, a.Type())
		if err != nil {
			if se, ok := err.(*sqlerr.Error); ok {
				se.Message = what + " " + se.Message
			}
			return nil, err
		}
		t = c
	}
	if t.ID() == arrow.NULL {
		t = types.Text
	}
	return t, nil
}

// coerceAll converts every argument to t.
func (b *binder) coerceAll(args []plan.Expr, t arrow.DataType) ([]plan.Expr, error) {
	out := make([]plan.Expr, len(args))
	for i, a := range args {
		c, err := b.coerce(a, t)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}
