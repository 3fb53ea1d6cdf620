package flightsql

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql/schema_ref"

	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/types"
)

// Metadata RPCs answer from the information_schema views the caller may
// see (Session.InfoSchema), so they agree with SELECT ... FROM
// information_schema.tables.

// metaInfo is the FlightInfo of a metadata command: its ticket is the
// command itself, read back by the matching DoGet.
func (s *Server) metaInfo(schema *arrow.Schema, desc *flight.FlightDescriptor) *flight.FlightInfo {
	return &flight.FlightInfo{
		Schema:           flight.SerializeSchema(schema, s.alloc),
		FlightDescriptor: desc,
		Endpoint:         []*flight.FlightEndpoint{{Ticket: &flight.Ticket{Ticket: desc.Cmd}}},
		TotalRecords:     -1,
		TotalBytes:       -1,
	}
}

// stream sends one batch built by fill over a channel.
func (s *Server) stream(ctx context.Context, schema *arrow.Schema, fill func(b *array.RecordBuilder) error) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	b := array.NewRecordBuilder(s.alloc, schema)
	defer b.Release()
	if err := fill(b); err != nil {
		return nil, nil, grpcError(err)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	rdr, err := array.NewRecordReader(schema, []arrow.RecordBatch{rec})
	if err != nil {
		return nil, nil, grpcError(err)
	}
	ch := make(chan flight.StreamChunk, 1)
	go flight.StreamChunksFromReader(ctx, rdr, ch)
	return schema, ch, nil
}

func str(b *array.RecordBuilder, i int) *array.StringBuilder {
	return b.Field(i).(*array.StringBuilder)
}

// GetFlightInfoCatalogs lists the one catalog, "medley".
func (s *Server) GetFlightInfoCatalogs(ctx context.Context, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	if _, err := mustSession(ctx); err != nil {
		return nil, err
	}
	return s.metaInfo(schema_ref.Catalogs, desc), nil
}

// DoGetCatalogs streams the catalog list.
func (s *Server) DoGetCatalogs(ctx context.Context) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	return s.stream(ctx, schema_ref.Catalogs, func(b *array.RecordBuilder) error {
		str(b, 0).Append(catalog.CatalogName)
		return nil
	})
}

// GetFlightInfoSchemas lists schemas (information_schema.schemata).
func (s *Server) GetFlightInfoSchemas(ctx context.Context, _ flightsql.GetDBSchemas, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	if _, err := mustSession(ctx); err != nil {
		return nil, err
	}
	return s.metaInfo(schema_ref.DBSchemas, desc), nil
}

// DoGetDBSchemas streams the schemas matching the command's filters.
func (s *Server) DoGetDBSchemas(ctx context.Context, cmd flightsql.GetDBSchemas) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.view(ctx, cs, "schemata")
	if err != nil {
		return nil, nil, err
	}
	return s.stream(ctx, schema_ref.DBSchemas, func(b *array.RecordBuilder) error {
		for _, r := range rows {
			if !catalogMatches(cmd.GetCatalog(), r["catalog_name"]) || !like(cmd.GetDBSchemaFilterPattern(), r["schema_name"]) {
				continue
			}
			str(b, 0).Append(r["catalog_name"])
			str(b, 1).Append(r["schema_name"])
		}
		return nil
	})
}

// Table types, as information_schema.tables spells them.
var tableTypes = []string{"BASE TABLE", "FOREIGN"}

// GetFlightInfoTables lists tables, with their Arrow schemas on request.
func (s *Server) GetFlightInfoTables(ctx context.Context, cmd flightsql.GetTables, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	if _, err := mustSession(ctx); err != nil {
		return nil, err
	}
	if cmd.GetIncludeSchema() {
		return s.metaInfo(schema_ref.TablesWithIncludedSchema, desc), nil
	}
	return s.metaInfo(schema_ref.Tables, desc), nil
}

