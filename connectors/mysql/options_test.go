package mysql

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
		{connectors.ObjServer, map[string]string{"host": "h", "port": "3306"}, true},
		{connectors.ObjServer, map[string]string{"port": "x"}, false},
		{connectors.ObjUserMapping, map[string]string{"username": "u", "password_env": "V"}, true},
		{connectors.ObjUserMapping, map[string]string{"user": "u"}, false},
		{connectors.ObjTable, map[string]string{"dbname": "d", "table_name": "t"}, true},
		{connectors.ObjTable, map[string]string{"table_name": "t"}, false},
		{connectors.ObjColumn, map[string]string{"column_name": "c"}, true},
	}
	spec := Spec()
	for _, tc := range tests {
		err := spec.Validate(tc.obj, tc.opts)
		if (err == nil) != tc.ok {
			t.Errorf("%s %v: err %v, want ok=%v", tc.obj, tc.opts, err, tc.ok)
		}
	}
	if _, err := (connector{}).Connect(context.Background(), connectors.ConnectParams{ServerOptions: map[string]string{"port": "1"}}); !sqlerr.Is(err, sqlerr.ConnectionFailure) {
		t.Errorf("Connect: %v", err)
	}
}
