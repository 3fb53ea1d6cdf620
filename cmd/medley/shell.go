package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/term"

	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/sqlerr"
)

// splitStatements cuts input into statements at top-level semicolons: the
// engine's lexer, so quoting rules are the engine's.
var splitStatements = engine.SplitStatements

// progressDelay is how long a statement runs before progress shows.
var progressDelay = time.Second

// shell runs statements and meta commands against a backend and prints
// their results; the REPL and the script runner feed it.
type shell struct {
	be          backend
	split       func(string) ([]string, string)
	out         *bufio.Writer // query results (stdout or -o FILE)
	rawOut      io.Writer     // what out writes to
	errOut      io.Writer     // errors, notices, progress
	opts        printOpts
	mem         memory.Allocator
	quiet       bool
	timing      bool
	onErrorStop bool
	progress    *progress // nil when standard error is not a terminal
	failed      bool      // some statement failed
	fatal       bool      // input could not be read: exit 1, not 3
	binaryDone  bool      // a parquet result was written (one per file)

	mu     sync.Mutex
	cancel context.CancelFunc // of the running statement, for Ctrl-C
}

// runShell is the root command: it opens the engine and runs the REPL, the
// -c/-f actions or the script on standard input.
func runShell(ctx context.Context, o *options, stdin io.Reader, stdout, stderr io.Writer, open opener) error {
	if err := o.validate(); err != nil {
		fmt.Fprintf(stderr, "medley: %v\n", err)
		return &exitError{exitFailed}
	}
	out := stdout
	if o.output != "" {
		f, err := os.Create(o.output)
		if err != nil {
			fmt.Fprintf(stderr, "medley: %v\n", err)
			return &exitError{exitFailed}
		}
		defer f.Close()
		out = f
	}
	if o.print.binary() && isTerminal(out) {
		fmt.Fprintf(stderr, "medley: --format %s writes binary data: give -o FILE or redirect standard output\n", o.print.format)
		return &exitError{exitFailed}
	}
	cfg, err := o.engineConfig(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "medley: %v\n", err)
		return &exitError{exitFailed}
	}
	be, closeBE, err := open(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "medley: error: %v\n", err)
		return &exitError{exitNoCatalog}
	}
	defer closeBE()
	sh := newShell(be, o, out, stderr)
	return sh.main(ctx, o, stdin, stdout)
}

// engineConfig turns the flags into the engine's settings.
func (o *options) engineConfig(stderr io.Writer) (engineConfig, error) {
	limit, _ := parseSize(o.memoryLimit) // validated
	logger, err := newLogger(stderr, o.logLevel)
	if err != nil {
		return engineConfig{}, err
	}
	name := o.user
	if name == "" {
		if name, err = osUser(); err != nil {
			return engineConfig{}, err
		}
	}
	return engineConfig{catalog: o.catalog, user: name, threads: o.threads, memoryLimit: limit, logger: logger}, nil
}

func newShell(be backend, o *options, out, stderr io.Writer) *shell {
	sh := &shell{
		be: be, split: splitStatements, rawOut: out, errOut: stderr,
		opts: o.print, mem: memory.NewGoAllocator(), quiet: o.quiet, onErrorStop: o.onErrorStop,
	}
	if isTerminal(stderr) {
		sh.progress = newProgress(stderr, progressDelay)
		if isTerminal(out) {
			// Results stream to the same screen: clear the progress line first.
			out = sh.progress.clearing(out)
		}
	}
	sh.out = bufio.NewWriterSize(out, 64<<10)
	return sh
}

// main picks the mode: the -c/-f actions in order, else the REPL on a
// terminal, else the script on standard input.
func (sh *shell) main(ctx context.Context, o *options, stdin io.Reader, stdout io.Writer) error {
	stopped := false
	switch {
	case len(o.actions) > 0:
		for _, a := range o.actions {
			if stopped = sh.runAction(ctx, a, stdin); stopped {
				break
			}
		}
	case isTerminal(stdin) && (isTerminal(stdout) || isTerminal(sh.errOut)):
		screen, ok := stdout.(*os.File)
		if !isTerminal(stdout) {
			screen, ok = sh.errOut.(*os.File)
		}
		if ok {
			stopped = sh.repl(ctx, stdin.(*os.File), screen)
		}
	default:
		stopped = sh.runScript(ctx, "<stdin>", stdin)
	}
	sh.out.Flush()
	switch {
	case stopped && sh.failed && !sh.fatal:
		return &exitError{exitStopped}
	case sh.failed:
		return &exitError{exitFailed}
	}
	return nil
}

