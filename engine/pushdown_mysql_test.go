package engine

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/medleysql/medley/connectors/testsrv"
)

// mariaPushdownType spells a conformance column's type in MariaDB: strings are
// utf8mb4 under the default, case- and accent-insensitive collation, so
// that comparing, grouping and ordering them by byte is what the wrapper
// must arrange.
func mariaPushdownType(t string) string {
	switch t {
	case "bigint":
		return "BIGINT"
	case "integer":
		return "INT"
	case "double precision":
		return "DOUBLE"
	case "text":
		return "TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
	case "boolean":
		return "BOOLEAN"
	}
	panic("mariaPushdownType: " + t)
}

// mariaSource is a fresh database of the test MariaDB server.
func mariaSource(t *testing.T) PushdownSource {
	my := testsrv.MariaDB(t)
	// A fixed name, as it shows in the golden file's remote SQL.
	const dbName = "medley_pushdown"
	my.CreateDatabase(t, dbName)
	return PushdownSource{
		Wrapper:       "mysql",
		ServerOptions: map[string]string{"host": my.Host, "port": fmt.Sprint(my.Port)},
		UserOptions:   map[string]string{"username": my.User, "password": my.Password},
		TableOptions:  map[string]string{"dbname": dbName},
		Create: func(t *testing.T, tables []PushdownTable) {
			db, err := sql.Open("mysql", my.DSN(dbName))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			createPushdownTables(t, db, tables, mariaPushdownType)
		},
	}
}

// createPushdownTables creates the tables through database/sql, rows
// inserted with parameters (booleans as 0/1).
func createPushdownTables(t *testing.T, db *sql.DB, tables []PushdownTable, typ func(string) string) {
	t.Helper()
	for _, tb := range tables {
		var cols, marks []string
		for _, c := range tb.Columns {
			cols = append(cols, c.Name+" "+typ(c.Type))
			marks = append(marks, "?")
		}
		if _, err := db.Exec(fmt.Sprintf("CREATE TABLE %s (%s)", tb.Name, strings.Join(cols, ", "))); err != nil {
			t.Fatal(err)
		}
		ins := fmt.Sprintf("INSERT INTO %s VALUES (%s)", tb.Name, strings.Join(marks, ", "))
		for _, r := range tb.Rows {
			args := make([]any, len(r))
			for i, v := range r {
				if b, ok := v.(bool); ok {
					v = map[bool]int64{false: 0, true: 1}[b]
				}
				args[i] = v
			}
			if _, err := db.Exec(ins, args...); err != nil {
				t.Fatalf("%s %v: %v", ins, args, err)
			}
		}
	}
}

func TestPushdownMariaDB(t *testing.T) {
	RunPushdownConformance(t, mariaSource(t), "mariadb")
}

func TestPushdownCollationMariaDB(t *testing.T) {
	RunPushdownCollation(t, mariaSource(t))
}
