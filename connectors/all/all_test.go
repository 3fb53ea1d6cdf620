package all

import (
	"slices"
	"testing"

	"github.com/medleysql/medley/connectors"
)

// TestAllRegistered checks that the eight built-in wrappers are registered
// and that each spec's options are well-formed: unique per object kind,
// documented, and defaults accepted by their own checks.
func TestAllRegistered(t *testing.T) {
	for _, name := range []string{"postgres", "mysql", "sqlite", "parquet", "csv", "json", "flightsql", "memory"} {
		c, ok := connectors.Lookup(name)
		if !ok {
			t.Errorf("wrapper %q is not registered", name)
			continue
		}
		spec := c.Spec()
		if spec.Doc == "" {
			t.Errorf("%s: no Doc", name)
		}
		seen := map[string]bool{}
		for _, o := range spec.Options {
			key := o.Object.String() + "/" + o.Name
			if seen[key] {
				t.Errorf("%s: option %s declared twice", name, key)
			}
			seen[key] = true
			if o.Doc == "" {
				t.Errorf("%s: option %s has no Doc", name, key)
			}
			if o.Default != "" && o.Check != nil {
				if err := o.Check(o.Default); err != nil {
					t.Errorf("%s: option %s: default %q rejected: %v", name, key, o.Default, err)
				}
			}
		}
		if !slices.Contains(connectors.Names(), name) {
			t.Errorf("%s missing from Names()", name)
		}
	}
}
