package flightsql

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/medleysql/medley/sql/sqlerr"
)

// grpcError turns an engine error into a gRPC status whose message starts
// with the SQLSTATE ("42P01: relation ... does not exist"), with DETAIL and
// HINT on lines of their own. Errors that already are statuses pass through.
func grpcError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok && !hasSQLState(err) {
		return err
	}
	code := sqlerr.CodeOf(err)
	if errors.Is(err, context.Canceled) && code == sqlerr.InternalError {
		code = sqlerr.QueryCanceled
	}
	if errors.Is(err, context.DeadlineExceeded) && code == sqlerr.InternalError {
		return status.Errorf(codes.DeadlineExceeded, "%s: %s", sqlerr.QueryCanceled, err.Error())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", code, err.Error())
	var e *sqlerr.Error
	if errors.As(err, &e) {
		if e.Detail != "" {
			b.WriteString("\nDETAIL: " + e.Detail)
		}
		if e.Hint != "" {
			b.WriteString("\nHINT: " + e.Hint)
		}
		if e.Line > 0 {
			fmt.Fprintf(&b, "\nPOSITION: line %d, column %d", e.Line, e.Column)
		}
	}
	return status.Error(grpcCode(code), b.String())
}

func hasSQLState(err error) bool {
	var e *sqlerr.Error
	return errors.As(err, &e)
}

// grpcCode maps a SQLSTATE to the closest gRPC code.
func grpcCode(c sqlerr.Code) codes.Code {
	switch c {
	case sqlerr.InsufficientPrivilege:
		return codes.PermissionDenied
	case sqlerr.QueryCanceled:
		return codes.Canceled
	case sqlerr.FeatureNotSupported:
		return codes.Unimplemented
	case sqlerr.OutOfMemory, sqlerr.TooManyConnections, sqlerr.FDWOutOfMemory:
		return codes.ResourceExhausted
	case sqlerr.InternalError:
		return codes.Internal
	}
	switch string(c)[:2] {
	case "28":
		return codes.Unauthenticated
	case "42", "22", "23", "21", "0A", "2B", "3F":
		return codes.InvalidArgument
	case "08", "HV", "58":
		return codes.Unavailable
	case "53", "54":
		return codes.ResourceExhausted
	case "25", "55":
		return codes.FailedPrecondition
	case "57":
		return codes.Canceled
	}
	return codes.Unknown
}
