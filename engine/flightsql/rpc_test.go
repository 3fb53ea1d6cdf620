package flightsql

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
)

func TestMetadata(t *testing.T) {
	f := newFixture(t, nil)
	dir := t.TempDir()
	csv := filepath.Join(dir, "people.csv")
	if err := os.WriteFile(csv, []byte("id,name\n1,ann\n2,bo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.exec("CREATE SCHEMA sales", "CREATE TABLE sales.orders (id bigint NOT NULL, total numeric(10,2), note text)",
		"CREATE SERVER files FOREIGN DATA WRAPPER csv",
		"CREATE FOREIGN TABLE people (id integer, name text) SERVER files OPTIONS (filename '"+csv+"', header 'true')")
	cl, ctx := f.admin()

	info, err := cl.GetCatalogs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rows, _, _ := readAll(t, ctx, cl, info); strings.Join(rows, ",") != "medley" {
		t.Errorf("catalogs %q", rows)
	}
	pat := "sal%"
	info, err = cl.GetDBSchemas(ctx, &flightsql.GetDBSchemasOpts{DbSchemaFilterPattern: &pat})
	if err != nil {
		t.Fatal(err)
	}
	if rows, _, _ := readAll(t, ctx, cl, info); strings.Join(rows, ",") != "medley|sales" {
		t.Errorf("schemas %q", rows)
	}

	// GetTables agrees with information_schema.tables.
	info, err = cl.GetTables(ctx, &flightsql.GetTablesOpts{IncludeSchema: true})
	if err != nil {
		t.Fatal(err)
	}
	rdr, err := cl.DoGet(ctx, info.Endpoint[0].Ticket)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	schemas := map[string]*arrow.Schema{}
	for rdr.Next() {
		b := rdr.RecordBatch()
		for i := 0; i < int(b.NumRows()); i++ {
			key := b.Column(1).ValueStr(i) + "." + b.Column(2).ValueStr(i)
			got = append(got, key+"|"+b.Column(3).ValueStr(i))
			sc, err := flight.DeserializeSchema(b.Column(4).(*array.Binary).Value(i), f.mem)
			if err != nil {
				t.Fatal(err)
			}
			schemas[key] = sc
		}
	}
	rdr.Release()
	want := queryRows(t, ctx, cl, "SELECT table_schema || '.' || table_name || '|' || table_type FROM information_schema.tables")
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") || len(got) != 2 {
		t.Errorf("GetTables %q, information_schema %q", got, want)
	}
	o := schemas["sales.orders"]
	if o == nil || o.NumFields() != 3 || o.Field(0).Nullable || o.Field(1).Type.String() != "decimal(10, 2)" || o.Field(2).Type.ID() != arrow.STRING {
		t.Errorf("sales.orders schema %v", o)
	}
	typ := "FOREIGN"
	info, err = cl.GetTables(ctx, &flightsql.GetTablesOpts{TableTypes: []string{typ}})
	if err != nil {
		t.Fatal(err)
	}
	if rows, _, _ := readAll(t, ctx, cl, info); strings.Join(rows, ",") != "medley|public|people|FOREIGN" {
		t.Errorf("foreign tables %q", rows)
	}
	if rows := queryRows(t, ctx, cl, "SELECT name FROM people ORDER BY id"); strings.Join(rows, ",") != "ann,bo" {
		t.Errorf("csv rows %q", rows)
	}

	info, err = cl.GetTableTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rows, _, _ := readAll(t, ctx, cl, info); strings.Join(rows, ",") != "BASE TABLE,FOREIGN" {
		t.Errorf("table types %q", rows)
	}
	for name, get := range map[string]func() (*flight.FlightInfo, error){
		"primary": func() (*flight.FlightInfo, error) { return cl.GetPrimaryKeys(ctx, flightsql.TableRef{Table: "people"}) },
		"imported": func() (*flight.FlightInfo, error) {
			return cl.GetImportedKeys(ctx, flightsql.TableRef{Table: "people"})
		},
		"exported": func() (*flight.FlightInfo, error) {
			return cl.GetExportedKeys(ctx, flightsql.TableRef{Table: "people"})
		},
		"xdbc": func() (*flight.FlightInfo, error) { return cl.GetXdbcTypeInfo(ctx, nil) },
	} {
		info, err := get()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rows, _, sc := readAll(t, ctx, cl, info)
		if (name == "xdbc") != (len(rows) > 0) || sc.NumFields() < 6 {
			t.Errorf("%s: %d rows, schema %v", name, len(rows), sc)
		}
	}

	info, err = cl.GetSqlInfo(ctx, []flightsql.SqlInfo{flightsql.SqlInfoFlightSqlServerName, flightsql.SqlInfoIdentifierQuoteChar,
		flightsql.SqlInfoTransactionsSupported})
	if err != nil {
		t.Fatal(err)
	}
	rows, _, _ := readAll(t, ctx, cl, info)
	if len(rows) != 3 || !strings.Contains(rows[0], "Medley") || !strings.Contains(rows[1], `"`) || !strings.Contains(rows[2], "false") {
		t.Errorf("sql info %q", rows)
	}
}

