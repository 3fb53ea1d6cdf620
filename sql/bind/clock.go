package bind

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// The current date and time functions. PostgreSQL gives them the start
// time of the transaction (statement_timestamp: of the statement); Medley
// runs every statement in its own transaction, so all of them are the
// statement's start time: the binder reads its clock (Options.Now) once, on
// the first use in the statement, and every call becomes a literal of that
// instant. The literals fold, and push down to remote sources as constants,
// and every row and every call of one statement sees the same value.
//
// The session time zone is UTC, so:
//
//	current_date                              date: the UTC date
//	current_timestamp[(p)], now(),            timestamp with time zone
//	  transaction_timestamp(), statement_timestamp()
//	localtimestamp[(p)]                       timestamp: the UTC wall time
//	localtime[(p)]                            time: the UTC time of day
//
// current_time is time with time zone in PostgreSQL, a type Medley lacks
// (0A000); clock_timestamp() changes during a statement and is 0A000 too.
// A precision p rounds the fractional seconds to p digits, as PostgreSQL.

// stmtTime returns the statement's start time in microseconds since the
// Unix epoch, reading the clock on first use.
func (b *binder) stmtTime() int64 {
	if !b.nowRead {
		now := time.Now
		if b.opts.Now != nil {
			now = b.opts.Now
		}
		b.now, b.nowRead = now().UnixMicro(), true
	}
	return b.now
}

// curTime is a CurTimeFuncExpr: current_timestamp, localtimestamp,
// localtime, current_time, now() and MySQL's spellings.
func (b *binder) curTime(e *sqlparser.CurTimeFuncExpr) (plan.Expr, error) {
	name := e.Name.Lowered()
	prec, err := b.timePrecision(name, e.Fsp)
	if err != nil {
		return nil, err
	}
	switch name {
	case "current_timestamp", "now":
		return b.clockLiteral(types.TimestampTZ, prec), nil
	case "localtimestamp":
		return b.clockLiteral(types.Timestamp, prec), nil
	case "localtime":
		return b.clockLiteral(types.Time, prec), nil
	case "current_time":
		return nil, b.errAt(sqlerr.FeatureNotSupported, name, "current_time is not supported: its type time with time zone is not supported").
			WithHint("Use localtime, which is the time of day in UTC, the session time zone.")
	}
	return nil, b.errAt(sqlerr.UndefinedFunction, name, "function %s() does not exist", name)
}

// clockFunc is a current date/time function written as a function call
// (current_date is one for Vitess); ok is false for other names.
func (b *binder) clockFunc(ctx *exprCtx, name string, e *sqlparser.FuncExpr) (plan.Expr, bool, error) {
	var t arrow.DataType
	switch name {
	case "current_date":
		t = types.Date
	case "transaction_timestamp", "statement_timestamp":
		t = types.TimestampTZ
	case "clock_timestamp", "timeofday":
		return nil, true, b.errAt(sqlerr.FeatureNotSupported, name, "function %s() is not supported", name).
			WithHint("now() and current_timestamp are the statement's start time.")
	default:
		return nil, false, nil
	}
	if len(e.Exprs) != 0 {
		args, err := b.exprs(ctx, e.Exprs)
		if err != nil {
			return nil, true, err
		}
		return nil, true, b.noFunction(name, args)
	}
	return b.clockLiteral(t, 6), true, nil
}

// clockLiteral is the statement time as a literal of type t (date,
// timestamp, timestamptz or time), rounded to prec fractional digits.
func (b *binder) clockLiteral(t arrow.DataType, prec int) *plan.Literal {
	us := roundMicros(b.stmtTime(), prec)
	switch t.ID() {
	case arrow.DATE32:
		return &plan.Literal{Value: arrow.Date32(floorDiv(us, 86400e6)), Typ: t}
	case arrow.TIME64:
		return &plan.Literal{Value: arrow.Time64(us - floorDiv(us, 86400e6)*86400e6), Typ: t}
	}
	return &plan.Literal{Value: arrow.Timestamp(us), Typ: t}
}

// roundMicros rounds microseconds to prec fractional digits of a second,
// half away from zero (PostgreSQL's AdjustTimestampForTypmod).
func roundMicros(us int64, prec int) int64 {
	if prec >= 6 {
		return us
	}
	scale := int64(1)
	for i := prec; i < 6; i++ {
		scale *= 10
	}
	if us >= 0 {
		return (us + scale/2) / scale * scale
	}
	return -((-us + scale/2) / scale * scale)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// timePrecision is the precision of current_timestamp(p) and the like: 6
// (microseconds) when none is given. Vitess parses both "name" and
// "name(0)" as precision 0, so a 0 is read back from the statement text:
// it counts when every occurrence of the name is written name(0).
func (b *binder) timePrecision(name string, fsp int) (int, error) {
	if fsp > 0 {
		return min(fsp, 6), nil // PostgreSQL warns that it reduces a larger one to 6
	}
	zero, bare := b.zeroPrecisionUses(name)
	switch {
	case zero > 0 && bare > 0:
		return 0, b.errAt(sqlerr.FeatureNotSupported, name, "%s and %s(0) in one statement are not supported", name, name)
	case zero > 0:
		return 0, nil
	}
	return 6, nil
}

// zeroPrecisionUses counts the whole-word occurrences of name in the
// statement text written name(0), and those written without a precision
// (name, name()).
func (b *binder) zeroPrecisionUses(name string) (zero, bare int) {
	s := b.lower
	for from := 0; ; {
		i := strings.Index(s[from:], name)
		if i < 0 {
			return zero, bare
		}
		i += from
		end := i + len(name)
		from = end
		if i > 0 && isIdentByte(s[i-1]) || end < len(s) && isIdentByte(s[end]) {
			continue
		}
		switch p := parenArg(s[end:]); {
		case p == "0":
			zero++
		case p == "":
			bare++
		}
	}
}

// parenArg returns the text inside the parentheses s starts with (after
// blanks), trimmed; "" when there are none or they are empty.
func parenArg(s string) string {
	s = strings.TrimLeft(s, " \t\r\n")
	if !strings.HasPrefix(s, "(") {
		return ""
	}
	j := strings.IndexByte(s, ')')
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(s[1:j])
}
