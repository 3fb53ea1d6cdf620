// Package peer holds what the peer benchmarks (cmd/duckcmp, cmd/fedbench)
// share: the machine's description, peak RSS, medians, and the comparison
// of result rows across engines (as the differential test compares them).
package peer

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Machine describes where a benchmark ran.
type Machine struct {
	CPU     string
	Cores   int
	RAM     string
	Go      string
	OSArch  string
	Commit  string
	LoadAvg string // at the start
}

// Describe reads the machine's description from /proc and git.
func Describe() Machine {
	m := Machine{CPU: "unknown CPU", Cores: runtime.NumCPU(), Go: runtime.Version(),
		OSArch: runtime.GOOS + "/" + runtime.GOARCH, Commit: GitCommit(), LoadAvg: LoadAvg()}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		if kb, err := strconv.ParseInt(strings.Fields(v)[0], 10, 64); err == nil {
			m.RAM = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	return m
}

// Markdown is the machine as a list for a report.
func (m Machine) Markdown(loadAtEnd string) string {
	return fmt.Sprintf("- Machine: %s, %d cores, %s RAM, %s\n- Go: %s; commit: %s\n"+
		"- Load average (1, 5, 15 min) at start: %s; at the end: %s (other work on the machine skews the times)\n",
		m.CPU, m.Cores, m.RAM, m.OSArch, m.Go, m.Commit, m.LoadAvg, loadAtEnd)
}

func procField(path, key string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// LoadAvg is the 1, 5 and 15 minute load averages.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// GitCommit is HEAD's short hash, "+dirty" when tracked files differ.
func GitCommit() string {
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

var peakReset bool

// ResetPeakRSS returns the Go heap's free memory to the kernel (so that an
// earlier query's retained heap does not count) and resets the kernel's peak
// RSS (VmHWM) of this process.
func ResetPeakRSS() {
	debug.FreeOSMemory()
	peakReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// PeakRSS is VmHWM in bytes (since ResetPeakRSS), else getrusage's maxrss.
func PeakRSS() int64 {
	if peakReset {
		if v := procField("/proc/self/status", "VmHWM"); v != "" {
			if kb, err := strconv.ParseInt(strings.Fields(v)[0], 10, 64); err == nil {
				return kb << 10
			}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		return ru.Maxrss << 10
	}
	return 0
}

// MiB formats bytes; "-" when unknown.
func MiB(b int64) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

// Median of ds (0 for none).
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

// Geomean of the positive values of xs (0 for none).
func Geomean(xs []float64) float64 {
	var sum float64
	n := 0
	for _, x := range xs {
		if x > 0 {
			sum += math.Log(x)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return math.Exp(sum / float64(n))
}

// Secs formats a duration in seconds with millisecond precision.
func Secs(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// Met says whether a target holds.
func Met(ok bool) string {
	if ok {
		return "**met**"
	}
	return "**not met**"
}

// Command is the command line that ran the program cmd, as go run from
// the directory it ran in (benchmarks/ under make, else the top level).
func Command(cmd string) string {
	args := strings.Join(os.Args[1:], " ")
	if wd, err := os.Getwd(); err == nil && filepath.Base(wd) == "benchmarks" {
		return "cd benchmarks && go run ./cmd/" + cmd + " " + args
	}
	return "go run ./benchmarks/cmd/" + cmd + " " + args
}
