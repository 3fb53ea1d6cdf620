package eval

import (
	"context"
	"errors"
	"regexp"
	"regexp/syntax"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// regexp_replace(source, pattern, replacement, flags), Medley's extension
// function with PostgreSQL's meaning (functions_medley.yaml): the pattern
// is translated to RE2 (regexp_syntax.go) and matched leftmost-longest.
// The standard's regexp_replace (ICU syntax, every match replaced, with
// position and occurrence) is not supported.

func init() {
	register(buildRegexpReplace, "regexp_replace")
}

// pgRegexp is a compiled pattern: its RE2 forms from the start of the
// string and from a later position.
type pgRegexp struct {
	first, later *regexp.Regexp
	global       bool
}

func compilePG(pattern, flags string) (*pgRegexp, error) {
	o, err := parseFlags(flags)
	if err != nil {
		return nil, err
	}
	tr, err := translateARE(pattern, &o)
	if err != nil {
		return nil, err
	}
	re := &pgRegexp{global: o.global}
	for _, x := range []struct {
		dst **regexp.Regexp
		src string
	}{{&re.first, tr.first}, {&re.later, tr.later}} {
		c, err := regexp.Compile(x.src)
		if err != nil {
			var se *syntax.Error
			if errors.As(err, &se) {
				return nil, errRegexp(se.Code.String())
			}
			return nil, errRegexp(err.Error())
		}
		c.Longest()
		*x.dst = c
	}
	return re, nil
}

// replPart is a piece of a replacement: literal bytes, or submatch group
// (0 the whole match) when group >= 0.
type replPart struct {
	lit   []byte
	group int
}

// parseReplacement reads PostgreSQL's replacement syntax: \1 .. \9 the
// submatches, \& the match, \\ a backslash; any other backslash is kept.
func parseReplacement(r []byte) []replPart {
	var parts []replPart
	var lit []byte
	for i := 0; i < len(r); i++ {
		c := r[i]
		if c != '\\' || i+1 == len(r) {
			lit = append(lit, c)
			continue
		}
		switch n := r[i+1]; {
		case '1' <= n && n <= '9', n == '&':
			if len(lit) > 0 {
				parts, lit = append(parts, replPart{lit: lit, group: -1}), nil
			}
			g := 0
			if n != '&' {
				g = int(n - '0')
			}
			parts = append(parts, replPart{group: g})
			i++
		case n == '\\':
			lit = append(lit, '\\')
			i++
		default:
			lit = append(lit, '\\')
		}
	}
	if len(lit) > 0 {
		parts = append(parts, replPart{lit: lit, group: -1})
	}
	return parts
}

// replace appends s with the first match (every match, with the flag g)
// of re replaced by repl. As PostgreSQL's, the search after a match starts
// at its end, one character later after an empty match, so an empty
// match right after a non-empty one counts ('baaac', 'a*' → '-b--c-').
func (re *pgRegexp) replace(dst, s []byte, repl []replPart) []byte {
	subs := false // submatches are costlier to find: only when used
	for _, p := range repl {
		subs = subs || p.group > 0
	}
	copied := 0
	for pos := 0; pos <= len(s); {
		rx := re.first
		if pos > 0 {
			rx = re.later
		}
		var loc []int
		if subs {
			loc = rx.FindSubmatchIndex(s[pos:])
		} else {
			loc = rx.FindIndex(s[pos:])
		}
		if loc == nil {
			break
		}
		so, eo := pos+loc[0], pos+loc[1]
		dst = append(dst, s[copied:so]...)
		for _, p := range repl {
			switch {
			case p.group < 0:
				dst = append(dst, p.lit...)
			case 2*p.group+1 < len(loc) && loc[2*p.group] >= 0:
				dst = append(dst, s[pos+loc[2*p.group]:pos+loc[2*p.group+1]]...)
			}
		}
		copied = eo
		if !re.global {
			break
		}
		pos = eo
		if so == eo {
			if pos == len(s) {
				break
			}
			_, size := utf8.DecodeRune(s[pos:])
			pos += size
		}
	}
	return append(dst, s[copied:]...)
}

// regexpNode is regexp_replace. A constant pattern and flags are compiled
// once (an invalid one fails the first evaluation over rows, as
// PostgreSQL fails the first call); others are compiled per distinct
// value, cached for one evaluation.
type regexpNode struct {
	row      *rowNode
	fixed    *pgRegexp
	fixedErr error
	repl     []replPart // a constant replacement's
	constRep bool
}

func buildRegexpReplace(c *compiler, k *call) (Expr, error) {
	if !matchKinds(k, []string{"ssss"}) || k.out.ID() != arrow.STRING {
		return nil, unsupported(k)
	}
	row, err := newRowNode(k)
	if err != nil {
		return nil, err
	}
	n := &regexpNode{row: row}
	pat, flags := asConst(row.args[1]), asConst(row.args[3])
	if pat != nil && flags != nil && !pat.null() && !flags.null() {
		n.fixed, n.fixedErr = compilePG(constString(pat), constString(flags))
	}
	if r := asConst(row.args[2]); r != nil && !r.null() {
		n.repl, n.constRep = parseReplacement([]byte(constString(r))), true
	}
	return n, nil
}

func (n *regexpNode) Type() arrow.DataType { return n.row.out }

// maxCached bounds the patterns one evaluation keeps compiled.
const maxCached = 256

func (n *regexpNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	if n.fixedErr != nil && rows > 0 {
		return nil, n.fixedErr
	}
	vs, release, err := n.row.views(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer release()
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(rows)
	cache := map[[2]string]*pgRegexp{}
	var scratch []byte
	for i := 0; i < rows; i++ {
		if !allValid(vs, i) {
			b.AppendNull()
			continue
		}
		re := n.fixed
		if re == nil {
			key := [2]string{string(vs[1].str(i)), string(vs[3].str(i))}
			if re = cache[key]; re == nil {
				if re, err = compilePG(key[0], key[1]); err != nil {
					return nil, err
				}
				if len(cache) == maxCached {
					clear(cache)
				}
				cache[key] = re
			}
		}
		repl := n.repl
		if !n.constRep {
			repl = parseReplacement(vs[2].str(i))
		}
		scratch = re.replace(scratch[:0], vs[0].str(i), repl)
		b.BinaryBuilder.Append(scratch)
	}
	return b.NewArray(), nil
}
