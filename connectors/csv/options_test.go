package csv

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

var (
	i64  = arrow.PrimitiveTypes.Int64
	str  = arrow.BinaryTypes.String
	dec  = &arrow.Decimal128Type{Precision: 5, Scale: 2}
	ts   = &arrow.TimestampType{Unit: arrow.Microsecond}
	date = arrow.FixedWidthTypes.Date32
)

func cols(spec ...any) []connectors.ColumnDesc {
	var out []connectors.ColumnDesc
	for i := 0; i < len(spec); i += 2 {
		c := connectors.ColumnDesc{Name: spec[i].(string), Type: spec[i+1].(arrow.DataType), Nullable: true}
		if n := strings.Index(c.Name, ":"); n > 0 {
			opt := c.Name[n+1:]
			c.Name = c.Name[:n]
			k, v, _ := strings.Cut(opt, "=")
			c.Options = map[string]string{k: v}
		}
		out = append(out, c)
	}
	return out
}

// readTable reads a whole table written from content and renders it one
// row per line, columns separated by "|".
func readTable(t *testing.T, content string, opts map[string]string, columns []connectors.ColumnDesc) (string, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "f.csv"), content)
	o := map[string]string{"filename": "f.csv"}
	for k, v := range opts {
		o[k] = v
	}
	if err := (Connector{}).Spec().Validate(connectors.ObjTable, o); err != nil {
		t.Fatalf("options: %v", err)
	}
	conn, _ := Connector{}.Connect(context.Background(), connectors.ConnectParams{ServerOptions: map[string]string{"directory": dir}})
	tbl, err := conn.Table(context.Background(), connectors.TableDesc{Name: []string{"public", "f"}, Options: o, Columns: columns})
	if err != nil {
		return "", err
	}
	all := make([]int, len(columns))
	for i := range all {
		all[i] = i
	}
	plan, err := tbl.Scan(context.Background(), connectors.ScanRequest{Columns: all, Limit: -1, MaxPartitions: 1})
	if err != nil {
		return "", err
	}
	rdr, err := plan.Partitions[0].Open(context.Background(), mem)
	if err != nil {
		return "", err
	}
	defer rdr.Release()
	var sb strings.Builder
	for rdr.Next() {
		b := rdr.RecordBatch()
		for r := 0; r < int(b.NumRows()); r++ {
			for c, col := range b.Columns() {
				if c > 0 {
					sb.WriteByte('|')
				}
				if col.IsNull(r) {
					sb.WriteString("NULL")
				} else {
					sb.WriteString(col.ValueStr(r))
				}
			}
			sb.WriteByte('\n')
		}
	}
	return sb.String(), rdr.Err()
}

