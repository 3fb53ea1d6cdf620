package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/compile"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/substrait"
)

// TestExecuteSubstrait runs a Substrait plan given as JSON (what EXPLAIN
// (FORMAT SUBSTRAIT) prints) and as protobuf bytes, as a client would send
// it, and checks that the tables it names are privilege-checked.
func TestExecuteSubstrait(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	db, err := Open(ctx, Config{CatalogPath: filepath.Join(t.TempDir(), "catalog.db"), User: "medley", Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE t (a int, b text)",
		"INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, NULL)",
		"CREATE USER bob",
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s, err := db.Session(ctx, "medley")
	if err != nil {
		t.Fatal(err)
	}
	rdr, err := s.Query(ctx, "EXPLAIN (FORMAT SUBSTRAIT) SELECT b, a * 10 AS a10 FROM t WHERE a >= 2 ORDER BY a")
	if err != nil {
		t.Fatal(err)
	}
	var js strings.Builder
	for rdr.Next() {
		col := rdr.RecordBatch().Column(0)
		for i := 0; i < col.Len(); i++ {
			js.WriteString(col.ValueStr(i))
			js.WriteByte('\n')
		}
	}
	rdr.Release()
	p, err := compile.ReadSubstrait([]byte(js.String()))
	if err != nil {
		t.Fatalf("EXPLAIN's JSON does not load: %v", err)
	}
	bin, err := substrait.ToBinary(p)
	if err != nil {
		t.Fatal(err)
	}
	for name, plan := range map[string][]byte{"json": []byte(js.String()), "protobuf": bin} {
		res, err := s.ExecuteSubstrait(ctx, plan)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []string
		for res.Reader.Next() {
			b := res.Reader.RecordBatch()
			for i := 0; i < int(b.NumRows()); i++ {
				v0, _ := FormatValue(b.Column(0), i)
				v1, _ := FormatValue(b.Column(1), i)
				got = append(got, v0+"|"+v1)
			}
		}
		if err := res.Reader.Err(); err != nil {
			t.Fatal(err)
		}
		res.Reader.Release()
		if strings.Join(got, ",") != "y|20,|30" {
			t.Errorf("%s: got %v", name, got)
		}
	}
	// bob has no SELECT on t: the plan's NamedTable is checked like SQL.
	bs, err := db.Session(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bs.ExecuteSubstrait(ctx, bin); !sqlerr.Is(err, sqlerr.InsufficientPrivilege) {
		t.Errorf("bob: got %v, want 42501", err)
	}
	if _, err := s.ExecuteSubstrait(ctx, []byte("not a plan")); !sqlerr.Is(err, sqlerr.InvalidParameterValue) {
		t.Errorf("garbage: got %v, want 22023", err)
	}
}
