// Package sqlgen deparses what the engine offers a scan (Substrait filter
// expressions, a column list, a limit and an ordering) into the remote
// SELECT of a SQL source, as postgres_fdw's deparse.c does. It is shared by
// the PostgreSQL, MySQL/MariaDB and SQLite connectors; each picks a Dialect.
//
// Every filter is deparsed on its own. One that cannot be sent, or whose
// remote meaning could differ from the engine's, is answered Unsupported
// with a Reason for EXPLAIN; the others are answered Exact and ANDed into
// the WHERE clause. Exact means the remote result is the engine's result
// (NULLs, NaN, collation, padding): see the notes on each Dialect field.
//
// Literals are written inline, never through string concatenation of
// unescaped input: identifiers and strings are quoted by the dialect's
// rules, in forms that do not depend on session settings
// (standard_conforming_strings, NO_BACKSLASH_ESCAPES).
package sqlgen

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// LikeStyle says how a dialect evaluates LIKE.
type LikeStyle int

const (
	// LikeNone: LIKE is not shipped.
	LikeNone LikeStyle = iota
	// LikeBackslash: the dialect's LIKE is case-sensitive under the
	// dialect's StringCollate and takes an explicit ESCAPE clause;
	// patterns are rewritten to escape with '!' so that no backslash has
	// to be written in a literal.
	LikeBackslash
	// LikeGlob: constant LIKE patterns are translated to GLOB (SQLite,
	// whose LIKE ignores ASCII case).
	LikeGlob
)

// Dialect is the remote SQL syntax and semantics of one kind of server.
// The values PostgreSQL, MySQL and SQLite are ready to use; a connector may
// copy one and adjust fields (e.g. after looking at the server's version).
type Dialect struct {
	Name string
	// IdentQuote is the identifier quote character; it is doubled inside.
	IdentQuote byte
	// String renders a string literal (the input is valid UTF-8 without NUL
	// unless AllowNUL). It must not depend on session settings.
	String func(s string) string
	// AllowNUL: string literals may contain U+0000.
	AllowNUL bool
	// Bytes renders a binary literal.
	Bytes func(b []byte) string
	// Bool renders a boolean literal.
	Bool func(b bool) string
	// Float renders a finite float64 literal; Float32 a float32 one. A nil
	// Float32 makes float32 literals Unsupported.
	Float, Float32 func(f float64) string
	// Decimal renders a decimal literal from its exact text ("-12.50").
	Decimal func(text string, precision int32) (string, bool)
	// Date, Time, Timestamp and TimestampTz render temporal literals from
	// their ISO text ("2024-01-01", "12:00:00.000001",
	// "2024-01-01 12:00:00.000001"; TimestampTz gets a UTC instant and
	// appends the zone itself).
	Date, Time, Timestamp, TimestampTz func(iso string) string
	// CastType names the remote type of a cast target by class ("int2",
	// "int4", "int8", "float8", "decimal(p,s)"); "" means the cast is not
	// shipped.
	CastType func(class string, precision, scale int32) string
	// StringCollate wraps a string operand of an ordering comparison (<,
	// <=, >, >=), LIKE and ORDER BY so that it compares by byte (code
	// point) order as the engine does, e.g. `%s COLLATE "C"`.
	StringCollate string
	// StringEqualCollate is the same for = and <> and IN; "%s" when the
	// remote equality is already byte equality (PostgreSQL's
	// deterministic collations).
	StringEqualCollate string
	// FloatNaN: the remote orders NaN above every number and equal to
	// itself (PostgreSQL), unlike the engine's IEEE comparisons; a guard is
	// added to > and >= and NaN literals are not shipped.
	FloatNaN bool
	// FloatOrder: ORDER BY of float columns is the engine's order (false
	// for PostgreSQL, where NaN sorts last, for both directions).
	FloatOrder bool
	// IntDivide is the operator of integer division truncating toward
	// zero ("/" or "DIV").
	IntDivide string
	// Like says how LIKE patterns are shipped.
	Like LikeStyle
	// LikeByteWise: the remote LIKE's '_' matches one byte, not one
	// character; patterns with '_' are not shipped.
	LikeByteWise bool
	// DecimalArith: decimal arithmetic (+, -, *) is exact remotely.
	DecimalArith bool
	// DecimalRound: a cast to a decimal of smaller scale or precision
	// rounds half away from zero and fails on overflow remotely, as the
	// engine's does (PostgreSQL); without it only widening decimal casts
	// are shipped.
	DecimalRound bool
	// ILike: ILIKE is shipped as the engine evaluates it (Unicode
	// lowercase). No built-in dialect sets it: remote case folding depends
	// on the server's locale.
	ILike bool
	// DistinctFrom and NotDistinctFrom are format strings with two %s
	// operands.
	DistinctFrom, NotDistinctFrom string
	// NullsOrder: ORDER BY accepts NULLS FIRST / NULLS LAST; otherwise
	// they are emulated with an extra "x IS NULL" key.
	NullsOrder bool
	// Limit renders the LIMIT clause.
	Limit func(n int64) string
	// rel holds the relation deparser's extra guards (RelDialect).
	rel RelOptions
}

// QuoteIdent quotes an identifier. It fails for an identifier the dialect
// cannot express (NUL, invalid UTF-8).
func (d *Dialect) QuoteIdent(name string) (string, error) {
	if strings.IndexByte(name, 0) >= 0 || !utf8.ValidString(name) {
		return "", fmt.Errorf("identifier %q cannot be quoted for %s", name, d.Name)
	}
	q := string(d.IdentQuote)
	return q + strings.ReplaceAll(name, q, q+q) + q, nil
}

// QualifiedName quotes and joins the parts of a name ("schema"."table").
func (d *Dialect) QualifiedName(parts []string) (string, error) {
	out := make([]string, len(parts))
	for i, p := range parts {
		q, err := d.QuoteIdent(p)
		if err != nil {
			return "", err
		}
		out[i] = q
	}
	return strings.Join(out, "."), nil
}

// quoteDoubled is 'text' with quotes doubled.
func quoteDoubled(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func hexOf(b []byte) string { return fmt.Sprintf("%x", b) }