// runAction runs one -c command or -f file; it reports whether to stop.
func (sh *shell) runAction(ctx context.Context, a action, stdin io.Reader) bool {
	if !a.file {
		sc := sh.newScript("")
		for _, line := range strings.Split(a.text, "\n") {
			if sc.line(ctx, line) {
				return true
			}
		}
		return sc.finish(ctx)
	}
	if a.text == "-" {
		return sh.runScript(ctx, "<stdin>", stdin)
	}
	f, err := os.Open(a.text)
	if err != nil {
		fmt.Fprintf(sh.errOut, "medley: %v\n", err)
		sh.failed, sh.fatal = true, true
		return true
	}
	defer f.Close()
	return sh.runScript(ctx, a.text, f)
}

// runScript runs the statements read from r line by line, each one as soon
// as its ';' is read; name labels errors ("medley:name:LINE: ERROR: ...").
func (sh *shell) runScript(ctx context.Context, name string, r io.Reader) bool {
	sc := sh.newScript(name)
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" || err == nil {
			if sc.line(ctx, strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")) {
				return true
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				fmt.Fprintf(sh.errOut, "medley: reading %s: %v\n", name, err)
				sh.failed, sh.fatal = true, true
				return true
			}
			return sc.finish(ctx)
		}
	}
}

// exec runs one SQL statement and prints its result or its error; where
// prefixes the error ("medley:file:3: "). It reports whether it failed.
func (sh *shell) exec(ctx context.Context, stmt, where string) bool {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sh.setCancel(cancel)
	defer sh.setCancel(nil)
	ctx = catalog.WithNoticeHandler(ctx, sh.notice)
	start := time.Now()
	err := sh.execResult(ctx, stmt)
	if err != nil && ctx.Err() != nil && !sqlerr.Is(err, sqlerr.QueryCanceled) {
		err = &sqlerr.Error{Code: sqlerr.QueryCanceled, Message: "canceling statement due to user request", Err: err}
	}
	if err != nil {
		sh.out.Flush()
		writeError(sh.errOut, where, stmt, err)
		sh.failed = true
	} else if sh.timing {
		fmt.Fprintln(sh.out, formatTiming(time.Since(start)))
	}
	sh.out.Flush()
	return err != nil
}

// notice prints a statement's notice on the error stream as psql does
// ("NOTICE:  server \"s\" already exists, skipping"); warnings (SQLSTATE
// class 01, and 25P01 for COMMIT outside a transaction) say WARNING.
func (sh *shell) notice(n catalog.Notice) {
	level := "NOTICE"
	if strings.HasPrefix(string(n.Code), "01") || n.Code == "25P01" {
		level = "WARNING"
	}
	sh.out.Flush()
	fmt.Fprintf(sh.errOut, "%s:  %s\n", level, n.Message)
}

// execResult runs stmt and prints its rows or command tag.
func (sh *shell) execResult(ctx context.Context, stmt string) error {
	res, err := sh.be.Run(ctx, stmt)
	if err != nil {
		return err
	}
	if res.Reader == nil {
		if res.Tag != "" && !sh.quiet && sh.opts.showsTags() {
			fmt.Fprintln(sh.out, res.Tag)
		}
		return nil
	}
	defer res.Reader.Release()
	if sh.opts.format == formatParquet {
		if sh.binaryDone {
			return sqlerr.New(sqlerr.FeatureNotSupported, "a Parquet file holds one result: run one query per output file")
		}
		sh.binaryDone = true
	}
	if sh.progress != nil && res.Progress != nil {
		stop := sh.progress.start(res.Progress)
		defer stop()
	}
	_, err = printRows(sh.out, res.Reader, sh.opts, sh.mem)
	return err
}

func (sh *shell) setCancel(c context.CancelFunc) {
	sh.mu.Lock()
	sh.cancel = c
	sh.mu.Unlock()
}

// interrupt cancels the running statement, if any (Ctrl-C).
func (sh *shell) interrupt() {
	sh.mu.Lock()
	if sh.cancel != nil {
		sh.cancel()
	}
	sh.mu.Unlock()
}

// formatTiming is psql's \timing line: "Time: 1.234 ms", with minutes and
// hours spelt out past a second.
func formatTiming(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms < 1000 {
		return fmt.Sprintf("Time: %.3f ms", ms)
	}
	secs := ms / 1000
	mins := int(secs / 60)
	secs -= float64(mins) * 60
	if mins < 60 {
		return fmt.Sprintf("Time: %.3f ms (%02d:%06.3f)", ms, mins, secs)
	}
	return fmt.Sprintf("Time: %.3f ms (%02d:%02d:%06.3f)", ms, mins/60, mins%60, secs)
}

// isTerminal reports whether v is a file on a terminal.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
