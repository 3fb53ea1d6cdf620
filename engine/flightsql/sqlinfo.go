package flightsql

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql/schema_ref"
	pb "github.com/apache/arrow-go/v18/arrow/flight/gen/flight"
)

// registerSqlInfo declares what GetSqlInfo reports: the server, and the SQL
// facts JDBC/ODBC drivers and BI tools ask before they write SQL.
func (s *Server) registerSqlInfo() error {
	infos := []struct {
		id  flightsql.SqlInfo
		val any
	}{
		{flightsql.SqlInfoFlightSqlServerName, "Medley"},
		{flightsql.SqlInfoFlightSqlServerVersion, s.cfg.Version},
		{flightsql.SqlInfoFlightSqlServerArrowVersion, "18"},
		{flightsql.SqlInfoFlightSqlServerReadOnly, false},
		{flightsql.SqlInfoFlightSqlServerSql, true},
		{flightsql.SqlInfoFlightSqlServerSubstrait, true},
		{flightsql.SqlInfoFlightSqlServerTransaction, int32(flightsql.SqlTransactionNone)},
		{flightsql.SqlInfoFlightSqlServerCancel, true},
		{flightsql.SqlInfoFlightSqlServerBulkIngestion, true},
		{flightsql.SqlInfoFlightSqlServerIngestTransactionsSupported, false},
		{flightsql.SqlInfoFlightSqlServerStatementTimeout, int32(0)},
		{flightsql.SqlInfoFlightSqlServerTransactionTimeout, int32(0)},
		{flightsql.SqlInfoDDLCatalog, false},
		{flightsql.SqlInfoDDLSchema, true},
		{flightsql.SqlInfoDDLTable, true},
		{flightsql.SqlInfoIdentifierCase, int64(flightsql.SqlCaseSensitivityLowerCase)},
		{flightsql.SqlInfoIdentifierQuoteChar, `"`},
		{flightsql.SqlInfoAllTablesAreASelectable, false},
		{flightsql.SqlInfoNullOrdering, int64(flightsql.SqlNullOrderingSortHigh)},
		{flightsql.SqlInfoSearchStringEscape, `\`},
		{flightsql.SqlInfoExtraNameChars, ""},
		{flightsql.SqlInfoSupportsColumnAliasing, true},
		{flightsql.SqlInfoNullPlusNullIsNull, true},
		{flightsql.SqlInfoSupportsTableCorrelationNames, true},
		{flightsql.SqlInfoSupportsDifferentTableCorrelationNames, false},
		{flightsql.SqlInfoSupportsExpressionsInOrderBy, true},
		{flightsql.SqlInfoSupportsOrderByUnrelated, true},
		{flightsql.SqlInfoSupportedGroupBy, int32(1<<0 | 1<<1)}, // unrelated, beyond select
		{flightsql.SqlInfoSupportsLikeEscapeClause, true},
		{flightsql.SqlInfoSupportsNonNullableColumns, true},
		{flightsql.SqlInfoSupportedGrammar, int32(1<<0 | 1<<1)}, // minimum, core
		{flightsql.SqlInfoANSI92SupportedLevel, int32(1 << 0)},  // entry SQL
		{flightsql.SqlInfoSupportsIntegrityEnhancementFacility, false},
		{flightsql.SqlInfoOuterJoinsSupportLevel, int32(2)}, // full outer joins
		{flightsql.SqlInfoSchemaTerm, "schema"},
		{flightsql.SqlInfoProcedureTerm, "procedure"},
		{flightsql.SqlInfoCatalogTerm, "database"},
		{flightsql.SqlInfoCatalogAtStart, true},
		{flightsql.SqlInfoSelectForUpdateSupported, false},
		{flightsql.SqlInfoStoredProceduresSupported, false},
		{flightsql.SqlInfoCorrelatedSubqueriesSupported, true},
		{flightsql.SqlInfoSupportedUnions, int32(1<<0 | 1<<1)}, // UNION, UNION ALL
		{flightsql.SqlInfoMaxColumnNameLen, int64(63)},
		{flightsql.SqlInfoMaxTableNameLen, int64(63)},
		{flightsql.SqlInfoDBSchemaNameLen, int64(63)},
		{flightsql.SqlInfoMaxUsernameLen, int64(63)},
		{flightsql.SqlInfoDefaultTransactionIsolation, int64(0)}, // none
		{flightsql.SqlInfoTransactionsSupported, false},
		{flightsql.SqlInfoSupportedTransactionsIsolationlevels, int32(0)},
		{flightsql.SqlInfoDataDefinitionCausesTransactionCommit, false},
		{flightsql.SqlInfoDataDefinitionsInTransactionsIgnored, false},
		{flightsql.SqlInfoBatchUpdatesSupported, false},
		{flightsql.SqlInfoSavePointsSupported, false},
		{flightsql.SqlInfoNamedParametersSupported, false},
		{flightsql.SqlInfoLocatorsUpdateCopy, false},
		{flightsql.SqlInfoStoredFunctionsUsingCallSyntaxSupported, false},
		{flightsql.SqlInfoKeywords, []string{"FOREIGN", "SERVER", "WRAPPER", "MAPPING", "IMPORT"}},
		{flightsql.SqlInfoNumericFunctions, []string{"abs", "ceil", "exp", "floor", "ln", "log10", "power", "round", "sign", "sqrt"}},
		{flightsql.SqlInfoStringFunctions, []string{"length", "lower", "upper", "substring", "trim", "concat", "replace", "position"}},
		{flightsql.SqlInfoDateTimeFunctions, []string{"current_date", "current_timestamp", "extract", "date_trunc"}},
	}
	for _, in := range infos {
		if err := s.RegisterSqlInfo(in.id, in.val); err != nil {
			return err
		}
	}
	return nil
}

// xdbcType is one row of GetXdbcTypeInfo.
type xdbcType struct {
	name       string
	dataType   int32 // java.sql.Types / XDBC data type
	size       int32
	quote      bool
	params     []string
	searchable int32
}

var xdbcTypes = []xdbcType{
	{"boolean", int32(pb.XdbcDataType_XDBC_BIT), 1, false, nil, 3},
	{"smallint", int32(pb.XdbcDataType_XDBC_SMALLINT), 5, false, nil, 3},
	{"integer", int32(pb.XdbcDataType_XDBC_INTEGER), 10, false, nil, 3},
	{"bigint", int32(pb.XdbcDataType_XDBC_BIGINT), 19, false, nil, 3},
	{"real", int32(pb.XdbcDataType_XDBC_REAL), 7, false, nil, 3},
	{"double precision", int32(pb.XdbcDataType_XDBC_DOUBLE), 15, false, nil, 3},
	{"numeric", int32(pb.XdbcDataType_XDBC_DECIMAL), 38, false, []string{"precision", "scale"}, 3},
	{"character varying", int32(pb.XdbcDataType_XDBC_VARCHAR), 1 << 30, true, []string{"length"}, 3},
	{"text", int32(pb.XdbcDataType_XDBC_LONGVARCHAR), 1 << 30, true, nil, 3},
	{"bytea", int32(pb.XdbcDataType_XDBC_VARBINARY), 1 << 30, true, nil, 0},
	{"date", int32(pb.XdbcDataType_XDBC_DATE), 10, true, nil, 3},
	{"time without time zone", int32(pb.XdbcDataType_XDBC_TIME), 15, true, nil, 3},
	{"timestamp without time zone", int32(pb.XdbcDataType_XDBC_TIMESTAMP), 26, true, nil, 3},
	{"timestamp with time zone", int32(pb.XdbcDataType_XDBC_TIMESTAMP), 32, true, nil, 3},
}

// GetFlightInfoXdbcTypeInfo describes Medley's SQL types.
func (s *Server) GetFlightInfoXdbcTypeInfo(ctx context.Context, _ flightsql.GetXdbcTypeInfo, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	return s.emptyInfo(ctx, schema_ref.XdbcTypeInfo, desc)
}

// DoGetXdbcTypeInfo streams the types, all of them or those of one data
// type.
func (s *Server) DoGetXdbcTypeInfo(ctx context.Context, cmd flightsql.GetXdbcTypeInfo) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	return s.stream(ctx, schema_ref.XdbcTypeInfo, func(b *array.RecordBuilder) error {
		for _, t := range xdbcTypes {
			if dt := cmd.GetDataType(); dt != nil && *dt != t.dataType {
				continue
			}
			appendXdbc(b, t)
		}
		return nil
	})
}

func appendXdbc(b *array.RecordBuilder, t xdbcType) {
	str(b, 0).Append(t.name)
	b.Field(1).(*array.Int32Builder).Append(t.dataType)
	b.Field(2).(*array.Int32Builder).Append(t.size)
	for _, i := range []int{3, 4} {
		if t.quote {
			str(b, i).Append("'")
		} else {
			str(b, i).AppendNull()
		}
	}
	lb := b.Field(5).(*array.ListBuilder)
	lb.Append(true)
	lb.ValueBuilder().(*array.StringBuilder).AppendValues(t.params, nil)
	b.Field(6).(*array.Int32Builder).Append(1) // nullable
	b.Field(7).(*array.BooleanBuilder).Append(t.quote)
	b.Field(8).(*array.Int32Builder).Append(t.searchable)
	b.Field(9).(*array.BooleanBuilder).Append(false)
	b.Field(10).(*array.BooleanBuilder).Append(false)
	b.Field(11).(*array.BooleanBuilder).Append(false)
	str(b, 12).Append(t.name)
	b.Field(13).(*array.Int32Builder).AppendNull()
	b.Field(14).(*array.Int32Builder).AppendNull()
	b.Field(15).(*array.Int32Builder).Append(t.dataType)
	b.Field(16).(*array.Int32Builder).AppendNull()
	b.Field(17).(*array.Int32Builder).AppendNull()
	b.Field(18).(*array.Int32Builder).AppendNull()
}
