package testsrv

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/go-sql-driver/mysql"
)

func TestMariaDB(t *testing.T) {
	m := MariaDB(t)
	if m2 := MariaDB(t); m2 != m {
		t.Fatal("MariaDB started a second server")
	}
	db := m.NewDatabase(t)
	m.Exec(t, db, "CREATE TABLE t (a int, b varchar(10)); INSERT INTO t VALUES (1, 'x'), (2, 'y')")
	h, err := sql.Open("mysql", m.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var n, sum int
	var version string
	if err := h.QueryRowContext(context.Background(), "SELECT count(*), sum(a), version() FROM t").Scan(&n, &sum, &version); err != nil {
		t.Fatal(err)
	}
	if n != 2 || sum != 3 {
		t.Fatalf("count, sum = %d, %d; want 2, 3", n, sum)
	}
	t.Logf("MariaDB %s at %s:%d", version, m.Host, m.Port)
}

func TestMariaDBWrongPassword(t *testing.T) {
	m := MariaDB(t)
	cfg := m.Config("")
	cfg.Passwd = "wrong"
	h, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := h.PingContext(context.Background()); err == nil {
		t.Fatal("connected with a wrong password")
	}
}
