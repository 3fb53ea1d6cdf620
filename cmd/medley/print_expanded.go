package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/engine/pgtext"
)

// expandedPrinter is psql's expanded display (-x, \x): one "column | value"
// line per column, records under "-[ RECORD n ]" rules. Aligned, it buffers
// to find the widths; unaligned (-A) it streams records separated by blank
// lines.
type expandedPrinter struct {
	w       io.Writer
	o       printOpts
	headers []string
	rows    [][]string
	bw      *bufio.Writer // unaligned only
	n       int64         // records written (unaligned)
}

func (p *expandedPrinter) begin(schema *arrow.Schema) error {
	for _, f := range schema.Fields() {
		p.headers = append(p.headers, f.Name)
	}
	if p.o.unaligned {
		p.bw = bufio.NewWriter(p.w)
		if p.o.title != "" && !p.o.tuplesOnly {
			p.bw.WriteString(p.o.title + "\n")
		}
	}
	return nil
}

func (p *expandedPrinter) batch(rec arrow.RecordBatch) error {
	cols := rec.Columns()
	for i := 0; i < int(rec.NumRows()); i++ {
		row := make([]string, len(cols))
		for j, c := range cols {
			s, ok := pgtext.Format(c, i)
			if !ok {
				s = p.o.null
			}
			row[j] = s
		}
		if p.o.unaligned {
			p.writeUnaligned(row)
		} else {
			p.rows = append(p.rows, row)
		}
	}
	if p.o.unaligned {
		return p.bw.Flush()
	}
	return nil
}

func (p *expandedPrinter) writeUnaligned(row []string) {
	sep := p.o.fieldSep
	if sep == "" {
		sep = "|"
	}
	if p.n > 0 {
		p.bw.WriteString("\n")
	}
	p.n++
	for j, h := range p.headers {
		p.bw.WriteString(h + sep + row[j] + "\n")
	}
}

func (p *expandedPrinter) end(rows int64) error {
	if p.o.unaligned {
		if rows == 0 && !p.o.tuplesOnly {
			p.bw.WriteString("(0 rows)\n")
		}
		return p.bw.Flush()
	}
	bw := bufio.NewWriter(p.w)
	hwidth, dwidth := 0, 0
	for _, h := range p.headers {
		hwidth = max(hwidth, displayWidth(h))
	}
	for _, row := range p.rows {
		for _, s := range row {
			for _, line := range strings.Split(s, "\n") {
				dwidth = max(dwidth, displayWidth(line))
			}
		}
	}
	if p.o.title != "" && !p.o.tuplesOnly {
		bw.WriteString(p.o.title + "\n")
	}
	for r, row := range p.rows {
		switch {
		case !p.o.tuplesOnly:
			bw.WriteString(recordRule(r+1, hwidth, dwidth) + "\n")
		case r > 0:
			bw.WriteString(recordRule(0, hwidth, dwidth) + "\n")
		}
		p.writeRecord(bw, row, hwidth, dwidth)
	}
	if rows == 0 && !p.o.tuplesOnly {
		bw.WriteString("(0 rows)\n")
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// recordRule is the line above a record: "-[ RECORD 3 ]-----+---" as
// psql's print_aligned_vertical_line draws it with border 1; record 0 is
// the plain rule between records in tuples-only mode.
func recordRule(record, hwidth, dwidth int) string {
	var b strings.Builder
	b.WriteString("-")
	reclen := 0
	if record > 0 {
		label := fmt.Sprintf("[ RECORD %d ]", record)
		b.WriteString(label)
		reclen = len(label)
	}
	reclen++
	for i := reclen; i < hwidth; i++ {
		b.WriteString("-")
	}
	reclen -= hwidth
	for _, c := range []string{"-", "+", "-"} {
		if reclen <= 0 {
			b.WriteString(c)
		}
		reclen--
	}
	for i := max(reclen, 0); i < dwidth; i++ {
		b.WriteString("-")
	}
	return b.String()
}

// writeRecord writes "header | value" lines; a value with newlines
// continues on lines with a blank header and a '+' wrap mark.
func (p *expandedPrinter) writeRecord(bw *bufio.Writer, row []string, hwidth, dwidth int) {
	for j, h := range p.headers {
		lines := strings.Split(row[j], "\n")
		for l, line := range lines {
			head := ""
			if l == 0 {
				head = h
			}
			bw.WriteString(head + strings.Repeat(" ", hwidth-displayWidth(head)) + " | " + line)
			if l+1 < len(lines) {
				bw.WriteString(strings.Repeat(" ", dwidth-displayWidth(line)) + "+")
			}
			bw.WriteString("\n")
		}
	}
}
