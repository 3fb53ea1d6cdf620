package sqlgen

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"
)

// in renders value IN (options).
func (p *deparser) in(x *expr.SingularOrList) (string, class, error) {
	v, err := p.operand(x.Value)
	if err != nil {
		return "", 0, err
	}
	if len(x.Options) == 0 {
		return "", 0, unshippable("empty IN list")
	}
	opts := make([]string, len(x.Options))
	for i, o := range x.Options {
		op, err := p.operand(o)
		if err != nil {
			return "", 0, err
		}
		if err := p.comparable("IN", v, op, false); err != nil {
			return "", 0, err
		}
		if p.d.FloatNaN && (v.class == cFloat || op.class == cFloat) && !op.lit {
			return "", 0, unshippable("IN of float expressions: NaN compares differently remotely")
		}
		opts[i] = op.sql
	}
	s := v.sql
	if v.class == cString {
		s = sprintf(p.d.StringEqualCollate, s)
	}
	return "(" + s + " IN (" + strings.Join(opts, ", ") + "))", cBool, nil
}

// cast renders the casts that keep every value (widening numeric casts,
// identity casts) and the decimal casts that round as the engine's do
// (Dialect.DecimalRound); other casts may differ remotely (rounding,
// parsing, formatting) and are not shipped.
func (p *deparser) cast(x *expr.Cast) (string, class, error) {
	in, err := p.operand(x.Input)
	if err != nil {
		return "", 0, err
	}
	to := classOfType(x.Type)
	from := in.class
	srcWidth := 0
	if in.col != nil {
		srcWidth = arrowIntWidth(in.col.Type)
	} else if t := x.Input.GetType(); t != nil {
		srcWidth = intWidth(t)
	}
	ok := false
	switch {
	case from == cInt && to == cInt:
		ok = srcWidth > 0 && intWidth(x.Type) >= srcWidth
	case from == cInt && to == cFloat:
		_, isF64 := x.Type.(*types.Float64Type)
		ok = isF64
	case from == cInt && to == cDecimal:
		dt := x.Type.(*types.DecimalType)
		ok = srcWidth > 0 && dt.Precision-dt.Scale >= map[int]int32{1: 3, 2: 5, 4: 10, 8: 19}[srcWidth]
	case from == cFloat && to == cFloat:
		_, ok = x.Type.(*types.Float64Type)
	case from == cDecimal && to == cDecimal:
		dt := x.Type.(*types.DecimalType)
		ok = p.d.DecimalArith && p.d.DecimalRound
		if st, isDec := x.Input.GetType().(*types.DecimalType); isDec && !ok {
			// Widening: every value is kept, no rounding, no overflow.
			ok = p.d.DecimalArith && dt.Scale >= st.Scale && dt.Precision-dt.Scale >= st.Precision-st.Scale
		}
	case from == to && from != cOther && from != cInt && from != cFloat && from != cDecimal:
		return in.sql, to, nil // string to string, date to date: no change of value
	}
	if !ok {
		src := fmt.Sprint(from)
		if t := x.Input.GetType(); t != nil {
			src = typeName(t)
		} else if in.col != nil {
			src = strings.ToLower(in.col.Type.String())
		}
		return "", 0, unshippable("cast from %s to %s may differ remotely", src, typeName(x.Type))
	}
	name, prec, scale := castClass(x.Type)
	t := p.d.CastType(name, prec, scale)
	if t == "" {
		return "", 0, unshippable("cast to %s not expressible in %s", typeName(x.Type), p.d.Name)
	}
	return "CAST(" + in.sql + " AS " + t + ")", to, nil
}

// like renders s LIKE pattern [ESCAPE e] with a constant pattern.
func (p *deparser) like(f *expr.ScalarFunction, args []operand) (string, class, error) {
	if strings.HasPrefix(strings.ToUpper(optionOf(f, "case_sensitivity")), "CASE_INSENSITIVE") {
		if !p.d.ILike {
			return "", 0, unshippable("function ilike is not shippable: remote case folding depends on the server's locale")
		}
	}
	if p.d.Like == LikeNone {
		return "", 0, unshippable("function like is not shippable to %s", p.d.Name)
	}
	if len(args) < 2 || len(args) > 3 {
		return "", 0, unshippable("like with %d arguments", len(args))
	}
	if err := p.comparable("like", args[0], operand{class: cString}, true); err != nil {
		return "", 0, err
	}
	pat, ok := constString(f, 1)
	if !ok {
		return "", 0, unshippable("like with a pattern that is not a constant string")
	}
	esc := `\`
	if len(args) == 3 {
		if esc, ok = constString(f, 2); !ok || utf8.RuneCountInString(esc) > 1 {
			return "", 0, unshippable("like with an escape that is not a constant character")
		}
	}
	toks, ok := parseLike(pat, esc)
	if !ok {
		return "", 0, unshippable("like pattern ends with its escape character")
	}
	s := sprintf(p.d.StringCollate, args[0].sql)
	if p.d.Like == LikeGlob {
		g, _, err := stringLit(p.d, globPattern(toks))
		if err != nil {
			return "", 0, err
		}
		return "(" + args[0].sql + " GLOB " + g + ")", cBool, nil
	}
	var b strings.Builder
	for _, t := range toks {
		switch {
		case t.wild != 0:
			if t.wild == '_' && p.d.LikeByteWise {
				return "", 0, unshippable("like with '_': %s matches one byte, not one character", p.d.Name)
			}
			b.WriteRune(t.wild)
		case t.r == '%' || t.r == '_' || t.r == '!':
			b.WriteRune('!')
			b.WriteRune(t.r)
		default:
			b.WriteRune(t.r)
		}
	}
	lit, _, err := stringLit(p.d, b.String())
	if err != nil {
		return "", 0, err
	}
	return "(" + s + " LIKE " + lit + " ESCAPE '!')", cBool, nil
}

type likeTok struct {
	r    rune // a literal character, when wild is 0
	wild rune // '%' or '_'
}

func parseLike(pat, esc string) ([]likeTok, bool) {
	var e rune = -1
	if esc != "" {
		e, _ = utf8.DecodeRuneInString(esc)
	}
	var toks []likeTok
	rs := []rune(pat)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; {
		case r == e:
			if i+1 == len(rs) {
				return nil, false
			}
			i++
			toks = append(toks, likeTok{r: rs[i]})
		case r == '%' || r == '_':
			toks = append(toks, likeTok{wild: r})
		default:
			toks = append(toks, likeTok{r: r})
		}
	}
	return toks, true
}

func globPattern(toks []likeTok) string {
	var b strings.Builder
	for _, t := range toks {
		switch {
		case t.wild == '%':
			b.WriteByte('*')
		case t.wild == '_':
			b.WriteByte('?')
		case t.r == '*' || t.r == '?' || t.r == '[':
			b.WriteString("[" + string(t.r) + "]")
		default:
			b.WriteRune(t.r)
		}
	}
	return b.String()
}

func constString(f *expr.ScalarFunction, i int) (string, bool) {
	switch l := f.Arg(i).(type) {
	case *expr.PrimitiveLiteral[string]:
		return l.Value, true
	case *expr.ProtoLiteral:
		s, ok := l.Value.(string)
		return s, ok
	}
	return "", false
}

func optionOf(f *expr.ScalarFunction, name string) string {
	if v := f.GetOption(name); len(v) > 0 {
		return v[0]
	}
	return ""
}