func TestIngest(t *testing.T) {
	f := newFixture(t, nil)
	cl, ctx := f.admin()
	sch := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	batch := func(ids ...int64) arrow.RecordBatch {
		b := array.NewRecordBuilder(f.mem, sch)
		defer b.Release()
		for _, id := range ids {
			b.Field(0).(*array.Int64Builder).Append(id)
			b.Field(1).(*array.StringBuilder).Append("n")
		}
		return b.NewRecordBatch()
	}
	ingest := func(opts *flightsql.TableDefinitionOptions, recs ...arrow.RecordBatch) (int64, error) {
		rdr, err := array.NewRecordReader(sch, recs)
		if err != nil {
			t.Fatal(err)
		}
		defer rdr.Release()
		for _, r := range recs {
			r.Release()
		}
		return cl.ExecuteIngest(ctx, rdr, &flightsql.ExecuteIngestOpts{Table: "loaded", TableDefinitionOptions: opts})
	}
	create := &flightsql.TableDefinitionOptions{IfNotExist: flightsql.TableDefinitionOptionsTableNotExistOptionCreate,
		IfExists: flightsql.TableDefinitionOptionsTableExistsOptionFail}
	n, err := ingest(create, batch(1, 2, 3), batch(4, 5))
	if err != nil || n != 5 {
		t.Fatalf("create: %d %v", n, err)
	}
	if _, err := ingest(create, batch(6)); err == nil {
		t.Error("create of an existing table succeeded")
	}
	appendOpts := &flightsql.TableDefinitionOptions{IfNotExist: flightsql.TableDefinitionOptionsTableNotExistOptionFail,
		IfExists: flightsql.TableDefinitionOptionsTableExistsOptionAppend}
	if n, err := ingest(appendOpts, batch(6, 7)); err != nil || n != 2 {
		t.Fatalf("append: %d %v", n, err)
	}
	if rows := queryRows(t, ctx, cl, "SELECT count(*), sum(id) FROM loaded"); rows[0] != "7|28" {
		t.Errorf("after ingest %q", rows)
	}
	replace := &flightsql.TableDefinitionOptions{IfNotExist: flightsql.TableDefinitionOptionsTableNotExistOptionCreate,
		IfExists: flightsql.TableDefinitionOptionsTableExistsOptionReplace}
	if n, err := ingest(replace, batch(9)); err != nil || n != 1 {
		t.Fatalf("replace: %d %v", n, err)
	}
	if rows := queryRows(t, ctx, cl, "SELECT count(*) FROM loaded"); rows[0] != "1" {
		t.Errorf("after replace %q", rows)
	}
}

