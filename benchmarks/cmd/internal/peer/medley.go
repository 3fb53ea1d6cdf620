package peer

import (
	"context"
	"time"

	"github.com/medleysql/medley/benchmarks/internal/rowcmp"
	"github.com/medleysql/medley/engine"
)

// Collect runs sql in Medley and reads its result into cells.
func Collect(ctx context.Context, timeout time.Duration, db *engine.DB, sql string) (*rowcmp.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rdr, err := db.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rdr.Release()
	return rowcmp.ArrowRows(rdr)
}

// Drain runs sql in Medley and reads every batch; it returns the rows.
func Drain(ctx context.Context, timeout time.Duration, db *engine.DB, sql string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rdr, err := db.Query(ctx, sql)
	if err != nil {
		return 0, err
	}
	defer rdr.Release()
	var n int64
	for rdr.Next() {
		n += rdr.RecordBatch().NumRows()
	}
	return n, rdr.Err()
}
