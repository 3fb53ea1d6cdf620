package csv

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors/internal/files"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// batchRows is the number of records per batch.
const batchRows = 8192

// badCopyFormat is PostgreSQL's bad_copy_file_format.
const badCopyFormat sqlerr.Code = "22P04"

// source reads the records of a partition's files.
type source struct {
	t      *Table
	files  []string
	cols   []int // table columns to build
	mem    memory.Allocator
	schema *arrow.Schema

	f       *os.File
	lx      *lexer
	path    string
	fieldOf []int // by table column: the record's field index
	nfields int
}

func (s *source) Next(ctx context.Context) (arrow.RecordBatch, error) {
	for {
		if s.lx == nil {
			if len(s.files) == 0 {
				return nil, nil
			}
			if err := s.open(s.files[0]); err != nil {
				return nil, err
			}
			s.files = s.files[1:]
		}
		b, err := s.readBatch()
		if err != nil || b != nil {
			return b, err
		}
		s.closeFile()
	}
}

// open opens a file and reads its header.
func (s *source) open(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return files.Error(s.t.name, path, err, sqlerr.IOError)
	}
	s.f, s.path = f, path
	o := s.t.opts
	d := o.dialect
	s.fieldOf = make([]int, len(s.t.cols))
	for i := range s.fieldOf {
		s.fieldOf[i] = i
	}
	s.nfields = len(s.t.cols)
	s.lx = newLexer(f, d)
	if o.header {
		hdr, _, err := s.lx.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return s.fileError(err, s.lx.line)
		}
		if o.match {
			if err := s.matchHeader(hdr); err != nil {
				return err
			}
		}
	}
	s.lx.d.forceNull = make([]bool, s.nfields)
	for i, c := range s.t.cols {
		if c.forceNull && s.fieldOf[i] < s.nfields {
			s.lx.d.forceNull[s.fieldOf[i]] = true
		}
	}
	return nil
}

func (s *source) matchHeader(hdr []field) error {
	idx := map[string]int{}
	for i, h := range hdr {
		if _, dup := idx[h.val]; !dup {
			idx[h.val] = i
		}
	}
	for i, c := range s.t.cols {
		j, ok := idx[c.remote]
		if !ok {
			return sqlerr.New(sqlerr.FDWColumnNameNotFound, "foreign table %q: file %q has no column %q in its header",
				files.TableName(s.t.name), s.path, c.remote)
		}
		s.fieldOf[i] = j
	}
	s.nfields = len(hdr)
	return nil
}

// readBatch reads up to batchRows records; nil at the end of the file.
func (s *source) readBatch() (arrow.RecordBatch, error) {
	bs := make([]array.Builder, len(s.cols))
	for i, c := range s.cols {
		bs[i] = array.NewBuilder(s.mem, s.t.cols[c].typ)
	}
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	n := 0
	for n < batchRows {
		fs, line, err := s.lx.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, s.fileError(err, s.lx.line)
		}
		if len(fs) != s.nfields {
			return nil, sqlerr.New(badCopyFormat, "foreign table %q: file %q, line %d: expected %d fields, found %d",
				files.TableName(s.t.name), s.path, line, s.nfields, len(fs))
		}
		for i, c := range s.cols {
			if err := s.appendValue(bs[i], c, fs[s.fieldOf[c]], line); err != nil {
				return nil, err
			}
		}
		n++
	}
	if n == 0 {
		return nil, nil
	}
	arrs := make([]arrow.Array, len(bs))
	for i, b := range bs {
		arrs[i] = b.NewArray()
	}
	rec := array.NewRecordBatch(s.schema, arrs, int64(n))
	for _, a := range arrs {
		a.Release()
	}
	return rec, nil
}

func (s *source) appendValue(b array.Builder, c int, f field, line int) error {
	col := s.t.cols[c]
	if f.null && !col.forceNotNull {
		b.AppendNull()
		return nil
	}
	if err := col.parse(b, f.val); err != nil {
		v := f.val
		if len(v) > 100 {
			v = v[:100] + "..."
		}
		if errors.Is(err, errBadUTF8) {
			return sqlerr.New("22021", "foreign table %q: file %q, line %d, column %q: invalid byte sequence for encoding UTF8",
				files.TableName(s.t.name), s.path, line, col.name)
		}
		e := sqlerr.New(sqlerr.InvalidTextRepr, "foreign table %q: file %q, line %d, column %q: invalid input syntax for type %s: %q",
			files.TableName(s.t.name), s.path, line, col.name, types.SQLName(col.typ), v)
		e.Err, e.Detail = err, err.Error()
		return e
	}
	return nil
}

func (s *source) fileError(err error, line int) error {
	return sqlerr.Wrap(err, badCopyFormat, "foreign table %q: file %q, line %d", files.TableName(s.t.name), s.path, line)
}

func (s *source) closeFile() {
	if s.f != nil {
		s.f.Close()
		s.f, s.lx = nil, nil
	}
}

func (s *source) Close() error {
	s.closeFile()
	s.files = nil
	return nil
}
