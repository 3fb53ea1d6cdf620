package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/sql/sqlerr"
)

const typesDDL = `CREATE TABLE "All Types" (
	id int4 NOT NULL, bo bool, i2 int2, i8 int8, f4 float4, f8 float8,
	n numeric(38,0), n2 numeric(10,2), nu numeric, t text, vc varchar(10), ch char(3), by bytea,
	d date, tm time, ts timestamp, tz timestamptz, iv interval, u uuid, j json, jb jsonb, ar int4[]);
INSERT INTO "All Types" VALUES
	(1, true, -32768, 9223372036854775807, 1.5, -2.25e300, 99999999999999999999999999999999999999, -12345678.91,
	 3.14159265358979323846, 'it''s', 'vc', 'ab', '\x00ff', '2024-02-29', '23:59:59.999999',
	 '1999-12-31 23:59:59.5', '2024-01-01 12:00:00+02', '1 mon 2 days 00:00:03', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
	 '{"a": 1}', '{"b": [1, 2]}', '{1,2,NULL}'),
	(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`

// readAll scans every column of tbl and renders the rows.
func readAll(t *testing.T, tbl connectors.Table, mem memory.Allocator) ([]string, error) {
	t.Helper()
	cols := make([]int, tbl.Schema().NumFields())
	for i := range cols {
		cols[i] = i
	}
	plan, err := tbl.Scan(context.Background(), connectors.ScanRequest{Columns: cols, Limit: -1, MaxPartitions: 1,
		Order: []connectors.SortKey{{Column: 0}}})
	if err != nil {
		return nil, err
	}
	rdr, err := plan.Partitions[0].Open(context.Background(), mem)
	if err != nil {
		return nil, err
	}
	defer rdr.Release()
	var out []string
	for rdr.Next() {
		b := rdr.RecordBatch()
		for r := 0; r < int(b.NumRows()); r++ {
			var parts []string
			for c := 0; c < int(b.NumCols()); c++ {
				parts = append(parts, b.Schema().Field(c).Name+"="+b.Column(c).ValueStr(r))
			}
			out = append(out, strings.Join(parts, " "))
		}
	}
	return out, rdr.Err()
}

func TestTypes(t *testing.T) {
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	pg.Exec(t, db, typesDDL)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	c := connectTo(t, pg, db, mem)
	defs, err := c.ImportSchema(context.Background(), connectors.ImportRequest{RemoteSchema: "public", LimitTo: []string{"All Types"}})
	if err != nil || len(defs) != 1 {
		t.Fatalf("import: %v, %d tables", err, len(defs))
	}
	var types []string
	for _, col := range defs[0].Columns {
		types = append(types, col.Name+":"+col.Type.String())
	}
	wantTypes := "id:int32 bo:bool i2:int16 i8:int64 f4:float32 f8:float64 n:decimal(38, 0) n2:decimal(10, 2) nu:utf8 t:utf8 vc:utf8 ch:utf8 by:binary d:date32 tm:time64[us] ts:timestamp[us] tz:timestamp[us, tz=UTC] iv:month_day_nano_interval u:utf8 j:utf8 jb:utf8 ar:utf8"
	if got := strings.Join(types, " "); got != wantTypes {
		t.Errorf("imported types\n got %s\nwant %s", got, wantTypes)
	}
	tbl, err := c.Table(context.Background(), connectors.TableDesc{Name: []string{"x", "all_types"}, Options: defs[0].Options, Columns: defs[0].Columns})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(t, tbl, mem)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`id=1 bo=true i2=-32768 i8=9223372036854775807 f4=1.5 f8=-2.25e+300 n=99999999999999999999999999999999999999 n2=-12345678.91 nu=3.14159265358979323846 t=it's vc=vc ch=ab  by=AP8= d=2024-02-29 tm=23:59:59.999999 ts=1999-12-31T23:59:59.5 tz=2024-01-01T10:00:00Z iv={"months":1,"days":2,"nanoseconds":3000000000} u=a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 j={"a": 1} jb={"b": [1, 2]} ar={1,2,NULL}`,
		`id=2 bo=(null) i2=(null) i8=(null) f4=(null) f8=(null) n=(null) n2=(null) nu=(null) t=(null) vc=(null) ch=(null) by=(null) d=(null) tm=(null) ts=(null) tz=(null) iv=(null) u=(null) j=(null) jb=(null) ar=(null)`,
	}
	if len(rows) != 2 {
		t.Fatalf("got %d rows: %q", len(rows), rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d\n got %s\nwant %s", i+1, rows[i], want[i])
		}
	}
}

