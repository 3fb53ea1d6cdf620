package flightsql

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	pb "github.com/apache/arrow-go/v18/arrow/flight/gen/flight"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

var errTransactions = status.Error(codes.Unimplemented,
	"0A000: transactions are not supported: Medley runs every statement on its own (autocommit)")

// BeginTransaction is refused: Medley has no transactions.
func (s *Server) BeginTransaction(context.Context, flightsql.ActionBeginTransactionRequest) ([]byte, error) {
	return nil, errTransactions
}

// EndTransaction is refused: Medley has no transactions.
func (s *Server) EndTransaction(context.Context, flightsql.ActionEndTransactionRequest) error {
	return errTransactions
}

// BeginSavepoint is refused: Medley has no transactions.
func (s *Server) BeginSavepoint(context.Context, flightsql.ActionBeginSavepointRequest) ([]byte, error) {
	return nil, errTransactions
}

// EndSavepoint is refused: Medley has no transactions.
func (s *Server) EndSavepoint(context.Context, flightsql.ActionEndSavepointRequest) error {
	return errTransactions
}

// sessionOptions maps Flight SQL session option names to SET parameters.
var sessionOptions = map[string]string{
	"search_path": "search_path", "schema": "search_path", "current_schema": "search_path",
	"threads": "threads", "memory_limit": "memory_limit", "pushdown": "pushdown",
}

// SetSessionOptions runs SET for each option on the token's session.
func (s *Server) SetSessionOptions(ctx context.Context, req *flight.SetSessionOptionsRequest) (*flight.SetSessionOptionsResult, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, err
	}
	res := &flight.SetSessionOptionsResult{Errors: map[string]*flight.SetSessionOptionsResultError{}}
	for name, v := range req.GetSessionOptions() {
		param, ok := sessionOptions[strings.ToLower(name)]
		if !ok {
			res.Errors[name] = &flight.SetSessionOptionsResultError{Value: flight.SetSessionOptionsResultErrorInvalidName}
			continue
		}
		val, ok := optionText(v)
		if !ok {
			res.Errors[name] = &flight.SetSessionOptionsResultError{Value: flight.SetSessionOptionsResultErrorInvalidValue}
			continue
		}
		if _, err := cs.run(ctx, fmt.Sprintf("SET %s = %s", param, quote(val))); err != nil {
			res.Errors[name] = &flight.SetSessionOptionsResultError{Value: flight.SetSessionOptionsResultErrorInvalidValue}
		}
	}
	return res, nil
}

func optionText(v *flight.SessionOptionValue) (string, bool) {
	switch x := v.GetOptionValue().(type) {
	case *pb.SessionOptionValue_StringValue:
		return x.StringValue, true
	case *pb.SessionOptionValue_BoolValue:
		return strconv.FormatBool(x.BoolValue), true
	case *pb.SessionOptionValue_Int64Value:
		return strconv.FormatInt(x.Int64Value, 10), true
	case *pb.SessionOptionValue_DoubleValue:
		return strconv.FormatFloat(x.DoubleValue, 'f', -1, 64), true
	case *pb.SessionOptionValue_StringListValue_:
		return strings.Join(x.StringListValue.GetValues(), ","), true
	}
	return "", false
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// GetSessionOptions answers with SHOW ALL of the token's session.
func (s *Server) GetSessionOptions(ctx context.Context, _ *flight.GetSessionOptionsRequest) (*flight.GetSessionOptionsResult, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, err
	}
	res, err := cs.run(ctx, "SHOW ALL")
	if err != nil {
		return nil, grpcError(err)
	}
	defer res.Reader.Release()
	out := &flight.GetSessionOptionsResult{SessionOptions: map[string]*flight.SessionOptionValue{}}
	for res.Reader.Next() {
		b := res.Reader.RecordBatch()
		for i := 0; i < int(b.NumRows()); i++ {
			out.SessionOptions[b.Column(0).ValueStr(i)] = &flight.SessionOptionValue{
				OptionValue: &pb.SessionOptionValue_StringValue{StringValue: b.Column(1).ValueStr(i)}}
		}
	}
	return out, grpcError(res.Reader.Err())
}

// CloseSession resets the token's settings (RESET ALL); the token stays
// valid until it expires.
func (s *Server) CloseSession(ctx context.Context, _ *flight.CloseSessionRequest) (*flight.CloseSessionResult, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := cs.run(ctx, "RESET ALL"); err != nil {
		return nil, grpcError(err)
	}
	return &flight.CloseSessionResult{Status: flight.CloseSessionResultClosed}, nil
}
