package engine

import (
	"database/sql"
	"strconv"
	"testing"

	_ "github.com/go-sql-driver/mysql" // database/sql driver for reading the remote rows

	"github.com/medleysql/medley/connectors/testsrv"
)

func TestWriteMariaDB(t *testing.T) {
	m := testsrv.MariaDB(t)
	db := m.NewDatabase(t)
	h, err := sql.Open("mysql", m.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Exec("CREATE TABLE upd (id bigint NOT NULL PRIMARY KEY, n int, txt varchar(40)) CHARACTER SET utf8mb4"); err != nil {
		t.Fatal(err)
	}
	for _, r := range dmlRows {
		if _, err := h.Exec("INSERT INTO upd VALUES (?, ?, ?)", r...); err != nil {
			t.Fatal(err)
		}
	}
	runDMLCases(t, "mysql", map[string]string{"host": m.Host, "port": strconv.Itoa(m.Port)},
		map[string]string{"username": m.User, "password": m.Password}, map[string]string{"dbname": db, "table_name": "upd"},
		func() string { return dmlRemoteRows(t, h, "SELECT id, n, txt FROM upd ORDER BY id") })
}
