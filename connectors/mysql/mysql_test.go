package mysql

import (
	"context"
	"database/sql"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
	"github.com/medleysql/medley/connectors/testsrv"
	"go.uber.org/zap"
)

func TestMain(m *testing.M) { testsrv.Main(m) }

const stdDDL = "CREATE TABLE std (id bigint NOT NULL PRIMARY KEY, i32 int, f64 double, s varchar(100), d date, `dec` decimal(10,2), b tinyint(1))"

// storeStd inserts the standard rows into std of database db.
func storeStd(t *testing.T, m *testsrv.Maria, db string, data []arrow.RecordBatch) {
	t.Helper()
	h, err := sql.Open("mysql", m.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, vals := range sqlconntest.StdValues(data) {
		if _, err := h.Exec("INSERT INTO std VALUES (?, ?, ?, ?, ?, ?, ?)", vals...); err != nil {
			t.Fatal(err)
		}
	}
}

func serverOptions(m *testsrv.Maria) map[string]string {
	return map[string]string{"host": m.Host, "port": strconv.Itoa(m.Port)}
}

func userOptions(m *testsrv.Maria) map[string]string {
	return map[string]string{"username": m.User, "password": m.Password}
}

func TestConformance(t *testing.T) {
	conntest.Run(t, conntest.Harness{
		Connector: connector{},
		Setup: func(t *testing.T, data []arrow.RecordBatch) conntest.Fixture {
			m := testsrv.MariaDB(t)
			db := m.NewDatabase(t)
			m.Exec(t, db, stdDDL+"; CREATE TABLE other (x int)")
			storeStd(t, m, db, data)
			return conntest.Fixture{
				Server: serverOptions(m),
				User:   userOptions(m),
				Table:  map[string]string{"dbname": db, "table_name": "std"},
				Missing: func(d connectors.TableDesc) connectors.TableDesc {
					d.Options = map[string]string{"dbname": db, "table_name": "no_such_table"}
					return d
				},
				Import:           &connectors.ImportRequest{RemoteSchema: db},
				ImportName:       "std",
				ImportExactTypes: true,
			}
		},
	})
}

// connectTo connects to database server m; closed at the end of t.
func connectTo(t *testing.T, m *testsrv.Maria) *Conn {
	t.Helper()
	c, err := connect(context.Background(), connectors.ConnectParams{Server: "maria", ServerOptions: serverOptions(m),
		UserOptions: userOptions(m), Logger: zap.NewNop(), Allocator: memory.DefaultAllocator})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
