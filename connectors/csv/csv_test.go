package csv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
)

// writeCSV writes batches as a csv file with a header; strings are always
// quoted (so "" is an empty string and an empty field NULL).
func writeCSV(t *testing.T, path string, batches []arrow.RecordBatch) {
	t.Helper()
	var sb strings.Builder
	schema := batches[0].Schema()
	for i, f := range schema.Fields() {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(f.Name)
	}
	sb.WriteByte('\n')
	for _, b := range batches {
		for r := 0; r < int(b.NumRows()); r++ {
			for c, col := range b.Columns() {
				if c > 0 {
					sb.WriteByte(',')
				}
				switch {
				case col.IsNull(r):
				case col.DataType().ID() == arrow.STRING:
					sb.WriteString(`"` + strings.ReplaceAll(col.ValueStr(r), `"`, `""`) + `"`)
				default:
					sb.WriteString(col.ValueStr(r))
				}
			}
			sb.WriteString("\r\n")
		}
	}
	writeFile(t, path, sb.String())
}

// writeText writes batches in COPY text format without a header.
func writeText(t *testing.T, path string, batches []arrow.RecordBatch) {
	t.Helper()
	esc := strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)
	var sb strings.Builder
	for _, b := range batches {
		for r := 0; r < int(b.NumRows()); r++ {
			for c, col := range b.Columns() {
				if c > 0 {
					sb.WriteByte('\t')
				}
				if col.IsNull(r) {
					sb.WriteString(`\N`)
				} else {
					sb.WriteString(esc.Replace(col.ValueStr(r)))
				}
			}
			sb.WriteByte('\n')
		}
	}
	writeFile(t, path, sb.String())
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func missing(d connectors.TableDesc) connectors.TableDesc {
	d.Options = map[string]string{"filename": "nosuch.csv"}
	return d
}

func TestConformanceCSV(t *testing.T) {
	conntest.Run(t, conntest.Harness{Connector: Connector{}, Setup: func(t *testing.T, data []arrow.RecordBatch) conntest.Fixture {
		dir := t.TempDir()
		writeCSV(t, filepath.Join(dir, "std", "a.csv"), data[:1])
		writeCSV(t, filepath.Join(dir, "std", "b.csv"), data[1:])
		return conntest.Fixture{
			Server:        map[string]string{"directory": dir},
			Table:         map[string]string{"filename": "std", "header": "true"},
			Missing:       missing,
			Import:        &connectors.ImportRequest{RemoteSchema: "."},
			ImportName:    "std",
			MinPartitions: 2,
		}
	}})
}

func TestConformanceText(t *testing.T) {
	conntest.Run(t, conntest.Harness{Connector: Connector{}, Setup: func(t *testing.T, data []arrow.RecordBatch) conntest.Fixture {
		dir := t.TempDir()
		writeText(t, filepath.Join(dir, "std.txt"), data)
		return conntest.Fixture{
			Server:  map[string]string{"directory": dir},
			Table:   map[string]string{"filename": "std.txt", "format": "text"},
			Missing: missing,
		}
	}})
}
