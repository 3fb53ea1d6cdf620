package postgres

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Partitioned scans. When the engine asks for several partitions
// (ScanRequest.MaxPartitions > 1), wants neither a limit nor an ordering,
// and the remote relation is a table (or materialized view) with at least
// partition_threshold rows by pg_class.reltuples (default 100000; a table
// never analyzed counts as small), the scan is split into ctid block ranges:
//
//	SELECT ... WHERE <filters> AND ctid >= '(b1,0)'::tid AND ctid < '(b2,0)'::tid
//
// with the relation's blocks (pg_relation_size / block_size) divided
// evenly; the first range has no lower bound and the last none upper, so
// rows in blocks added after planning are still read exactly once.
// PostgreSQL 14 and later run these as TID range scans (each partition
// reads only its blocks); older servers would read the whole table per
// partition, so they get one partition.
//
// Every partition is its own remote session and statement. They share one
// snapshot: the first partition opened starts a holder session
// (REPEATABLE READ READ ONLY) that runs pg_export_snapshot(), and each
// partition starts its own REPEATABLE READ READ ONLY transaction with SET
// TRANSACTION SNAPSHOT. The holder ends once every partition has imported
// the snapshot, or when no partition is open (nor opening) any more; a
// partition opened after that gets a new snapshot (the engine opens the
// partitions of a scan together, one per thread, so this happens only when
// it has fewer threads than partitions, which it does not ask for).

// defaultPartitionThreshold is the reltuples from which a scan is split.
const defaultPartitionThreshold = 100000

func int64Option(v string, def int64) int64 {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		return n
	}
	return def
}

// partitions returns the partitions of a scan whose unsplit remote query
// is sql, and notes for EXPLAIN.
func (t *Table) partitions(ctx context.Context, req connectors.ScanRequest, sql string, schema *arrow.Schema) ([]connectors.Partition, []string, error) {
	single := []connectors.Partition{&partition{t: t, sql: sql, schema: schema}}
	if req.MaxPartitions <= 1 || req.Limit >= 0 || len(req.Order) > 0 {
		return single, nil, nil
	}
	blocks, ok, err := t.splittable(ctx)
	if err != nil || !ok {
		return single, nil, err
	}
	n := int64(req.MaxPartitions)
	if n > blocks {
		n = blocks
	}
	if n <= 1 {
		return single, nil, nil
	}
	step := (blocks + n - 1) / n
	g := &snapshotGroup{t: t, n: int(n)}
	parts := make([]connectors.Partition, 0, n)
	for i := int64(0); i < n; i++ {
		var extra []string
		if i > 0 {
			extra = append(extra, fmt.Sprintf("ctid >= '(%d,0)'::tid", i*step))
		}
		if i < n-1 {
			extra = append(extra, fmt.Sprintf("ctid < '(%d,0)'::tid", (i+1)*step))
		}
		res, err := sqlgen.Select(sqlgen.PostgreSQL, sqlgen.Query{
			Table: t.remote, Columns: t.cols, Project: req.Columns, Filters: req.Filters, Limit: -1, Extra: extra,
		})
		if err != nil {
			return nil, nil, sqlerr.New(sqlerr.FDWError, "foreign table %s: %v", localName(t.name), err)
		}
		parts = append(parts, &partition{t: t, sql: res.SQL, schema: schema, group: g})
	}
	note := fmt.Sprintf("Partitions: %d ctid ranges of %d blocks (of %d), one snapshot", n, step, blocks)
	return parts, []string{note}, nil
}

// splittable reports whether the remote relation is large enough to
// split, and its number of blocks.
func (t *Table) splittable(ctx context.Context) (int64, bool, error) {
	pc, err := t.conn.acquire(ctx)
	if err != nil {
		return 0, false, err
	}
	defer t.conn.release(pc)
	var tuples float64
	var kind string
	var blocks, version int64
	err = pc.QueryRow(ctx, `SELECT c.reltuples::float8, c.relkind::text,
		pg_relation_size(c.oid) / current_setting('block_size')::int8,
		current_setting('server_version_num')::int8
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relname = $2`, t.remote[0], t.remote[1]).Scan(&tuples, &kind, &blocks, &version)
	if err == pgx.ErrNoRows {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, t.conn.remoteError(ctx, err, "foreign table %s (size)", localName(t.name))
	}
	if (kind != "r" && kind != "m") || version < 140000 || tuples < 0 || tuples < float64(t.partMin) {
		return 0, false, nil
	}
	return blocks, true, nil
}

// snapshotIDRE is the form of pg_export_snapshot's result (e.g.
// 00000003-0000001B-1); it is checked before being put in SQL.
var snapshotIDRE = regexp.MustCompile(`^[0-9A-Fa-f-]+$`)

// snapshotGroup shares one exported snapshot among the partitions of a
// scan.
type snapshotGroup struct {
	t *Table
	n int // partitions

	mu       sync.Mutex
	holder   *pgx.Conn // in the transaction that exported id
	id       string
	pending  int // partitions between join and imported
	live     int // partitions joined and not yet left
	imported int // partitions that imported this holder's snapshot
}

// join returns the snapshot to import, exporting one if there is none.
// Each successful join is followed by one imported and, when the reader
// ends, one leave.
func (g *snapshotGroup) join(ctx context.Context) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.holder == nil {
		pc, err := g.t.conn.acquire(ctx)
		if err != nil {
			return "", err
		}
		res, err := pc.PgConn().Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_export_snapshot()").ReadAll()
		if err == nil && (len(res) != 2 || len(res[1].Rows) != 1 || !snapshotIDRE.Match(res[1].Rows[0][0])) {
			err = fmt.Errorf("unexpected result of pg_export_snapshot")
		}
		if err != nil {
			g.t.conn.discard(pc)
			return "", g.t.conn.remoteError(ctx, err, "foreign table %s (exporting a snapshot)", localName(g.t.name))
		}
		g.holder, g.id, g.imported = pc, string(res[1].Rows[0][0]), 0
	}
	g.pending++
	g.live++
	return g.id, nil
}

// imported records that a partition is done importing the snapshot.
func (g *snapshotGroup) imported1() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.pending--
	g.imported++
	if g.imported >= g.n && g.pending == 0 {
		g.endHolder()
	}
}

// leave records that a partition's reader ended.
func (g *snapshotGroup) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.live--
	if g.live == 0 && g.pending == 0 {
		g.endHolder()
	}
}

// endHolder ends the exporting transaction; g.mu is held.
func (g *snapshotGroup) endHolder() {
	if g.holder == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := g.holder.PgConn().Exec(ctx, "COMMIT").ReadAll(); err != nil {
		g.t.conn.discard(g.holder)
	} else {
		g.t.conn.release(g.holder)
	}
	g.holder, g.id = nil, ""
}
