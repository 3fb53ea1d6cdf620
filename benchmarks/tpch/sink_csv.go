package tpch

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// csvSink writes one table to <dir>/<table>.csv: no header, one row per
// line, fields separated by the delimiter and quoted only when they hold
// the delimiter, a quote or a line break (or are empty, which unquoted
// would read as NULL in PostgreSQL).
type csvSink struct {
	path, tmp string
	f         *os.File
	bw        *bufio.Writer
	delim     byte
	line      []byte
}

func newCSVSink(t Table, o *Options) (*csvSink, error) {
	s := &csvSink{path: filepath.Join(o.Dir, t.Name+".csv"), delim: o.CSVDelimiter}
	s.tmp = s.path + ".tmp"
	f, err := os.Create(s.tmp)
	if err != nil {
		return nil, fmt.Errorf("tpch: %w", err)
	}
	s.f, s.bw = f, bufio.NewWriterSize(f, 1<<20)
	return s, nil
}

// fieldFunc appends the value of row i of one column.
type fieldFunc func(buf []byte, i int) []byte

func (s *csvSink) write(rec arrow.RecordBatch) error {
	fields := make([]fieldFunc, rec.NumCols())
	for c, col := range rec.Columns() {
		f, err := s.formatter(col)
		if err != nil {
			return err
		}
		fields[c] = f
	}
	n := int(rec.NumRows())
	for i := 0; i < n; i++ {
		line := s.line[:0]
		for c, f := range fields {
			if c > 0 {
				line = append(line, s.delim)
			}
			line = f(line, i)
		}
		line = append(line, '\n')
		if _, err := s.bw.Write(line); err != nil {
			return fmt.Errorf("tpch: write %s: %w", s.path, err)
		}
		s.line = line
	}
	return nil
}

func (s *csvSink) formatter(col arrow.Array) (fieldFunc, error) {
	switch a := col.(type) {
	case *array.Int32:
		return func(b []byte, i int) []byte { return strconv.AppendInt(b, int64(a.Value(i)), 10) }, nil
	case *array.Int64:
		return func(b []byte, i int) []byte { return strconv.AppendInt(b, a.Value(i), 10) }, nil
	case *array.Decimal128:
		return func(b []byte, i int) []byte { return appendCents(b, int64(a.Value(i).LowBits())) }, nil
	case *array.Date32:
		return func(b []byte, i int) []byte { return appendDate(b, int64(a.Value(i))) }, nil
	case *array.String:
		return func(b []byte, i int) []byte {
			return s.appendString(b, a.Value(i))
		}, nil
	}
	return nil, fmt.Errorf("tpch: csv: unsupported type %s", col.DataType())
}

func (s *csvSink) appendString(b []byte, v string) []byte {
	if len(v) > 0 && strings.IndexByte(v, s.delim) < 0 && !strings.ContainsAny(v, "\"\r\n") {
		return append(b, v...)
	}
	b = append(b, '"')
	for _, c := range []byte(v) {
		if c == '"' {
			b = append(b, '"')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// appendCents appends an amount in cents as a decimal with two digits.
func appendCents(b []byte, v int64) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	return append(b, '.', byte('0'+v/10%10), byte('0'+v%10))
}

// appendDate appends a date (days since 1970-01-01) as YYYY-MM-DD.
func appendDate(b []byte, d int64) []byte {
	if i := d - startDate; i >= 0 && i < int64(len(dateStrings)) {
		return append(b, dateStrings[i]...)
	}
	return time.Unix(d*86400, 0).UTC().AppendFormat(b, time.DateOnly)
}

// dateStrings caches the text of the dates TPC-H uses.
var dateStrings = func() []string {
	out := make([]string, endDate+200-startDate)
	for i := range out {
		out[i] = time.Unix((startDate+int64(i))*86400, 0).UTC().Format(time.DateOnly)
	}
	return out
}()

func (s *csvSink) finish(err error) error {
	var cerr error
	if err == nil {
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
