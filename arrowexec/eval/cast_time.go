package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

const (
	microsPerDay = 86400e6
	secsPerDay   = 86400
)

// castTemporal converts between date, timestamp (any unit, with or without
// the UTC zone: the session time zone is UTC) and time.
func castTemporal(from, to arrow.DataType) castFn {
	switch {
	case from.ID() == arrow.DATE32 && to.ID() == arrow.TIMESTAMP:
		return func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
			unit := to.(*arrow.TimestampType).Unit
			return mapFixed(mem, a, to, func(d arrow.Date32) (arrow.Timestamp, bool) {
				return arrow.Timestamp(fromMicros(int64(d)*microsPerDay, unit)), true
			}, nil)
		}
	case from.ID() == arrow.TIMESTAMP && to.ID() == arrow.DATE32:
		return func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
			unit := from.(*arrow.TimestampType).Unit
			return mapFixed(mem, a, to, func(t arrow.Timestamp) (arrow.Date32, bool) {
				return arrow.Date32(floorDiv(toMicros(int64(t), unit), microsPerDay)), true
			}, nil)
		}
	case from.ID() == arrow.TIMESTAMP && to.ID() == arrow.TIMESTAMP:
		return func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
			fu, tu := from.(*arrow.TimestampType).Unit, to.(*arrow.TimestampType).Unit
			return mapFixed(mem, a, to, func(t arrow.Timestamp) (arrow.Timestamp, bool) {
				return arrow.Timestamp(fromMicros(toMicros(int64(t), fu), tu)), true
			}, nil)
		}
	case from.ID() == arrow.TIMESTAMP && to.ID() == arrow.TIME64:
		return func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
			fu, tu := from.(*arrow.TimestampType).Unit, to.(*arrow.Time64Type).Unit
			return mapFixed(mem, a, to, func(t arrow.Timestamp) (arrow.Time64, bool) {
				us := toMicros(int64(t), fu)
				return arrow.Time64(fromMicros(us-floorDiv(us, microsPerDay)*microsPerDay, tu)), true
			}, nil)
		}
	}
	return nil
}
