package driver_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/medleysql/medley/engine/driver"
)

// Rows through database/sql, with a parameter.
func Example() {
	db, err := sql.Open("medley", "catalog=:memory:&user=demo")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // memory tables live in the one engine of this DSN
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id int, name text)"); err != nil {
		log.Fatal(err)
	}
	res, err := db.ExecContext(ctx, "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, NULL)")
	if err != nil {
		log.Fatal(err)
	}
	n, _ := res.RowsAffected()
	fmt.Println("inserted", n)
	rows, err := db.QueryContext(ctx, "SELECT id, name FROM t WHERE id >= $1 ORDER BY id", 2)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name sql.NullString
		if err := rows.Scan(&id, &name); err != nil {
			log.Fatal(err)
		}
		fmt.Println(id, name.String, name.Valid)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// inserted 3
	// 2 two true
	// 3  false
}

// TestValueTypes: each SQL type arrives as the Go type the package
// documents.
func TestValueTypes(t *testing.T) {
	dsn := "catalog=" + filepath.Join(t.TempDir(), "c.db") + "&user=tester"
	db, err := sql.Open("medley", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	row := db.QueryRow(`SELECT true, 7::smallint, 8::bigint, 1.5::float8, 'x'::text, 12.30::numeric(5,2),
		date '2024-02-29', timestamp '2024-02-29 12:34:56', '\x0102'::bytea, NULL::int`)
	var (
		b    bool
		i16  int64
		i64  int64
		f    float64
		s    string
		num  string
		d    time.Time
		ts   time.Time
		by   []byte
		null sql.NullInt64
	)
	if err := row.Scan(&b, &i16, &i64, &f, &s, &num, &d, &ts, &by, &null); err != nil {
		t.Fatal(err)
	}
	if !b || i16 != 7 || i64 != 8 || f != 1.5 || s != "x" || num != "12.30" || null.Valid ||
		d.Format("2006-01-02") != "2024-02-29" || ts.Format("2006-01-02 15:04:05") != "2024-02-29 12:34:56" ||
		len(by) != 2 || by[0] != 1 || by[1] != 2 {
		t.Errorf("got %v %v %v %v %q %q %v %v %v %v", b, i16, i64, f, s, num, d, ts, by, null)
	}
	if _, err := db.Begin(); err == nil {
		t.Error("Begin should report that transactions are not supported")
	}
	if _, err := db.Exec("SELECT nosuch FROM nowhere"); err == nil {
		t.Error("want an error")
	}
}
