// Package sqlerr is the one error type of the engine: an error that carries a
// PostgreSQL SQLSTATE code and, for errors in SQL text, a position.
//
// Every layer may import it; it imports nothing of the project. Errors are
// created with New or Wrap and travel up wrapped with %w, so callers branch on
// them with errors.As:
//
//	var e *sqlerr.Error
//	if errors.As(err, &e) && e.Code == sqlerr.UndefinedTable { ... }
package sqlerr

import (
	"errors"
	"fmt"
)

// Code is a five-character SQLSTATE code.
type Code string

// The SQLSTATE codes the engine uses (PostgreSQL's, appendix A of its manual).
const (
	SuccessfulCompletion   Code = "00000"
	FeatureNotSupported    Code = "0A000"
	ConnectionException    Code = "08000"
	ConnectionFailure      Code = "08006"
	ConnectionNotExist     Code = "08003"
	ProtocolViolation      Code = "08P01"
	CardinalityViolation   Code = "21000"
	DataException          Code = "22000"
	StringDataTruncation   Code = "22001"
	NumericValueOutOfRange Code = "22003"
	NullValueNotAllowed    Code = "22004"
	InvalidDatetimeFormat  Code = "22007"
	DatetimeFieldOverflow  Code = "22008"
	DivisionByZero         Code = "22012"
	InvalidEscapeSequence  Code = "22025"
	InvalidTextRepr        Code = "22P02"
	IntegrityViolation     Code = "23000"
	NotNullViolation       Code = "23502"
	InvalidParameterValue  Code = "22023"
	ReadOnlyTransaction    Code = "25006"
	InvalidAuthorization   Code = "28000"
	InvalidPassword        Code = "28P01"
	DependentObjectsExist  Code = "2BP01"
	InvalidSchemaName      Code = "3F000"
	SyntaxError            Code = "42601"
	InsufficientPrivilege  Code = "42501"
	UndefinedColumn        Code = "42703"
	UndefinedFunction      Code = "42883"
	UndefinedTable         Code = "42P01"
	UndefinedParameter     Code = "42P02"
	UndefinedObject        Code = "42704"
	DuplicateObject        Code = "42710"
	DuplicateTable         Code = "42P07"
	DuplicateColumn        Code = "42701"
	DuplicateSchema        Code = "42P06"
	AmbiguousColumn        Code = "42702"
	DatatypeMismatch       Code = "42804"
	GroupingError          Code = "42803"
	WindowingError         Code = "42P20"
	InvalidColumnReference Code = "42P10"
	CannotCoerce           Code = "42846"
	InvalidName            Code = "42602"
	ProgramLimitExceeded   Code = "54000"
	OutOfMemory            Code = "53200"
	TooManyConnections     Code = "53300"
	QueryCanceled          Code = "57014"
	IOError                Code = "58030"
	InternalError          Code = "XX000"

	// Class HV: foreign data wrapper errors (SQL/MED).
	FDWError                   Code = "HV000"
	FDWColumnNameNotFound      Code = "HV005"
	FDWInvalidDataType         Code = "HV004"
	FDWInvalidOptionName       Code = "HV00D"
	FDWInvalidOptionIndex      Code = "HV00C"
	FDWOptionNameNotFound      Code = "HV00J"
	FDWTableNotFound           Code = "HV00R"
	FDWUnableToEstablishConn   Code = "HV00N"
	FDWSchemaNotFound          Code = "HV00Q"
	FDWInvalidAttributeValue   Code = "HV024"
	FDWInvalidStringFormat     Code = "HV00A"
	FDWOutOfMemory             Code = "HV001"
	FDWUnableToCreateExecution Code = "HV00L"
)

// Error is an engine error with a SQLSTATE code.
type Error struct {
	Code    Code
	Message string
	Detail  string // optional second line, as PostgreSQL's DETAIL
	Hint    string // optional, as PostgreSQL's HINT
	// Position is the 1-based byte offset in the statement text where
	// the error was found, 0 when unknown. Line and Column are derived from it
	// by Locate when the text is known.
	Position int
	Line     int
	Column   int
	Err      error // the cause, if any
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// SQLState returns the code, as pgx's PgError does.
func (e *Error) SQLState() string { return string(e.Code) }

// New returns an error with the given code and formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// At returns an error with a code, a position (1-based offset) and a message.
func At(code Code, pos int, format string, args ...any) *Error {
	return &Error{Code: code, Position: pos, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with the code whose message is the formatted text
// followed by ": " and the cause's message; the cause stays reachable through
// errors.Is/As. If the cause already is an *Error, its code is kept unless code
// is not empty.
func Wrap(err error, code Code, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	if err != nil {
		msg += ": " + err.Error()
	}
	return &Error{Code: code, Message: msg, Err: err}
}

// CodeOf returns the SQLSTATE code of err, InternalError ("XX000") when err
// carries none, and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return InternalError
}

// Is reports whether err carries the code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// WithDetail sets Detail and returns e.
func (e *Error) WithDetail(format string, args ...any) *Error {
	e.Detail = fmt.Sprintf(format, args...)
	return e
}

// WithHint sets Hint and returns e.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// Locate fills Line and Column (both 1-based) from Position within text.
func (e *Error) Locate(text string) *Error {
	if e.Position <= 0 {
		return e
	}
	line, col := 1, 1
	for i, r := range text {
		if i >= e.Position-1 {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	e.Line, e.Column = line, col
	return e
}
