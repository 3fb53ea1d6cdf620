// Package all registers every built-in foreign-data wrapper. Import it for
// its side effect:
//
//	import _ "github.com/medleysql/medley/connectors/all"
package all

import (
	_ "github.com/medleysql/medley/connectors/csv"       // CSV and text files
	_ "github.com/medleysql/medley/connectors/flightsql" // Arrow Flight SQL servers
	_ "github.com/medleysql/medley/connectors/json"      // newline-delimited JSON files
	_ "github.com/medleysql/medley/connectors/memory"    // in-memory tables
	_ "github.com/medleysql/medley/connectors/mysql"     // MySQL and MariaDB
	_ "github.com/medleysql/medley/connectors/parquet"   // Parquet files
	_ "github.com/medleysql/medley/connectors/postgres"  // PostgreSQL
	_ "github.com/medleysql/medley/connectors/sqlite"    // SQLite files
)
