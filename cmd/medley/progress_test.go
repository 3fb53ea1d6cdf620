package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/medleysql/medley/engine"
)

func TestProgressText(t *testing.T) {
	got := progressText(1500*time.Millisecond, engine.Progress{Sources: []engine.SourceProgress{
		{Name: "lineitem", Rows: 1234567, Bytes: 45_600_000}, {Name: "orders", Rows: 12, Bytes: 999}}})
	if want := "1.5s  lineitem 1,234,567 rows 45.6 MB · orders 12 rows 999 B"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := progressText(time.Second, engine.Progress{}); got != "1.0s  running…" {
		t.Errorf("no sources: %q", got)
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{0: "0 B", 1000: "1.0 kB", 1_500_000: "1.5 MB", 3e12: "3.0 TB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the drawing goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestProgressShowsAfterDelayAndClears: nothing for a quick statement; a
// slow one draws, a result write erases the line first, stop erases it.
func TestProgressShowsAfterDelayAndClears(t *testing.T) {
	var term syncBuffer
	p := newProgress(&term, 30*time.Millisecond)
	p.tick = 5 * time.Millisecond
	get := func() engine.Progress {
		return engine.Progress{Sources: []engine.SourceProgress{{Name: "t", Rows: 5, Bytes: 10}}}
	}
	stop := p.start(get)
	stop()
	if term.String() != "" {
		t.Fatalf("quick statement drew %q", term.String())
	}
	stop = p.start(get)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(term.String(), "t 5 rows 10 B") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	out := p.clearing(&term)
	out.Write([]byte("row\n"))
	stop()
	s := term.String()
	if !strings.Contains(s, "t 5 rows 10 B\r\x1b[Krow\n") {
		t.Errorf("the row was not written on a cleared line: %q", s)
	}
	if !strings.HasSuffix(s, "\r\x1b[K") && !strings.HasSuffix(s, "row\n") {
		t.Errorf("the line was not erased at the end: %q", s)
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "日本語": 6, "e\u0301": 1, "ｈｉ": 4, "": 0} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}
