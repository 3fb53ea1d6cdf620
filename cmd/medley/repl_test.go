package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/creack/pty"

	"github.com/medleysql/medley/engine"
)

// screen collects what a pseudo-terminal shows.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(b)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the screen shows want count times in all.
func (s *screen) waitFor(t *testing.T, want string, count int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Count(s.String(), want) >= count {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("screen never showed %q (x%d):\n%s", want, count, s.String())
}

// ptyShell starts the CLI on a pseudo-terminal in-process and returns the
// terminal's master side, its screen and a channel with the exit status.
func ptyShell(t *testing.T, be backend, args ...string) (*os.File, *screen, chan int) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no pseudo-terminal: %v", err)
		}
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MEDLEY_HISTORY", filepath.Join(t.TempDir(), "history"))
	scr := &screen{}
	go func() { _, _ = copyAll(scr, ptmx) }()
	done := make(chan int, 1)
	open := func(context.Context, engineConfig) (backend, func() error, error) {
		return be, func() error { return nil }, nil
	}
	restore := splitStatements
	if got, _ := engine.SplitStatements("select 1;"); len(got) == 0 {
		splitStatements = testSplit
	}
	t.Cleanup(func() { splitStatements = restore })
	go func() { done <- runWith(context.Background(), args, tty, tty, tty, open) }()
	return ptmx, scr, done
}

func copyAll(dst *screen, src *os.File) (int64, error) {
	buf := make([]byte, 4096)
	var n int64
	for {
		k, err := src.Read(buf)
		dst.Write(buf[:k])
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
}

func waitExit(t *testing.T, done chan int) int {
	t.Helper()
	select {
	case code := <-done:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("the shell did not exit")
	}
	return -1
}

// TestREPL drives the interactive shell on a pseudo-terminal: prompts,
// multi-line statements, Ctrl-C clearing the line, Ctrl-C cancelling a
// running statement (with progress shown meanwhile), history, \q.
func TestREPL(t *testing.T) {
	restoreDelay := progressDelay
	progressDelay = 50 * time.Millisecond
	defer func() { progressDelay = restoreDelay }()
	be := scriptBackend(memory.NewGoAllocator())
	slow := &slowBackend{fakeBackend: be}
	ptmx, scr, done := ptyShell(t, slow)

	scr.waitFor(t, "medley=> ", 1)
	ptmx.WriteString("ok 1;\r")
	scr.waitFor(t, "OK 1", 1)
	ptmx.WriteString("ok\r")
	scr.waitFor(t, "medley-> ", 1)
	ptmx.WriteString("  5;\r")
	scr.waitFor(t, "OK 5", 1)
	ptmx.WriteString("half a statement\x03") // Ctrl-C clears it
	scr.waitFor(t, "^C", 1)
	ptmx.WriteString("ok 2;\r")
	scr.waitFor(t, "OK 2", 1)

	ptmx.WriteString("slow;\r")
	scr.waitFor(t, "orders 1,234 rows 5.7 kB", 1)
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	scr.waitFor(t, "ERROR:  canceling statement due to user request", 1)
	scr.waitFor(t, "medley=> ", 6)

	ptmx.WriteString("\\q\r")
	if code := waitExit(t, done); code != exitFailed { // the cancelled statement failed
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	hist, _ := os.ReadFile(os.Getenv("MEDLEY_HISTORY"))
	if !strings.Contains(string(hist), "ok 1;\n") {
		t.Errorf("history %q lacks the statements", hist)
	}
	want := []string{"ok 1", "ok\n  5", "ok 2", "slow"}
	if got := be.ran; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("ran %q, want %q", got, want)
	}
}

// slowBackend runs "slow" until cancelled, with progress to show.
type slowBackend struct{ *fakeBackend }

func (s *slowBackend) Run(ctx context.Context, sql string, args ...any) (*engine.Result, error) {
	if sql != "slow" {
		return s.fakeBackend.Run(ctx, sql, args...)
	}
	s.ran = append(s.ran, sql)
	rdr := &blockingReader{ctx: ctx}
	prog := func() engine.Progress {
		return engine.Progress{Sources: []engine.SourceProgress{{Name: "orders", Rows: 1234, Bytes: 5678}}}
	}
	return &engine.Result{Reader: rdr, Progress: prog}, nil
}

// TestREPLCtrlD quits on Ctrl-D with status 0.
func TestREPLCtrlD(t *testing.T) {
	ptmx, scr, done := ptyShell(t, scriptBackend(memory.NewGoAllocator()))
	scr.waitFor(t, "medley=> ", 1)
	ptmx.WriteString("\x04")
	if code := waitExit(t, done); code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
}

// TestBinaryFormatRefusesTerminal will not write Arrow or Parquet to a
// terminal.
func TestBinaryFormatRefusesTerminal(t *testing.T) {
	for _, f := range []string{formatArrow, formatParquet} {
		_, scr, done := ptyShell(t, scriptBackend(memory.NewGoAllocator()), "--format", f, "-c", "ok 1")
		if code := waitExit(t, done); code != exitFailed {
			t.Errorf("%s: exit %d, want %d", f, code, exitFailed)
		}
		scr.waitFor(t, "writes binary data: give -o FILE or redirect standard output", 1)
	}
}

// blockingReader is a RecordReader whose Next waits for its context's end.
type blockingReader struct {
	ctx context.Context
	err error
}

func (r *blockingReader) Retain()                        {}
func (r *blockingReader) Release()                       {}
func (r *blockingReader) Schema() *arrow.Schema          { return arrow.NewSchema(nil, nil) }
func (r *blockingReader) RecordBatch() arrow.RecordBatch { return nil }
func (r *blockingReader) Record() arrow.RecordBatch      { return nil }
func (r *blockingReader) Err() error                     { return r.err }
func (r *blockingReader) Next() bool {
	<-r.ctx.Done()
	r.err = r.ctx.Err()
	return false
}
