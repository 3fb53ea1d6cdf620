// Package flightsql is the foreign-data wrapper for Arrow Flight SQL
// servers (another Medley, Dremio, DuckDB's and InfluxDB's endpoints, ...).
//
// This file holds its option specification, which the catalog uses to
// validate DDL; connection.go connects and authenticates (the Basic
// handshake for a bearer token), table.go describes tables and plans scans
// as one remote SELECT in PostgreSQL's dialect (Medley's own), scan.go
// reads its endpoints with DoGet, import.go implements IMPORT FOREIGN
// SCHEMA with GetTables, insert.go streams INSERTs with bulk ingest
// (CommandStatementIngest) and update.go runs UPDATE and DELETE at the
// server (CommandStatementUpdate).
package flightsql

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/medleysql/medley/connectors"
)

// Name is the wrapper's registered name.
const Name = "flightsql"

func init() { connectors.Register(Name, connector{}) }

// Spec returns the wrapper's option specification.
func Spec() connectors.Spec {
	return connectors.Spec{
		Doc: "Reads and writes tables of an Arrow Flight SQL server: a server names its URI, a user mapping the " +
			"user name and password or a bearer token, a foreign table the remote catalog, schema and table. " +
			"INSERT uses bulk ingest; UPDATE and DELETE run at the server.",
		Options: options,
	}
}

var options = []connectors.Option{
	{Name: "uri", Object: connectors.ObjServer, Required: true, Doc: "grpc://host:port or grpc+tls://host:port", Check: checkURI},
	{Name: "tls_skip_verify", Object: connectors.ObjServer, Default: "false", Doc: "accept any server certificate (testing only)", Check: checkBool},
	{Name: "tls_root_certs", Object: connectors.ObjServer, Doc: "PEM file of trusted CA certificates"},
	{Name: "timeout", Object: connectors.ObjServer, Default: "30", Doc: "seconds to wait for a connection", Check: checkInt(0, 1<<31-1)},
	{Name: "updatable", Object: connectors.ObjServer, Default: "true", Doc: "allow INSERT/UPDATE/DELETE", Check: checkBool},

	{Name: "username", Object: connectors.ObjUserMapping, Doc: "user name for HTTP Basic authentication"},
	{Name: "password", Object: connectors.ObjUserMapping, Secret: true, Doc: "password; or password_env / password_file"},
	{Name: "token", Object: connectors.ObjUserMapping, Secret: true, Doc: "bearer token; or token_env / token_file"},

	{Name: "catalog_name", Object: connectors.ObjTable, Doc: "remote catalog"},
	{Name: "schema_name", Object: connectors.ObjTable, Doc: "remote schema"},
	{Name: "table_name", Object: connectors.ObjTable, Doc: "remote table (default: the foreign table's name)"},
	{Name: "updatable", Object: connectors.ObjTable, Doc: "overrides the server's", Check: checkBool},

	{Name: "column_name", Object: connectors.ObjColumn, Doc: "remote column (default: the column's name)"},
}

type connector struct{}

func (connector) Spec() connectors.Spec { return Spec() }

func (connector) Connect(ctx context.Context, p connectors.ConnectParams) (connectors.Conn, error) {
	return connect(ctx, p)
}

func checkURI(v string) error {
	for _, scheme := range []string{"grpc://", "grpc+tcp://", "grpc+tls://"} {
		if strings.HasPrefix(v, scheme) && len(v) > len(scheme) {
			return nil
		}
	}
	return fmt.Errorf("%q is not a grpc://, grpc+tcp:// or grpc+tls:// URI", v)
}

func checkBool(v string) error {
	switch v {
	case "true", "false", "on", "off", "yes", "no", "1", "0":
		return nil
	}
	return fmt.Errorf("%q is not a boolean (true or false)", v)
}

// isTrue reads a boolean option that checkBool accepted.
func isTrue(v string) bool {
	switch v {
	case "true", "on", "yes", "1":
		return true
	}
	return false
}

func checkInt(lo, hi int64) func(string) error {
	return func(v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("%q is not an integer from %d to %d", v, lo, hi)
		}
		return nil
	}
}
