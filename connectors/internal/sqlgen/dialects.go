package sqlgen

import (
	"fmt"
	"strconv"
	"strings"
)

func parenNeg(s string) string {
	if strings.HasPrefix(s, "-") {
		return "(" + s + ")"
	}
	return s
}

func fmtLimit(n int64) string { return fmt.Sprintf("LIMIT %d", n) }

// PostgreSQL is the dialect of PostgreSQL 12 and later.
//
// Semantics: string equality is byte equality under deterministic
// collations (every collation but ICU nondeterministic ones); ordering
// comparisons, LIKE and ORDER BY of strings add COLLATE "C", so they compare
// by code point as the engine does, whatever the column's collation.
// PostgreSQL's NaN equals itself and sorts above all numbers, so float
// comparisons get a NaN guard and float ORDER BY is not shipped. Literals
// that hold a backslash use the E” form, which means the same with
// standard_conforming_strings on or off.
var PostgreSQL = &Dialect{
	Name:       "PostgreSQL",
	IdentQuote: '"',
	String: func(s string) string {
		if strings.Contains(s, `\`) {
			return "E'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
		}
		return quoteDoubled(s)
	},
	Bytes: func(b []byte) string { return `E'\\x` + hexOf(b) + "'::bytea" },
	Bool: func(b bool) string {
		if b {
			return "TRUE"
		}
		return "FALSE"
	},
	Float: func(f float64) string {
		return "'" + strconv.FormatFloat(f, 'g', -1, 64) + "'::float8"
	},
	Float32: func(f float64) string {
		return "'" + strconv.FormatFloat(f, 'g', -1, 32) + "'::float4"
	},
	Decimal:     func(s string, _ int32) (string, bool) { return parenNeg(s), true },
	Date:        func(s string) string { return "DATE '" + s + "'" },
	Time:        func(s string) string { return "TIME '" + s + "'" },
	Timestamp:   func(s string) string { return "TIMESTAMP '" + s + "'" },
	TimestampTz: func(s string) string { return "TIMESTAMPTZ '" + s + "+00'" },
	CastType: func(class string, p, s int32) string {
		switch class {
		case "int2", "int4", "int8", "float4", "float8", "text", "date", "timestamp", "timestamptz", "bool":
			return class
		case "decimal":
			return fmt.Sprintf("numeric(%d,%d)", p, s)
		}
		return ""
	},
	StringCollate:      `%s COLLATE "C"`,
	StringEqualCollate: "%s",
	FloatNaN:           true,
	IntDivide:          "/",
	Like:               LikeBackslash,
	DistinctFrom:       "(%s IS DISTINCT FROM %s)",
	NotDistinctFrom:    "(%s IS NOT DISTINCT FROM %s)",
	NullsOrder:         true,
	DecimalArith:       true,
	DecimalRound:       true,
	Limit:              fmtLimit,
}

// MySQL is the dialect of MySQL 8 and MariaDB 10.5 and later. The
// connection must use the utf8mb4 character set and string columns must be
// utf8mb4 (or ASCII): string comparisons are made binary with
// CAST(... AS BINARY), as the default collations ignore case and trailing
// spaces. Strings holding a backslash or NUL are written as _utf8mb4 X'..',
// which means the same with or without NO_BACKSLASH_ESCAPES. Division by
// zero gives NULL remotely where the engine fails the query; LIKE '_' would
// match a byte, so patterns with '_' are not shipped.
var MySQL = &Dialect{
	Name:       "MySQL",
	IdentQuote: '`',
	String: func(s string) string {
		if strings.ContainsAny(s, "\\\x00") {
			return "_utf8mb4 X'" + hexOf([]byte(s)) + "'"
		}
		return quoteDoubled(s)
	},
	AllowNUL: true,
	Bytes:    func(b []byte) string { return "X'" + hexOf(b) + "'" },
	Bool: func(b bool) string {
		if b {
			return "TRUE"
		}
		return "FALSE"
	},
	Float: func(f float64) string {
		return parenNeg(strconv.FormatFloat(f, 'e', -1, 64))
	},
	Decimal: func(s string, p int32) (string, bool) { return parenNeg(s), p <= 65 },
	Date:    func(s string) string { return "DATE '" + s + "'" },
	Time:    func(s string) string { return "TIME '" + s + "'" },
	// TIMESTAMP '...' is a DATETIME literal.
	Timestamp: func(s string) string { return "TIMESTAMP '" + s + "'" },
	CastType: func(class string, p, s int32) string {
		switch class {
		case "int2", "int4", "int8":
			return "SIGNED"
		case "float8":
			return "DOUBLE"
		case "decimal":
			return fmt.Sprintf("DECIMAL(%d,%d)", p, s)
		case "date":
			return "DATE"
		}
		return ""
	},
	StringCollate:      "CAST(%s AS BINARY)",
	StringEqualCollate: "CAST(%s AS BINARY)",
	FloatOrder:         true,
	IntDivide:          "DIV",
	Like:               LikeBackslash,
	LikeByteWise:       true,
	DistinctFrom:       "(NOT (%s <=> %s))",
	NotDistinctFrom:    "(%s <=> %s)",
	DecimalArith:       true,
	Limit:              fmtLimit,
}

// SQLite is the dialect of SQLite 3.30 and later. String comparisons add
// COLLATE BINARY (overriding a column's NOCASE); LIKE, which ignores ASCII
// case, is shipped as GLOB for constant patterns. Decimals are REALs in
// SQLite: literals of precision up to 15 (exact in a double) are shipped,
// decimal arithmetic is not. Dates are compared as ISO text
// ('2024-01-01'); the connector must store them so, and sets Time and
// Timestamp once it knows its storage format (nil: not shipped). Integer
// overflow turns into REAL and division by zero into NULL remotely where
// the engine fails the query.
var SQLite = &Dialect{
	Name:       "SQLite",
	IdentQuote: '"',
	String: func(s string) string {
		if strings.IndexByte(s, 0) >= 0 {
			return "CAST(X'" + hexOf([]byte(s)) + "' AS TEXT)"
		}
		return quoteDoubled(s)
	},
	AllowNUL: true,
	Bytes:    func(b []byte) string { return "X'" + hexOf(b) + "'" },
	Bool: func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	},
	Float: func(f float64) string {
		return parenNeg(strconv.FormatFloat(f, 'e', -1, 64))
	},
	Decimal: func(s string, p int32) (string, bool) { return parenNeg(s), p <= 15 },
	Date:    func(s string) string { return "'" + s + "'" },
	CastType: func(class string, p, s int32) string {
		switch class {
		case "int2", "int4", "int8":
			return "INTEGER"
		case "float8":
			return "REAL"
		}
		return ""
	},
	StringCollate:      "%s COLLATE BINARY",
	StringEqualCollate: "%s COLLATE BINARY",
	FloatOrder:         true,
	IntDivide:          "/",
	Like:               LikeGlob,
	DistinctFrom:       "(%s IS NOT %s)",
	NotDistinctFrom:    "(%s IS %s)",
	NullsOrder:         true,
	Limit:              fmtLimit,
}
