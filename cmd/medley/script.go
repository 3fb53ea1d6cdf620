package main

import (
	"context"
	"fmt"
	"strings"
)

// script accumulates input lines, runs each statement as soon as its ';'
// arrives and runs meta commands (lines starting with a backslash outside a
// statement). It is shared by the REPL, -c, -f and standard input.
type script struct {
	sh     *shell
	name   string // file name for error prefixes; "" for -c and the REPL
	buf    string // text of the statement being read
	lineNo int
	quit   bool // \q was read
}

func (sh *shell) newScript(name string) *script { return &script{sh: sh, name: name} }

// pending reports whether a statement is partly read (the REPL's
// continuation prompt).
func (sc *script) pending() bool { return strings.TrimSpace(sc.buf) != "" }

// reset drops a partly read statement (Ctrl-C at the prompt).
func (sc *script) reset() { sc.buf = "" }

// where is the error prefix for a statement ending on the current line.
func (sc *script) where() string {
	if sc.name == "" {
		return ""
	}
	return fmt.Sprintf("medley:%s:%d: ", sc.name, sc.lineNo)
}

// line feeds one input line (without its newline) and runs what it
// completes. A line starting with a backslash is a meta command, even in
// the middle of a statement (as in psql; \r clears the statement). It
// reports whether to stop: \q, or an error under --on-error-stop.
func (sc *script) line(ctx context.Context, text string) bool {
	sc.lineNo++
	if strings.HasPrefix(strings.TrimSpace(text), `\`) {
		cmd := strings.TrimSpace(text)
		if cmd == `\r` {
			sc.reset()
			fmt.Fprintln(sc.sh.out, "Query buffer reset (cleared).")
			sc.sh.out.Flush()
			return false
		}
		quit, failed := sc.sh.meta(ctx, cmd, sc.where())
		sc.quit = quit
		return quit || failed && sc.sh.onErrorStop
	}
	sc.buf += text + "\n"
	stmts, rest := sc.sh.split(sc.buf)
	sc.buf = rest
	for _, s := range stmts {
		if sc.run(ctx, s) {
			return true
		}
	}
	return false
}

// finish runs a last statement left without ';' at the end of input, as
// psql does.
func (sc *script) finish(ctx context.Context) bool {
	rest := sc.buf
	sc.buf = ""
	if strings.TrimSpace(rest) == "" {
		return false
	}
	stmts, tail := sc.sh.split(rest + ";")
	if strings.TrimSpace(tail) != "" {
		// An unterminated string or comment: let the engine report it.
		stmts = append(stmts, tail)
	}
	for _, s := range stmts {
		if sc.run(ctx, s) {
			return true
		}
	}
	return false
}

// run runs one statement; it reports whether to stop.
func (sc *script) run(ctx context.Context, stmt string) bool {
	stmt = strings.TrimSpace(stmt)
	if stmt == "" {
		return false
	}
	return sc.sh.exec(ctx, stmt, sc.where()) && sc.sh.onErrorStop
}
