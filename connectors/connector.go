// Package connectors defines the foreign-data-wrapper interface of Medley and
// the registry of wrappers by name.
//
// A connector plays the role of PostgreSQL's FdwRoutine plus its validator:
//
//   - Spec declares the options each catalog object accepts (server, user
//     mapping, foreign table, column), which are required and which are
//     secret, and what the source can evaluate (Capabilities). The catalog
//     validates DDL with it; the same spec generates the option docs.
//   - Connect opens a connection with a server's options and the current
//     user's mapping. The engine pools one Conn per (server, user mapping)
//     and closes it with the engine.
//   - Conn.Table describes one foreign table as a scannable Table.
//   - Table.Scan plans a scan: columns wanted, filters offered (each answered
//     Exact, Inexact or Unsupported), a limit and an ordering; the plan is
//     split into partitions that are read in parallel as
//     array.RecordReaders.
//
// Optional capabilities are small interfaces found by type assertion:
// SchemaImporter (IMPORT FOREIGN SCHEMA), RelExecutor (whole-subtree
// pushdown), Inserter/Updater/Deleter (writes), RuntimeFilterable.
//
// Connectors know nothing of the catalog's storage: they see only their
// options (with secrets already resolved), Arrow types and Substrait
// expressions.
package connectors

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
	"go.uber.org/zap"
)

// Connector is a foreign data wrapper.
type Connector interface {
	// Spec describes the wrapper's options and capabilities. It must be
	// cheap and return the same value every time.
	Spec() Spec
	// Connect opens a connection to the source described by p. A connector
	// without a network source (files, memory) still returns a Conn.
	Connect(ctx context.Context, p ConnectParams) (Conn, error)
}

// ConnectParams is what a connector gets to connect: the server's options and
// the current user's mapping options, with secret references
// (password_env, password_file) already resolved to values.
type ConnectParams struct {
	Server        string            // the foreign server's name, for errors
	ServerOptions map[string]string // validated against Spec
	UserOptions   map[string]string // validated against Spec; may hold secrets
	User          string            // the Medley user the mapping is for
	Logger        *zap.Logger       // never nil; never log UserOptions
	// Allocator is for data a Conn keeps beyond one query (memory tables);
	// a query's own memory comes from the allocator given to Partition.Open.
	Allocator memory.Allocator
}

// Conn is an open connection to a source, shared by the queries of one
// (server, user mapping) pair. It must be safe for concurrent use.
type Conn interface {
	// Table returns the scannable table described by d. It may check that
	// the remote object exists, but must not read data.
	Table(ctx context.Context, d TableDesc) (Table, error)
	// Close releases the connection. It is idempotent.
	Close() error
}

// TableDesc describes a foreign table as the catalog holds it.
type TableDesc struct {
	Name    []string          // the local qualified name, e.g. {"public","orders"}; for errors
	Options map[string]string // the foreign table's options, validated against Spec
	Columns []ColumnDesc      // in declaration order
}

// ColumnDesc is one declared column of a foreign table.
type ColumnDesc struct {
	Name     string
	Type     arrow.DataType
	Nullable bool
	Options  map[string]string // column options, e.g. column_name
}

// Schema returns the Arrow schema of the declared columns.
func (d TableDesc) Schema() *arrow.Schema {
	fields := make([]arrow.Field, len(d.Columns))
	for i, c := range d.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type, Nullable: c.Nullable}
	}
	return arrow.NewSchema(fields, nil)
}

// Table is a foreign table bound to a connection.
type Table interface {
	// Schema is the table's full schema, as declared (column order and
	// types of TableDesc.Columns).
	Schema() *arrow.Schema
	// Statistics returns what the source knows about the table; fields it
	// does not know are left at their zero value / -1.
	Statistics(ctx context.Context) (Statistics, error)
	// Scan plans a scan. The returned plan's partitions may be opened
	// concurrently, each at most once.
	Scan(ctx context.Context, req ScanRequest) (*ScanPlan, error)
}

// ScanRequest is what the engine asks of a scan.
type ScanRequest struct {
	// Columns are indexes into Table.Schema() of the columns to return, in
	// this order. Empty means no columns (only the row count matters,
	// e.g. count(*)): readers then return batches with zero columns.
	Columns []int
	// Filters are conjuncts offered for pushdown. Each is a boolean
	// Substrait expression whose field references index Table.Schema()
	// (not Columns). The connector answers each in ScanPlan.FilterSupport.
	Filters []expr.Expression
	// Limit is the number of rows the engine needs after all filters, or -1
	// for no limit. A connector may honour it only if it handles every
	// filter Exactly; it reports so in ScanPlan.LimitApplied.
	Limit int64
	// Order is the ordering the engine would like. A connector that returns
	// rows in this order reports ScanPlan.Ordered.
	Order []SortKey
	// MaxPartitions is the engine's degree of parallelism; a connector may
	// return fewer partitions, never more than it can usefully read.
	MaxPartitions int
}

// SortKey is one key of an ordering, by column index into Table.Schema().
type SortKey struct {
	Column     int
	Descending bool
	NullsFirst bool
}

// FilterSupport is a connector's answer to one offered filter, as in
// DataFusion's supports_filters_pushdown.
type FilterSupport int

const (
	// Unsupported: the connector ignores the filter; the engine applies it.
	Unsupported FilterSupport = iota
	// Inexact: the connector uses the filter to skip data (e.g. row-group
	// pruning) but may return rows that do not match; the engine re-checks.
	Inexact
	// Exact: every returned row matches; the engine does not re-check.
	Exact
)

