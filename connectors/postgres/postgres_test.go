package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
	"github.com/medleysql/medley/connectors/testsrv"
	"github.com/medleysql/medley/sql/sqlerr"
)

func TestMain(m *testing.M) { testsrv.Main(m) }

// fixture returns server and user options for database db.
func fixture(pg *testsrv.PG, db string) (server, user map[string]string) {
	return map[string]string{"host": pg.Host, "port": strconv.Itoa(pg.Port), "dbname": db, "sslmode": "disable", "fetch_size": "64"},
		map[string]string{"user": pg.User, "password": pg.Password}
}

// loadStd creates the standard table in db.
func loadStd(t *testing.T, pg *testsrv.PG, db string) {
	pg.Exec(t, db, `CREATE TABLE std (id bigint NOT NULL, i32 integer, f64 double precision, s text,
		d date, dec numeric(10,2), b boolean)`)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, pg.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var rows [][]any
	for _, r := range conntest.Rows() {
		row := []any{r.ID, r.I32, r.F64, r.S, nil, nil, r.B}
		if r.D != nil {
			row[4] = arrow.Date32(*r.D).FormattedString()
		}
		if r.Dec != nil {
			row[5] = fmt.Sprintf("%.2f", float64(*r.Dec)/100)
		}
		rows = append(rows, row)
	}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"std"}, []string{"id", "i32", "f64", "s", "d", "dec", "b"}, textRows(rows)); err != nil {
		t.Fatal(err)
	}
}

// textRows sends dates and decimals as text through INSERT-compatible
// values.
func textRows(rows [][]any) pgx.CopyFromSource { return pgx.CopyFromRows(rows) }

func TestConformance(t *testing.T) {
	pg := testsrv.Postgres(t)
	conntest.Run(t, conntest.Harness{
		Connector: connector{},
		Setup: func(t *testing.T, data []arrow.RecordBatch) conntest.Fixture {
			db := pg.NewDatabase(t)
			loadStd(t, pg, db)
			server, user := fixture(pg, db)
			return conntest.Fixture{
				Server: server, User: user,
				Table: map[string]string{"schema_name": "public", "table_name": "std"},
				Missing: func(d connectors.TableDesc) connectors.TableDesc {
					d.Options = map[string]string{"schema_name": "public", "table_name": "no_such_table"}
					return d
				},
				Import:           &connectors.ImportRequest{RemoteSchema: "public"},
				ImportName:       "std",
				ImportExactTypes: true,
			}
		},
	})
}

// connectTo connects to db as the superuser.
func connectTo(t *testing.T, pg *testsrv.PG, db string, mem memory.Allocator) *Conn {
	t.Helper()
	server, user := fixture(pg, db)
	c, err := connect(context.Background(), connectors.ConnectParams{Server: "pgtest", ServerOptions: server,
		UserOptions: user, User: "tester", Logger: zap.NewNop(), Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestWrongPassword(t *testing.T) {
	pg := testsrv.Postgres(t)
	server, _ := fixture(pg, "postgres")
	const secret = "s3cr3t-Wrong-Pa55"
	_, err := connector{}.Connect(context.Background(), connectors.ConnectParams{Server: "remote_pg", ServerOptions: server,
		UserOptions: map[string]string{"user": pg.User, "password": secret}, Logger: zap.NewNop()})
	if err == nil {
		t.Fatal("connected with a wrong password")
	}
	if strings.Contains(err.Error(), secret) || strings.Contains(fmt.Sprintf("%#v", err), secret) {
		t.Errorf("error reveals the password: %v", err)
	}
	if !strings.Contains(err.Error(), `"remote_pg"`) {
		t.Errorf("error does not name the server: %v", err)
	}
	if code := string(sqlerrCode(err)); code != "HV00N" {
		t.Errorf("SQLSTATE %s, want HV00N: %v", code, err)
	}
}

func sqlerrCode(err error) string { return string(sqlerr.CodeOf(err)) }
