// Package postgres is the foreign-data wrapper for PostgreSQL servers, in
// the spirit of postgres_fdw.
//
// The files mirror postgres_fdw's split: options.go (option.c, the spec the
// catalog validates DDL with), connection.go (connection.c: sessions per
// user mapping, errors without secrets), shipping and deparsing in the
// shared connectors/internal/sqlgen (shippable.c, deparse.c), table.go and
// scan.go (the scan: remote SQL, binary rows into Arrow), types.go (the
// type mapping), import.go (IMPORT FOREIGN SCHEMA) and insert.go (writes).
package postgres

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
)

// Name is the wrapper's registered name.
const Name = "postgres"

func init() { connectors.Register(Name, connector{}) }

// Spec returns the wrapper's option specification.
func Spec() connectors.Spec {
	return connectors.Spec{
		Doc: "Reads tables of a PostgreSQL server, as postgres_fdw does: a server names the host and " +
			"database, a user mapping the role and password, a foreign table the remote schema and table.",
		Options: options,
		Capabilities: connectors.Capabilities{
			Functions: []string{"equal", "not_equal", "lt", "lte", "gt", "gte", "is_null", "is_not_null",
				"is_distinct_from", "is_not_distinct_from", "and", "or", "not", "add", "subtract", "multiply",
				"divide", "modulus", "negate", "like"},
			Projection: true, Limit: true, Sort: true, Writes: true,
		},
	}
}

var options = []connectors.Option{
	{Name: "host", Object: connectors.ObjServer, Default: "localhost", Doc: "host name or address of the PostgreSQL server, or a Unix socket directory"},
	{Name: "port", Object: connectors.ObjServer, Default: "5432", Doc: "TCP port", Check: sqlconn.CheckInt(1, 65535)},
	{Name: "dbname", Object: connectors.ObjServer, Doc: "database name (default: the user name)"},
	{Name: "sslmode", Object: connectors.ObjServer, Default: "prefer", Doc: "libpq sslmode",
		Check: checkOneOf("disable", "allow", "prefer", "require", "verify-ca", "verify-full")},
	{Name: "sslrootcert", Object: connectors.ObjServer, Doc: "file of trusted CA certificates"},
	{Name: "connect_timeout", Object: connectors.ObjServer, Doc: "seconds to wait for a connection", Check: sqlconn.CheckInt(0, 1<<31-1)},
	{Name: "statement_timeout", Object: connectors.ObjServer, Doc: "the remote sessions' statement_timeout, e.g. '30s' or '500ms' (a number alone is milliseconds; default: the remote's)", Check: checkDuration},
	{Name: "application_name", Object: connectors.ObjServer, Default: "medley", Doc: "application_name reported to the server"},
	{Name: "fetch_size", Object: connectors.ObjServer, Default: "10000", Doc: "rows fetched per round trip", Check: sqlconn.CheckInt(1, 1<<31-1)},
	{Name: "use_remote_estimate", Object: connectors.ObjServer, Default: "false", Doc: "ask the server for row estimates", Check: sqlconn.CheckBool},
	{Name: "updatable", Object: connectors.ObjServer, Default: "true", Doc: "allow INSERT/UPDATE/DELETE", Check: sqlconn.CheckBool},
	{Name: "batch_size", Object: connectors.ObjServer, Default: "1", Doc: "rows per INSERT when COPY is not used (see use_copy)", Check: sqlconn.CheckInt(1, 1<<31-1)},
	{Name: "partition_threshold", Object: connectors.ObjServer, Default: "100000", Doc: "remote rows (pg_class.reltuples) from which a scan is read as parallel ctid ranges when the engine has several threads; PostgreSQL 14+", Check: sqlconn.CheckInt(0, 1<<62)},
	{Name: "keep_connections", Object: connectors.ObjServer, Default: "true", Doc: "keep connections open between queries", Check: sqlconn.CheckBool},

	{Name: "user", Object: connectors.ObjUserMapping, Doc: "remote role name (default: the Medley user name)"},
	{Name: "password", Object: connectors.ObjUserMapping, Secret: true, Doc: "remote password; or password_env / password_file"},
	{Name: "password_required", Object: connectors.ObjUserMapping, Default: "true", Doc: "refuse a connection that did not use the password", Check: sqlconn.CheckBool},
	{Name: "sslcert", Object: connectors.ObjUserMapping, Doc: "client certificate file"},
	{Name: "sslkey", Object: connectors.ObjUserMapping, Doc: "client private key file"},
	{Name: "sslpassword", Object: connectors.ObjUserMapping, Secret: true, Doc: "password of the client key"},

	{Name: "schema_name", Object: connectors.ObjTable, Doc: "remote schema (default: the foreign table's schema)"},
	{Name: "table_name", Object: connectors.ObjTable, Doc: "remote table (default: the foreign table's name)"},
	{Name: "fetch_size", Object: connectors.ObjTable, Doc: "rows fetched per round trip, overriding the server's", Check: sqlconn.CheckInt(1, 1<<31-1)},
	{Name: "use_remote_estimate", Object: connectors.ObjTable, Doc: "overrides the server's", Check: sqlconn.CheckBool},
	{Name: "updatable", Object: connectors.ObjTable, Doc: "overrides the server's", Check: sqlconn.CheckBool},
	{Name: "batch_size", Object: connectors.ObjTable, Doc: "overrides the server's", Check: sqlconn.CheckInt(1, 1<<31-1)},
	{Name: "partition_threshold", Object: connectors.ObjTable, Doc: "overrides the server's", Check: sqlconn.CheckInt(0, 1<<62)},
	{Name: "use_copy", Object: connectors.ObjTable, Default: "true", Doc: "INSERT through COPY FROM STDIN (binary); 'false' sends parameterised INSERTs of batch_size rows", Check: sqlconn.CheckBool},

	{Name: "column_name", Object: connectors.ObjColumn, Doc: "remote column (default: the column's name)"},
}

type connector struct{}

func (connector) Spec() connectors.Spec { return Spec() }

func (connector) Connect(ctx context.Context, p connectors.ConnectParams) (connectors.Conn, error) {
	return connect(ctx, p)
}

// durationRE is a PostgreSQL time setting: a number with an optional unit.
var durationRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?\s*(us|ms|s|min|h|d)?$`)

func checkDuration(v string) error {
	if !durationRE.MatchString(strings.TrimSpace(v)) {
		return fmt.Errorf("%q is not a duration (a number with an optional unit us, ms, s, min, h or d)", v)
	}
	return nil
}

func checkOneOf(valid ...string) func(string) error {
	return func(v string) error {
		for _, s := range valid {
			if v == s {
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %v", v, valid)
	}
}
