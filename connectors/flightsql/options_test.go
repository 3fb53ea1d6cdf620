package flightsql

import (
	"context"
	"testing"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

func TestSpecValidate(t *testing.T) {
	tests := []struct {
		obj  connectors.Object
		opts map[string]string
		ok   bool
	}{
		{connectors.ObjServer, map[string]string{"uri": "grpc://localhost:32010"}, true},
		{connectors.ObjServer, map[string]string{"uri": "grpc+tls://h:1", "tls_skip_verify": "true"}, true},
		{connectors.ObjServer, map[string]string{"uri": "http://h"}, false},
		{connectors.ObjServer, map[string]string{}, false},
		{connectors.ObjUserMapping, map[string]string{"username": "u", "password": "p"}, true},
		{connectors.ObjUserMapping, map[string]string{"token_file": "/t"}, true},
		{connectors.ObjTable, map[string]string{"catalog_name": "c", "schema_name": "s", "table_name": "t"}, true},
		{connectors.ObjServer, map[string]string{"uri": "grpc://h:1", "updatable": "false"}, true},
		{connectors.ObjServer, map[string]string{"uri": "grpc://h:1", "updatable": "maybe"}, false},
		{connectors.ObjTable, map[string]string{"table_name": "t", "updatable": "true"}, true},
		{connectors.ObjColumn, map[string]string{"name": "c"}, false},
	}
	spec := Spec()
	for _, tc := range tests {
		err := spec.Validate(tc.obj, tc.opts)
		if (err == nil) != tc.ok {
			t.Errorf("%s %v: err %v, want ok=%v", tc.obj, tc.opts, err, tc.ok)
		}
	}
	// Connect checks the URI before dialling.
	if _, err := (connector{}).Connect(context.Background(), connectors.ConnectParams{}); !sqlerr.Is(err, sqlerr.FDWInvalidAttributeValue) {
		t.Errorf("Connect: %v", err)
	}
}
