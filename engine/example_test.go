package engine_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/engine"
)

// printRows prints every row of a result as PostgreSQL's text, its values
// separated by " | ".
func printRows(rdr array.RecordReader) {
	for rdr.Next() {
		b := rdr.RecordBatch()
		for r := 0; r < int(b.NumRows()); r++ {
			vals := make([]string, b.NumCols())
			for c := range vals {
				v, null := engine.FormatValue(b.Column(c), r)
				if null {
					v = "NULL"
				}
				vals[c] = v
			}
			fmt.Println(strings.Join(vals, " | "))
		}
	}
	if err := rdr.Err(); err != nil {
		log.Fatal(err)
	}
}

// A memory table, filled and queried with a parameter.
func Example() {
	ctx := context.Background()
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", User: "demo"})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	for _, stmt := range []string{
		"CREATE TABLE fruit (name text, price numeric(6,2))",
		"INSERT INTO fruit VALUES ('apple', 1.20), ('pear', 2.05), ('fig', 3.50)",
	} {
		res, err := db.Exec(ctx, stmt)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Tag)
	}
	rdr, err := db.Query(ctx, "SELECT name, price FROM fruit WHERE price > $1 ORDER BY price DESC", 2)
	if err != nil {
		log.Fatal(err)
	}
	defer rdr.Release()
	printRows(rdr)
	// Output:
	// CREATE TABLE
	// INSERT 0 3
	// fig | 3.50
	// pear | 2.05
}

// A session runs statements as one user, with its own settings.
func ExampleDB_Session() {
	ctx := context.Background()
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", User: "demo"})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	s, err := db.Session(ctx, "demo")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := s.Exec(ctx, "SET threads = 2"); err != nil {
		log.Fatal(err)
	}
	rdr, err := s.Query(ctx, "SHOW threads")
	if err != nil {
		log.Fatal(err)
	}
	defer rdr.Release()
	printRows(rdr)
	// Output:
	// 2
}

// numbers is a tiny Go connector: every foreign table of it holds the
// integers 1..n, n being the table option "n".
type numbers struct{}

func (numbers) Spec() connectors.Spec {
	return connectors.Spec{
		Doc:           "The integers 1..n.",
		NoUserMapping: true,
		Options:       []connectors.Option{{Name: "n", Object: connectors.ObjTable, Required: true, Doc: "how many"}},
	}
}

func (numbers) Connect(context.Context, connectors.ConnectParams) (connectors.Conn, error) {
	return numbersConn{}, nil
}

type numbersConn struct{}

func (numbersConn) Close() error { return nil }

func (numbersConn) Table(_ context.Context, d connectors.TableDesc) (connectors.Table, error) {
	var n int64
	if _, err := fmt.Sscan(d.Options["n"], &n); err != nil {
		return nil, fmt.Errorf("option n: %w", err)
	}
	return numbersTable{n: n, schema: d.Schema()}, nil
}

type numbersTable struct {
	n      int64
	schema *arrow.Schema
}

func (t numbersTable) Schema() *arrow.Schema { return t.schema }

func (t numbersTable) Statistics(context.Context) (connectors.Statistics, error) {
	return connectors.Statistics{RowCount: t.n}, nil
}

func (t numbersTable) Scan(_ context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	fields := make([]arrow.Field, len(req.Columns))
	for i, c := range req.Columns {
		fields[i] = t.schema.Field(c)
	}
	return &connectors.ScanPlan{
		Schema:        arrow.NewSchema(fields, nil),
		FilterSupport: make([]connectors.FilterSupport, len(req.Filters)), // all Unsupported: the engine filters
		Partitions:    []connectors.Partition{numbersPart{t: t, schema: arrow.NewSchema(fields, nil)}},
	}, nil
}

type numbersPart struct {
	t      numbersTable
	schema *arrow.Schema
}

// Open returns one batch; each requested column (all are bigint) holds 1..n.
func (p numbersPart) Open(_ context.Context, mem memory.Allocator) (array.RecordReader, error) {
	cols := make([]arrow.Array, p.schema.NumFields())
	for i := range cols {
		b := array.NewInt64Builder(mem)
		for v := int64(1); v <= p.t.n; v++ {
			b.Append(v)
		}
		cols[i] = b.NewArray()
		b.Release()
		defer cols[i].Release()
	}
	rec := array.NewRecordBatch(p.schema, cols, p.t.n)
	defer rec.Release()
	return array.NewRecordReader(p.schema, []arrow.RecordBatch{rec})
}

// A Go program registers its own foreign-data wrapper, then uses it in SQL.
func ExampleDB_RegisterConnector() {
	ctx := context.Background()
	db, err := engine.Open(ctx, engine.Config{CatalogPath: ":memory:", User: "demo"})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.RegisterConnector(ctx, "numbers", numbers{}); err != nil {
		log.Fatal(err)
	}
	for _, stmt := range []string{
		"CREATE SERVER gen FOREIGN DATA WRAPPER numbers",
		"CREATE FOREIGN TABLE ten (i bigint) SERVER gen OPTIONS (n '10')",
	} {
		if _, err := db.Exec(ctx, stmt); err != nil {
			log.Fatal(err)
		}
	}
	rdr, err := db.Query(ctx, "SELECT count(*), sum(i) FROM ten WHERE i % 2 = 0")
	if err != nil {
		log.Fatal(err)
	}
	defer rdr.Release()
	printRows(rdr)
	// Output:
	// 5 | 30
}
