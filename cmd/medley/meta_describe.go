package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// metaDescribe is \d: with no argument the list of tables, else the columns
// of one table with its server and options as footers.
func (sh *shell) metaDescribe(ctx context.Context, arg string) error {
	if arg == "" {
		return sh.metaRelations(ctx, "", "")
	}
	schema, table := splitQualified(arg)
	cols, err := sh.readView(ctx, "columns", []viewCol{
		col("table_schema"), col("table_name"), col("column_name"), col("data_type"),
		col("is_nullable"), col("column_default"), col("ordinal_position"),
		col("character_maximum_length"), col("numeric_precision"), col("numeric_scale"), col("datetime_precision")})
	if err != nil {
		return err
	}
	schema = pickSchema(cols, schema, table)
	var rows [][]string
	for _, c := range cols {
		if c[0] == schema && c[1] == table {
			rows = append(rows, c)
		}
	}
	if len(rows) == 0 {
		return sqlerr.New(sqlerr.UndefinedTable, "Did not find any relation named %q.", arg)
	}
	slices.SortStableFunc(rows, func(a, b []string) int {
		x, _ := strconv.Atoi(a[6])
		y, _ := strconv.Atoi(b[6])
		return cmp.Compare(x, y)
	})
	colOpts := sh.optionsByKey(ctx, "column_options", schema, table, true)
	out := make([][]string, len(rows))
	for i, r := range rows {
		nullable := ""
		if strings.EqualFold(r[4], "NO") {
			nullable = "not null"
		}
		out[i] = []string{r[2], typeName(r[3], r[7], r[8], r[9], r[10]), nullable, r[5], formatOptions(colOpts[r[2]])}
	}
	title, footers := sh.describeFooters(ctx, schema, table)
	return sh.printList(title, []string{"Column", "Type", "Nullable", "Default", "FDW options"}, out, footers)
}

// pickSchema returns schema if given, else the schema of table: public if
// it has one there, else the first in name order (there is no search_path
// in the CLI yet).
func pickSchema(cols [][]string, schema, table string) string {
	if schema != "" {
		return schema
	}
	var found []string
	for _, c := range cols {
		if c[1] == table {
			found = append(found, c[0])
		}
	}
	if len(found) == 0 || slices.Contains(found, "public") {
		return "public"
	}
	return slices.Min(found)
}

// describeFooters returns the title of \d NAME and, for a foreign table,
// its "Server:" and "FDW options:" footers.
func (sh *shell) describeFooters(ctx context.Context, schema, table string) (string, []string) {
	qualified := schema + "." + table
	fts, err := sh.readView(ctx, "foreign_tables", []viewCol{
		col("foreign_table_schema"), col("foreign_table_name"), col("foreign_server_name")})
	if err != nil {
		return fmt.Sprintf("Table %q", qualified), []string{}
	}
	for _, ft := range fts {
		if ft[0] == schema && ft[1] == table {
			footers := []string{"Server: " + ft[2]}
			opts := sh.optionsByKey(ctx, "foreign_table_options", schema, table, false)
			if o := formatOptions(opts[""]); o != "" {
				footers = append(footers, "FDW options: "+o)
			}
			return fmt.Sprintf("Foreign table %q", qualified), footers
		}
	}
	return fmt.Sprintf("Table %q", qualified), []string{}
}

// optionsByKey reads an options view (column_options or
// foreign_table_options) for one table: options by column name (perColumn)
// or all under "". A view the catalog lacks yields none.
func (sh *shell) optionsByKey(ctx context.Context, view, schema, table string, perColumn bool) map[string][][2]string {
	schemaCol, tableCol := col("table_schema"), col("table_name")
	if !perColumn {
		schemaCol, tableCol = col("foreign_table_schema"), col("foreign_table_name")
	}
	rows, err := sh.readView(ctx, view, []viewCol{schemaCol, tableCol, col("column_name"),
		col("option_name"), col("option_value")})
	out := map[string][][2]string{}
	if err != nil {
		return out
	}
	for _, r := range rows {
		if r[0] == schema && r[1] == table {
			key := ""
			if perColumn {
				key = r[2]
			}
			out[key] = append(out[key], [2]string{r[3], r[4]})
		}
	}
	return out
}

// metaTables is \dt [PATTERN]: the tables that are not foreign (Medley's
// memory tables), as psql's \dt leaves foreign tables to \det.
func (sh *shell) metaTables(ctx context.Context, pattern string) error {
	return sh.metaRelations(ctx, "table", pattern)
}

// metaRelations is \d without a name: the tables of information_schema.tables
// whose name matches pattern ("" for all) and, unless kind is "", whose type
// (table, foreign table) is kind.
func (sh *shell) metaRelations(ctx context.Context, kind, pattern string) error {
	rows, err := sh.readView(ctx, "tables", []viewCol{col("table_schema"), col("table_name"), col("table_type")})
	if err != nil {
		return err
	}
	rows = filterRows(rows, 1, pattern)
	for _, r := range rows {
		switch strings.ToUpper(r[2]) {
		case "FOREIGN", "FOREIGN TABLE":
			r[2] = "foreign table"
		case "BASE TABLE":
			r[2] = "table"
		default:
			r[2] = strings.ToLower(r[2])
		}
	}
	if kind != "" {
		var keep [][]string
		for _, r := range rows {
			if r[2] == kind {
				keep = append(keep, r)
			}
		}
		rows = keep
	}
	sortRows(rows)
	if len(rows) == 0 {
		_, err := fmt.Fprintln(sh.out, "Did not find any relations.")
		return err
	}
	return sh.printList("List of relations", []string{"Schema", "Name", "Type"}, rows, nil)
}

// typeName spells a column's type as psql's \d does, from
// information_schema.columns: the data_type with its modifiers, e.g.
// numeric(15,2), character varying(25), timestamp(3) without time zone.
func typeName(dataType, charLen, precision, scale, dtPrecision string) string {
	switch {
	case charLen != "":
		return dataType + "(" + charLen + ")"
	case (dataType == "numeric" || dataType == "decimal") && precision != "" && scale != "":
		return dataType + "(" + precision + "," + scale + ")"
	case dtPrecision != "" && dtPrecision != "6" &&
		(strings.HasPrefix(dataType, "timestamp") || strings.HasPrefix(dataType, "time")):
		head, tail, _ := strings.Cut(dataType, " ")
		if tail != "" {
			tail = " " + tail
		}
		return head + "(" + dtPrecision + ")" + tail
	}
	return dataType
}