// DoGetTables streams information_schema.tables rows matching the filters;
// include_schema adds each table's columns (information_schema.columns) as
// a serialized Arrow schema.
func (s *Server) DoGetTables(ctx context.Context, cmd flightsql.GetTables) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	cs, err := mustSession(ctx)
	if err != nil {
		return nil, nil, err
	}
	tables, err := s.view(ctx, cs, "tables")
	if err != nil {
		return nil, nil, err
	}
	var cols map[string][]arrow.Field
	out := schema_ref.Tables
	if cmd.GetIncludeSchema() {
		out = schema_ref.TablesWithIncludedSchema
		if cols, err = s.columnFields(ctx, cs); err != nil {
			return nil, nil, err
		}
	}
	return s.stream(ctx, out, func(b *array.RecordBuilder) error {
		for _, r := range tables {
			if !catalogMatches(cmd.GetCatalog(), r["table_catalog"]) || !like(cmd.GetDBSchemaFilterPattern(), r["table_schema"]) ||
				!like(cmd.GetTableNameFilterPattern(), r["table_name"]) || !typeMatches(cmd.GetTableTypes(), r["table_type"]) {
				continue
			}
			str(b, 0).Append(r["table_catalog"])
			str(b, 1).Append(r["table_schema"])
			str(b, 2).Append(r["table_name"])
			str(b, 3).Append(r["table_type"])
			if cols != nil {
				sc := arrow.NewSchema(cols[r["table_schema"]+"."+r["table_name"]], nil)
				b.Field(4).(*array.BinaryBuilder).Append(flight.SerializeSchema(sc, s.alloc))
			}
		}
		return nil
	})
}

// columnFields reads information_schema.columns into Arrow fields by
// "schema.table", in ordinal order.
func (s *Server) columnFields(ctx context.Context, cs *clientSession) (map[string][]arrow.Field, error) {
	rows, err := s.view(ctx, cs, "columns")
	if err != nil {
		return nil, err
	}
	out := map[string][]arrow.Field{}
	for _, r := range rows {
		key := r["table_schema"] + "." + r["table_name"]
		t, err := types.Parse(columnType(r))
		if err != nil {
			t = arrow.BinaryTypes.String
		}
		md := flightsql.NewColumnMetadataBuilder().
			CatalogName(r["table_catalog"]).SchemaName(r["table_schema"]).TableName(r["table_name"]).
			TypeName(r["data_type"]).Metadata()
		out[key] = append(out[key], arrow.Field{Name: r["column_name"], Type: t, Nullable: r["is_nullable"] != "NO", Metadata: md})
	}
	return out, nil
}

// columnType rebuilds a column's SQL type from information_schema's parts.
func columnType(r map[string]string) string {
	dt := r["data_type"]
	switch {
	case dt == "numeric" && r["numeric_precision"] != "":
		return fmt.Sprintf("numeric(%s,%s)", r["numeric_precision"], r["numeric_scale"])
	case strings.HasPrefix(dt, "character") && r["character_maximum_length"] != "":
		return fmt.Sprintf("%s(%s)", dt, r["character_maximum_length"])
	}
	return dt
}

// view reads a whole information_schema view as rows of text by column
// name (NULL is "").
func (s *Server) view(ctx context.Context, cs *clientSession, name string) ([]map[string]string, error) {
	cs.mu.Lock()
	rdr, err := cs.sess.InfoSchema(ctx, name)
	cs.mu.Unlock()
	if err != nil {
		return nil, grpcError(err)
	}
	defer rdr.Release()
	var rows []map[string]string
	for rdr.Next() {
		b := rdr.RecordBatch()
		for i := 0; i < int(b.NumRows()); i++ {
			r := make(map[string]string, b.NumCols())
			for c, f := range b.Schema().Fields() {
				col := b.Column(c)
				if col.IsNull(i) {
					continue
				}
				r[f.Name] = col.ValueStr(i)
			}
			rows = append(rows, r)
		}
	}
	return rows, grpcError(rdr.Err())
}

func catalogMatches(want *string, got string) bool { return want == nil || *want == "" || *want == got }

