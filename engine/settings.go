package engine

import (
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// settings are a session's run-time parameters (SET / SHOW / RESET).
type settings struct {
	threads     int   // degree of parallelism, ≥ 1
	memoryLimit int64 // bytes per query; 0 = none
	pushdown    bool  // push filters, projections, limits, joins to sources
	searchPath  string
}

func defaultSettings(cfg Config) settings {
	threads := cfg.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	return settings{threads: threads, memoryLimit: cfg.MemoryLimit, pushdown: true, searchPath: "public"}
}

// settingNames lists what SET/SHOW accept, sorted.
var settingNames = []string{"memory_limit", "pushdown", "search_path", "threads"}

func (s *settings) set(name string, values []string) error {
	if len(values) != 1 {
		return sqlerr.New(sqlerr.InvalidParameterValue, "SET %s takes only one argument", name)
	}
	v := values[0]
	switch name {
	case "threads":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1024 {
			return sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter \"threads\": %q", v).
				WithHint("threads is a whole number from 1 to 1024")
		}
		s.threads = n
	case "memory_limit":
		n, err := ParseSize(v)
		if err != nil {
			return sqlerr.Wrap(err, sqlerr.InvalidParameterValue, "invalid value for parameter \"memory_limit\"")
		}
		s.memoryLimit = n
	case "pushdown":
		b, ok := parseBool(v)
		if !ok {
			return sqlerr.New(sqlerr.InvalidParameterValue, "parameter \"pushdown\" requires a Boolean value")
		}
		s.pushdown = b
	case "search_path":
		s.searchPath = v
	default:
		return unknownSetting(name)
	}
	return nil
}

func (s *settings) get(name string) (string, error) {
	switch name {
	case "threads":
		return strconv.Itoa(s.threads), nil
	case "memory_limit":
		if s.memoryLimit == 0 {
			return "0", nil
		}
		return FormatSize(s.memoryLimit), nil
	case "pushdown":
		if s.pushdown {
			return "on", nil
		}
		return "off", nil
	case "search_path":
		return s.searchPath, nil
	}
	return "", unknownSetting(name)
}

func unknownSetting(name string) error {
	return sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter %q", name).
		WithHint("known parameters: %s", strings.Join(settingNames, ", "))
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "on", "true", "yes", "1", "t", "y":
		return true, true
	case "off", "false", "no", "0", "f", "n":
		return false, true
	}
	return false, false
}

var sizeUnits = []struct {
	suffix, display string
	mult            int64
}{{"tb", "TB", 1 << 40}, {"gb", "GB", 1 << 30}, {"mb", "MB", 1 << 20}, {"kb", "kB", 1 << 10}, {"b", "B", 1}}

// ParseSize reads a memory size such as "4GB", "512 MB", "1024kB" or a plain
// number of bytes (PostgreSQL's units, powers of 1024). 0 means no limit.
func ParseSize(v string) (int64, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f*float64(mult) > float64(1<<62) {
		return 0, fmt.Errorf("invalid size %q: use a number with an optional unit B, kB, MB, GB or TB", v)
	}
	return int64(f * float64(mult)), nil
}

// FormatSize prints bytes with the largest unit that divides them evenly.
func FormatSize(n int64) string {
	for _, u := range sizeUnits {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.display
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

// all returns every setting's name and value, sorted by name.
func (s *settings) all() [][2]string {
	out := make([][2]string, 0, len(settingNames))
	for _, n := range settingNames {
		v, _ := s.get(n)
		out = append(out, [2]string{n, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// schemas is the search path as a list: search_path's comma-separated
// names, unquoted and trimmed.
func (s *settings) schemas() []string {
	var out []string
	for _, p := range strings.Split(s.searchPath, ",") {
		p = strings.Trim(strings.TrimSpace(p), `"`)
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
