package conntest

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
)

func findDef(defs []connectors.TableDef, name string) (connectors.TableDef, bool) {
	for _, d := range defs {
		if d.Name == name {
			return d, true
		}
	}
	return connectors.TableDef{}, false
}

func (s *suite) testImport(t *testing.T) {
	if s.f.Import == nil {
		t.Skip("the harness defines no import")
	}
	imp, ok := s.conn.(connectors.SchemaImporter)
	if !ok {
		t.Fatal("Fixture.Import is set but the Conn is not a SchemaImporter")
	}
	ctx := context.Background()
	defs, err := imp.ImportSchema(ctx, *s.f.Import)
	if err != nil {
		t.Fatalf("ImportSchema: %v", err)
	}
	def, ok := findDef(defs, s.f.ImportName)
	if !ok {
		t.Fatalf("ImportSchema did not find %q among %d tables", s.f.ImportName, len(defs))
	}
	want := Schema()
	if len(def.Columns) != want.NumFields() {
		t.Fatalf("imported %d columns, want %d: %+v", len(def.Columns), want.NumFields(), def.Columns)
	}
	for i, c := range def.Columns {
		if c.Name != want.Field(i).Name {
			t.Errorf("imported column %d is %q, want %q", i, c.Name, want.Field(i).Name)
		}
		if s.f.ImportExactTypes && !arrow.TypeEqual(c.Type, want.Field(i).Type) {
			t.Errorf("imported column %s has type %s, want %s", c.Name, c.Type, want.Field(i).Type)
		}
	}
	t.Run("LimitTo", func(t *testing.T) {
		req := *s.f.Import
		req.LimitTo = []string{s.f.ImportName}
		defs, err := imp.ImportSchema(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(defs) != 1 || defs[0].Name != s.f.ImportName {
			t.Errorf("LIMIT TO %s gave %d tables", s.f.ImportName, len(defs))
		}
	})
	t.Run("Except", func(t *testing.T) {
		req := *s.f.Import
		req.Except = []string{s.f.ImportName}
		defs, err := imp.ImportSchema(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if _, found := findDef(defs, s.f.ImportName); found {
			t.Errorf("EXCEPT %s still imports it", s.f.ImportName)
		}
	})
	t.Run("Scan", func(t *testing.T) { s.scanImported(t, def) })
}

// scanImported scans the imported table and checks its rows.
func (s *suite) scanImported(t *testing.T, def connectors.TableDef) {
	ctx := context.Background()
	tbl, err := s.conn.Table(ctx, connectors.TableDesc{Name: TableName, Options: def.Options, Columns: def.Columns})
	if err != nil {
		t.Fatalf("Table of the imported definition: %v", err)
	}
	saved := s.table
	s.table = tbl
	defer func() { s.table = saved }()
	cols := make([]int, len(def.Columns))
	for i := range cols {
		cols[i] = i
	}
	if s.f.ImportExactTypes {
		res := s.scan(t, connectors.ScanRequest{Columns: cols, Limit: -1, MaxPartitions: 2})
		s.expectRows(t, res.rows, allIDs())
		return
	}
	res := s.scanCount(t, tbl)
	if res != NumRows {
		t.Errorf("imported table has %d rows, want %d", res, NumRows)
	}
}

// scanCount counts the rows of a table of any schema.
func (s *suite) scanCount(t *testing.T, tbl connectors.Table) int64 {
	t.Helper()
	cols := make([]int, tbl.Schema().NumFields())
	for i := range cols {
		cols[i] = i
	}
	var n int64
	plan, err := tbl.Scan(context.Background(), connectors.ScanRequest{Columns: cols, Limit: -1, MaxPartitions: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plan.Partitions {
		err := readPartition(context.Background(), p, s.memFor(t), plan.Schema, func(b arrowBatch) error {
			n += b.NumRows()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return n
}
