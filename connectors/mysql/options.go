// Package mysql is the foreign-data wrapper for MySQL and MariaDB servers,
// in the spirit of mysql_fdw.
//
// This file holds its option specification (mysql_fdw's option names),
// which the catalog uses to validate DDL. The wrapper's concerns are split as
// postgres_fdw's: connection.go (connecting, errors, KILL QUERY), table.go
// (Conn.Table from information_schema), types.go (MySQL types to Arrow,
// strict value conversion), scan.go and reader.go (remote SELECT through
// the binary protocol), rel.go (whole-subtree pushdown), import.go (IMPORT
// FOREIGN SCHEMA), write.go (INSERT) and update.go (UPDATE, DELETE). What
// it shares with the sqlite wrapper (the batch reader, the INSERT writer,
// the UPDATE/DELETE statements, the pushdown executor, option checks) is
// in connectors/internal/sqlconn; deparsing is sqlgen's.
package mysql

import (
	"context"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
)

// Name is the wrapper's registered name.
const Name = "mysql"

func init() { connectors.Register(Name, connector{}) }

// Spec returns the wrapper's option specification.
func Spec() connectors.Spec {
	return connectors.Spec{
		Doc: "Reads tables of a MySQL or MariaDB server, as mysql_fdw does: a server names the host, " +
			"a user mapping the account, a foreign table the remote database and table.",
		Options: options,
		Capabilities: connectors.Capabilities{
			Functions: []string{"equal", "not_equal", "lt", "lte", "gt", "gte", "is_null", "is_not_null",
				"and", "or", "not", "add", "subtract", "multiply", "like"},
			Projection: true, Limit: true, Sort: true, Writes: true,
		},
	}
}

var options = []connectors.Option{
	{Name: "host", Object: connectors.ObjServer, Default: "127.0.0.1", Doc: "host name or address of the MySQL server"},
	{Name: "port", Object: connectors.ObjServer, Default: "3306", Doc: "TCP port", Check: sqlconn.CheckInt(1, 65535)},
	{Name: "init_command", Object: connectors.ObjServer, Doc: "SQL run when connecting"},
	{Name: "ssl_key", Object: connectors.ObjServer, Doc: "client private key file"},
	{Name: "ssl_cert", Object: connectors.ObjServer, Doc: "client certificate file"},
	{Name: "ssl_ca", Object: connectors.ObjServer, Doc: "file of trusted CA certificates"},
	{Name: "ssl_capath", Object: connectors.ObjServer, Doc: "directory of trusted CA certificates"},
	{Name: "ssl_cipher", Object: connectors.ObjServer, Doc: "permitted ciphers"},
	{Name: "fetch_size", Object: connectors.ObjServer, Default: "100", Doc: "rows fetched per round trip", Check: sqlconn.CheckInt(1, 1<<31-1)},
	{Name: "reconnect", Object: connectors.ObjServer, Default: "false", Doc: "reconnect when the connection is lost", Check: sqlconn.CheckBool},
	{Name: "character_set", Object: connectors.ObjServer, Default: "utf8mb4", Doc: "connection character set"},
	{Name: "sql_mode", Object: connectors.ObjServer, Default: "ANSI_QUOTES", Doc: "session sql_mode"},

	{Name: "batch_size", Object: connectors.ObjServer, Default: "1", Doc: "rows per remote INSERT statement", Check: sqlconn.CheckInt(1, 1<<31-1)},
	{Name: "updatable", Object: connectors.ObjServer, Default: "true", Doc: "allow INSERT/UPDATE/DELETE", Check: sqlconn.CheckBool},

	{Name: "username", Object: connectors.ObjUserMapping, Doc: "remote account name"},
	{Name: "password", Object: connectors.ObjUserMapping, Secret: true, Doc: "remote password; or password_env / password_file"},

	{Name: "dbname", Object: connectors.ObjTable, Required: true, Doc: "remote database"},
	{Name: "table_name", Object: connectors.ObjTable, Doc: "remote table (default: the foreign table's name)"},
	{Name: "max_blob_size", Object: connectors.ObjTable, Doc: "largest BLOB/TEXT value fetched, in bytes", Check: sqlconn.CheckInt(1, 1<<62)},
	{Name: "fetch_size", Object: connectors.ObjTable, Doc: "overrides the server's", Check: sqlconn.CheckInt(1, 1<<31-1)},

	{Name: "batch_size", Object: connectors.ObjTable, Doc: "overrides the server's", Check: sqlconn.CheckInt(1, 1<<31-1)},
	{Name: "updatable", Object: connectors.ObjTable, Doc: "overrides the server's", Check: sqlconn.CheckBool},

	{Name: "column_name", Object: connectors.ObjColumn, Doc: "remote column (default: the column's name)"},
}

type connector struct{}

func (connector) Spec() connectors.Spec { return Spec() }

func (connector) Connect(ctx context.Context, p connectors.ConnectParams) (connectors.Conn, error) {
	return connect(ctx, p)
}
