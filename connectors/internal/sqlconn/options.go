// Package sqlconn holds what the SQL wrappers share beyond deparsing
// (which is sqlgen's): option checks (options.go), the driver-error
// contract (errors.go), the plan of a one-SELECT scan (scan.go), the
// database/sql batch reader into Arrow builders (reader.go), the batched
// INSERT writer (insert.go), the remote UPDATE/DELETE statements and their
// runner (modify.go) and the whole-subtree pushdown executor (rel.go).
// Shared test helpers are in sqlconntest.
//
// Each piece takes small parameters for what differs between sources —
// the driver's value conversions, the placeholder limit, the dialect, how
// errors name the server — so that a wrapper keeps only what is specific
// to its source: connecting, type mapping, the remote catalog, session
// settings and cancellation.
package sqlconn

import (
	"fmt"
	"strconv"
)

// IsTrue reads a boolean option value that CheckBool accepted ("true",
// "on", "yes", "1"); anything else, "" included, is false.
func IsTrue(v string) bool {
	switch v {
	case "true", "on", "yes", "1":
		return true
	}
	return false
}

// CheckBool is the connectors.Option check of a boolean option.
func CheckBool(v string) error {
	switch v {
	case "true", "false", "on", "off", "yes", "no", "1", "0":
		return nil
	}
	return fmt.Errorf("%q is not a boolean (true or false)", v)
}

// CheckInt is the connectors.Option check of an integer option from lo to
// hi.
func CheckInt(lo, hi int64) func(string) error {
	return func(v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("%q is not an integer from %d to %d", v, lo, hi)
		}
		return nil
	}
}
