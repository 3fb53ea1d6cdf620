package flightsql

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/medleysql/medley/sql/sqlerr"
)

func basicHeader(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

func isUnauthenticated(err error) bool {
	st, ok := status.FromError(err)
	return ok && st.Code() == codes.Unauthenticated
}

// scrub removes the secrets of the user mapping from a message.
func (c *Conn) scrub(msg string) string {
	for _, s := range []string{c.password, strings.TrimPrefix(c.authHeader(), "Bearer ")} {
		if len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, "********")
		}
	}
	return msg
}

func (c *Conn) authHeader() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.auth
}

// remoteStatus splits a gRPC error into a SQLSTATE and a message. A
// message that starts with a SQLSTATE ("42P01: relation ..." as Medley
// sends) keeps it; otherwise the gRPC code picks the closest one.
func remoteStatus(err error) (sqlerr.Code, string) {
	st, ok := status.FromError(err)
	if !ok {
		return sqlerr.ConnectionFailure, err.Error()
	}
	msg := st.Message()
	if hasSQLState(msg) {
		return sqlerr.Code(msg[:5]), msg[7:]
	}
	switch st.Code() {
	case codes.Unauthenticated:
		return sqlerr.InvalidAuthorization, msg
	case codes.PermissionDenied:
		return sqlerr.InsufficientPrivilege, msg
	case codes.NotFound:
		return sqlerr.FDWTableNotFound, msg
	case codes.Canceled, codes.DeadlineExceeded:
		return sqlerr.QueryCanceled, msg
	case codes.Unimplemented:
		return sqlerr.FeatureNotSupported, msg
	case codes.Unavailable:
		return sqlerr.ConnectionFailure, msg
	case codes.ResourceExhausted:
		return sqlerr.FDWOutOfMemory, msg
	}
	return sqlerr.FDWError, msg
}

// hasSQLState reports whether msg starts with a SQLSTATE and ": ".
func hasSQLState(msg string) bool {
	return len(msg) > 7 && msg[5] == ':' && msg[6] == ' ' && isSQLState(msg[:5])
}

func isSQLState(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'A' && s[i] <= 'Z') {
			return false
		}
	}
	return true
}

// connectError converts an error of the handshake. A refused login keeps
// its class 28 SQLSTATE; the server's own words are kept, never the
// credentials.
func (c *Conn) connectError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return sqlerr.Wrap(ctx.Err(), sqlerr.FDWUnableToEstablishConn, "could not connect to server %q: timed out", c.server)
		}
		return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled, "connecting to server %q: canceling statement due to user request", c.server)
	}
	code, msg := remoteStatus(err)
	switch {
	case strings.HasPrefix(string(code), "28"):
		return sqlerr.New(code, "could not connect to server %q: %s", c.server, c.scrub(msg))
	case code == sqlerr.ConnectionFailure:
		return sqlerr.New(sqlerr.FDWUnableToEstablishConn, "could not connect to server %q: %s", c.server, c.scrub(msg))
	}
	return sqlerr.New(sqlerr.FDWUnableToEstablishConn, "could not connect to server %q: %s (SQLSTATE %s)", c.server, c.scrub(msg), code)
}

// remoteError converts an error of a remote call about what (e.g.
// "foreign table public.t"), keeping the remote SQLSTATE.
func (c *Conn) remoteError(ctx context.Context, err error, format string, args ...any) error {
	what := fmt.Sprintf(format, args...)
	if ctx.Err() != nil {
		return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled, "%s: canceling statement due to user request", what)
	}
	var se *sqlerr.Error
	if errors.As(err, &se) {
		return err
	}
	code, msg := remoteStatus(err)
	if code == sqlerr.ConnectionFailure {
		return sqlerr.New(code, "%s: server %q: %s", what, c.server, c.scrub(msg))
	}
	return sqlerr.New(code, "%s: %s (server %q)", what, c.scrub(msg), c.server)
}
