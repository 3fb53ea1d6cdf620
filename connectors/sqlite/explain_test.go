package sqlite

import (
	"context"
	"testing"

	"github.com/medleysql/medley/connectors/conntest"
	"github.com/medleysql/medley/connectors/internal/sqlconn/sqlconntest"
)

// TestRemoteSQL pins the remote SQL of every conformance filter, of
// orderings and limits, as postgres_fdw's tests pin "Remote SQL".
func TestRemoteSQL(t *testing.T) {
	path := newFile(t, stdDDL)
	c := open(t, path)
	d := conntest.Fixture{Table: map[string]string{"table": "std"}}.Desc()
	tbl, err := c.Table(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	sqlconntest.Golden(t, "remote_sql.golden", sqlconntest.RemoteSQL(t, tbl))
}
