package parse

import (
	"regexp"

	"github.com/medleysql/medley/sql/sqlerr"
)

// bigLimit is the LIMIT of an OFFSET without one (MySQL's idiom).
const bigLimit = "18446744073709551615"

func (r *rewriter) top() frameKind {
	if len(r.frames) == 0 {
		return fParen
	}
	return r.frames[len(r.frames)-1]
}

// word rewrites the word t.
func (r *rewriter) word(t token) error {
	next := r.peek(1)
	switch t.text {
	case "cast":
		if next.isOp("(") {
			r.emit(t, CastFunc)
			r.out = append(r.out, otok{text: "(", pos: next.pos})
			r.frames = append(r.frames, fCast)
			r.i += 2
			return nil
		}
	case "as":
		if r.top() == fCast {
			return r.castAs(t)
		}
	case "case":
		r.frames = append(r.frames, fCase)
	case "end":
		if r.top() == fCase {
			r.frames = r.frames[:len(r.frames)-1]
		}
	case "ilike":
		r.emit(t, "regexp")
		r.i++
		return nil
	case "is":
		return r.isDistinct(t)
	case "between":
		if next.is("symmetric") || next.is("asymmetric") {
			r.symmetric(t)
			return nil
		}
	case "nulls":
		if next.is("first") || next.is("last") {
			return r.nulls(t, next.text)
		}
	case "interval":
		if next.kind == tString {
			return r.interval(t)
		}
	case "timestamp", "timestamptz", "time", "timetz":
		if r.typedLiteral(t) {
			return nil
		}
	case "fetch":
		if next.is("first") || next.is("next") {
			return r.fetch(t, "")
		}
	case "offset":
		return r.offset(t)
	case "limit":
		if next.is("all") {
			r.i += 2
			return nil
		}
	case "full":
		return r.fullJoin(t)
	case "using":
		if r.fullJoinDepth == len(r.frames) {
			r.fullJoinDepth = -1
			r.emit(t, "on")
			r.synth(t, UsingFunc)
			r.i++
			return nil
		}
	case "on":
		if r.fullJoinDepth == len(r.frames) {
			r.fullJoinDepth = -1
		}
	case "straight_join":
		return r.errAt(sqlerr.FeatureNotSupported, t, "STRAIGHT_JOIN is not supported")
	case "filter":
		if next.isOp("(") && r.peek(2).is("where") {
			return r.filter(t)
		}
	case "extract":
		if next.isOp("(") && r.peek(3).is("from") {
			return r.extract(t)
		}
	case "values":
		if r.valuesStart() {
			r.valuesDepth = len(r.frames)
		}
	}
	r.emit(t, t.text)
	r.i++
	return nil
}

// castAs rewrites the AS T) of CAST(x AS T).
func (r *rewriter) castAs(t token) error {
	r.i++
	typ, err := r.typeName(true)
	if err != nil {
		return err
	}
	if !r.peek(0).isOp(")") {
		p := r.peek(0)
		return r.errAt(sqlerr.SyntaxError, p, "syntax error at or near %q; expected \")\"", tokenText(r.src, p))
	}
	r.synth(t, ",", quoteString(typ))
	return nil
}

// isDistinct rewrites IS [NOT] DISTINCT FROM.
func (r *rewriter) isDistinct(t token) error {
	switch {
	case r.peek(1).is("not") && r.peek(2).is("distinct") && r.peek(3).is("from"):
		r.emit(t, "<=>")
		r.i += 4
	case r.peek(1).is("distinct") && r.peek(2).is("from"):
		r.insertAt(r.exprStart(), t, "(")
		r.emit(t, "<=>")
		r.closers = append(r.closers, closer{depth: len(r.frames), text: []string{")", "is", "false"}, pos: t.pos})
		r.i += 3
	default:
		r.emit(t, "is")
		r.i++
	}
	return nil
}

// exprStopBack are the words before the left operand of IS DISTINCT FROM.
var exprStopBack = map[string]bool{"and": true, "or": true, "not": true, "where": true, "on": true,
	"select": true, "when": true, "then": true, "else": true, "having": true, "by": true,
	"distinct": true, "set": true}

// exprStart returns where, in out, the operand ending out starts.
func (r *rewriter) exprStart() int {
	bal := 0
	for k := len(r.out) - 1; k >= 0; k-- {
		s := r.out[k].text
		switch {
		case s == ")" || s == "end":
			bal++
		case s == "(" || s == "case":
			if bal == 0 {
				return k + 1
			}
			bal--
		case bal == 0 && (s == "," || exprStopBack[s]):
			return k + 1
		}
	}
	return 0
}

