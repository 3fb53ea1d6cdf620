// Package sqlite is the foreign-data wrapper for SQLite database files, in
// the spirit of sqlite_fdw.
//
// This file holds its option specification (sqlite_fdw's option names),
// which the catalog uses to validate DDL. A SQLite file takes no
// credentials, so the wrapper needs no user mapping. The wrapper's concerns
// are split as postgres_fdw's: connection.go (opening the file, Conn.Table),
// types.go and types_time.go (SQLite's affinities to Arrow, strict value
// conversion), deparse.go, scan.go and reader.go (remote SELECT), rel.go
// (whole-subtree pushdown), import.go (IMPORT FOREIGN SCHEMA), write.go
// (INSERT) and update.go (UPDATE, DELETE). What it shares with the mysql
// wrapper (the batch reader, the INSERT writer, the UPDATE/DELETE
// statements, the pushdown executor, option checks) is in
// connectors/internal/sqlconn.
package sqlite

import (
	"context"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
)

// Name is the wrapper's registered name.
const Name = "sqlite"

func init() { connectors.Register(Name, connector{}) }

// Spec returns the wrapper's option specification.
func Spec() connectors.Spec {
	return connectors.Spec{
		Doc: "Reads tables of a SQLite database file, as sqlite_fdw does: a server names the file, " +
			"a foreign table the remote table. No user mapping is needed.",
		Options:       options,
		NoUserMapping: true,
		Capabilities: connectors.Capabilities{
			Functions: []string{"equal", "not_equal", "lt", "lte", "gt", "gte", "is_null", "is_not_null",
				"and", "or", "not", "add", "subtract", "multiply", "like"},
			Projection: true, Limit: true, Sort: true, Writes: true,
		},
	}
}

var options = []connectors.Option{
	{Name: "database", Object: connectors.ObjServer, Required: true, Doc: "path of the SQLite database file"},
	{Name: "updatable", Object: connectors.ObjServer, Default: "true", Doc: "allow INSERT/UPDATE/DELETE", Check: sqlconn.CheckBool},
	{Name: "force_readonly", Object: connectors.ObjServer, Default: "false", Doc: "open the file read-only", Check: sqlconn.CheckBool},
	{Name: "keep_connections", Object: connectors.ObjServer, Default: "true", Doc: "keep the file open between queries", Check: sqlconn.CheckBool},
	{Name: "batch_size", Object: connectors.ObjServer, Default: "1", Doc: "rows per INSERT", Check: sqlconn.CheckInt(1, 1<<31-1)},

	{Name: "table", Object: connectors.ObjTable, Doc: "remote table (default: the foreign table's name)"},
	{Name: "updatable", Object: connectors.ObjTable, Doc: "overrides the server's", Check: sqlconn.CheckBool},
	{Name: "batch_size", Object: connectors.ObjTable, Doc: "overrides the server's", Check: sqlconn.CheckInt(1, 1<<31-1)},

	{Name: "column_name", Object: connectors.ObjColumn, Doc: "remote column (default: the column's name)"},
	{Name: "column_type", Object: connectors.ObjColumn, Doc: "how the remote column stores values (e.g. INT for Unix times)"},
	{Name: "key", Object: connectors.ObjColumn, Doc: "true if the column is part of the row key used by UPDATE/DELETE", Check: sqlconn.CheckBool},
}

type connector struct{}

func (connector) Spec() connectors.Spec { return Spec() }

func (connector) Connect(ctx context.Context, p connectors.ConnectParams) (connectors.Conn, error) {
	return connect(ctx, p)
}