func TestDecimalLimits(t *testing.T) {
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	pg.Exec(t, db, `CREATE TABLE n (id int4, v numeric); INSERT INTO n VALUES (1, 1.25)`)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	c := connectTo(t, pg, db, mem)
	for _, tc := range []struct {
		typ  arrow.DataType
		want string
	}{
		{&arrow.Decimal128Type{Precision: 5, Scale: 3}, "id=1 v=1.25"},
		{&arrow.Decimal128Type{Precision: 5, Scale: 1}, "22003"}, // more fractional digits
		{&arrow.Decimal128Type{Precision: 2, Scale: 2}, "22003"}, // overflows the precision
		{arrow.PrimitiveTypes.Float64, "HV004"},                  // no silent rounding
		{arrow.BinaryTypes.String, "id=1 v=1.25"},
	} {
		tbl, err := c.Table(context.Background(), connectors.TableDesc{Name: []string{"n"}, Options: map[string]string{"table_name": "n"},
			Columns: []connectors.ColumnDesc{{Name: "id", Type: arrow.PrimitiveTypes.Int32}, {Name: "v", Type: tc.typ}}})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := readAll(t, tbl, mem)
		got := strings.Join(rows, ";")
		if err != nil {
			got = string(sqlerr.CodeOf(err))
			if !strings.Contains(err.Error(), "column v") {
				t.Errorf("%s: error does not name the column: %v", tc.typ, err)
			}
		}
		if got != tc.want {
			t.Errorf("%s: got %s (%v), want %s", tc.typ, got, err, tc.want)
		}
	}
}

func TestInsertAtomic(t *testing.T) {
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	pg.Exec(t, db, `CREATE TABLE w (id int8 CHECK (id <> 4), "Name" text, dec numeric(6,2), d date)`)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	c := connectTo(t, pg, db, mem)
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}, {Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "dec", Type: &arrow.Decimal128Type{Precision: 6, Scale: 2}, Nullable: true}, {Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true}}, nil)
	desc := connectors.TableDesc{Name: []string{"w"}, Options: map[string]string{"table_name": "w"}}
	for _, f := range schema.Fields() {
		cd := connectors.ColumnDesc{Name: f.Name, Type: f.Type, Nullable: f.Nullable}
		if f.Name == "name" {
			cd.Options = map[string]string{"column_name": "Name"}
		}
		desc.Columns = append(desc.Columns, cd)
	}
	build := func(ids ...int64) array.RecordReader {
		b := array.NewRecordBuilder(mem, schema)
		defer b.Release()
		for _, id := range ids {
			b.Field(0).(*array.Int64Builder).Append(id)
			b.Field(1).(*array.StringBuilder).Append(`it's "x" \ ` + itoa(id))
			b.Field(2).AppendNull()
			b.Field(3).(*array.Date32Builder).Append(arrow.Date32(19000 + id))
		}
		rec := b.NewRecordBatch()
		defer rec.Release()
		r, err := array.NewRecordReader(schema, []arrow.RecordBatch{rec})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, batch := range []string{"1", "2", "copy"} {
		// batch_size applies to parameterised INSERTs (use_copy 'false');
		// COPY names the exact row.
		desc.Options["batch_size"], desc.Options["use_copy"] = batch, "false"
		if batch == "copy" {
			desc.Options["batch_size"], desc.Options["use_copy"] = "1", "true"
		}
		tbl, err := c.Table(context.Background(), desc)
		if err != nil {
			t.Fatal(err)
		}
		r := build(1, 2, 3, 4, 5)
		_, err = tbl.(connectors.Inserter).Insert(context.Background(), r)
		r.Release()
		want := map[string]string{"1": "row 4", "2": "rows 3 to 4", "copy": "row 4"}[batch]
		if err == nil || !strings.Contains(err.Error(), want) || sqlerr.CodeOf(err) != "23514" {
			t.Errorf("batch_size %s: failing insert: %v (want %s, 23514)", batch, err, want)
		}
		if rows, err := readAll(t, tbl, mem); err != nil || len(rows) != 0 {
			t.Errorf("batch_size %s: after a failed insert: %q, %v", batch, rows, err)
		}
	}
	delete(desc.Options, "use_copy")
	tbl, _ := c.Table(context.Background(), desc)
	r := build(1, 2, 3)
	n, err := tbl.(connectors.Inserter).Insert(context.Background(), r)
	r.Release()
	if err != nil || n != 3 {
		t.Fatalf("insert: %d, %v", n, err)
	}
	rows, err := readAll(t, tbl, mem)
	if err != nil || len(rows) != 3 || rows[2] != `id=3 name=it's "x" \ 3 dec=(null) d=2022-01-11` {
		t.Errorf("after insert: %q, %v", rows, err)
	}
}