func typeMatches(want []string, got string) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		if strings.EqualFold(w, got) || (strings.EqualFold(w, "TABLE") && got == "BASE TABLE") ||
			(strings.EqualFold(w, "FOREIGN TABLE") && got == "FOREIGN") {
			return true
		}
	}
	return false
}

// like matches a SQL LIKE pattern (% and _, backslash escapes); nil
// matches everything.
func like(pattern *string, s string) bool {
	if pattern == nil {
		return true
	}
	var re strings.Builder
	re.WriteString("^")
	p := *pattern
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\' && i+1 < len(p):
			i++
			re.WriteString(regexp.QuoteMeta(p[i : i+1]))
		case c == '%':
			re.WriteString("(?s:.*)")
		case c == '_':
			re.WriteString("(?s:.)")
		default:
			re.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	re.WriteString("$")
	ok, _ := regexp.MatchString(re.String(), s)
	return ok
}

// GetFlightInfoTableTypes lists the table types.
func (s *Server) GetFlightInfoTableTypes(ctx context.Context, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	if _, err := mustSession(ctx); err != nil {
		return nil, err
	}
	return s.metaInfo(schema_ref.TableTypes, desc), nil
}

// DoGetTableTypes streams the table types.
func (s *Server) DoGetTableTypes(ctx context.Context) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	return s.stream(ctx, schema_ref.TableTypes, func(b *array.RecordBuilder) error {
		str(b, 0).AppendValues(tableTypes, nil)
		return nil
	})
}

// Medley has no primary or foreign keys: the key RPCs answer with empty
// results of the right schemas.

// GetFlightInfoPrimaryKeys answers with an empty key list.
func (s *Server) GetFlightInfoPrimaryKeys(ctx context.Context, _ flightsql.TableRef, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	return s.emptyInfo(ctx, schema_ref.PrimaryKeys, desc)
}

// DoGetPrimaryKeys streams no keys.
func (s *Server) DoGetPrimaryKeys(ctx context.Context, _ flightsql.TableRef) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	return s.stream(ctx, schema_ref.PrimaryKeys, func(*array.RecordBuilder) error { return nil })
}

// GetFlightInfoImportedKeys answers with an empty key list.
func (s *Server) GetFlightInfoImportedKeys(ctx context.Context, _ flightsql.TableRef, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	return s.emptyInfo(ctx, schema_ref.ImportedKeys, desc)
}

// DoGetImportedKeys streams no keys.
func (s *Server) DoGetImportedKeys(ctx context.Context, _ flightsql.TableRef) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	return s.stream(ctx, schema_ref.ImportedKeys, func(*array.RecordBuilder) error { return nil })
}

// GetFlightInfoExportedKeys answers with an empty key list.
func (s *Server) GetFlightInfoExportedKeys(ctx context.Context, _ flightsql.TableRef, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	return s.emptyInfo(ctx, schema_ref.ExportedKeys, desc)
}

// DoGetExportedKeys streams no keys.
func (s *Server) DoGetExportedKeys(ctx context.Context, _ flightsql.TableRef) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	return s.stream(ctx, schema_ref.ExportedKeys, func(*array.RecordBuilder) error { return nil })
}

// GetFlightInfoCrossReference answers with an empty key list.
func (s *Server) GetFlightInfoCrossReference(ctx context.Context, _ flightsql.CrossTableRef, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	return s.emptyInfo(ctx, schema_ref.CrossReference, desc)
}

// DoGetCrossReference streams no keys.
func (s *Server) DoGetCrossReference(ctx context.Context, _ flightsql.CrossTableRef) (*arrow.Schema, <-chan flight.StreamChunk, error) {
	return s.stream(ctx, schema_ref.CrossReference, func(*array.RecordBuilder) error { return nil })
}

func (s *Server) emptyInfo(ctx context.Context, schema *arrow.Schema, desc *flight.FlightDescriptor) (*flight.FlightInfo, error) {
	if _, err := mustSession(ctx); err != nil {
		return nil, err
	}
	return s.metaInfo(schema, desc), nil
}
