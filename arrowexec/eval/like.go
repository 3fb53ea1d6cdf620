package eval

import (
	"bytes"
	"context"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// likeNode is s LIKE pattern [ESCAPE e] (an optional third argument; the
// default escape is backslash, as PostgreSQL's). ILIKE is the option
// case_sensitivity: CASE_INSENSITIVE and compares Unicode-lowercased text.
// A constant pattern is compiled once, into a prefix, suffix, substring or
// equality test when it is that simple.
type likeNode struct {
	in, pat, esc Expr
	fold         bool
	m            *matcher // compiled constant pattern
}

func buildLike(c *compiler, k *call) (Expr, error) {
	if len(k.args) < 2 || len(k.args) > 3 {
		return nil, unsupported(k)
	}
	for _, a := range k.args {
		if a.Type().ID() != arrow.STRING && a.Type().ID() != arrow.NULL {
			return nil, unsupported(k)
		}
	}
	n := &likeNode{in: k.args[0], pat: k.args[1]}
	if len(k.args) == 3 {
		n.esc = k.args[2]
	}
	n.fold = strings.HasPrefix(strings.ToUpper(k.option("case_sensitivity")), "CASE_INSENSITIVE")
	pk := asConst(n.pat)
	ek := asConst(n.esc)
	if pk != nil && !pk.null() && (n.esc == nil || (ek != nil && !ek.null())) {
		esc := "\\"
		if ek != nil {
			esc = constString(ek)
		}
		m, err := compileLike(constString(pk), esc, n.fold)
		if err != nil {
			return nil, err
		}
		n.m = m
	}
	return n, nil
}

func (n *likeNode) Type() arrow.DataType { return boolType }

func (n *likeNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	args := []Expr{n.in, n.pat}
	if n.esc != nil {
		args = append(args, n.esc)
	}
	rn := &rowNode{args: args}
	vs, release, err := rn.views(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer release()
	for _, v := range vs {
		if v.konst && v.null {
			return array.MakeArrayOfNull(mem, boolType, rows), nil
		}
	}
	var arrs []arrow.Array
	for _, v := range vs {
		arrs = append(arrs, v.arr)
	}
	valid, nulls := validity(mem, rows, arrs...)
	buf, bits := allocBits(mem, rows)
	vb := validBits(valid)
	m := n.m
	lastPat, lastEsc := "", ""
	var scratch []byte
	for i := 0; i < rows; i++ {
		if !bitSet(vb, i) {
			continue
		}
		if n.m == nil {
			p, e := string(vs[1].str(i)), "\\"
			if len(vs) == 3 {
				e = string(vs[2].str(i))
			}
			if m == nil || p != lastPat || e != lastEsc {
				if m, err = compileLike(p, e, n.fold); err != nil {
					buf.Release()
					if valid != nil {
						valid.Release()
					}
					return nil, err
				}
				lastPat, lastEsc = p, e
			}
		}
		s := vs[0].str(i)
		if n.fold {
			scratch = appendLower(scratch[:0], s)
			s = scratch
		}
		if m.match(s) {
			bits[i>>3] |= 1 << (i & 7)
		}
	}
	return makeArray(boolType, rows, nulls, valid, buf), nil
}

func appendLower(dst, s []byte) []byte {
	for _, r := range string(s) {
		dst = utf8.AppendRune(dst, toLower(r))
	}
	return dst
}

func toLower(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return []rune(strings.ToLower(string(r)))[0]
}

// likeTok is a run of literal bytes, one character (_) or any run (%).
type likeTok struct {
	kind byte // 'l', '_', '%'
	lit  []byte
}

type matcher struct {
	toks []likeTok
	// fast paths
	kind byte // 'g' general, '=' equal, '^' prefix, '$' suffix, '*' contains
	lit  []byte
}

func compileLike(p, esc string, fold bool) (*matcher, error) {
	if fold {
		p = string(appendLower(nil, []byte(p)))
	}
	if utf8.RuneCountInString(esc) > 1 {
		return nil, sqlerr.New(sqlerr.InvalidEscapeSequence, "invalid escape string").
			WithHint("Escape string must be empty or one character.")
	}
	var toks []likeTok
	var lit []byte
	flush := func() {
		if len(lit) > 0 {
			toks = append(toks, likeTok{kind: 'l', lit: lit})
			lit = nil
		}
	}
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		switch {
		case esc != "" && p[i:i+size] == esc:
			if i+size >= len(p) {
				return nil, sqlerr.New(sqlerr.InvalidEscapeSequence, "LIKE pattern must not end with escape character")
			}
			_, s2 := utf8.DecodeRuneInString(p[i+size:])
			lit = append(lit, p[i+size:i+size+s2]...)
			size += s2
		case r == '%':
			flush()
			if len(toks) == 0 || toks[len(toks)-1].kind != '%' {
				toks = append(toks, likeTok{kind: '%'})
			}
		case r == '_':
			flush()
			toks = append(toks, likeTok{kind: '_'})
		default:
			lit = append(lit, p[i:i+size]...)
		}
		i += size
	}
	flush()
	return simplify(&matcher{toks: toks, kind: 'g'}), nil
}

// simplify recognises abc, abc%, %abc and %abc%.
func simplify(m *matcher) *matcher {
	t := m.toks
	switch {
	case len(t) == 0:
		m.kind, m.lit = '=', nil
	case len(t) == 1 && t[0].kind == 'l':
		m.kind, m.lit = '=', t[0].lit
	case len(t) == 2 && t[0].kind == 'l' && t[1].kind == '%':
		m.kind, m.lit = '^', t[0].lit
	case len(t) == 2 && t[0].kind == '%' && t[1].kind == 'l':
		m.kind, m.lit = '$', t[1].lit
	case len(t) == 3 && t[0].kind == '%' && t[1].kind == 'l' && t[2].kind == '%':
		m.kind, m.lit = '*', t[1].lit
	case len(t) == 1 && t[0].kind == '%':
		m.kind, m.lit = '^', nil
	}
	return m
}

func (m *matcher) match(s []byte) bool {
	switch m.kind {
	case '=':
		return bytes.Equal(s, m.lit)
	case '^':
		return bytes.HasPrefix(s, m.lit)
	case '$':
		return bytes.HasSuffix(s, m.lit)
	case '*':
		return bytes.Contains(s, m.lit)
	}
	return matchToks(m.toks, s)
}

// matchToks is the classic wildcard match with one backtracking point (the
// last %), linear in practice.
func matchToks(toks []likeTok, s []byte) bool {
	ti, si := 0, 0
	starT, starS := -1, 0
	for {
		if ti < len(toks) {
			t := toks[ti]
			switch t.kind {
			case '%':
				starT, starS = ti, si
				ti++
				continue
			case '_':
				if si < len(s) {
					_, size := utf8.DecodeRune(s[si:])
					si += size
					ti++
					continue
				}
			case 'l':
				if bytes.HasPrefix(s[si:], t.lit) {
					si += len(t.lit)
					ti++
					continue
				}
			}
		} else if si == len(s) {
			return true
		}
		if starT < 0 || starS >= len(s) {
			return false
		}
		_, size := utf8.DecodeRune(s[starS:])
		starS += size
		ti, si = starT+1, starS
	}
}
