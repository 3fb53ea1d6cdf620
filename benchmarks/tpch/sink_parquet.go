package tpch

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// dictColumns are the columns with few distinct values, dictionary-encoded
// in Parquet; the others (keys, prices, comments, names) are plain.
var dictColumns = map[string]bool{
	"r_name": true, "n_name": true, "p_mfgr": true, "p_brand": true, "p_type": true,
	"p_size": true, "p_container": true, "c_mktsegment": true, "o_orderstatus": true,
	"o_orderdate": true, "o_orderpriority": true, "o_clerk": true, "l_quantity": true,
	"l_discount": true, "l_tax": true, "l_returnflag": true, "l_linestatus": true,
	"l_shipdate": true, "l_commitdate": true, "l_receiptdate": true, "l_shipinstruct": true,
	"l_shipmode": true, "s_nationkey": true, "c_nationkey": true, "n_regionkey": true,
}

// parquetSink writes one table to <dir>/<table>.parquet: Snappy, column
// statistics, row groups of Options.RowGroupSize rows, decimals stored as
// int64, the Arrow schema stored in the metadata.
type parquetSink struct {
	path, tmp string
	f         *os.File
	bw        *bufio.Writer
	w         *pqarrow.FileWriter
}

func newParquetSink(t Table, o *Options) (*parquetSink, error) {
	s := &parquetSink{path: filepath.Join(o.Dir, t.Name+".parquet")}
	s.tmp = s.path + ".tmp"
	f, err := os.Create(s.tmp)
	if err != nil {
		return nil, fmt.Errorf("tpch: %w", err)
	}
	s.f, s.bw = f, bufio.NewWriterSize(f, 1<<20)
	props := []parquet.WriterProperty{
		parquet.WithAllocator(o.Allocator),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithStats(true),
		parquet.WithMaxRowGroupLength(int64(o.RowGroupSize)),
		parquet.WithStoreDecimalAsInteger(true),
		parquet.WithDictionaryDefault(false),
		parquet.WithCreatedBy("medley tpch generator"),
	}
	for _, c := range t.Columns {
		if dictColumns[c.Name] {
			props = append(props, parquet.WithDictionaryFor(c.Name, true))
		}
	}
	w, err := pqarrow.NewFileWriter(t.Schema(), s.bw, parquet.NewWriterProperties(props...),
		pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(o.Allocator), pqarrow.WithStoreSchema()))
	if err != nil {
		f.Close()
		os.Remove(s.tmp)
		return nil, fmt.Errorf("tpch: parquet writer for %s: %w", t.Name, err)
	}
	s.w = w
	return s, nil
}

func (s *parquetSink) write(rec arrow.RecordBatch) error {
	if err := s.w.WriteBuffered(rec); err != nil {
		return fmt.Errorf("tpch: write %s: %w", s.path, err)
	}
	return nil
}

func (s *parquetSink) finish(err error) error {
	cerr := s.w.Close()
	if err == nil && cerr == nil {
		cerr = s.bw.Flush()
	}
	if ferr := s.f.Close(); cerr == nil {
		cerr = ferr
	}
	if err == nil && cerr == nil {
		cerr = os.Rename(s.tmp, s.path)
	}
	if err != nil || cerr != nil {
		os.Remove(s.tmp)
	}
	if cerr != nil {
		return fmt.Errorf("tpch: write %s: %w", s.path, cerr)
	}
	return nil
}
