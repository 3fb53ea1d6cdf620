// Package conntest is the conformance suite every connector runs:
//
//	func TestConformance(t *testing.T) {
//		conntest.Run(t, conntest.Harness{Connector: myConnector{}, Setup: ...})
//	}
//
// The harness stores the standard table (Schema, Rows, Data: ints, floats,
// strings, dates, decimals and booleans, with NULLs) in a fresh source and
// says how to reach it. The suite then checks the option spec, statistics,
// a full scan, projections (including zero columns), each filter kind with
// NULLs (Exact answers must be exact, Inexact and Unsupported ones must keep
// every matching row), limits, partitions (their union is the full scan,
// read concurrently), errors for a missing table or file, cancellation, IMPORT
// FOREIGN SCHEMA, and that no Arrow memory leaks (every scan and the
// connection use checked allocators).
package conntest

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"go.uber.org/zap"
)

// Harness adapts a connector to the suite.
type Harness struct {
	// Connector is the wrapper under test.
	Connector connectors.Connector
	// Setup stores the standard rows (Data: batches of Schema) in a fresh
	// source and says how to reach them. The batches stay valid until Run
	// ends. Setup may use t.TempDir and t.Skip (when CI is not "true").
	Setup func(t *testing.T, data []arrow.RecordBatch) Fixture
}

// Fixture says how to reach the standard table in the source Setup made.
type Fixture struct {
	Server, User map[string]string // server and user mapping options
	Table        map[string]string // the standard table's options
	// Columns are column options by column name (e.g. column_name).
	Columns map[string]map[string]string
	// Load, if set, runs once on the connection before the suite (memory
	// tables: CREATE TABLE and INSERT of the data).
	Load func(ctx context.Context, conn connectors.Conn, d connectors.TableDesc) error
	// Missing turns the standard table's description into one of a table
	// or file that does not exist (other options or another name); nil
	// skips the error test. The error, from Table, Scan or the reader, must
	// carry SQLSTATE class HV, 58 or 42 and name the table.
	Missing func(d connectors.TableDesc) connectors.TableDesc
	// Import is an IMPORT FOREIGN SCHEMA request that finds the standard
	// table under the name ImportName; nil skips the import tests.
	Import     *connectors.ImportRequest
	ImportName string
	// ImportExactTypes: imported columns must have exactly Schema's types
	// (otherwise, for sources that infer types, only names are checked and
	// the imported table must scan all rows).
	ImportExactTypes bool
	// MinPartitions is the fewest partitions the source must offer for the
	// standard table when allowed 8 (e.g. 2 for two files); 0 means 1.
	MinPartitions int
}

// Desc returns the standard table's description under fixture f.
func (f Fixture) Desc() connectors.TableDesc {
	s := Schema()
	d := connectors.TableDesc{Name: TableName, Options: f.Table}
	for _, fl := range s.Fields() {
		d.Columns = append(d.Columns, connectors.ColumnDesc{
			Name: fl.Name, Type: fl.Type, Nullable: fl.Nullable, Options: f.Columns[fl.Name],
		})
	}
	return d
}

// suite is one run's state.
type suite struct {
	h     Harness
	f     Fixture
	conn  connectors.Conn
	table connectors.Table
	rows  []Row
	want  map[int64]vals // id -> rendered full row
}

// Run runs the conformance suite.
func Run(t *testing.T, h Harness) {
	connMem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer connMem.AssertSize(t, 0)
	dataMem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer dataMem.AssertSize(t, 0)
	data := Data(dataMem)
	defer func() {
		for _, b := range data {
			b.Release()
		}
	}()
	s := &suite{h: h, rows: Rows(), want: map[int64]vals{}}
	for _, b := range data {
		for id, r := range render(b, nil) {
			s.want[id] = r
		}
	}
	s.f = h.Setup(t, data)
	ctx := context.Background()
	t.Run("Spec", s.testSpec)
	conn, err := h.Connector.Connect(ctx, connectors.ConnectParams{
		Server: "conntest", ServerOptions: s.f.Server, UserOptions: s.f.User, User: "tester",
		Logger: zap.NewNop(), Allocator: connMem,
	})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	s.conn = conn
	defer func() {
		if err := conn.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := conn.Close(); err != nil {
			t.Errorf("second Close (must be idempotent): %v", err)
		}
	}()
	desc := s.f.Desc()
	if s.f.Load != nil {
		if err := s.f.Load(ctx, conn, desc); err != nil {
			t.Fatalf("Load: %v", err)
		}
	}
	s.table, err = conn.Table(ctx, desc)
	if err != nil {
		t.Fatalf("Table: %v", err)
	}
	if !s.table.Schema().Equal(Schema()) {
		t.Fatalf("Table.Schema() = %v, want %v", s.table.Schema(), Schema())
	}
	t.Run("Statistics", s.testStatistics)
	t.Run("FullScan", s.testFullScan)
	t.Run("Projection", s.testProjection)
	t.Run("Filters", s.testFilters)
	t.Run("Limit", s.testLimit)
	t.Run("Partitions", s.testPartitions)
	t.Run("Cancel", s.testCancel)
	t.Run("Errors", s.testErrors)
	t.Run("Import", s.testImport)
}

func (s *suite) testSpec(t *testing.T) {
	sp := s.h.Connector.Spec()
	if strings.TrimSpace(sp.Doc) == "" {
		t.Error("Spec.Doc is empty")
	}
	for _, o := range sp.Options {
		if o.Doc == "" {
			t.Errorf("option %s of %s has no Doc", o.Name, o.Object)
		}
	}
	checks := []struct {
		obj  connectors.Object
		opts map[string]string
	}{{connectors.ObjServer, s.f.Server}, {connectors.ObjTable, s.f.Table}}
	if !sp.NoUserMapping {
		checks = append(checks, struct {
			obj  connectors.Object
			opts map[string]string
		}{connectors.ObjUserMapping, s.f.User})
	}
	for _, c := range checks {
		if err := sp.Validate(c.obj, c.opts); err != nil {
			t.Errorf("fixture %s options rejected by Spec: %v", c.obj, err)
		}
	}
	for col, opts := range s.f.Columns {
		if err := sp.Validate(connectors.ObjColumn, opts); err != nil {
			t.Errorf("fixture column %s options rejected by Spec: %v", col, err)
		}
	}
	if err := sp.Validate(connectors.ObjTable, map[string]string{"no_such_option_xyz": "1"}); err == nil {
		t.Error("Spec accepts an unknown table option")
	}
}

func (s *suite) testStatistics(t *testing.T) {
	st, err := s.table.Statistics(context.Background())
	if err != nil {
		t.Fatalf("Statistics: %v", err)
	}
	if st.RowCount != -1 && st.RowCount != NumRows {
		t.Errorf("RowCount = %d, want %d or -1", st.RowCount, NumRows)
	}
	if st.Columns != nil && len(st.Columns) != Schema().NumFields() {
		t.Fatalf("len(Columns) = %d, want %d", len(st.Columns), Schema().NumFields())
	}
	nulls := s.nullCounts()
	for i, c := range st.Columns {
		if c.NullCount >= 0 && c.NullCount != nulls[i] {
			t.Errorf("column %d NullCount = %d, want %d", i, c.NullCount, nulls[i])
		}
	}
	if len(st.Columns) > 0 {
		checkIDRange(t, st.Columns[ColID])
	}
}
