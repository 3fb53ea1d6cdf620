package engine

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"

	"github.com/medleysql/medley/sql/sqlerr"
)

// paramScalars converts Go arguments to the values of a plan's parameters
// ($1 is args[0]). Each value keeps its Go type's natural Arrow type; the
// executor casts it to the parameter's type as an implicit cast would (so a
// string works for a date or numeric parameter). want are the parameter
// types the compiler inferred, nil when unknown (a client's plan); a nil
// argument is a NULL of that type.
func paramScalars(args []any, want []arrow.DataType) ([]scalar.Scalar, error) {
	if want != nil && len(args) != len(want) {
		return nil, sqlerr.New(sqlerr.ProtocolViolation,
			"the statement has %d parameter(s), but %d argument(s) were given", len(want), len(args))
	}
	out := make([]scalar.Scalar, len(args))
	for i, a := range args {
		var dt arrow.DataType = arrow.Null
		if i < len(want) && want[i] != nil {
			dt = want[i]
		}
		sc, err := paramScalar(a, dt)
		if err != nil {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "parameter $%d: %v", i+1, err)
		}
		out[i] = sc
	}
	return out, nil
}

func paramScalar(a any, null arrow.DataType) (scalar.Scalar, error) {
	switch v := a.(type) {
	case nil:
		return scalar.MakeNullScalar(null), nil
	case scalar.Scalar:
		return v, nil
	case bool:
		return scalar.NewBooleanScalar(v), nil
	case int:
		return scalar.NewInt64Scalar(int64(v)), nil
	case int8:
		return scalar.NewInt64Scalar(int64(v)), nil
	case int16:
		return scalar.NewInt16Scalar(v), nil
	case int32:
		return scalar.NewInt32Scalar(v), nil
	case int64:
		return scalar.NewInt64Scalar(v), nil
	case uint8:
		return scalar.NewInt64Scalar(int64(v)), nil
	case uint16:
		return scalar.NewInt64Scalar(int64(v)), nil
	case uint32:
		return scalar.NewInt64Scalar(int64(v)), nil
	case float32:
		return scalar.NewFloat32Scalar(v), nil
	case float64:
		return scalar.NewFloat64Scalar(v), nil
	case string:
		return scalar.NewStringScalar(v), nil
	case []byte:
		return scalar.NewBinaryScalar(memory.NewBufferBytes(append([]byte(nil), v...)), arrow.BinaryTypes.Binary), nil
	case time.Time:
		return scalar.NewTimestampScalar(arrow.Timestamp(v.UnixMicro()), &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}), nil
	case *time.Time:
		if v == nil {
			return scalar.MakeNullScalar(null), nil
		}
		return paramScalar(*v, null)
	}
	return nil, fmt.Errorf("a Go value of type %T cannot be a parameter", a)
}
