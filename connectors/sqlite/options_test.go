package sqlite

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
		{connectors.ObjServer, map[string]string{"database": "/x.db", "updatable": "false"}, true},
		{connectors.ObjServer, map[string]string{}, false},
		{connectors.ObjServer, map[string]string{"database": "/x.db", "updatable": "maybe"}, false},
		{connectors.ObjUserMapping, map[string]string{"user": "u"}, false},
		{connectors.ObjTable, map[string]string{"table": "t"}, true},
		{connectors.ObjColumn, map[string]string{"column_name": "c", "key": "true"}, true},
	}
	spec := Spec()
	for _, tc := range tests {
		err := spec.Validate(tc.obj, tc.opts)
		if (err == nil) != tc.ok {
			t.Errorf("%s %v: err %v, want ok=%v", tc.obj, tc.opts, err, tc.ok)
		}
	}
	if _, err := (connector{}).Connect(context.Background(), connectors.ConnectParams{ServerOptions: map[string]string{"database": "/nonexistent/x.db"}}); !sqlerr.Is(err, sqlerr.ConnectionFailure) {
		t.Errorf("Connect: %v", err)
	}
}
