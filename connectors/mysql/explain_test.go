package mysql

import (
	"context"
	"strings"
	"testing"

	"github.com/medleysql/medley/connectors/conntest"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
	"github.com/medleysql/medley/connectors/testsrv"
)

// TestRemoteSQL pins the remote SQL of every conformance filter, of
// orderings and limits, as postgres_fdw's tests pin "Remote SQL".
func TestRemoteSQL(t *testing.T) {
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	m.Exec(t, db, stdDDL)
	c := connectTo(t, m)
	d := conntest.Fixture{Table: map[string]string{"dbname": db, "table_name": "std"}}.Desc()
	tbl, err := c.Table(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	sqlconntest.Golden(t, "remote_sql.golden", strings.ReplaceAll(sqlconntest.RemoteSQL(t, tbl), db, "DB"))
}
