package parquet

import (
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/medleysql/medley/connectors/internal/pred"
)

// chunkStats returns the statistics of declared column col in row group rg
// of f, in the representation pred uses for the declared type dt.
func (f *pfile) chunkStats(rg, col int, dt arrow.DataType) (pred.Stats, bool) {
	g := f.meta.RowGroup(rg)
	st := pred.Stats{NullCount: -1, Rows: g.NumRows(), Float: dt.ID() == arrow.FLOAT32 || dt.ID() == arrow.FLOAT64}
	cc, err := g.ColumnChunk(f.leaf[col])
	if err != nil {
		return st, false
	}
	ok, err := cc.StatsSet()
	if err != nil || !ok {
		return st, false
	}
	ts, err := cc.Statistics()
	if err != nil || ts == nil {
		return st, false
	}
	if ts.HasNullCount() {
		st.NullCount = ts.NullCount()
	}
	if ts.HasMinMax() {
		st.Min, st.Max = minMax(ts, f.from[col], dt)
	}
	return st, true
}

// minMax converts physical min/max statistics of a file column of type
// from to Values for the declared type to; nil, nil when it cannot.
func minMax(ts metadata.TypedStatistics, from, to arrow.DataType) (pred.Value, pred.Value) {
	if sameUnit(from, to) {
		switch s := ts.(type) {
		case *metadata.Int32Statistics:
			if signed(from) {
				return int64(s.Min()), int64(s.Max())
			}
		case *metadata.Int64Statistics:
			if signed(from) {
				return s.Min(), s.Max()
			}
		}
	}
	switch s := ts.(type) {
	case *metadata.Int32Statistics:
		if isDecimal(from) {
			return decimalInt(int64(s.Min()), from, to), decimalInt(int64(s.Max()), from, to)
		}
	case *metadata.Int64Statistics:
		if isDecimal(from) {
			return decimalInt(s.Min(), from, to), decimalInt(s.Max(), from, to)
		}
	case *metadata.Float32Statistics:
		return float64(s.Min()), float64(s.Max())
	case *metadata.Float64Statistics:
		return s.Min(), s.Max()
	case *metadata.BooleanStatistics:
		return s.Min(), s.Max()
	case *metadata.ByteArrayStatistics:
		if isDecimal(from) {
			return decimalValue(s.Min(), from, to), decimalValue(s.Max(), from, to)
		}
		return string(s.Min()), string(s.Max())
	case *metadata.FixedLenByteArrayStatistics:
		if isDecimal(from) {
			return decimalValue(s.Min(), from, to), decimalValue(s.Max(), from, to)
		}
	}
	return nil, nil
}

func isDecimal(t arrow.DataType) bool {
	return t.ID() == arrow.DECIMAL128 || t.ID() == arrow.DECIMAL256
}

func signed(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return false
	}
	return true
}

// sameUnit reports whether integer-represented values of from mean the
// same as values of to: integer types, dates, times and timestamps of the
// same unit, and decimals of the same scale stored as integers.
func sameUnit(from, to arrow.DataType) bool {
	switch to.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		_, _, ok := intWidth(from.ID())
		return ok
	case arrow.DATE32:
		return from.ID() == arrow.DATE32
	case arrow.TIMESTAMP:
		ft, ok := from.(*arrow.TimestampType)
		return ok && ft.Unit == to.(*arrow.TimestampType).Unit
	case arrow.TIME64:
		ft, ok := from.(*arrow.Time64Type)
		return ok && ft.Unit == to.(*arrow.Time64Type).Unit
	}
	return false
}

// decimalValue decodes a big-endian two's complement unscaled decimal at
// from's scale as a decimal128.Num at to's scale.
func decimalValue(b []byte, from, to arrow.DataType) pred.Value {
	td, ok := to.(*arrow.Decimal128Type)
	if !ok || len(b) == 0 || len(b) > 16 {
		return nil
	}
	v := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	n := decimal128.FromBigInt(v)
	n, err := n.Rescale(from.(arrow.DecimalType).GetScale(), td.Scale)
	if err != nil {
		return nil
	}
	return n
}

// decimalInt is decimalValue for decimals stored as INT32/INT64.
func decimalInt(v int64, from, to arrow.DataType) pred.Value {
	td, ok := to.(*arrow.Decimal128Type)
	if !ok {
		return nil
	}
	n, err := decimal128.FromI64(v).Rescale(from.(arrow.DecimalType).GetScale(), td.Scale)
	if err != nil {
		return nil
	}
	return n
}