func (s FilterSupport) String() string {
	switch s {
	case Exact:
		return "exact"
	case Inexact:
		return "inexact"
	default:
		return "unsupported"
	}
}

// ScanPlan is a planned scan.
type ScanPlan struct {
	// Schema of the batches every partition returns: the requested Columns
	// in order.
	Schema *arrow.Schema
	// FilterSupport has one answer per ScanRequest.Filters entry.
	FilterSupport []FilterSupport
	// LimitApplied is true when each partition returns at most Limit rows
	// and the rows returned are all that are needed (Exact filters only).
	LimitApplied bool
	// Ordered is true when there is one partition and its rows come in
	// ScanRequest.Order.
	Ordered bool
	// Partitions are read independently; there is at least one.
	Partitions []Partition
	// Explain is what EXPLAIN shows for this scan, e.g. the remote SQL or
	// "files: 3, row groups: 12 of 40". Never secrets.
	Explain []string
}

// Partition is one independently readable part of a scan.
type Partition interface {
	// Open starts reading. All Arrow memory comes from mem. Cancelling ctx
	// stops the reader; its Err then reports the cancellation. The caller
	// releases the reader.
	Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error)
}

// Statistics is what a source knows about a table. Unknown numbers are -1.
type Statistics struct {
	RowCount int64
	Columns  []ColumnStatistics // by Schema index; may be nil
}

// ColumnStatistics is what a source knows about one column. Min and Max are
// Arrow scalars of the column's type, or nil when unknown.
type ColumnStatistics struct {
	NullCount     int64
	DistinctCount int64
	Min, Max      any
}

// UnknownStatistics is the Statistics of a source that knows nothing.
var UnknownStatistics = Statistics{RowCount: -1}

// --- optional capabilities -------------------------------------------------

// SchemaImporter is implemented by a Conn that can list remote tables for
// IMPORT FOREIGN SCHEMA.
type SchemaImporter interface {
	ImportSchema(ctx context.Context, req ImportRequest) ([]TableDef, error)
}

// ImportRequest is an IMPORT FOREIGN SCHEMA statement as a connector sees it.
type ImportRequest struct {
	RemoteSchema string
	LimitTo      []string // only these remote tables, if not empty
	Except       []string // all but these remote tables
	Options      map[string]string
}

// TableDef is one table found by ImportSchema: the local table name, the
// options that make Conn.Table find it again, and its columns.
type TableDef struct {
	Name    string
	Options map[string]string
	Columns []ColumnDesc
}

// RelExecutor is implemented by a Conn that can run a whole Substrait
// subtree (joins, aggregates over its own tables) itself. Every ReadRel in
// rel is a NamedTable naming a table of this Conn, resolved through tables.
type RelExecutor interface {
	// CanExecute reports whether the connection can run rel; if not, reason
	// says why, for EXPLAIN (e.g. "function regexp_match not shippable").
	CanExecute(rel plan.Rel, tables map[string]Table) (ok bool, reason string)
	// ExecuteRel plans rel as a scan; Explain holds the remote query.
	ExecuteRel(ctx context.Context, rel plan.Rel, tables map[string]Table) (*ScanPlan, error)
}

// Inserter is implemented by a Table that accepts rows.
type Inserter interface {
	// Insert writes every batch of rows (whose schema names a subset of the
	// table's columns) atomically: on error nothing is written. It returns
	// the number of rows written.
	Insert(ctx context.Context, rows array.RecordReader) (int64, error)
}

// Updater is implemented by a Table that runs UPDATE ... SET ... WHERE
// itself. Set maps column index to a Substrait expression over the table's
// schema; where is nil for all rows.
type Updater interface {
	Update(ctx context.Context, set map[int]expr.Expression, where expr.Expression) (int64, error)
}

// Deleter is implemented by a Table that runs DELETE ... WHERE itself.
type Deleter interface {
	Delete(ctx context.Context, where expr.Expression) (int64, error)
}

// TableCreator is implemented by a Conn that creates and drops tables
// itself (memory tables: CREATE TABLE, DROP TABLE). The catalog records the
// table; the Conn keeps its data.
type TableCreator interface {
	CreateTable(ctx context.Context, d TableDesc) error
	DropTable(ctx context.Context, d TableDesc) error
}

// RuntimeFilterable is implemented by a Table whose scans can take extra
// filters discovered at run time (a hash join's build-side keys). The
// filters are added to req.Filters before Scan is called.
type RuntimeFilterable interface {
	AcceptsRuntimeFilters() bool
}

// --- registry ----------------------------------------------------------------

var (
	mu       sync.RWMutex
	registry = map[string]Connector{}
)

// Register makes a connector available as a built-in foreign data wrapper by
// name. Registering a name twice panics, as database/sql.Register does.
func Register(name string, c Connector) {
	mu.Lock()
	defer mu.Unlock()
	if c == nil {
		panic("connectors: Register connector is nil")
	}
	if _, dup := registry[name]; dup {
		panic(fmt.Sprintf("connectors: Register called twice for %q", name))
	}
	registry[name] = c
}

// Lookup returns the connector registered under name.
func Lookup(name string) (Connector, bool) {
	mu.RLock()
	defer mu.RUnlock()
	c, ok := registry[name]
	return c, ok
}

// Names returns the registered names, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
