package arrowexec

import (
	"bytes"
	"cmp"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/types"
)

// sortKey is one ORDER BY key over a materialized column.
type sortKey struct {
	desc, nullsFirst bool
}

// sortKeyOf decodes a Substrait sort kind.
func sortKeyOf(k types.SortKind) (sortKey, error) {
	d, ok := k.(types.SortDirection)
	if !ok {
		return sortKey{}, sqlerr.New(sqlerr.FeatureNotSupported, "sort by a comparison function is not supported")
	}
	switch d {
	case types.SortAscNullsFirst:
		return sortKey{nullsFirst: true}, nil
	case types.SortAscNullsLast, types.SortUnspecified:
		return sortKey{}, nil
	case types.SortDescNullsFirst:
		return sortKey{desc: true, nullsFirst: true}, nil
	case types.SortDescNullsLast:
		return sortKey{desc: true}, nil
	}
	return sortKey{}, sqlerr.New(sqlerr.FeatureNotSupported, "sort direction %s is not supported", d)
}

// cmpFunc compares rows i and j of one array.
type cmpFunc func(i, j int) int

// valueCmp compares two non-null values of arr.
func valueCmp(arr arrow.Array) (cmpFunc, error) {
	switch a := arr.(type) {
	case *array.Int8:
		return numCmp(a.Int8Values()), nil
	case *array.Int16:
		return numCmp(a.Int16Values()), nil
	case *array.Int32:
		return numCmp(a.Int32Values()), nil
	case *array.Int64:
		return numCmp(a.Int64Values()), nil
	case *array.Uint8:
		return numCmp(a.Uint8Values()), nil
	case *array.Uint16:
		return numCmp(a.Uint16Values()), nil
	case *array.Uint32:
		return numCmp(a.Uint32Values()), nil
	case *array.Uint64:
		return numCmp(a.Uint64Values()), nil
	case *array.Float32:
		return floatCmp(a.Float32Values()), nil
	case *array.Float64:
		return floatCmp(a.Float64Values()), nil
	case *array.Date32:
		return numCmp(a.Date32Values()), nil
	case *array.Date64:
		return numCmp(a.Date64Values()), nil
	case *array.Timestamp:
		return numCmp(a.TimestampValues()), nil
	case *array.Time32:
		return numCmp(a.Time32Values()), nil
	case *array.Time64:
		return numCmp(a.Time64Values()), nil
	case *array.Duration:
		return numCmp(a.DurationValues()), nil
	case *array.Decimal128:
		v := a.Values()
		return func(i, j int) int { return v[i].Cmp(v[j]) }, nil
	case *array.Boolean:
		return func(i, j int) int { return boolCmp(a.Value(i), a.Value(j)) }, nil
	case *array.String:
		return func(i, j int) int { return cmp.Compare(a.Value(i), a.Value(j)) }, nil
	case *array.LargeString:
		return func(i, j int) int { return cmp.Compare(a.Value(i), a.Value(j)) }, nil
	case *array.Binary:
		return func(i, j int) int { return bytes.Compare(a.Value(i), a.Value(j)) }, nil
	case *array.FixedSizeBinary:
		return func(i, j int) int { return bytes.Compare(a.Value(i), a.Value(j)) }, nil
	case *array.MonthDayNanoInterval:
		v := a.MonthDayNanoIntervalValues()
		return func(i, j int) int { return compareInterval(v[i], v[j]) }, nil
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "cannot compare values of type %s", arr.DataType())
}

// compareInterval orders intervals as PostgreSQL does: by their span with
// a month of 30 days and a day of 24 hours, so '1 mon' and '30 days' are
// equal and '1 day' is less than '25 hours'.
func compareInterval(a, b arrow.MonthDayNanoInterval) int {
	const dayNanos = 86400 * 1e9
	// Days fit an int64 of nanoseconds only up to ~106,000 days; compare
	// whole days first, then the remainder.
	da := int64(a.Months)*30 + int64(a.Days) + a.Nanoseconds/dayNanos
	db := int64(b.Months)*30 + int64(b.Days) + b.Nanoseconds/dayNanos
	ra, rb := a.Nanoseconds%dayNanos, b.Nanoseconds%dayNanos
	if ra < 0 {
		da, ra = da-1, ra+dayNanos
	}
	if rb < 0 {
		db, rb = db-1, rb+dayNanos
	}
	if c := cmp.Compare(da, db); c != 0 {
		return c
	}
	return cmp.Compare(ra, rb)
}

func numCmp[T cmp.Ordered](v []T) cmpFunc {
	return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
}

// floatCmp orders NaN above every other value, as PostgreSQL does.
func floatCmp[T float32 | float64](v []T) cmpFunc {
	return func(i, j int) int { return cmpFloat(v[i], v[j]) }
}

// cmpFloat orders NaN above every other value.
func cmpFloat[T float32 | float64](a, b T) int {
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// keyCmp compares rows of one sort key with direction and NULL placement.
func keyCmp(arr arrow.Array, k sortKey) (cmpFunc, error) {
	vc, err := valueCmp(arr)
	if err != nil {
		return nil, err
	}
	nullCmp := 1 // nulls last
	if k.nullsFirst {
		nullCmp = -1
	}
	hasNulls := arr.NullN() > 0
	return func(i, j int) int {
		if hasNulls {
			ni, nj := arr.IsNull(i), arr.IsNull(j)
			switch {
			case ni && nj:
				return 0
			case ni:
				return nullCmp
			case nj:
				return -nullCmp
			}
		}
		c := vc(i, j)
		if k.desc {
			return -c
		}
		return c
	}, nil
}
