package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// Limits of the LINE excerpt, as psql's reportErrorPosition has them.
const (
	excerptWidth = 60 // the longest excerpt shown
	minRightCut  = 10 // text kept right of the caret when cutting
)

// writeError prints err in psql's layout:
//
//	ERROR:  syntax error at or near "x"
//	LINE 1: select x from
//	               ^
//	DETAIL:  ...
//	HINT:  ...
//	SQLSTATE: 42601
//
// prefix ("medley:file.sql:3: ") precedes the first line when reading a
// script; stmt is the statement text the error's Position points into.
func writeError(w io.Writer, prefix, stmt string, err error) {
	var b strings.Builder
	code := codeOf(err)
	msg := err.Error()
	var e *sqlerr.Error
	if errors.As(err, &e) {
		msg = e.Error()
	}
	fmt.Fprintf(&b, "%sERROR:  %s\n", prefix, msg)
	if e != nil {
		if e.Position > 0 && stmt != "" {
			b.WriteString(lineExcerpt(stmt, e.Position))
		}
		if e.Detail != "" {
			fmt.Fprintf(&b, "DETAIL:  %s\n", e.Detail)
		}
		if e.Hint != "" {
			fmt.Fprintf(&b, "HINT:  %s\n", e.Hint)
		}
	}
	fmt.Fprintf(&b, "SQLSTATE: %s\n", code)
	io.WriteString(w, b.String())
}

// lineExcerpt returns the "LINE n: ..." line holding the 1-based byte
// position pos of text and a caret line under it; a long line is cut to
// about 60 columns around the caret with "..." marks.
func lineExcerpt(text string, pos int) string {
	pos = min(pos-1, len(text)) // 0-based; just past the end is allowed
	start := strings.LastIndexByte(text[:pos], '\n') + 1
	end := len(text)
	if i := strings.IndexByte(text[start:], '\n'); i >= 0 {
		end = start + i
	}
	lineNo := strings.Count(text[:start], "\n") + 1
	line := []rune(strings.NewReplacer("\t", " ", "\r", "").Replace(text[start:end]))
	loc := len([]rune(strings.ReplaceAll(text[start:pos], "\r", "")))
	begin, stop := 0, len(line)
	if len(line) > excerptWidth {
		if loc+minRightCut < excerptWidth {
			stop = excerptWidth
		} else {
			stop = min(len(line), loc+minRightCut)
			begin = max(0, stop-excerptWidth)
		}
	}
	shown := string(line[begin:stop])
	caret := loc - begin
	if begin > 0 {
		shown = "..." + shown
		caret += 3
	}
	if stop < len(line) {
		shown += "..."
	}
	head := fmt.Sprintf("LINE %d: ", lineNo)
	return head + shown + "\n" + strings.Repeat(" ", len(head)+caret) + "^\n"
}

// codeOf is the first SQLSTATE code in err's chain (sqlerr.Wrap with an
// empty code leaves the outer code empty), XX000 if there is none.
func codeOf(err error) sqlerr.Code {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if se, ok := e.(*sqlerr.Error); ok && se.Code != "" {
			return se.Code
		}
	}
	return sqlerr.InternalError
}
