package main

import (
	"bufio"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/medleysql/medley/engine/pgtext"
)

// csvPrinter writes RFC 4180 CSV as psql's --csv does: a header line unless
// -t, fields quoted only when they hold the separator, a quote, CR or LF (or
// are exactly "\."), NULL as the --null string. It streams.
type csvPrinter struct {
	bw  *bufio.Writer
	o   printOpts
	sep string
}

func newCSVPrinter(w io.Writer, o printOpts) *csvPrinter {
	sep := ","
	if o.fieldSep != "" {
		sep = o.fieldSep
	}
	return &csvPrinter{bw: bufio.NewWriter(w), o: o, sep: sep}
}

func (p *csvPrinter) field(s string) {
	if strings.Contains(s, p.sep) || strings.ContainsAny(s, "\"\r\n") || s == `\.` ||
		p.sep == `\` || p.sep == "." {
		s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	p.bw.WriteString(s)
}

func (p *csvPrinter) begin(schema *arrow.Schema) error {
	if p.o.tuplesOnly {
		return nil
	}
	for j, f := range schema.Fields() {
		if j > 0 {
			p.bw.WriteString(p.sep)
		}
		p.field(f.Name)
	}
	p.bw.WriteString("\n")
	return nil
}

func (p *csvPrinter) batch(rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	cols := rec.Columns()
	for i := 0; i < n; i++ {
		for j, c := range cols {
			if j > 0 {
				p.bw.WriteString(p.sep)
			}
			if s, ok := pgtext.Format(c, i); ok {
				p.field(s)
			} else {
				p.bw.WriteString(p.o.null)
			}
		}
		p.bw.WriteString("\n")
	}
	return p.bw.Flush()
}

func (p *csvPrinter) end(int64) error { return p.bw.Flush() }

// jsonPrinter writes a JSON array of objects, one object per line, or with
// lines set NDJSON (one object per line, no array). It streams.
type jsonPrinter struct {
	w     io.Writer
	lines bool
	keys  [][]byte // each column's name, encoded, with the colon
	rows  int64
	buf   []byte
}

func (p *jsonPrinter) begin(schema *arrow.Schema) error {
	for _, f := range schema.Fields() {
		p.keys = append(p.keys, append(appendJSONString(nil, f.Name), ':'))
	}
	if !p.lines {
		_, err := io.WriteString(p.w, "[")
		return err
	}
	return nil
}

func (p *jsonPrinter) batch(rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	cols := rec.Columns()
	b := p.buf[:0]
	for i := 0; i < n; i++ {
		if !p.lines {
			if p.rows > 0 {
				b = append(b, ',')
			}
			b = append(b, '\n')
		}
		b = append(b, '{')
		for j, c := range cols {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, p.keys[j]...)
			b = appendJSONValue(b, c, i)
		}
		b = append(b, '}')
		if p.lines {
			b = append(b, '\n')
		}
		p.rows++
	}
	p.buf = b
	_, err := p.w.Write(b)
	return err
}

func (p *jsonPrinter) end(int64) error {
	if p.lines {
		return nil
	}
	end := "]\n"
	if p.rows > 0 {
		end = "\n]\n"
	}
	_, err := io.WriteString(p.w, end)
	return err
}

// arrowPrinter writes an Arrow IPC stream, batch by batch.
type arrowPrinter struct {
	w   io.Writer
	mem memory.Allocator
	iw  *ipc.Writer
}

func (p *arrowPrinter) begin(schema *arrow.Schema) error {
	p.iw = ipc.NewWriter(p.w, ipc.WithSchema(schema), ipc.WithAllocator(p.mem))
	return nil
}

func (p *arrowPrinter) batch(rec arrow.RecordBatch) error { return p.iw.Write(rec) }

func (p *arrowPrinter) end(int64) error { return p.iw.Close() }

// abort frees the writer after a failed read.
func (p *arrowPrinter) abort() {
	if p.iw != nil {
		_ = p.iw.Close()
	}
}

// parquetPrinter writes a Parquet file (Snappy-compressed), one row group
// per batch as batches arrive.
type parquetPrinter struct {
	w   io.Writer
	mem memory.Allocator
	fw  *pqarrow.FileWriter
}

func (p *parquetPrinter) begin(schema *arrow.Schema) error {
	props := parquet.NewWriterProperties(parquet.WithAllocator(p.mem),
		parquet.WithCompression(compress.Codecs.Snappy))
	arrProps := pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(p.mem), pqarrow.WithStoreSchema())
	// Hide Close: the parquet writer closes a sink that has it (stdout).
	fw, err := pqarrow.NewFileWriter(schema, struct{ io.Writer }{p.w}, props, arrProps)
	if err != nil {
		return err
	}
	p.fw = fw
	return nil
}

func (p *parquetPrinter) batch(rec arrow.RecordBatch) error { return p.fw.Write(rec) }

func (p *parquetPrinter) end(int64) error { return p.fw.Close() }

// abort frees the writer's buffers after a failed read; the file is left
// incomplete.
func (p *parquetPrinter) abort() {
	if p.fw != nil {
		_ = p.fw.Close()
	}
}
