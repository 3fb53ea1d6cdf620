package sqlconn

import (
	"context"
	"errors"
	"fmt"

	"github.com/medleysql/medley/sql/sqlerr"
)

// QueryError turns a driver error into a SQLSTATE error naming the foreign
// table and what was being done (format, args); a cancelled ctx is 57014.
// Each wrapper's Conn has one (DriverError over its own error codes).
type QueryError func(ctx context.Context, err error, table, format string, args ...any) error

// DriverError is a wrapper's QueryError over how it maps its driver's
// errors to SQLSTATEs (code) and removes secrets from the driver's
// messages (scrub; nil keeps them as they are). An error that carries a
// SQLSTATE already is returned as it is; under an ended ctx the error is
// 57014 wrapping the context's error; any other is "foreign table %q:
// <what>: <driver message>" with code(err), wrapping err.
func DriverError(ctx context.Context, err error, code func(error) sqlerr.Code, scrub func(string) string, table, format string, args ...any) error {
	var se *sqlerr.Error
	if errors.As(err, &se) {
		return err
	}
	msg := fmt.Sprintf(format, args...)
	if ctx.Err() != nil {
		return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled, "foreign table %q: %s: canceling statement due to user request", table, msg)
	}
	text := err.Error()
	if scrub != nil {
		text = scrub(text)
	}
	return &sqlerr.Error{Code: code(err), Message: fmt.Sprintf("foreign table %q: %s: %s", table, msg, text), Err: err}
}

// Canceled is the error of a statement of table stopped because its
// context ended (err is the context's error): 57014 wrapping it.
func Canceled(err error, table string) error {
	return sqlerr.Wrap(err, sqlerr.QueryCanceled, "foreign table %q: canceling statement due to user request", table)
}
