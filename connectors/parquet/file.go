package parquet

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/files"
	"github.com/medleysql/medley/sql/sqlerr"
)

// pfile is one Parquet file of a table, with its footer and the mapping of
// the declared columns onto it.
type pfile struct {
	path  string
	meta  *metadata.FileMetaData
	leaf  []int            // declared column -> Parquet leaf column index
	field []string         // declared column -> the file's field name
	from  []arrow.DataType // declared column -> the file's Arrow type
}

func (f *pfile) numRowGroups() int { return f.meta.NumRowGroups() }

// readFooter reads a file's metadata and Arrow schema manifest.
func readFooter(table []string, path string) (*metadata.FileMetaData, *pqarrow.SchemaManifest, error) {
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, nil, files.Error(table, path, err, sqlerr.FDWError)
	}
	defer r.Close()
	meta := r.MetaData()
	man, err := pqarrow.NewSchemaManifest(meta.Schema, meta.KeyValueMetadata(), &pqarrow.ArrowReadProperties{})
	if err != nil {
		return nil, nil, files.Error(table, path, err, sqlerr.FDWError)
	}
	return meta, man, nil
}

// openFile reads a file's footer and maps the declared columns onto it.
func openFile(d connectors.TableDesc, path string) (*pfile, error) {
	meta, man, err := readFooter(d.Name, path)
	if err != nil {
		return nil, err
	}
	f := &pfile{path: path, meta: meta}
	for _, c := range d.Columns {
		remote := c.Name
		if n, ok := c.Options["column_name"]; ok {
			remote = n
		}
		sf := findField(man, remote)
		if sf == nil {
			return nil, sqlerr.New(sqlerr.FDWColumnNameNotFound, "foreign table %q: column %q not found in file %q",
				files.TableName(d.Name), remote, path)
		}
		if len(sf.Children) > 0 || sf.ColIndex < 0 {
			return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "foreign table %q: column %q in file %q is nested (%s); nested columns are not supported",
				files.TableName(d.Name), remote, path, sf.Field.Type)
		}
		if !castable(sf.Field.Type, c.Type) {
			return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "foreign table %q: column %q is declared %s but file %q holds %s",
				files.TableName(d.Name), c.Name, c.Type, path, sf.Field.Type)
		}
		f.leaf = append(f.leaf, sf.ColIndex)
		f.field = append(f.field, sf.Field.Name)
		f.from = append(f.from, sf.Field.Type)
	}
	return f, nil
}

func findField(man *pqarrow.SchemaManifest, name string) *pqarrow.SchemaField {
	for i := range man.Fields {
		if man.Fields[i].Field.Name == name {
			return &man.Fields[i]
		}
	}
	for i := range man.Fields {
		if strings.EqualFold(man.Fields[i].Field.Name, name) {
			return &man.Fields[i]
		}
	}
	return nil
}

func intWidth(id arrow.Type) (bits int, signed, ok bool) {
	switch id {
	case arrow.INT8:
		return 8, true, true
	case arrow.INT16:
		return 16, true, true
	case arrow.INT32:
		return 32, true, true
	case arrow.INT64:
		return 64, true, true
	case arrow.UINT8:
		return 8, false, true
	case arrow.UINT16:
		return 16, false, true
	case arrow.UINT32:
		return 32, false, true
	case arrow.UINT64:
		return 64, false, true
	}
	return 0, false, false
}

// castable reports whether a file column of type from can be read as a
// declared column of type to without losing values: equal types; integer
// widening (unsigned to a wider signed type); integers of up to 32 bits to
// float64; float16/float32 to float32/float64; large/view strings and
// binaries to the plain ones and back; date64 to date32; timestamps to any
// unit (truncating) with the same time-zone-ness; time32/time64 to time64;
// decimals to decimals with no fewer integer or fraction digits.
func castable(from, to arrow.DataType) bool {
	if arrow.TypeEqual(from, to) {
		return true
	}
	fb, fs, fok := intWidth(from.ID())
	tb, ts, tok := intWidth(to.ID())
	switch {
	case fok && tok:
		return ts && (tb > fb || (tb == fb && fs))
	case fok && to.ID() == arrow.FLOAT64:
		return fb <= 32
	}
	switch from.ID() {
	case arrow.FLOAT16, arrow.FLOAT32:
		return to.ID() == arrow.FLOAT32 || to.ID() == arrow.FLOAT64
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW:
		return to.ID() == arrow.STRING || to.ID() == arrow.LARGE_STRING
	case arrow.BINARY, arrow.LARGE_BINARY, arrow.BINARY_VIEW:
		return to.ID() == arrow.BINARY || to.ID() == arrow.LARGE_BINARY
	case arrow.DATE64:
		return to.ID() == arrow.DATE32
	case arrow.TIMESTAMP:
		tt, ok := to.(*arrow.TimestampType)
		return ok && (tt.TimeZone == "") == (from.(*arrow.TimestampType).TimeZone == "")
	case arrow.TIME32, arrow.TIME64:
		return to.ID() == arrow.TIME64
	case arrow.DECIMAL128, arrow.DECIMAL256:
		if to.ID() != arrow.DECIMAL128 {
			return false
		}
		fd, td := from.(arrow.DecimalType), to.(arrow.DecimalType)
		return td.GetScale() >= fd.GetScale() && td.GetPrecision()-td.GetScale() >= fd.GetPrecision()-fd.GetScale()
	}
	return false
}
