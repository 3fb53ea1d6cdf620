package csv

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// dialect is how a file's records are written.
type dialect struct {
	text      bool // PostgreSQL COPY text format (backslash escapes, no quoting)
	delim     byte
	quote     byte
	escape    byte
	null      string
	forceNull []bool // by field: a quoted null string is NULL too
}

// field is one value of a record.
type field struct {
	val    string
	quoted bool
	null   bool
}

// lexer splits a file into records.
type lexer struct {
	r    *bufio.Reader
	d    dialect
	line int // line number of the last line read
	buf  []byte
	recs []field
}

func newLexer(r io.Reader, d dialect) *lexer {
	br := bufio.NewReaderSize(r, 256*1024)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3) // UTF-8 byte order mark
	}
	return &lexer{r: br, d: d}
}

// readLine returns the next line without its line ending, io.EOF at the end.
func (l *lexer) readLine() ([]byte, error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.r.ReadSlice('\n')
		l.buf = append(l.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(l.buf) > 0 {
			err = nil
		}
		if err != nil {
			return nil, err
		}
		l.line++
		return trimEOL(l.buf), nil
	}
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// next returns the fields of the next record and the line it starts on;
// io.EOF at the end. The fields are valid until the next call.
func (l *lexer) next() ([]field, int, error) {
	for {
		line, err := l.readLine()
		if err != nil {
			return nil, 0, err
		}
		start := l.line
		if l.d.text {
			if string(line) == `\.` {
				return nil, 0, io.EOF
			}
			fs, err := l.splitText(line)
			return fs, start, err
		}
		if len(line) == 0 {
			continue // blank lines are skipped in csv format
		}
		fs, err := l.splitCSV(line)
		return fs, start, err
	}
}

// splitCSV splits a csv record; a quoted field may continue on the next lines.
func (l *lexer) splitCSV(line []byte) ([]field, error) {
	d := l.d
	l.recs = l.recs[:0]
	var cur []byte
	quoted, inQuote := false, false
	for {
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case inQuote && c == d.escape && i+1 < len(line) && (line[i+1] == d.quote || line[i+1] == d.escape) && (d.escape != d.quote || line[i+1] == d.quote):
				cur = append(cur, line[i+1])
				i++
			case inQuote && c == d.quote:
				inQuote = false
			case inQuote:
				cur = append(cur, c)
			case c == d.quote:
				inQuote, quoted = true, true
			case c == d.delim:
				l.recs = append(l.recs, l.csvField(cur, quoted))
				cur, quoted = nil, false
			default:
				cur = append(cur, c)
			}
		}
		if !inQuote {
			break
		}
		next, err := l.readLine()
		if err == io.EOF {
			return nil, fmt.Errorf("unterminated quoted field at end of file")
		}
		if err != nil {
			return nil, err
		}
		cur = append(cur, '\n')
		line = next
	}
	l.recs = append(l.recs, l.csvField(cur, quoted))
	return l.recs, nil
}

func (l *lexer) csvField(b []byte, quoted bool) field {
	s := string(b)
	i := len(l.recs)
	isNull := s == l.d.null && (!quoted || (i < len(l.d.forceNull) && l.d.forceNull[i]))
	return field{val: s, quoted: quoted, null: isNull}
}

// splitText splits a text-format record at unescaped delimiters and
// decodes backslash escapes; a field equal to the null string (as written)
// is NULL.
func (l *lexer) splitText(line []byte) ([]field, error) {
	l.recs = l.recs[:0]
	start := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case l.d.delim:
			l.recs = append(l.recs, textField(line[start:i], l.d))
			start = i + 1
		}
	}
	l.recs = append(l.recs, textField(line[start:], l.d))
	return l.recs, nil
}

func textField(raw []byte, d dialect) field {
	if string(raw) == d.null {
		return field{null: true}
	}
	return field{val: unescapeText(raw)}
}

// unescapeText decodes PostgreSQL COPY text escapes.
func unescapeText(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b)
	}
	var sb strings.Builder
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 == len(b) {
			sb.WriteByte(c)
			continue
		}
		i++
		switch e := b[i]; e {
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'v':
			sb.WriteByte('\v')
		case 'x':
			j := i + 1
			for j < len(b) && j < i+3 && isHex(b[j]) {
				j++
			}
			if j == i+1 {
				sb.WriteByte('x')
				continue
			}
			v, _ := strconv.ParseUint(string(b[i+1:j]), 16, 8)
			sb.WriteByte(byte(v))
			i = j - 1
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(b) && j < i+3 && b[j] >= '0' && b[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(string(b[i:j]), 8, 8)
			sb.WriteByte(byte(v))
			i = j - 1
		default:
			sb.WriteByte(e)
		}
	}
	return sb.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
