package json

import (
	"bytes"
	gojson "encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
)

// writeNDJSON writes batches as one JSON object per line, keys in schema
// order; numbers and booleans as JSON values, the rest as strings.
func writeNDJSON(t *testing.T, path string, batches []arrow.RecordBatch) {
	t.Helper()
	var buf bytes.Buffer
	for _, b := range batches {
		for r := 0; r < int(b.NumRows()); r++ {
			buf.WriteByte('{')
			for c, col := range b.Columns() {
				if c > 0 {
					buf.WriteByte(',')
				}
				k, _ := gojson.Marshal(b.Schema().Field(c).Name)
				buf.Write(k)
				buf.WriteByte(':')
				switch {
				case col.IsNull(r):
					buf.WriteString("null")
				case col.DataType().ID() == arrow.INT64, col.DataType().ID() == arrow.INT32,
					col.DataType().ID() == arrow.FLOAT64, col.DataType().ID() == arrow.BOOL:
					buf.WriteString(col.ValueStr(r))
				default:
					v, _ := gojson.Marshal(col.ValueStr(r))
					buf.Write(v)
				}
			}
			buf.WriteString("}\n")
		}
	}
	writeFile(t, path, buf.String())
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

func TestConformance(t *testing.T) {
	conntest.Run(t, conntest.Harness{Connector: Connector{}, Setup: func(t *testing.T, data []arrow.RecordBatch) conntest.Fixture {
		dir := t.TempDir()
		writeNDJSON(t, filepath.Join(dir, "std", "a.jsonl"), data[:2])
		writeNDJSON(t, filepath.Join(dir, "std", "b.jsonl"), data[2:])
		return conntest.Fixture{
			Server: map[string]string{"directory": dir},
			Table:  map[string]string{"filename": "std"},
			Missing: func(d connectors.TableDesc) connectors.TableDesc {
				d.Options = map[string]string{"filename": "nosuch.json"}
				return d
			},
			Import:        &connectors.ImportRequest{RemoteSchema: "."},
			ImportName:    "std",
			MinPartitions: 2,
		}
	}})
}