func TestSessionOptions(t *testing.T) {
	f := newFixture(t, nil)
	f.exec("CREATE SCHEMA s2", "CREATE TABLE s2.only_here (a integer)", "INSERT INTO s2.only_here VALUES (7)")
	cl, ctx := f.admin()
	opts, err := flight.NewSessionOptionValues(map[string]any{"search_path": "s2", "threads": int64(1), "bogus": "x"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := cl.SetSessionOptions(ctx, &flight.SetSessionOptionsRequest{SessionOptions: opts})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors["bogus"] == nil {
		t.Errorf("errors %v", res.Errors)
	}
	if rows := queryRows(t, ctx, cl, "SELECT a FROM only_here"); strings.Join(rows, ",") != "7" {
		t.Errorf("search_path not applied: %q", rows)
	}
	got, err := cl.GetSessionOptions(ctx, &flight.GetSessionOptionsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if got.SessionOptions["threads"].GetStringValue() != "1" || got.SessionOptions["search_path"].GetStringValue() != "s2" {
		t.Errorf("session options %v", got.SessionOptions)
	}
	// Another login has its own session.
	cl2, ctx2 := f.admin()
	if _, err := cl2.Execute(ctx2, "SELECT a FROM only_here"); err == nil {
		t.Error("search_path leaked into another session")
	}
}

// bigQuery is a cross join far larger than gRPC's buffers.
func bigSetup(f *fixture) string {
	f.exec("CREATE TABLE d (x bigint)", "INSERT INTO d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)")
	return "SELECT a.x, b.x, c.x, e.x, g.x, h.x, i.x FROM d a, d b, d c, d e, d g, d h, d i"
}

func TestCancel(t *testing.T) {
	f := newFixture(t, nil)
	q := bigSetup(f)
	done := make(chan error, 4)
	f.srv.onQueryDone = func(_ string, err error) { done <- err }
	cl, ctx := f.admin()
	info, err := cl.Execute(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	rdr, err := cl.DoGet(ctx, info.Endpoint[0].Ticket)
	if err != nil {
		t.Fatal(err)
	}
	if !rdr.Next() {
		t.Fatal(rdr.Err())
	}
	res, err := cl.CancelFlightInfo(ctx, &flight.CancelFlightInfoRequest{Info: info})
	if err != nil || res.Status != flight.CancelStatusCancelled {
		t.Fatalf("cancel: %v %v", res, err)
	}
	rows := int64(0)
	for rdr.Next() {
		rows += rdr.RecordBatch().NumRows()
	}
	code, msg := codeOf(rdr.Err())
	rdr.Release()
	if code != "Canceled" || !strings.HasPrefix(msg, "57014") || rows >= 10_000_000 {
		t.Errorf("after cancel: %s %q, %d rows", code, msg, rows)
	}
	if err := <-done; err == nil {
		t.Error("the server saw no error")
	}

	// A client that goes away cancels its statement.
	info, err = cl.Execute(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithCancel(ctx)
	rdr2, err := cl.DoGet(dctx, info.Endpoint[0].Ticket)
	if err != nil {
		t.Fatal(err)
	}
	if !rdr2.Next() {
		t.Fatal(rdr2.Err())
	}
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("disconnect: the statement ended without error")
		}
	case <-time.After(time.Minute):
		t.Fatal("disconnect did not stop the statement")
	}
	rdr2.Release()

	// A ticket cancelled before it is read answers 57014.
	info, err = cl.Execute(ctx, "SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.CancelFlightInfo(ctx, &flight.CancelFlightInfoRequest{Info: info}); err != nil {
		t.Fatal(err)
	}
	r3, err := cl.DoGet(ctx, info.Endpoint[0].Ticket)
	if err == nil {
		for r3.Next() {
		}
		err = r3.Err()
		r3.Release()
	}
	if code, _ := codeOf(err); code != "InvalidArgument" && code != "Canceled" {
		t.Errorf("cancelled ticket: %v", err)
	}
}
