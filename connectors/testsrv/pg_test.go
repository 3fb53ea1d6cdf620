package testsrv

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

func TestPostgres(t *testing.T) {
	pg := Postgres(t)
	if pg2 := Postgres(t); pg2 != pg {
		t.Fatal("Postgres started a second server")
	}
	db := pg.NewDatabase(t)
	pg.Exec(t, db, "CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, 'x'), (2, 'y')")
	ctx := context.Background()
	c, err := pgx.Connect(ctx, pg.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n, sum int
	var version string
	if err := c.QueryRow(ctx, "SELECT count(*), sum(a), current_setting('server_version_num') FROM t").Scan(&n, &sum, &version); err != nil {
		t.Fatal(err)
	}
	if n != 2 || sum != 3 {
		t.Fatalf("count, sum = %d, %d; want 2, 3", n, sum)
	}
	t.Logf("PostgreSQL %s at %s:%d", version, pg.Host, pg.Port)
}

func TestPostgresWrongPassword(t *testing.T) {
	pg := Postgres(t)
	bad := &PG{Host: pg.Host, Port: pg.Port, User: pg.User, Password: "wrong"}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, bad.DSN("postgres"))
	if err == nil {
		c.Close(ctx)
		t.Fatal("connected with a wrong password")
	}
}
