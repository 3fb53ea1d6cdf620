package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/medleysql/medley/engine"
)

// progress draws one live status line on a terminal (standard error) while
// a statement runs longer than a delay: elapsed time and the rows and bytes
// fetched per source. Writes of results to the same terminal go through
// clearing, which erases the line first so rows never mix with it.
type progress struct {
	w     io.Writer
	delay time.Duration
	tick  time.Duration
	mu    sync.Mutex // guards drawn and serialises writes to the terminal
	drawn bool
}

func newProgress(w io.Writer, delay time.Duration) *progress {
	return &progress{w: w, delay: delay, tick: 200 * time.Millisecond}
}

// start shows progress from get after the delay until the returned stop is
// called, which erases the line and waits for the drawing goroutine.
func (p *progress) start(get func() engine.Progress) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	began := time.Now()
	go func() {
		defer close(finished)
		timer := time.NewTimer(p.delay)
		defer timer.Stop()
		select {
		case <-done:
			return
		case <-timer.C:
		}
		t := time.NewTicker(p.tick)
		defer t.Stop()
		for {
			p.draw(progressText(time.Since(began), get()))
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		p.clear()
	}
}

func (p *progress) draw(text string) {
	width := 80
	if f, ok := p.w.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			width = w
		}
	}
	if r := []rune(text); len(r) >= width {
		text = string(r[:width-1])
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\x1b[K%s", text)
	p.drawn = true
}

func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
}

func (p *progress) clearLocked() {
	if p.drawn {
		io.WriteString(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// clearing wraps a writer to the same terminal: each write erases the
// progress line first.
func (p *progress) clearing(w io.Writer) io.Writer { return clearingWriter{p: p, w: w} }

type clearingWriter struct {
	p *progress
	w io.Writer
}

func (c clearingWriter) Write(b []byte) (int, error) {
	c.p.mu.Lock()
	defer c.p.mu.Unlock()
	c.p.clearLocked()
	return c.w.Write(b)
}

// progressText is the status line: "12.3s  orders 1,234 rows 56.7 kB · ...".
func progressText(elapsed time.Duration, pr engine.Progress) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%.1fs", elapsed.Seconds())
	for i, s := range pr.Sources {
		sep := "  "
		if i > 0 {
			sep = " · "
		}
		fmt.Fprintf(&b, "%s%s %s rows %s", sep, s.Name, groupDigits(s.Rows), humanBytes(s.Bytes))
	}
	if len(pr.Sources) == 0 {
		b.WriteString("  running…")
	}
	return b.String()
}

// groupDigits prints n with thousands separators: 1,234,567.
func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// humanBytes prints a byte count in kB/MB/GB (powers of 1000).
func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
