package parse

import "strings"

// Piece is one statement of a script as Split cut it.
type Piece struct {
	// Text is the statement without its ending ';' and without the
	// whitespace around it (comments inside or before it stay).
	Text string
	// Offset is the 0-based byte offset of Text in the text given to Split.
	Offset int
}

// Split cuts text into statements at each ';' outside '...' strings
// (PostgreSQL's: a doubled quote stands for one, backslash is literal), E'...' strings (backslash
// escapes), "identifiers", `backticks`, -- and nested /* */ comments and
// $$ or $tag$ dollar quoting. Statements that are empty or only comments are
// dropped. rest is the unterminated trailing text (a statement without its
// ';', or an unterminated string or comment) with its leading white space
// dropped but its line breaks kept, "" if that text is only white space and
// comments; the CLI keeps reading lines while rest is not empty.
func Split(text string) (stmts []Piece, rest string) {
	start := 0
	for i := 0; i < len(text); {
		end, ok := skipQuoted(text, i)
		if !ok {
			return stmts, strings.TrimSpace(text[start:])
		}
		if end > i {
			i = end
			continue
		}
		if text[i] == ';' {
			if p, ok := piece(text, start, i); ok {
				stmts = append(stmts, p)
			}
			start = i + 1
		}
		i++
	}
	if _, ok := piece(text, start, len(text)); ok {
		// Only leading space is dropped: the caller appends the next line
		// to rest, so its line breaks must stay.
		rest = strings.TrimLeft(text[start:], " \t\r\n")
	}
	return stmts, rest
}

// piece trims text[start:end] and reports whether it holds more than
// whitespace and comments.
func piece(text string, start, end int) (Piece, bool) {
	s := text[start:end]
	trimmed := strings.TrimLeft(s, " \t\r\n\f\v")
	off := start + len(s) - len(trimmed)
	trimmed = strings.TrimRight(trimmed, " \t\r\n\f\v")
	if onlyComments(trimmed) {
		return Piece{}, false
	}
	return Piece{Text: trimmed, Offset: off}, true
}

func onlyComments(s string) bool {
	l := &lexer{src: s}
	if _, err := l.skipSpace(); err != nil {
		return false
	}
	return l.i >= len(s)
}

// skipQuoted returns the offset after the quoted construct or comment
// starting at text[i], i itself if none starts there, and false if it is
// not terminated.
func skipQuoted(text string, i int) (int, bool) {
	c := text[i]
	rest := text[i:]
	switch {
	case strings.HasPrefix(rest, "--"):
		j := strings.IndexByte(rest, '\n')
		if j < 0 {
			return len(text), true
		}
		return i + j + 1, true
	case strings.HasPrefix(rest, "/*"):
		end := skipBlockComment(text, i)
		return end, end >= 0
	case (c == 'e' || c == 'E') && len(rest) > 1 && rest[1] == '\'' && (i == 0 || !isIdentByte(text[i-1])):
		return skipDelimited(text, i+1, '\'', true)
	case c == '\'' || c == '"' || c == '`':
		return skipDelimited(text, i, c, false)
	case c == '$' && (i == 0 || !isIdentByte(text[i-1])):
		tag, ok := dollarTag(text, i)
		if !ok {
			return i, true
		}
		k := strings.Index(text[i+len(tag):], tag)
		if k < 0 {
			return 0, false
		}
		return i + 2*len(tag) + k, true
	}
	return i, true
}

// skipDelimited skips a q-delimited token starting at text[i].
func skipDelimited(text string, i int, q byte, escapes bool) (int, bool) {
	for j := i + 1; j < len(text); j++ {
		switch {
		case escapes && text[j] == '\\':
			j++
		case text[j] == q && j+1 < len(text) && text[j+1] == q:
			j++
		case text[j] == q:
			return j + 1, true
		}
	}
	return 0, false
}
