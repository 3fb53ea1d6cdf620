package flightsql

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// Shared set-up of the tests with clients Medley did not write (ADBC's
// Flight SQL driver, arrow-go's database/sql driver).

const bobPW = "bob-pw-2718"

// Values that must never reach a client that may not see them.
var secretOptions = []string{"pg.internal.example", "payroll_prod", "mapping-pw-31415", "5439"}

// clientSetup loads a memory table, a CSV foreign table and a PostgreSQL
// server whose options are secret, and a user bob with SELECT on the
// tables but no USAGE on either server. It returns the cross-source query
// and its rows.
func clientSetup(t *testing.T, f *fixture) (crossQuery string, crossRows []string, csvPath string) {
	t.Helper()
	dir := t.TempDir()
	csvPath = filepath.Join(dir, "people-secret-dir.csv")
	if err := os.WriteFile(csvPath, []byte("id,name\n1,ann\n2,bo\n3,cy\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.exec("CREATE TABLE orders (id bigint, person_id integer, amount bigint)",
		"INSERT INTO orders VALUES (10, 1, 100), (11, 2, 250), (12, 1, 75), (13, 3, 500)",
		"CREATE SERVER files FOREIGN DATA WRAPPER csv",
		"CREATE FOREIGN TABLE people (id integer, name text) SERVER files OPTIONS (filename '"+csvPath+"', header 'true')",
		"CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host 'pg.internal.example', port '5439', dbname 'payroll_prod')",
		"CREATE USER MAPPING FOR PUBLIC SERVER pg OPTIONS (user 'payroll', password 'mapping-pw-31415')",
		"CREATE FOREIGN TABLE salaries (id integer, pay bigint) SERVER pg",
		"CREATE USER bob PASSWORD '"+bobPW+"'",
		"GRANT SELECT ON orders TO bob", "GRANT SELECT ON salaries TO bob")
	crossQuery = "SELECT p.name, sum(o.amount) AS total FROM orders o JOIN people p ON o.person_id = p.id GROUP BY p.name ORDER BY p.name"
	return crossQuery, []string{"ann|175", "bo|250", "cy|500"}, csvPath
}

// noSecrets fails when msg shows a secret option, a password or a path.
func noSecrets(t *testing.T, what, msg string, extra ...string) {
	t.Helper()
	for _, s := range append(append([]string{adminPW, bobPW}, secretOptions...), extra...) {
		if strings.Contains(msg, s) {
			t.Errorf("%s: the error shows %q: %s", what, s, msg)
		}
	}
}

// rowsOf renders a reader's rows as "a|b" and releases nothing.
func rowsOf(t *testing.T, rdr array.RecordReader) []string {
	t.Helper()
	var rows []string
	for rdr.Next() {
		b := rdr.RecordBatch()
		for i := 0; i < int(b.NumRows()); i++ {
			var vals []string
			for c := 0; c < int(b.NumCols()); c++ {
				vals = append(vals, b.Column(c).ValueStr(i))
			}
			rows = append(rows, strings.Join(vals, "|"))
		}
	}
	if err := rdr.Err(); err != nil {
		t.Fatalf("reading: %v", err)
	}
	return rows
}

// objects flattens ADBC's GetObjects result to "catalog", "catalog.schema"
// and "catalog.schema.table" entries.
func objects(t *testing.T, rdr array.RecordReader) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for rdr.Next() {
		b := rdr.RecordBatch()
		cats := b.Column(0).(*array.String)
		schemas := b.Column(1).(*array.List)
		sst := schemas.ListValues().(*array.Struct)
		for i := 0; i < int(b.NumRows()); i++ {
			cat := cats.Value(i)
			out[cat] = true
			if schemas.IsNull(i) {
				continue
			}
			start, end := schemas.ValueOffsets(i)
			for j := int(start); j < int(end); j++ {
				sname := sst.Field(0).(*array.String).Value(j)
				out[cat+"."+sname] = true
				tables := sst.Field(1).(*array.List)
				if tables.IsNull(j) {
					continue
				}
				tst := tables.ListValues().(*array.Struct)
				ts, te := tables.ValueOffsets(j)
				for k := int(ts); k < int(te); k++ {
					out[cat+"."+sname+"."+tst.Field(0).(*array.String).Value(k)] = true
				}
			}
		}
	}
	if err := rdr.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
