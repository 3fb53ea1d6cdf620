package all

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/medleysql/medley/connectors"
)

var update = flag.Bool("update", false, "rewrite OPTIONS.md from the wrappers' option specs")

// TestOptionsDoc keeps connectors/OPTIONS.md what the specs generate: the
// same spec that validates DDL documents it. Run with -update after
// changing an option.
func TestOptionsDoc(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Options of the built-in foreign-data wrappers\n\n" +
		"Generated from each wrapper's option spec (`connectors.Spec`) by `go test ./connectors/all -update`; " +
		"the same specs validate CREATE/ALTER SERVER, USER MAPPING and FOREIGN TABLE. " +
		"Secret options are encrypted at rest and write-only (every listing shows ********); each may instead be given as " +
		"`<name>_env 'VAR'` or `<name>_file '/path'`, resolved when connecting.\n\n")
	for _, name := range connectors.Names() {
		c, _ := connectors.Lookup(name)
		b.WriteString(c.Spec().Markdown(name))
		b.WriteString("\n")
	}
	const path = "../OPTIONS.md"
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./connectors/all -update)", err)
	}
	if string(got) != b.String() {
		t.Errorf("%s is stale: run go test ./connectors/all -update", path)
	}
}
