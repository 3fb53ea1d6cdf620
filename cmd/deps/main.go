package main

import (
	_ "github.com/apache/arrow-go/v18/arrow"
	_ "github.com/apache/arrow-go/v18/arrow/compute/exprs"
	_ "github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	_ "github.com/apache/arrow-go/v18/parquet/pqarrow"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5"
	_ "github.com/substrait-io/substrait-go/v8/plan"
	_ "go.uber.org/zap"
	_ "modernc.org/sqlite"
	_ "vitess.io/vitess/go/vt/sqlparser"
)

func main() {}
