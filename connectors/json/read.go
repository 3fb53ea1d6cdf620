package json

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors/internal/files"
	"github.com/medleysql/medley/sql/sqlerr"
)

// batchRows is the number of objects per batch.
const batchRows = 8192

// source decodes the objects of a partition's files.
type source struct {
	t      *Table
	files  []string
	mem    memory.Allocator
	schema *arrow.Schema // the read columns, named by object key

	f    *os.File
	r    *bufio.Reader
	path string
	line int
	buf  []byte
}

func (s *source) Next(ctx context.Context) (arrow.RecordBatch, error) {
	for {
		if s.r == nil {
			if len(s.files) == 0 {
				return nil, nil
			}
			f, err := os.Open(s.files[0])
			if err != nil {
				return nil, files.Error(s.t.name, s.files[0], err, sqlerr.IOError)
			}
			s.f, s.path, s.line = f, s.files[0], 0
			s.r = bufio.NewReaderSize(f, 256*1024)
			s.files = s.files[1:]
		}
		b, err := s.readBatch()
		if err != nil || b != nil {
			return b, err
		}
		s.closeFile()
	}
}

// readLine returns the next line, io.EOF at the end.
func (s *source) readLine() ([]byte, error) {
	s.buf = s.buf[:0]
	for {
		chunk, err := s.r.ReadSlice('\n')
		s.buf = append(s.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(s.buf) > 0 {
			err = nil
		}
		if err != nil {
			return nil, err
		}
		s.line++
		return s.buf, nil
	}
}

// readBatch decodes up to batchRows objects; nil at the end of the file.
func (s *source) readBatch() (arrow.RecordBatch, error) {
	rb := array.NewRecordBuilder(s.mem, s.schema)
	defer rb.Release()
	n := 0
	for n < batchRows {
		line, err := s.readLine()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, files.Error(s.t.name, s.path, err, sqlerr.IOError)
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if line[0] != '{' {
			return nil, sqlerr.New(sqlerr.InvalidTextRepr, "foreign table %q: file %q, line %d: not a JSON object",
				files.TableName(s.t.name), s.path, s.line)
		}
		if err := rb.UnmarshalJSON(line); err != nil {
			e := sqlerr.New(sqlerr.InvalidTextRepr, "foreign table %q: file %q, line %d: %v",
				files.TableName(s.t.name), s.path, s.line, err)
			e.Err = err
			return nil, e
		}
		n++
	}
	if n == 0 {
		return nil, nil
	}
	if s.schema.NumFields() == 0 {
		return array.NewRecordBatch(s.schema, nil, int64(n)), nil
	}
	return rb.NewRecordBatch(), nil
}

func (s *source) closeFile() {
	if s.f != nil {
		s.f.Close()
		s.f, s.r = nil, nil
	}
}

func (s *source) Close() error {
	s.closeFile()
	s.files = nil
	return nil
}
