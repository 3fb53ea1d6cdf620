package parquet

import (
	"context"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/files"
	"github.com/medleysql/medley/connectors/internal/scan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// batchRows is the number of rows per batch read.
const batchRows = 32 * 1024

// rowGroupsRead counts row groups opened for reading, for tests.
var rowGroupsRead atomic.Int64

type partition struct {
	t      *Table
	units  []unit
	req    connectors.ScanRequest
	schema *arrow.Schema
}

// Open reads the partition's row groups.
func (p *partition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	src := &source{t: p.t, units: p.units, cols: p.req.Columns, schema: p.schema, mem: mem}
	return scan.NewReader(ctx, scan.Config{
		Source: src, ReadCols: p.req.Columns, OutCols: p.req.Columns,
		Schema: p.schema, Limit: -1, Mem: mem,
	}), nil
}

// source reads the units of a partition file by file.
type source struct {
	t      *Table
	units  []unit
	cols   []int
	schema *arrow.Schema
	mem    memory.Allocator

	file    *pfile
	fr      *file.Reader
	rr      pqarrow.RecordReader
	pos     []int   // declared column (by position in cols) -> column of rr's batches
	pending []int64 // zero-column reads: rows left per row group
}

func (s *source) Next(ctx context.Context) (arrow.RecordBatch, error) {
	for {
		if s.rr != nil {
			if s.rr.Next() {
				return s.convert(ctx, s.rr.RecordBatch())
			}
			err := s.rr.Err()
			s.closeFile()
			if err != nil {
				return nil, files.Error(s.t.name, s.file.path, err, sqlerr.FDWError)
			}
			continue
		}
		if len(s.pending) > 0 {
			n := min(s.pending[0], batchRows)
			if s.pending[0] -= n; s.pending[0] == 0 {
				s.pending = s.pending[1:]
			}
			return array.NewRecordBatch(s.schema, nil, n), nil
		}
		if len(s.units) == 0 {
			return nil, nil
		}
		if err := s.openNext(ctx); err != nil {
			return nil, err
		}
	}
}

// openNext opens the run of units that share the next unit's file.
func (s *source) openNext(ctx context.Context) error {
	f := s.units[0].file
	var rgs []int
	for len(s.units) > 0 && s.units[0].file == f {
		rgs = append(rgs, s.units[0].rg)
		s.units = s.units[1:]
	}
	s.file = f
	rowGroupsRead.Add(int64(len(rgs)))
	if len(s.cols) == 0 {
		for _, rg := range rgs {
			if n := f.meta.RowGroup(rg).NumRows(); n > 0 {
				s.pending = append(s.pending, n)
			}
		}
		return nil
	}
	fr, err := file.OpenParquetFile(f.path, false, file.WithMetadata(f.meta), file.WithReadProps(parquet.NewReaderProperties(s.mem)))
	if err != nil {
		return files.Error(s.t.name, f.path, err, sqlerr.FDWError)
	}
	s.fr = fr
	ar, err := pqarrow.NewFileReader(fr, pqarrow.ArrowReadProperties{BatchSize: batchRows}, s.mem)
	if err != nil {
		s.closeFile()
		return files.Error(s.t.name, f.path, err, sqlerr.FDWError)
	}
	leaves := make([]int, 0, len(s.cols))
	seen := map[int]bool{}
	for _, c := range s.cols {
		if l := f.leaf[c]; !seen[l] {
			seen[l] = true
			leaves = append(leaves, l)
		}
	}
	rr, err := ar.GetRecordReader(ctx, leaves, rgs)
	if err != nil {
		s.closeFile()
		return files.Error(s.t.name, f.path, err, sqlerr.FDWError)
	}
	s.rr = rr
	s.pos = make([]int, len(s.cols))
	for i, c := range s.cols {
		s.pos[i] = rr.Schema().FieldIndices(f.field[c])[0]
	}
	return nil
}

// convert builds the batch of the declared columns from a file batch,
// casting where the declared type differs.
func (s *source) convert(ctx context.Context, in arrow.RecordBatch) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(s.cols))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range s.cols {
		a := in.Column(s.pos[i])
		want := s.schema.Field(i).Type
		if arrow.TypeEqual(a.DataType(), want) {
			a.Retain()
			cols[i] = a
			continue
		}
		opts := compute.SafeCastOptions(want)
		opts.AllowTimeTruncate = true
		ec := compute.DefaultExecCtx()
		ec.NumParallel = 1
		out, err := compute.CastArray(compute.SetExecCtx(compute.WithAllocator(ctx, s.mem), ec), a, opts)
		if err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.FDWInvalidDataType, "foreign table %q: column %q: file %q",
				files.TableName(s.t.name), s.schema.Field(i).Name, s.file.path)
		}
		cols[i] = out
	}
	return array.NewRecordBatch(s.schema, cols, in.NumRows()), nil
}

func (s *source) closeFile() {
	if s.rr != nil {
		s.rr.Release()
		s.rr = nil
	}
	if s.fr != nil {
		s.fr.Close()
		s.fr = nil
	}
}

func (s *source) Close() error {
	s.closeFile()
	s.units = nil
	s.pending = nil
	return nil
}
