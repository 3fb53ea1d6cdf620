package main

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The output formats of --format.
const (
	formatTable   = "table"
	formatCSV     = "csv"
	formatJSON    = "json"
	formatNDJSON  = "ndjson"
	formatArrow   = "arrow"
	formatParquet = "parquet"
)

var formats = []string{formatTable, formatCSV, formatJSON, formatNDJSON, formatArrow, formatParquet}

// printOpts are the settings that shape how rows print.
type printOpts struct {
	format     string   // one of formats
	unaligned  bool     // -A: psql's unaligned table format
	expanded   bool     // -x: one line per column (psql's expanded display)
	tuplesOnly bool     // -t: no header, no footer
	fieldSep   string   // -F: the field separator of unaligned (and csv) output
	null       string   // --null: how NULL prints in text formats
	title      string   // a caption above a table (meta commands)
	footers    []string // lines in place of the "(N rows)" footer, if not nil
}

// binary reports whether the format writes bytes that must not go to a
// terminal.
func (o printOpts) binary() bool {
	return o.format == formatArrow || o.format == formatParquet
}

// showsTags reports whether command tags ("CREATE SERVER") go to the output;
// they would corrupt JSON and binary streams.
func (o printOpts) showsTags() bool {
	return o.format == formatTable || o.format == formatCSV
}

// rowPrinter writes one result set: begin once with the schema, batch for
// every record batch in order, end once with the row count. Streaming
// printers write each batch before the next is read.
type rowPrinter interface {
	begin(schema *arrow.Schema) error
	batch(rec arrow.RecordBatch) error
	end(rows int64) error
}

// newRowPrinter returns the printer of o.format writing to w. mem is for
// the Parquet writer's buffers.
func newRowPrinter(w io.Writer, o printOpts, mem memory.Allocator) (rowPrinter, error) {
	switch o.format {
	case formatTable, "":
		if o.expanded {
			return &expandedPrinter{w: w, o: o}, nil
		}
		if o.unaligned {
			return &unalignedPrinter{w: w, o: o}, nil
		}
		return &alignedPrinter{w: w, o: o}, nil
	case formatCSV:
		return newCSVPrinter(w, o), nil
	case formatJSON:
		return &jsonPrinter{w: w}, nil
	case formatNDJSON:
		return &jsonPrinter{w: w, lines: true}, nil
	case formatArrow:
		return &arrowPrinter{w: w, mem: mem}, nil
	case formatParquet:
		return &parquetPrinter{w: w, mem: mem}, nil
	}
	return nil, fmt.Errorf("unknown output format %q (valid: %v)", o.format, formats)
}

// printRows drains rdr into a printer of o's format and returns the number of
// rows printed. It does not release rdr.
func printRows(w io.Writer, rdr array.RecordReader, o printOpts, mem memory.Allocator) (int64, error) {
	p, err := newRowPrinter(w, o, mem)
	if err != nil {
		return 0, err
	}
	if err := p.begin(rdr.Schema()); err != nil {
		return 0, err
	}
	var rows int64
	for rdr.Next() {
		rec := rdr.RecordBatch()
		if err := p.batch(rec); err != nil {
			abort(p)
			return rows, err
		}
		rows += rec.NumRows()
	}
	if err := rdr.Err(); err != nil {
		abort(p)
		return rows, err
	}
	return rows, p.end(rows)
}

// abort releases what a printer holds when its result set failed midway.
func abort(p rowPrinter) {
	if a, ok := p.(interface{ abort() }); ok {
		a.abort()
	}
}

// footerLines are the lines under a table: o.footers, else psql's row
// count "(1 row)", "(3 rows)".
func footerLines(o printOpts, n int64) []string {
	switch {
	case o.footers != nil:
		return o.footers
	case n == 1:
		return []string{"(1 row)"}
	}
	return []string{fmt.Sprintf("(%d rows)", n)}
}
