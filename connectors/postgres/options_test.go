package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
	"go.uber.org/zap"
)

func TestSpecValidate(t *testing.T) {
	tests := []struct {
		obj  connectors.Object
		opts map[string]string
		ok   bool
	}{
		{connectors.ObjServer, map[string]string{"host": "h", "port": "5432", "dbname": "d", "sslmode": "require"}, true},
		{connectors.ObjServer, map[string]string{"port": "0"}, false},
		{connectors.ObjServer, map[string]string{"sslmode": "maybe"}, false},
		{connectors.ObjServer, map[string]string{"password": "x"}, false},
		{connectors.ObjUserMapping, map[string]string{"user": "u", "password": "p"}, true},
		{connectors.ObjUserMapping, map[string]string{"user": "u", "password_file": "/f"}, true},
		{connectors.ObjUserMapping, map[string]string{"password": "p", "password_env": "V"}, false},
		{connectors.ObjTable, map[string]string{"schema_name": "s", "table_name": "t", "fetch_size": "100"}, true},
		{connectors.ObjTable, map[string]string{"fetch_size": "-1"}, false},
		{connectors.ObjColumn, map[string]string{"column_name": "c"}, true},
	}
	spec := Spec()
	for _, tc := range tests {
		err := spec.Validate(tc.obj, tc.opts)
		if (err == nil) != tc.ok {
			t.Errorf("%s %v: err %v, want ok=%v", tc.obj, tc.opts, err, tc.ok)
		}
	}
	_, err := (connector{}).Connect(context.Background(), connectors.ConnectParams{Server: "nowhere", Logger: zap.NewNop(),
		ServerOptions: map[string]string{"host": "127.0.0.1", "port": "1", "sslmode": "disable"}})
	if !sqlerr.Is(err, sqlerr.FDWUnableToEstablishConn) || !strings.Contains(err.Error(), `"nowhere"`) {
		t.Errorf("Connect to a closed port: %v", err)
	}
}
