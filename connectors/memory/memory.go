// Package memory is the "memory" foreign-data wrapper: local tables kept in
// memory for the engine's lifetime (CREATE TABLE, INSERT, SELECT, DROP
// TABLE, CREATE TABLE AS), for tests and scratch data.
//
// There are no options and no user mappings: the engine keeps one Conn per
// server, and that Conn holds the data of its tables, allocated from
// ConnectParams.Allocator and released by DropTable and Close.
//
// Concurrency: a table is a list of immutable chunks (record batches).
// INSERT builds its chunks first and appends them under a lock, so it is
// atomic and readers see a consistent snapshot: a scan reads the chunks
// that existed when it was planned. When many small chunks pile up (many
// one-row INSERTs) they are merged; a scan planned before a merge still
// reads the same rows, through the merged chunk.
package memory

import (
	"context"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

func init() { connectors.Register("memory", Connector{}) }

// Connector is the memory wrapper.
type Connector struct{}

var _ connectors.Connector = Connector{}

// Spec describes the wrapper: no options, no user mappings, filters
// evaluated exactly, limits, writes.
func (Connector) Spec() connectors.Spec {
	return connectors.Spec{
		Doc: "In-memory tables that live as long as the engine (CREATE TABLE ... SERVER <a memory server>, " +
			"INSERT, SELECT, DROP TABLE). Takes no options and no user mapping. Filters made of comparisons " +
			"with literals, IS [NOT] NULL, IN lists, AND/OR/NOT are evaluated exactly; limits are applied.",
		Capabilities: connectors.Capabilities{
			Functions:  []string{"equal", "not_equal", "lt", "lte", "gt", "gte", "is_null", "is_not_null", "and", "or", "not"},
			Projection: true,
			Limit:      true,
			Writes:     true,
		},
		NoUserMapping: true,
	}
}

// Connect returns the Conn that holds a memory server's tables.
func (Connector) Connect(ctx context.Context, p connectors.ConnectParams) (connectors.Conn, error) {
	mem := p.Allocator
	if mem == nil {
		return nil, sqlerr.New(sqlerr.InternalError, "memory server %q: no allocator given", p.Server)
	}
	return &Conn{server: p.Server, mem: mem, tables: map[string]*table{}}, nil
}

// Conn holds the tables of one memory server. It is safe for concurrent use.
type Conn struct {
	server string
	mem    memory.Allocator
	mu     sync.Mutex
	tables map[string]*table
	closed bool
}

var (
	_ connectors.Conn         = (*Conn)(nil)
	_ connectors.TableCreator = (*Conn)(nil)
)

func key(name []string) string { return strings.Join(name, ".") }

// CreateTable creates an empty table; an existing one is error 42P07.
func (c *Conn) CreateTable(ctx context.Context, d connectors.TableDesc) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return sqlerr.New(sqlerr.ConnectionNotExist, "memory server %q is closed", c.server)
	}
	k := key(d.Name)
	if _, ok := c.tables[k]; ok {
		return sqlerr.New(sqlerr.DuplicateTable, "memory table %q already exists", k)
	}
	c.tables[k] = &table{name: d.Name, schema: d.Schema(), mem: c.mem}
	return nil
}

// DropTable drops a table and releases its data; scans already opened
// keep reading what they hold.
func (c *Conn) DropTable(ctx context.Context, d connectors.TableDesc) error {
	c.mu.Lock()
	k := key(d.Name)
	t, ok := c.tables[k]
	delete(c.tables, k)
	c.mu.Unlock()
	if !ok {
		return sqlerr.New(sqlerr.UndefinedTable, "memory table %q does not exist", k)
	}
	t.drop()
	return nil
}

// Table returns a table; it is error 42P01 (naming the table) if it was
// not created, and HV004 if the declared columns differ from the table's.
func (c *Conn) Table(ctx context.Context, d connectors.TableDesc) (connectors.Table, error) {
	c.mu.Lock()
	t, ok := c.tables[key(d.Name)]
	c.mu.Unlock()
	if !ok {
		return nil, sqlerr.New(sqlerr.UndefinedTable, "memory table %q does not exist", key(d.Name))
	}
	want := d.Schema()
	if !sameColumns(want, t.schema) {
		return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "memory table %q: declared columns %s differ from the table's %s",
			key(d.Name), want, t.schema)
	}
	return &Table{t: t}, nil
}

func sameColumns(a, b *arrow.Schema) bool {
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i := range a.Fields() {
		fa, fb := a.Field(i), b.Field(i)
		if fa.Name != fb.Name || !arrow.TypeEqual(fa.Type, fb.Type) {
			return false
		}
	}
	return true
}

// Close releases every table's data. It is idempotent.
func (c *Conn) Close() error {
	c.mu.Lock()
	tables := c.tables
	c.tables = map[string]*table{}
	c.closed = true
	c.mu.Unlock()
	for _, t := range tables {
		t.drop()
	}
	return nil
}