// nulls rewrites e [ASC|DESC] NULLS FIRST|LAST.
func (r *rewriter) nulls(t token, which string) error {
	end := len(r.out)
	var dir []otok
	if end > 0 && (r.out[end-1].text == "asc" || r.out[end-1].text == "desc") {
		dir = []otok{r.out[end-1]}
		end--
	}
	bal, k := 0, end-1
	for ; k >= 0; k-- {
		s := r.out[k].text
		if s == ")" {
			bal++
		} else if s == "(" {
			if bal == 0 {
				break
			}
			bal--
		} else if bal == 0 && (s == "," || s == "by") {
			break
		}
	}
	start := k + 1
	if start >= end {
		return r.errAt(sqlerr.SyntaxError, t, `syntax error at or near "nulls"`)
	}
	fn := NullsFirstFunc
	if which == "last" {
		fn = NullsLastFunc
	}
	item := append([]otok{{text: fn, pos: t.pos, space: r.out[start].space}, {text: "(", pos: t.pos}},
		r.out[start:end]...)
	item = append(item, otok{text: ")", pos: t.pos})
	r.out = append(append(r.out[:start:start], item...), dir...)
	r.i += 2
	return nil
}

// interval rewrites interval 'n' unit [(p)] and interval 'text'.
func (r *rewriter) interval(t token) error {
	str, unit := r.peek(1), r.peek(2)
	if unit.kind == tWord && intervalUnits[unit.text] {
		r.emit(t, "interval")
		r.emit(str, quoteString(str.text))
		r.emit(unit, unit.text)
		r.i += 3
		if r.peek(0).isOp("(") && r.peek(1).kind == tNumber && r.peek(2).isOp(")") {
			r.i += 3
		}
		return nil
	}
	r.emit(t, CastFunc)
	r.out = append(r.out, otok{text: "(", pos: t.pos})
	r.emit(str, quoteString(str.text))
	r.synth(t, ",", "'interval'", ")")
	r.i += 2
	return nil
}

// datetimeLiteralType matches the date/time type names of typed literals
// (T 'text') that Vitess does not read.
var datetimeLiteralType = regexp.MustCompile(`^((timestamp|time)(\(\d+\))?( with(out)? time zone)?|(timestamptz|timetz)(\(\d+\))?)$`)

// typedLiteral rewrites T 'text' into __medley_cast('text', 'T') for the
// date/time types Vitess does not read in that form (timestamptz, timestamp
// with time zone, timestamp(3), ...); it reports whether it did.
func (r *rewriter) typedLiteral(t token) bool {
	save := r.i
	typ, err := r.typeName(false)
	str := r.peek(0)
	if err != nil || str.kind != tString || typ == "time" || typ == "timestamp" || !datetimeLiteralType.MatchString(typ) {
		r.i = save
		return false
	}
	r.emit(t, CastFunc)
	r.out = append(r.out, otok{text: "(", pos: t.pos})
	r.emit(str, quoteString(str.text))
	r.synth(t, ",", quoteString(typ), ")")
	r.i++
	return true
}

// limitValue returns the text of a LIMIT/OFFSET/FETCH count token.
func (r *rewriter) limitValue(t token) (string, bool) {
	switch t.kind {
	case tNumber:
		return t.text, true
	case tParam:
		if n, ok := parseParam(t.text); ok && r.params.question == 0 {
			r.params.dollar = max(r.params.dollar, n)
			return ":v" + t.text, true
		}
	}
	return "", false
}

// fetch rewrites FETCH FIRST|NEXT [n] ROW|ROWS ONLY into LIMIT n, then
// OFFSET offset if offset is not "".
func (r *rewriter) fetch(t token, offset string) error {
	j, n := 2, "1"
	if v, ok := r.limitValue(r.peek(2)); ok {
		n, j = v, 3
	}
	if !(r.peek(j).is("row") || r.peek(j).is("rows")) || !r.peek(j+1).is("only") {
		p := r.peek(j)
		if r.peek(j).is("row") || r.peek(j).is("rows") {
			p = r.peek(j + 1)
		}
		return r.errAt(sqlerr.SyntaxError, p, "syntax error at or near %q; expected ROWS ONLY", tokenText(r.src, p))
	}
	r.emit(t, "limit")
	r.synth(t, n)
	if offset != "" {
		r.synth(t, "offset", offset)
	}
	r.i += j + 2
	return nil
}

