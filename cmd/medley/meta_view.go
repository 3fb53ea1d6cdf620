package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/medleysql/medley/sql/sqlerr"

	"github.com/medleysql/medley/engine/pgtext"
)

// viewCol picks one column of an information_schema view: the first of
// names that the view has (the catalog may spell a column differently).
type viewCol struct {
	names []string
}

func col(names ...string) viewCol { return viewCol{names: names} }

// readView reads the rows of an information_schema view as text, one
// string per column asked for ("" for NULL or a column the view lacks).
func (sh *shell) readView(ctx context.Context, view string, cols []viewCol) ([][]string, error) {
	rdr, err := sh.be.InfoSchema(ctx, view)
	if err != nil {
		return nil, err
	}
	defer rdr.Release()
	idx := make([]int, len(cols))
	found := false
	for i, c := range cols {
		idx[i] = -1
		for _, n := range c.names {
			if f := rdr.Schema().FieldIndices(n); len(f) > 0 {
				idx[i], found = f[0], true
				break
			}
		}
	}
	if !found && len(cols) > 0 {
		return nil, sqlerr.New(sqlerr.UndefinedColumn, "information_schema.%s has none of the columns %v", view, cols[0].names)
	}
	var rows [][]string
	for rdr.Next() {
		rows = appendViewRows(rows, rdr.RecordBatch(), idx)
	}
	return rows, rdr.Err()
}

func appendViewRows(rows [][]string, rec arrow.RecordBatch, idx []int) [][]string {
	for i := 0; i < int(rec.NumRows()); i++ {
		row := make([]string, len(idx))
		for j, c := range idx {
			if c >= 0 {
				row[j], _ = pgtext.Format(rec.Column(c), i)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// printList prints rows of text under headers as a titled table, with
// footers in place of the row count when footers is not nil.
func (sh *shell) printList(title string, headers []string, rows [][]string, footers []string) error {
	fields := make([]arrow.Field, len(headers))
	builders := make([]*array.StringBuilder, len(headers))
	for j, h := range headers {
		fields[j] = arrow.Field{Name: h, Type: arrow.BinaryTypes.String, Nullable: true}
		builders[j] = array.NewStringBuilder(sh.mem)
		defer builders[j].Release()
	}
	for _, row := range rows {
		for j, b := range builders {
			b.Append(row[j])
		}
	}
	cols := make([]arrow.Array, len(builders))
	for j, b := range builders {
		cols[j] = b.NewArray()
		defer cols[j].Release()
	}
	schema := arrow.NewSchema(fields, nil)
	rec := array.NewRecordBatch(schema, cols, int64(len(rows)))
	defer rec.Release()
	rdr, err := array.NewRecordReader(schema, []arrow.RecordBatch{rec})
	if err != nil {
		return err
	}
	defer rdr.Release()
	o := sh.opts
	o.title, o.footers = title, footers
	_, err = printRows(sh.out, rdr, o, sh.mem)
	return err
}

// sortRows orders rows by their columns left to right, as psql's lists are.
func sortRows(rows [][]string) {
	slices.SortFunc(rows, func(a, b []string) int { return slices.Compare(a, b) })
}

// filterRows keeps the rows whose column j matches psql's pattern: * and ?
// wildcards, case-insensitive unless quoted; an empty pattern keeps all.
func filterRows(rows [][]string, j int, pattern string) [][]string {
	if pattern == "" {
		return rows
	}
	re := patternRegexp(pattern)
	var out [][]string
	for _, r := range rows {
		if re.MatchString(r[j]) {
			out = append(out, r)
		}
	}
	return out
}

func patternRegexp(p string) *regexp.Regexp {
	quoted := strings.HasPrefix(p, `"`) && strings.HasSuffix(p, `"`) && len(p) >= 2
	if quoted {
		p = p[1 : len(p)-1]
	}
	var b strings.Builder
	b.WriteString("^")
	if !quoted {
		b.WriteString("(?i)")
	}
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// splitQualified splits "schema.name" (default schema "") honouring quotes.
func splitQualified(name string) (schema, table string) {
	inQuote := false
	for i, r := range name {
		switch {
		case r == '"':
			inQuote = !inQuote
		case r == '.' && !inQuote:
			return unquoteIdent(name[:i]), unquoteIdent(name[i+1:])
		}
	}
	return "", unquoteIdent(name)
}

// unquoteIdent folds an unquoted identifier to lower case and strips the
// quotes of a quoted one, as PostgreSQL does.
func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return strings.ToLower(s)
}

// formatOptions renders options as psql does: (name 'value', ...).
func formatOptions(opts [][2]string) string {
	if len(opts) == 0 {
		return ""
	}
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = fmt.Sprintf("%s '%s'", o[0], strings.ReplaceAll(o[1], "'", "''"))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
