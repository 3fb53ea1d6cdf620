package main

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// metaBackend serves information_schema views with PostgreSQL's column
// names, in no particular order.
func metaBackend(t *testing.T, mem memory.Allocator) *fakeBackend {
	return &fakeBackend{mem: mem, views: map[string]func(memory.Allocator) arrow.RecordBatch{
		"foreign_data_wrappers": stringRecord(t, []string{"foreign_data_wrapper_catalog", "foreign_data_wrapper_name", "authorization_identifier"},
			[]string{"medley", "postgres", "alice"}, []string{"medley", "csv", "alice"}),
		"foreign_servers": stringRecord(t, []string{"foreign_server_name", "foreign_data_wrapper_name", "authorization_identifier"},
			[]string{"pg", "postgres", "alice"}, []string{"files", "csv", "bob"}),
		"user_mappings": stringRecord(t, []string{"authorization_identifier", "foreign_server_name"},
			[]string{"bob", "pg"}, []string{"PUBLIC", "pg"}),
		"user_mapping_options": stringRecord(t, []string{"authorization_identifier", "foreign_server_name", "option_name", "option_value"},
			[]string{"bob", "pg", "user", "bob"}, []string{"bob", "pg", "password", "********"}),
		"foreign_tables": stringRecord(t, []string{"foreign_table_schema", "foreign_table_name", "foreign_server_name"},
			[]string{"public", "orders", "pg"}, []string{"sales", "items", "files"}),
		"foreign_table_options": stringRecord(t, []string{"foreign_table_schema", "foreign_table_name", "option_name", "option_value"},
			[]string{"public", "orders", "table_name", "o'rders"}),
		"columns": stringRecord(t, []string{"table_schema", "table_name", "column_name", "ordinal_position", "column_default", "is_nullable", "data_type", "numeric_precision", "numeric_scale"},
			[]string{"public", "orders", "note", "3", "", "YES", "text", "", ""},
			[]string{"public", "orders", "id", "1", "", "NO", "bigint", "64", "0"},
			[]string{"public", "orders", "total", "2", "0", "YES", "numeric", "15", "2"},
			[]string{"sales", "items", "sku", "1", "", "YES", "text", "", ""}),
		"column_options": stringRecord(t, []string{"table_schema", "table_name", "column_name", "option_name", "option_value"},
			[]string{"public", "orders", "id", "column_name", "o_id"}),
		"tables": stringRecord(t, []string{"table_schema", "table_name", "table_type"},
			[]string{"public", "orders", "FOREIGN"}, []string{"sales", "items", "FOREIGN"}, []string{"public", "mem", "BASE TABLE"}),
		"schemata": stringRecord(t, []string{"catalog_name", "schema_name", "schema_owner"},
			[]string{"medley", "public", "alice"}, []string{"medley", "sales", "bob"}),
		"users": stringRecord(t, []string{"user_name", "is_superuser"},
			[]string{"alice", "YES"}, []string{"bob", "NO"}),
	}}
}

func TestMetaCommands(t *testing.T) {
	cases := []struct{ name, cmd string }{
		{"dew", `\dew`},
		{"des_pattern", `\des+ p*`},
		{"deu", `\deu`},
		{"det", `\det`},
		{"d_orders", `\d orders`},
		{"d_items", `\d items`},
		{"d_all", `\d`},
		{"dt", `\dt`},
		{"dt_pattern", `\dt+ o*`},
		{"dn", `\dn`},
		{"du", `\du`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			stdout, stderr, code := runFake(t, metaBackend(t, mem), "", "-c", tc.cmd)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			golden(t, "meta_"+tc.name, stdout)
		})
	}
}

// TestDescribeUnknown folds unquoted names as PostgreSQL does, so only the
// quoted upper-case name is unknown.
func TestDescribeUnknown(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	_, stderr, code := runFake(t, metaBackend(t, mem), "", "-c", `\d sales.ITEMS`, "-c", `\d sales."ITEMS"`)
	if code != exitFailed || strings.Count(stderr, "ERROR") != 1 ||
		!strings.Contains(stderr, `ERROR:  Did not find any relation named "sales.\"ITEMS\"".`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestMetaUnaligned checks that meta commands follow -A and -t.
func TestMetaUnaligned(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	stdout, _, _ := runFake(t, metaBackend(t, mem), "", "-At", "-c", `\dn`)
	if want := "public|alice\nsales|bob\n"; stdout != want {
		t.Errorf("got %q, want %q", stdout, want)
	}
}

// TestMetaMissingView reports a view the engine lacks as an error.
func TestMetaMissingView(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	be := metaBackend(t, mem)
	delete(be.views, "users")
	_, stderr, code := runFake(t, be, "", "-c", `\du`)
	if code != exitFailed || !strings.Contains(stderr, `relation "information_schema.users" does not exist`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestMetaHelpListsEveryCommand(t *testing.T) {
	for name := range metaCmds {
		if !strings.Contains(metaHelp, name+" ") {
			t.Errorf(`\? does not describe %s`, name)
		}
	}
	stdout, _, code := runFake(t, &fakeBackend{}, "", "-c", `\?`)
	if code != 0 || stdout != metaHelp {
		t.Errorf("exit %d, output %q", code, stdout)
	}
}

func TestTypeName(t *testing.T) {
	cases := []struct{ dataType, charLen, precision, scale, dt, want string }{
		{"numeric", "", "15", "2", "", "numeric(15,2)"},
		{"numeric", "", "", "", "", "numeric"},
		{"character varying", "25", "", "", "", "character varying(25)"},
		{"integer", "", "32", "0", "", "integer"},
		{"timestamp without time zone", "", "", "", "3", "timestamp(3) without time zone"},
		{"timestamp without time zone", "", "", "", "6", "timestamp without time zone"},
		{"time", "", "", "", "0", "time(0)"},
		{"date", "", "", "", "0", "date"},
	}
	for _, tc := range cases {
		if got := typeName(tc.dataType, tc.charLen, tc.precision, tc.scale, tc.dt); got != tc.want {
			t.Errorf("typeName(%q...) = %q, want %q", tc.dataType, got, tc.want)
		}
	}
}
