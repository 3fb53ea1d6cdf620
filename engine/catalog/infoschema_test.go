package catalog

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// viewRows reads a view as "a|b|c" lines (NULL as "∅").
func viewRows(t *testing.T, c *Catalog, user, name string) []string {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rdr, err := c.InfoSchema(context.Background(), user, name, mem)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer rdr.Release()
	var out []string
	for rdr.Next() {
		rec := rdr.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			var cells []string
			for _, col := range rec.Columns() {
				switch {
				case col.IsNull(r):
					cells = append(cells, "∅")
				default:
					switch a := col.(type) {
					case *array.String:
						cells = append(cells, a.Value(r))
					case *array.Int32:
						cells = append(cells, fmt.Sprint(a.Value(r)))
					}
				}
			}
			out = append(out, strings.Join(cells, "|"))
		}
	}
	if err := rdr.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestInfoSchema(t *testing.T) {
	c, _ := openTest(t)
	mustRun(t, c, createUser("bob", false), createUser("carol", false),
		createServer(root, "pg", "postgres", Option{"host", "h"}),
		createMapping(root, "pg", "bob", Option{"user", "b"}, Option{"password", "bpw"}),
		createMapping(root, "pg", Public, Option{"password", "ppw"}),
		createTable(root, "", "orders", "pg",
			ColumnDef{Name: "id", Type: "int", NotNull: true},
			ColumnDef{Name: "price", Type: "decimal(15,2)", Default: ptr("0")},
			ColumnDef{Name: "name", Type: "varchar(25)"},
			ColumnDef{Name: "at", Type: "timestamptz"}),
		step{name: "table options", run: func(ctx context.Context, c *Catalog) error {
			return c.AlterTable(ctx, root, TableAlter{Table: TableName{Name: "orders"}, Actions: []AlterAction{
				{Kind: AlterTableOptions, Options: []OptionChange{{OptionAdd, "table_name", "o"}}}}})
		}},
		step{name: "memory table", run: func(ctx context.Context, c *Catalog) error {
			_, err := c.CreateTable(ctx, root, TableDef{Name: "m", Memory: true, Columns: []ColumnDef{{Name: "x", Type: "text"}}})
			return err
		}},
		grant(root, GrantDef{Kind: KindServer, Names: []string{"pg"}, Grantees: []string{"bob", "carol"}}),
		grant(root, GrantDef{Kind: KindTable, Tables: []TableName{{"public", "orders"}}, Privileges: []Privilege{PrivSelect}, Grantees: []string{"bob"}}),
	)
	tests := []struct {
		user, view string
		want       []string
	}{
		{root, "foreign_servers", []string{"medley|memory|medley|memory|∅|∅|root", "medley|pg|medley|postgres|∅|∅|root"}},
		{root, "foreign_server_options", []string{"medley|pg|host|h"}},
		{"carol", "foreign_servers", []string{"medley|memory|medley|memory|∅|∅|root", "medley|pg|medley|postgres|∅|∅|root"}},
		{root, "user_mappings", []string{"PUBLIC|medley|pg", "bob|medley|pg"}},
		{root, "user_mapping_options", []string{"PUBLIC|medley|pg|password|********", "bob|medley|pg|user|b", "bob|medley|pg|password|********"}},
		{"bob", "user_mapping_options", []string{"PUBLIC|medley|pg|password|********", "bob|medley|pg|user|b", "bob|medley|pg|password|********"}},
		{"carol", "user_mapping_options", []string{"PUBLIC|medley|pg|password|********", "bob|medley|pg|user|b", "bob|medley|pg|password|********"}},
		{root, "foreign_tables", []string{"medley|public|orders|medley|pg"}},
		{root, "foreign_table_options", []string{"medley|public|orders|table_name|o"}},
		// orders is on a postgres server, whose wrapper takes writes.
		{root, "tables", []string{"medley|public|m|BASE TABLE|YES|NO", "medley|public|orders|FOREIGN|YES|NO"}},
		{"bob", "tables", []string{"medley|public|orders|FOREIGN|YES|NO"}},
		{"carol", "tables", nil},
		{"bob", "columns", []string{
			"medley|public|orders|id|1|∅|NO|integer|∅|32|2|0|∅",
			"medley|public|orders|price|2|0|YES|numeric|∅|15|10|2|∅",
			"medley|public|orders|name|3|∅|YES|character varying|25|∅|∅|∅|∅",
			"medley|public|orders|at|4|∅|YES|timestamp with time zone|∅|∅|∅|∅|6",
		}},
		{"bob", "schemata", []string{"medley|information_schema|∅", "medley|public|root"}},
		{"bob", "foreign_data_wrappers", nil},
	}
	for _, tc := range tests {
		got := viewRows(t, c, tc.user, tc.view)
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s as %s:\n got %q\nwant %q", tc.view, tc.user, got, tc.want)
		}
	}
	wrappers := viewRows(t, c, root, "foreign_data_wrappers")
	if len(wrappers) < len(BuiltinWrappers) || wrappers[0] != "medley|csv|root|∅|go" {
		t.Errorf("wrappers = %q", wrappers)
	}
	for _, v := range InfoSchemaViews {
		viewRows(t, c, "carol", v)
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	if _, err := c.InfoSchema(context.Background(), root, "nope", mem); !sqlerr.Is(err, sqlerr.UndefinedTable) {
		t.Errorf("unknown view: %v", err)
	}
}
