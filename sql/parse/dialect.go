package parse

// The dialect rewrite: queries are written in PostgreSQL's SQL, Vitess reads
// MySQL's. Before Vitess parses a query, a token-level rewrite turns
// PostgreSQL's spellings into MySQL ones Vitess reads, using the marker
// functions below where MySQL has no spelling. The compiler recognizes
// exactly these (names compared exactly, all lower case):
//
//   - Identifiers: every unquoted word outside strings and comments is
//     folded to lower case; "Quoted Ident" (and `backticked`) becomes
//     `Quoted Ident` with its case kept ("" inside → ", a backtick inside is doubled).
//   - Strings: '...' (a doubled quote stands for one, backslash literal), E'...' (backslash
//     escapes) and $tag$...$tag$ are re-emitted as '...' with \ and '
//     escaped so that Vitess yields the same value.
//   - x::T and CAST(x AS T) → __medley_cast(x, 'T') (CastFunc), T the type
//     text in lower case with single spaces ('numeric(15,2)', 'timestamp
//     with time zone', 'character varying(25)'); :: binds tightest: its
//     operand is the preceding identifier chain, literal, parameter,
//     parenthesized expression or function call.
//   - interval 'text' with no unit after it (interval '2 days') →
//     __medley_cast('2 days', 'interval'); interval '90' day (3) → interval
//     '90' day (the precision is dropped).
//   - a || b → a | b (MySQL's | has PostgreSQL's || precedence; | on strings
//     is concatenation).
//   - a [NOT] ILIKE b → a [NOT] REGEXP b (REGEXP means ILIKE; PostgreSQL's
//     regular expression operators ~ ~* !~ !~* are rejected with 0A000).
//   - a IS NOT DISTINCT FROM b → a <=> b; a IS DISTINCT FROM b →
//     (a <=> b) IS FALSE.
//   - ORDER BY items e [ASC|DESC] NULLS FIRST|LAST →
//     __medley_nulls_first(e) [ASC|DESC] / __medley_nulls_last(e) [ASC|DESC]
//     (NullsFirstFunc, NullsLastFunc), in window OVER clauses too.
//   - a FULL [OUTER] JOIN b ON c → a STRAIGHT_JOIN b ON c (FullJoin: Vitess'
//     StraightJoinType means FULL OUTER JOIN; STRAIGHT_JOIN in the input is
//     rejected); a FULL JOIN b USING (x, y) → a STRAIGHT_JOIN b ON
//     __medley_using(x, y) (UsingFunc: the join's USING column list).
//   - $1, $2 → :v1, :v2; ? → :v1, :v2, ... numbered left to right (one
//     statement may not mix the two). Query.Params is the count.
//   - agg(...) FILTER (WHERE c) → __medley_filter(agg(...), c) (FilterFunc).
//   - EXTRACT(f FROM x) stays for the fields Vitess knows (year, quarter,
//     month, week, day, hour, minute, second, microsecond); other fields
//     (epoch, dow, doy, isodow, isoyear, century, decade, millennium,
//     milliseconds, julian) → __medley_extract('f', x) (ExtractFunc).
//   - VALUES (1, 2), (3, 4) as a query → VALUES ROW(1, 2), ROW(3, 4).
//   - FETCH FIRST|NEXT [n] ROW|ROWS ONLY → LIMIT n; OFFSET n [ROW|ROWS]
//     before LIMIT/FETCH is moved after it; OFFSET without a limit gets
//     LIMIT 18446744073709551615; LIMIT ALL is dropped.
//   - Typed literals T 'text' of the date/time types Vitess does not read
//     there (timestamptz, timetz, and timestamp or time with a precision or
//     WITH[OUT] TIME ZONE) → __medley_cast('text', 'T'), T as for ::;
//     date 'text', time 'text' and timestamp 'text' stay Vitess' literals.
//   - INTERSECT and EXCEPT [ALL|DISTINCT] at the top level of a statement,
//     which Vitess v0.24 does not parse, make a *SetOp whose operands are
//     parsed one by one; its Tail is `[WITH ...] SELECT * FROM
//     __medley_setop [ORDER BY ...] [LIMIT ...]` (SetOpTable).
//   - A query with INTERSECT or EXCEPT at its top level nested in a
//     statement — in parentheses (a subquery, a derived table, a WITH
//     query, an operand of UNION) or as the source of INSERT — is parsed
//     the same way, into a *SetOp, and replaced by `SELECT * FROM
//     __medley_setop_<n>`, n counting from 1 in each text given to Vitess;
//     in Vitess' tree a *SetOpQuery holding the *SetOp takes the place of
//     that placeholder SELECT (setop_nested.go).
//   - SELECT DISTINCT ON (e1, e2) list ... → SELECT list, __medley_distinct_on(e1, e2)
//     ... (DistinctOnFunc): the DISTINCT ON expressions move to the end
//     of the SELECT list, which ends at its first clause keyword (FROM,
//     WHERE, GROUP, ..., ORDER, LIMIT), set operator or closing
//     parenthesis (distinct_on.go).
//   - x [NOT] BETWEEN SYMMETRIC a AND b → x [NOT] BETWEEN
//     __medley_symmetric(a) AND b (SymmetricFunc), which Vitess' tree then
//     holds as (x BETWEEN a AND b) OR (x BETWEEN b AND a), or (x NOT
//     BETWEEN a AND b) AND (x NOT BETWEEN b AND a) (between.go); BETWEEN
//     ASYMMETRIC → BETWEEN.
//   - Comments are dropped; # (a comment in MySQL) and @ are rejected
//     outside strings.
const (
	CastFunc       = "__medley_cast"
	NullsFirstFunc = "__medley_nulls_first"
	NullsLastFunc  = "__medley_nulls_last"
	UsingFunc      = "__medley_using"
	FilterFunc     = "__medley_filter"
	ExtractFunc    = "__medley_extract"
	DistinctOnFunc = "__medley_distinct_on"
	SymmetricFunc  = "__medley_symmetric"
	// FullJoin is the Vitess join keyword that stands for FULL OUTER JOIN
	// (sqlparser.StraightJoinType).
	FullJoin = "straight_join"
	// SetOpTable is the table name of a SetOp's Tail; SetOpTable_<n> is
	// the placeholder of a nested set operation.
	SetOpTable = "__medley_setop"
)

// vitessExtractUnits are the EXTRACT fields Vitess parses.
var vitessExtractUnits = map[string]bool{"year": true, "quarter": true, "month": true, "week": true,
	"day": true, "hour": true, "minute": true, "second": true, "microsecond": true}

// markerExtractUnits are the PostgreSQL EXTRACT fields that go to ExtractFunc.
var markerExtractUnits = map[string]bool{"epoch": true, "dow": true, "doy": true, "isodow": true,
	"isoyear": true, "century": true, "decade": true, "millennium": true, "milliseconds": true,
	"microseconds": true, "julian": true, "timezone": true, "timezone_hour": true, "timezone_minute": true}

// intervalUnits are the units that may follow interval 'n'.
var intervalUnits = map[string]bool{"year": true, "month": true, "day": true, "hour": true,
	"minute": true, "second": true, "week": true, "quarter": true, "microsecond": true}