func TestOptions(t *testing.T) {
	tests := []struct {
		name    string
		content string
		opts    map[string]string
		cols    []connectors.ColumnDesc
		want    string
	}{
		{"defaults", "1,a\n2,\n3,\"\"\n", nil, cols("a", i64, "b", str), "1|a\n2|NULL\n3|\n"},
		{"quoted newline and quotes", "1,\"x\"\"y\nz\"\n", nil, cols("a", i64, "b", str), "1|x\"y\nz\n"},
		{"delimiter quote escape null", "1;'it\\'s';NA\nNA;'NA';x\n", map[string]string{"delimiter": ";", "quote": "'", "escape": `\`, "null": "NA"},
			cols("a", i64, "b", str, "c", str), "1|it's|NULL\nNULL|NA|x\n"},
		{"header true skips", "a,b\n1,2\n", map[string]string{"header": "true"}, cols("a", i64, "b", i64), "1|2\n"},
		{"header match", "b,x,a\n1,2,3\n", map[string]string{"header": "match"}, cols("a", i64, "bee:column_name=b", i64), "3|1\n"},
		{"force_not_null", "1,\n", nil, cols("a", i64, "b:force_not_null=true", str), "1|\n"},
		{"force_null", "1,\"\"\n", nil, cols("a", i64, "b:force_null=true", str), "1|NULL\n"},
		{"text format", "1\ta\\tb\\\\c\n\\N\tx\\\ty\n", map[string]string{"format": "text"}, cols("a", i64, "b", str), "1|a\tb\\c\nNULL|x\ty\n"},
		{"types", "2024-02-29,2024-02-29 13:45:00.5,-1.005,yes\n", nil,
			cols("d", date, "t", ts, "n", dec, "b", arrow.FixedWidthTypes.Boolean), "2024-02-29|2024-02-29T13:45:00.5|-1.01|true\n"},
		{"spaces around numbers, CRLF, BOM", "\xEF\xBB\xBF 7 ,x\r\n", nil, cols("a", i64, "b", str), "7|x\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readTable(t, tc.content, tc.opts, tc.cols)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestBadData(t *testing.T) {
	tests := []struct {
		name    string
		content string
		opts    map[string]string
		cols    []connectors.ColumnDesc
		code    sqlerr.Code
		mention []string
	}{
		{"bad integer", "1,a\n2,b\nx3,c\n", nil, cols("a", i64, "b", str), sqlerr.InvalidTextRepr, []string{"line 3", `"a"`, `"x3"`, "f.csv", "public.f"}},
		{"integer out of range", "99999999999\n", nil, cols("a", arrow.PrimitiveTypes.Int32), sqlerr.InvalidTextRepr, []string{"line 1"}},
		{"decimal overflow", "1234.5\n", nil, cols("a", dec), sqlerr.InvalidTextRepr, []string{"decimal"}},
		{"bad date", "h\n2024-02-30\n", map[string]string{"header": "true"}, cols("d", date), sqlerr.InvalidTextRepr, []string{"line 2", "2024-02-30"}},
		{"bad boolean", "maybe\n", nil, cols("b", arrow.FixedWidthTypes.Boolean), sqlerr.InvalidTextRepr, []string{"maybe"}},
		{"too many fields", "1,2\n1,2,3\n", nil, cols("a", i64, "b", i64), badCopyFormat, []string{"line 2", "expected 2 fields, found 3"}},
		{"too few fields", "1\n", nil, cols("a", i64, "b", i64), badCopyFormat, []string{"line 1"}},
		{"unterminated quote", "1,\"abc\n", nil, cols("a", i64, "b", str), badCopyFormat, []string{"unterminated"}},
		{"bad utf8", "1,\xff\xfe\n", nil, cols("a", i64, "b", str), "22021", []string{"UTF8"}},
		{"header match missing", "x,y\n1,2\n", map[string]string{"header": "match"}, cols("a", i64), sqlerr.FDWColumnNameNotFound, []string{`"a"`}},
		{"unsupported type", "1\n", nil, cols("a", arrow.ListOf(i64)), sqlerr.FDWInvalidDataType, []string{"public.f"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readTable(t, tc.content, tc.opts, tc.cols)
			if err == nil {
				t.Fatal("no error")
			}
			if sqlerr.CodeOf(err) != tc.code {
				t.Errorf("code %s, want %s: %v", sqlerr.CodeOf(err), tc.code, err)
			}
			for _, m := range tc.mention {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
}

func TestSpecRejects(t *testing.T) {
	sp := Connector{}.Spec()
	for _, o := range []map[string]string{
		{"filename": "x", "format": "binary"},
		{"filename": "x", "delimiter": ";;"},
		{"filename": "x", "encoding": "latin1"},
		{},
	} {
		if err := sp.Validate(connectors.ObjTable, o); err == nil {
			t.Errorf("%v accepted", o)
		}
	}
}

func TestInference(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "people.csv"), "id,name,score,born,seen,ok,empty\n1,ann,1.5,2000-01-02,2024-01-01 10:00:00,true,\n2,bob,2,1999-12-31,2024-01-01,false,\n")
	writeFile(t, filepath.Join(dir, "noheader", "x.csv"), "1,2\n")
	conn, _ := Connector{}.Connect(context.Background(), connectors.ConnectParams{ServerOptions: map[string]string{"directory": dir}})
	defs, err := conn.(connectors.SchemaImporter).ImportSchema(context.Background(), connectors.ImportRequest{RemoteSchema: ".", LimitTo: []string{"people"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 1 {
		t.Fatalf("%d tables", len(defs))
	}
	var got []string
	for _, c := range defs[0].Columns {
		got = append(got, c.Name+" "+c.Type.String())
	}
	want := "id int64, name utf8, score float64, born date32, seen timestamp[us], ok bool, empty utf8"
	if strings.Join(got, ", ") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, ", "), want)
	}
	if defs[0].Options["filename"] != "people.csv" || defs[0].Options["header"] != "true" {
		t.Errorf("options %v", defs[0].Options)
	}
	defs, err = conn.(connectors.SchemaImporter).ImportSchema(context.Background(), connectors.ImportRequest{RemoteSchema: ".", Options: map[string]string{"header": "false"}, LimitTo: []string{"noheader"}})
	if err != nil || len(defs) != 1 || defs[0].Columns[1].Name != "c2" {
		t.Errorf("noheader: %v %+v", err, defs)
	}
}