// offset rewrites OFFSET n [ROW|ROWS] [LIMIT m | FETCH ...] into
// LIMIT m OFFSET n.
func (r *rewriter) offset(t token) error {
	off, ok := r.limitValue(r.peek(1))
	if !ok || r.afterLimit() { // LIMIT n OFFSET m is Vitess' own syntax
		if ok {
			r.emit(t, "offset")
			r.emit(r.peek(1), off)
			r.i += 2
			return nil
		}
		r.emit(t, "offset")
		r.i++
		return nil
	}
	r.i += 2
	if r.peek(0).is("row") || r.peek(0).is("rows") {
		r.i++
	}
	next := r.peek(0)
	switch {
	case next.is("fetch") && (r.peek(1).is("first") || r.peek(1).is("next")):
		return r.fetch(next, off)
	case next.is("limit"):
		if r.peek(1).is("all") {
			break
		}
		if m, ok := r.limitValue(r.peek(1)); ok {
			r.emit(next, "limit")
			r.synth(next, m, "offset", off)
			r.i += 2
			return nil
		}
	}
	r.emit(t, "limit")
	r.synth(t, bigLimit, "offset", off)
	if next.is("limit") {
		r.i += 2
	}
	return nil
}

// afterLimit reports whether the tokens just before are LIMIT n (LIMIT ALL
// was dropped, so OFFSET then needs a LIMIT of its own).
func (r *rewriter) afterLimit() bool {
	return r.i >= 2 && r.in[r.i-2].is("limit") && !r.in[r.i-1].is("all")
}

// fullJoin rewrites FULL [OUTER] JOIN.
func (r *rewriter) fullJoin(t token) error {
	n := 1
	if r.peek(1).is("outer") {
		n = 2
	}
	if !r.peek(n).is("join") {
		r.emit(t, "full")
		r.i++
		return nil
	}
	r.emit(t, FullJoin)
	r.fullJoinDepth = len(r.frames)
	r.i += n + 1
	return nil
}

// filter rewrites agg(...) FILTER (WHERE c).
func (r *rewriter) filter(t token) error {
	start := r.primaryStart()
	if start < 0 || r.out[len(r.out)-1].text != ")" {
		return r.errAt(sqlerr.SyntaxError, t, `syntax error at or near "filter"`)
	}
	r.insertAt(start, t, FilterFunc, "(")
	r.out[start+1].space = false
	r.synth(t, ",")
	r.frames = append(r.frames, fFilter)
	r.i += 3
	return nil
}

// extract rewrites EXTRACT(field FROM x) for fields Vitess lacks, and
// EXTRACT('field' FROM x).
func (r *rewriter) extract(t token) error {
	f := r.peek(2)
	if f.kind != tWord && f.kind != tString {
		r.emit(t, t.text)
		r.i++
		return nil
	}
	switch {
	case vitessExtractUnits[f.text]:
		r.emit(t, "extract")
		r.out = append(r.out, otok{text: "(", pos: r.peek(1).pos})
		r.emit(f, f.text)
	case markerExtractUnits[f.text]:
		r.emit(t, ExtractFunc)
		r.out = append(r.out, otok{text: "(", pos: r.peek(1).pos})
		r.emit(f, quoteString(f.text))
		r.synth(f, ",")
		r.frames = append(r.frames, fParen)
		r.i += 4
		return nil
	default:
		return r.errAt(sqlerr.FeatureNotSupported, f, "EXTRACT field %q is not supported", f.text)
	}
	r.frames = append(r.frames, fParen)
	r.i += 3 // FROM is emitted as a word
	return nil
}

// valuesStart reports whether the VALUES at r.i starts a VALUES query (not
// INSERT's VALUES).
func (r *rewriter) valuesStart() bool {
	if r.i == 0 {
		return true
	}
	prev := r.in[r.i-1]
	return prev.isOp("(") || prev.is("union") || prev.is("intersect") || prev.is("except") ||
		prev.is("all") || prev.is("distinct") || prev.is("as")
}

// valuesItem adds ROW before each row of a VALUES list.
func (r *rewriter) valuesItem(t token) {
	prev := ""
	if len(r.out) > 0 {
		prev = r.out[len(r.out)-1].text
	}
	switch {
	case t.isOp("(") && (prev == "values" || prev == ","):
		r.synth(t, "row")
	case t.isOp(",") && prev == ")":
	default:
		r.valuesDepth = -1
	}
}
