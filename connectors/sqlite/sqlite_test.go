package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
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
	for _, vals := range sqlconntest.StdValues(data) {
		if _, err := tx.Exec("INSERT INTO std VALUES (?, ?, ?, ?, ?, ?, ?)", vals...); err != nil {
			t.Fatal(err)
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

func desc(name string, cols ...connectors.ColumnDesc) connectors.TableDesc {
	return connectors.TableDesc{Name: []string{"public", name}, Options: map[string]string{"table": name}, Columns: cols}
}

func col(name string, t arrow.DataType) connectors.ColumnDesc {
	return connectors.ColumnDesc{Name: name, Type: t, Nullable: true}
}
