package main

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// version is set at link time: -ldflags "-X main.version=v0.1.0".
var version = ""

// versionString is the version, else the module's, else the VCS revision.
func versionString() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v + " " + info.GoVersion
}

// action is one -c command or -f file, kept in command-line order.
type action struct {
	file bool   // text is a file name ("-" is standard input)
	text string // SQL and meta commands, or the file name
}

// actionsFlag is a pflag.Value appending to a list shared by -c and -f, so
// that they run in the order given, as psql runs them.
type actionsFlag struct {
	list *[]action
	file bool
}

func (f actionsFlag) String() string { return "" }
func (f actionsFlag) Type() string {
	if f.file {
		return "FILE"
	}
	return "COMMAND"
}

func (f actionsFlag) Set(s string) error {
	*f.list = append(*f.list, action{file: f.file, text: s})
	return nil
}

// options are the root command's flags.
type options struct {
	actions     []action
	print       printOpts
	quiet       bool
	onErrorStop bool
	catalog     string
	user        string
	output      string
	threads     int
	memoryLimit string
	logLevel    string
}

func defaultOptions() *options {
	return &options{print: printOpts{format: formatTable}, logLevel: "error"}
}

// bind declares the flags on cmd.
func (o *options) bind(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.VarP(actionsFlag{list: &o.actions}, "command", "c", "run COMMAND (SQL or a meta command; several statements allowed), then exit; repeatable")
	fs.VarP(actionsFlag{list: &o.actions, file: true}, "file", "f", "run the statements in FILE (\"-\" is standard input), then exit; repeatable")
	fs.BoolVarP(&o.print.unaligned, "no-align", "A", false, "unaligned table output: fields joined by the separator (psql -A)")
	fs.BoolVarP(&o.print.expanded, "expanded", "x", false, "expanded table output: one \"column | value\" line per column (psql -x)")
	fs.BoolVarP(&o.print.tuplesOnly, "tuples-only", "t", false, "print rows only: no header, no row-count footer (psql -t)")
	fs.StringVarP(&o.print.fieldSep, "field-separator", "F", "", "field separator `SEP` of unaligned and csv output (default \"|\", csv \",\")")
	fs.StringVar(&o.print.null, "null", "", "`STRING` printed for NULL in table and csv output (default empty)")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "do not print command tags (CREATE SERVER, INSERT 0 1, ...)")
	fs.BoolVar(&o.onErrorStop, "on-error-stop", false, "stop a script at its first error, with exit status 3 (psql ON_ERROR_STOP)")
	fs.StringVar(&o.catalog, "catalog", "", "catalog file `PATH` (default $MEDLEY_CATALOG, else $XDG_DATA_HOME/medley/catalog.db)")
	fs.StringVarP(&o.user, "user", "U", "", "run as user `NAME` (default the OS user; the first user of a new catalog is its superuser)")
	fs.StringVar(&o.print.format, "format", formatTable, "output `FORMAT`: "+strings.Join(formats, "|")+" (arrow = Arrow IPC stream; arrow and parquet need -o or a non-terminal stdout)")
	fs.StringVarP(&o.output, "output", "o", "", "write query results to `FILE` instead of standard output")
	fs.IntVar(&o.threads, "threads", 0, "parallelism `N` of a query (default all cores)")
	fs.StringVar(&o.memoryLimit, "memory-limit", "", "per-query memory limit `SIZE`, e.g. 512MB, 4GiB (default none)")
	fs.StringVar(&o.logLevel, "log-level", o.logLevel, "`LEVEL` of logs on standard error: debug|info|warn|error")
	fs.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		return pflag.NormalizedName(strings.ReplaceAll(name, "_", "-"))
	})
}

// validate checks flag values that pflag cannot.
func (o *options) validate() error {
	if !slices.Contains(formats, o.print.format) {
		return fmt.Errorf("invalid --format %q: valid formats are %s", o.print.format, strings.Join(formats, ", "))
	}
	if o.threads < 0 {
		return fmt.Errorf("invalid --threads %d: must be 0 (all cores) or more", o.threads)
	}
	if _, err := parseSize(o.memoryLimit); err != nil {
		return err
	}
	return nil
}

// parseSize parses a byte size: a number with an optional unit B, kB/KB/K,
// MB/M, GB/G, TB/T (powers of 1024, as PostgreSQL's memory settings) or
// KiB, MiB, GiB, TiB. Empty is 0.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, nil
	}
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	f, err := strconv.ParseFloat(num, 64)
	mult := map[string]float64{"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
		"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
		"t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40}[unit]
	if err != nil || mult == 0 || f < 0 || f*mult > 1<<62 {
		return 0, fmt.Errorf("invalid --memory-limit %q: want a size such as 512MB or 4GiB", s)
	}
	return int64(f * mult), nil
}
