package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// machine describes where the benchmark ran.
type machine struct {
	cpu    string
	cores  int
	ramGiB float64
	goVer  string
	osArch string
	commit string
	load   string // /proc/loadavg when the run started
}

func describeMachine() machine {
	m := machine{cpu: "unknown", cores: runtime.NumCPU(), goVer: runtime.Version(),
		osArch: runtime.GOOS + "/" + runtime.GOARCH, commit: gitCommit()}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.cpu = v
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		m.load = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		kb, _ := strconv.ParseFloat(strings.Fields(v)[0], 64)
		m.ramGiB = kb / (1 << 20)
	}
	return m
}

// procField returns the value of the first "key: value" line of a /proc
// file, or "".
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// gitCommit is HEAD's short hash, "+dirty" when tracked files differ.
func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		c += "+dirty"
	}
	return c
}

// peakReset says whether the kernel's peak RSS (VmHWM) could be reset, so
// that peaks are per query rather than of the process so far.
var peakReset bool

// resetPeakRSS resets VmHWM (Linux: write 5 to /proc/self/clear_refs).
func resetPeakRSS() {
	peakReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS is the peak resident set in bytes since resetPeakRSS (or of the
// process when that failed).
func peakRSS() int64 {
	if peakReset {
		if v := procField("/proc/self/status", "VmHWM"); v != "" {
			kb, err := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		return ru.Maxrss << 10 // kilobytes on Linux
	}
	return 0
}

func mib(b int64) string {
	if b == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

// report is the Markdown report of one invocation.
type report struct {
	cfg       config
	machine   machine
	dataDir   string
	genTime   time.Duration
	started   time.Time
	byThreads []threadResult
}

func (r *report) write() (string, error) {
	if err := os.MkdirAll(r.cfg.out, 0o755); err != nil {
		return "", err
	}
	sf := strconv.FormatFloat(r.cfg.sf, 'g', -1, 64)
	path := filepath.Join(r.cfg.out, fmt.Sprintf("%s-medley-sf%s.md", r.started.Format("2006-01-02"), sf))
	return path, os.WriteFile(path, []byte(r.markdown()), 0o644)
}

func (r *report) markdown() string {
	var b strings.Builder
	m := r.machine
	sf := strconv.FormatFloat(r.cfg.sf, 'g', -1, 64)
	fmt.Fprintf(&b, "# Medley TPC-H SF %s over Parquet — %s\n\n", sf, r.started.Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, "- Machine: %s, %d cores, %.1f GiB RAM, %s\n", m.cpu, m.cores, m.ramGiB, m.osArch)
	fmt.Fprintf(&b, "- Go: %s; commit: %s\n", m.goVer, m.commit)
	if m.load != "" {
		end := ""
		if b, err := os.ReadFile("/proc/loadavg"); err == nil {
			end = strings.Join(strings.Fields(string(b))[:3], " ")
		}
		fmt.Fprintf(&b, "- Load average (1, 5, 15 min) at start: %s; at the end: %s (other work on the machine skews the times)\n", m.load, end)
	}
	fmt.Fprintf(&b, "- Data: benchmarks/tpch generator, one Parquet file per table (row groups of %d rows)", 128*1024)
	if r.genTime > 0 {
		fmt.Fprintf(&b, ", generated in %s", r.genTime.Round(time.Second))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "- Method: per query one warm-up run, then the median of %d runs (wall time until the last batch is read); ", r.cfg.runs)
	if peakReset {
		b.WriteString("peak RSS is the process's VmHWM over the query's runs (reset before each query)\n")
	} else {
		b.WriteString("peak RSS is the process's peak so far (VmHWM could not be reset)\n")
	}
	fmt.Fprintf(&b, "- Command: `go run ./benchmarks/cmd/tpchbench -sf %s -runs %d -threads %s`\n\n", sf, r.cfg.runs, r.threadList())

	b.WriteString("| Query | Rows |")
	for _, t := range r.byThreads {
		fmt.Fprintf(&b, " threads=%d (s) | peak RSS |", t.threads)
	}
	b.WriteString("\n| ---: | ---: |")
	for range r.byThreads {
		b.WriteString(" ---: | ---: |")
	}
	b.WriteString("\n")
	for i, q := range r.cfg.queries {
		rows := "-"
		for _, t := range r.byThreads {
			if t.queries[i].err == nil {
				rows = strconv.FormatInt(t.queries[i].rows, 10)
			}
		}
		fmt.Fprintf(&b, "| Q%d | %s |", q, rows)
		for _, t := range r.byThreads {
			qr := t.queries[i]
			if qr.err != nil {
				fmt.Fprintf(&b, " error | |")
				continue
			}
			fmt.Fprintf(&b, " %.3f | %s |", qr.median.Seconds(), mib(qr.peakRSS))
		}
		b.WriteString("\n")
	}
	b.WriteString("| **sum** | |")
	for _, t := range r.byThreads {
		sum, _ := t.totals()
		fmt.Fprintf(&b, " **%.2f** | |", sum)
	}
	b.WriteString("\n| **geomean** | |")
	for _, t := range r.byThreads {
		_, g := t.totals()
		fmt.Fprintf(&b, " **%.3f** | |", g)
	}
	b.WriteString("\n")
	for _, t := range r.byThreads {
		for _, qr := range t.queries {
			if qr.err != nil {
				fmt.Fprintf(&b, "\nthreads=%d Q%d failed: %s\n", t.threads, qr.q, strings.ReplaceAll(qr.err.Error(), "\n", " "))
			}
		}
	}
	return b.String()
}

func (r *report) threadList() string {
	var s []string
	for _, t := range r.byThreads {
		s = append(s, strconv.Itoa(t.threads))
	}
	return strings.Join(s, ",")
}

// totals are the sum and the geometric mean of the medians in seconds of
// the queries that succeeded.
func (t threadResult) totals() (sum, geomean float64) {
	n, logs := 0, 0.0
	for _, q := range t.queries {
		if q.err != nil {
			continue
		}
		s := q.median.Seconds()
		sum += s
		logs += math.Log(math.Max(s, 1e-6))
		n++
	}
	if n > 0 {
		geomean = math.Exp(logs / float64(n))
	}
	return sum, geomean
}
