// Package ext holds the Substrait extension collection Medley uses: the
// standard extension YAMLs that substrait-go ships plus Medley's own functions
// (functions_medley.yaml, URN extension:medleysql:functions_medley) for what
// the standard lacks. Both the compiler and the executor resolve function
// references through Collection, so the two always agree.
//
// This is a leaf package: it imports only substrait-go.
package ext

import (
	"bytes"
	_ "embed" // the Medley YAML
	"fmt"
	"path"
	"sync"

	"github.com/substrait-io/substrait"
	"github.com/substrait-io/substrait-go/v8/extensions"
)

// URN is the URN of Medley's own function extension.
const URN = "extension:medleysql:functions_medley"

// URI is the URI the Medley extension file is registered under.
const URI = "https://medleysql.github.io/extensions/functions_medley.yaml"

//go:embed functions_medley.yaml
var medleyYAML []byte

var collection = sync.OnceValues(load)

// Collection returns the standard extension collection plus Medley's
// functions. It is built once and shared; callers must not Load into it.
func Collection() *extensions.Collection {
	c, err := collection()
	if err != nil {
		// The YAMLs are embedded: failing to load them is a build defect.
		panic(fmt.Sprintf("medley: loading substrait extensions: %v", err))
	}
	return c
}

// skipped are standard files substrait-go itself does not load.
var skipped = map[string]bool{"unknown.yaml": true}

func load() (*extensions.Collection, error) {
	fsys := substrait.GetSubstraitExtensionsFS()
	entries, err := fsys.ReadDir("extensions")
	if err != nil {
		return nil, err
	}
	c := &extensions.Collection{}
	for _, ent := range entries {
		if skipped[ent.Name()] || path.Ext(ent.Name()) != ".yaml" {
			continue
		}
		data, err := fsys.ReadFile(path.Join("extensions", ent.Name()))
		if err != nil {
			return nil, err
		}
		if err := c.Load(extensions.SubstraitDefaultURIPrefix+ent.Name(), bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("%s: %w", ent.Name(), err)
		}
	}
	if err := c.Load(URI, bytes.NewReader(medleyYAML)); err != nil {
		return nil, fmt.Errorf("functions_medley.yaml: %w", err)
	}
	return c, nil
}
