package main

import (
	"bufio"
	"io"
	"strings"
	"unicode"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/engine/pgtext"
)

// alignedPrinter is psql's default aligned format with border 1:
//
//	 id | name
//	----+-------
//	  1 | alice
//	(1 row)
//
// Headers are centred, numbers right-aligned, text left-aligned, a value
// with newlines spans several lines with a '+' wrap mark. It buffers the
// formatted cells (as psql does) to compute the widths.
type alignedPrinter struct {
	w       io.Writer
	o       printOpts
	headers []string
	right   []bool     // right-align column j
	rows    [][]string // formatted cells
}

func (p *alignedPrinter) begin(schema *arrow.Schema) error {
	for _, f := range schema.Fields() {
		p.headers = append(p.headers, f.Name)
		p.right = append(p.right, isNumeric(f.Type))
	}
	return nil
}

func (p *alignedPrinter) batch(rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	cols := rec.Columns()
	for i := 0; i < n; i++ {
		row := make([]string, len(cols))
		for j, c := range cols {
			s, ok := pgtext.Format(c, i)
			if !ok {
				s = p.o.null
			}
			row[j] = s
		}
		p.rows = append(p.rows, row)
	}
	return nil
}

func (p *alignedPrinter) end(rows int64) error {
	bw := bufio.NewWriter(p.w)
	widths := p.widths()
	if p.o.title != "" && !p.o.tuplesOnly {
		total := 2 + 3*(len(widths)-1)
		for _, w := range widths {
			total += w
		}
		pad := (total - displayWidth(p.o.title)) / 2
		bw.WriteString(strings.Repeat(" ", max(pad, 0)) + p.o.title + "\n")
	}
	if !p.o.tuplesOnly {
		p.writeHeader(bw, widths)
	}
	for _, row := range p.rows {
		p.writeRow(bw, widths, row)
	}
	if !p.o.tuplesOnly {
		for _, f := range footerLines(p.o, rows) {
			bw.WriteString(f + "\n")
		}
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// widths returns the display width of every column: its widest line.
func (p *alignedPrinter) widths() []int {
	widths := make([]int, len(p.headers))
	measure := func(j int, s string) {
		for _, line := range strings.Split(s, "\n") {
			widths[j] = max(widths[j], displayWidth(line))
		}
	}
	for j, h := range p.headers {
		measure(j, h)
	}
	for _, row := range p.rows {
		for j, s := range row {
			measure(j, s)
		}
	}
	return widths
}

func (p *alignedPrinter) writeHeader(bw *bufio.Writer, widths []int) {
	if len(widths) == 0 {
		bw.WriteString("--\n")
		return
	}
	for j, h := range p.headers {
		if j > 0 {
			bw.WriteString("|")
		}
		gap := widths[j] - displayWidth(h)
		bw.WriteString(" " + strings.Repeat(" ", gap/2) + h + strings.Repeat(" ", (gap+1)/2) + " ")
	}
	bw.WriteString("\n")
	for j, w := range widths {
		if j > 0 {
			bw.WriteString("+")
		}
		bw.WriteString(strings.Repeat("-", w+2))
	}
	bw.WriteString("\n")
}

// writeRow writes one row, as several lines if a value holds newlines.
func (p *alignedPrinter) writeRow(bw *bufio.Writer, widths []int, row []string) {
	cells := make([][]string, len(row))
	lines := 1
	for j, s := range row {
		cells[j] = strings.Split(s, "\n")
		lines = max(lines, len(cells[j]))
	}
	last := len(row) - 1
	for l := 0; l < lines; l++ {
		for j := range row {
			if j == 0 {
				bw.WriteString(" ")
			}
			more := l+1 < len(cells[j])
			if l >= len(cells[j]) {
				// Past this value's lines: pad unless last (as psql).
				if j < last {
					bw.WriteString(strings.Repeat(" ", widths[j]+1) + "| ")
				}
				continue
			}
			text := cells[j][l]
			gap := strings.Repeat(" ", widths[j]-displayWidth(text))
			if p.right[j] {
				bw.WriteString(gap + text)
			} else {
				bw.WriteString(text)
				if j < last || more {
					bw.WriteString(gap)
				}
			}
			switch {
			case more:
				bw.WriteString("+")
			case j < last:
				bw.WriteString(" ")
			}
			if j < last {
				bw.WriteString("| ")
			}
		}
		bw.WriteString("\n")
	}
}

// displayWidth counts the terminal columns of s as psql's wcwidth does:
// two for East Asian wide and full-width characters, none for combining
// marks and other zero-width characters, one otherwise.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// wideRanges are the East Asian Wide (W) and Fullwidth (F) blocks.
var wideRanges = [][2]rune{
	{0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x2E80, 0x303E}, {0x3041, 0x33FF},
	{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
	{0xFE30, 0xFE4F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF},
	{0x20000, 0x3FFFD},
}

func runeWidth(r rune) int {
	switch {
	case r < 0x300:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	for _, rg := range wideRanges {
		if r >= rg[0] && r <= rg[1] {
			return 2
		}
	}
	return 1
}

// unalignedPrinter is psql's -A format: fields joined by the separator, a
// header line and a "(N rows)" footer unless -t. It streams.
type unalignedPrinter struct {
	w  io.Writer
	o  printOpts
	bw *bufio.Writer
}

func (p *unalignedPrinter) sep() string {
	if p.o.fieldSep == "" {
		return "|"
	}
	return p.o.fieldSep
}

func (p *unalignedPrinter) begin(schema *arrow.Schema) error {
	p.bw = bufio.NewWriter(p.w)
	if p.o.tuplesOnly {
		return nil
	}
	if p.o.title != "" {
		p.bw.WriteString(p.o.title + "\n")
	}
	for j, f := range schema.Fields() {
		if j > 0 {
			p.bw.WriteString(p.sep())
		}
		p.bw.WriteString(f.Name)
	}
	p.bw.WriteString("\n")
	return nil
}

func (p *unalignedPrinter) batch(rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	cols := rec.Columns()
	sep := p.sep()
	for i := 0; i < n; i++ {
		for j, c := range cols {
			if j > 0 {
				p.bw.WriteString(sep)
			}
			s, ok := pgtext.Format(c, i)
			if !ok {
				s = p.o.null
			}
			p.bw.WriteString(s)
		}
		p.bw.WriteString("\n")
	}
	return p.bw.Flush()
}

func (p *unalignedPrinter) end(rows int64) error {
	if !p.o.tuplesOnly {
		for _, f := range footerLines(p.o, rows) {
			p.bw.WriteString(f + "\n")
		}
	}
	return p.bw.Flush()
}
