package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	"go.uber.org/zap"
)

// newFile creates a SQLite file in a temporary directory and runs ddl in it.
func newFile(t *testing.T, ddl ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range ddl {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return path
}

// storeStd writes the standard rows into table std of path, dates as ISO
// text and decimals as text.
func storeStd(t *testing.T, path string, data []arrow.RecordBatch) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range data {
		for r := 0; r < int(b.NumRows()); r++ {
			vals := make([]any, b.NumCols())
			for c := range vals {
				col := b.Column(c)
				if col.IsNull(r) {
					continue
				}
				switch a := col.(type) {
				case *array.Date32:
					vals[c] = a.Value(r).ToTime().Format("2006-01-02")
				case *array.Boolean:
					vals[c] = a.Value(r)
				case *array.Decimal128:
					vals[c] = a.ValueStr(r)
				default:
					vals[c] = col.GetOneForMarshal(r)
				}
			}
			if _, err := tx.Exec("INSERT INTO std VALUES (?, ?, ?, ?, ?, ?, ?)", vals...); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

const stdDDL = `CREATE TABLE std (id BIGINT NOT NULL PRIMARY KEY, i32 INT, f64 DOUBLE, s TEXT, d DATE, dec DECIMAL(10,2), b BOOLEAN)`

func TestConformance(t *testing.T) {
	conntest.Run(t, conntest.Harness{
		Connector: connector{},
		Setup: func(t *testing.T, data []arrow.RecordBatch) conntest.Fixture {
			path := newFile(t, stdDDL, "CREATE TABLE other (x INT)")
			storeStd(t, path, data)
			return conntest.Fixture{
				Server: map[string]string{"database": path},
				Table:  map[string]string{"table": "std"},
				Missing: func(d connectors.TableDesc) connectors.TableDesc {
					d.Options = map[string]string{"table": "no_such_table"}
					return d
				},
				Import:           &connectors.ImportRequest{RemoteSchema: "main"},
				ImportName:       "std",
				ImportExactTypes: true,
			}
		},
	})
}

// open connects to a file and returns the Conn, closed at the end of t.
func open(t *testing.T, path string, opts ...string) *Conn {
	t.Helper()
	so := map[string]string{"database": path}
	for i := 0; i+1 < len(opts); i += 2 {
		so[opts[i]] = opts[i+1]
	}
	c, err := connect(context.Background(), connectors.ConnectParams{Server: "s", ServerOptions: so, Logger: zap.NewNop(), Allocator: memory.DefaultAllocator})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readAll scans every column of tbl and renders the rows as text.
func readAll(t *testing.T, tbl connectors.Table, mem memory.Allocator) ([][]string, error) {
	t.Helper()
	cols := make([]int, tbl.Schema().NumFields())
	for i := range cols {
		cols[i] = i
	}
	plan, err := tbl.Scan(context.Background(), connectors.ScanRequest{Columns: cols, Limit: -1, MaxPartitions: 1})
	if err != nil {
		return nil, err
	}
	var out [][]string
	for _, p := range plan.Partitions {
		rdr, err := p.Open(context.Background(), mem)
		if err != nil {
			return nil, err
		}
		for rdr.Next() {
			b := rdr.RecordBatch()
			for r := 0; r < int(b.NumRows()); r++ {
				row := make([]string, b.NumCols())
				for c := range row {
					if b.Column(c).IsNull(r) {
						row[c] = "NULL"
					} else {
						row[c] = b.Column(c).ValueStr(r)
					}
				}
				out = append(out, row)
			}
		}
		err = rdr.Err()
		rdr.Release()
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

func desc(name string, cols ...connectors.ColumnDesc) connectors.TableDesc {
	return connectors.TableDesc{Name: []string{"public", name}, Options: map[string]string{"table": name}, Columns: cols}
}

func col(name string, t arrow.DataType) connectors.ColumnDesc {
	return connectors.ColumnDesc{Name: name, Type: t, Nullable: true}
}

var _ = time.Second
