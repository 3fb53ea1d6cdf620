package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/medleysql/medley/benchmarks/cmd/internal/peer"
)

type report struct {
	cfg      config
	machine  peer.Machine
	started  time.Time
	loadEnd  string
	loadTime time.Duration
	queries  []queryResult
	scan     scanResult
}

// Targets of the benchmarks issue.
const (
	minSpeedup  = 5.0
	minCopyFrac = 0.70
	maxRSS      = 2 << 30
)

func (r *report) write() (string, error) {
	if err := os.MkdirAll(r.cfg.out, 0o755); err != nil {
		return "", err
	}
	p := filepath.Join(r.cfg.out, fmt.Sprintf("%s-federation-sf%g.md", r.started.Format("2006-01-02"), r.cfg.sf))
	return p, os.WriteFile(p, []byte(r.markdown()), 0o644)
}

func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Federation: Medley against postgres_fdw + file_fdw, TPC-H SF %g — %s\n\n", r.cfg.sf, r.started.Format("2006-01-02 15:04"))
	b.WriteString(r.machine.Markdown(r.loadEnd))
	fmt.Fprintf(&b, "- PostgreSQL 15, a throwaway cluster (connectors/testsrv) on 127.0.0.1, default settings; database `%s` loaded by tpch.LoadPostgres in %s "+
		"(COPY, primary keys, ANALYZE)\n", srcDB, r.loadTime.Round(time.Second))
	fmt.Fprintf(&b, "- Medley (threads=%d): lineitem and orders as parquet foreign tables over benchmarks/.cache/sf%g, customer, nation, region, supplier, "+
		"part, partsupp as postgres foreign tables of `%s`\n", r.cfg.threads, r.cfg.sf, srcDB)
	fmt.Fprintf(&b, "- PostgreSQL: database `%s` with postgres_fdw (IMPORT FOREIGN SCHEMA of the six tables from `%s`) and file_fdw over the CSV files "+
		"of lineitem and orders (benchmarks/.cache/sf%g-csv, the same rows), every foreign table ANALYZEd\n", fdwDB, srcDB, r.cfg.sf)
	fmt.Fprintf(&b, "- Method: one warm-up run per side (PostgreSQL's result is the reference Medley's must equal, compared as the differential test does), "+
		"then the median of %d runs; Medley's peak RSS is this process's VmHWM over its runs\n", r.cfg.runs)
	fmt.Fprintf(&b, "- Command: `%s`\n\n", peer.Command("fedbench"))
	b.WriteString("| Query | Rows | postgres_fdw + file_fdw (s) | Medley (s) | speedup | Medley peak RSS | checked |\n| ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
	var speedups []float64
	for _, q := range r.queries {
		check, sp := "equal", "-"
		if q.checked {
			speedups = append(speedups, q.speedup())
			sp = fmt.Sprintf("%.1f×", q.speedup())
		} else {
			check = "**" + strings.ReplaceAll(trim(q.problem), "|", "\\|") + "**"
		}
		fmt.Fprintf(&b, "| Q%d | %d | %s | %s | %s | %s | %s |\n", q.q, q.rows, peer.Secs(q.postgres), peer.Secs(q.medley), sp, peer.MiB(q.medleyRSS), check)
	}
	fmt.Fprintf(&b, "| **geomean** | | | | **%.1f×** | | |\n\n", peer.Geomean(speedups))
	for _, q := range r.queries {
		if q.plan != "" {
			fmt.Fprintf(&b, "<details><summary>Medley's plan of Q%d (EXPLAIN)</summary>\n\n```\n%s\n```\n</details>\n\n", q.q, q.plan)
		}
	}
	s := r.scan
	if s.rows > 0 {
		b.WriteString("## Source throughput: lineitem out of PostgreSQL\n\n")
		fmt.Fprintf(&b, "Medley: `SELECT * FROM li_pg` (a postgres foreign table of lineitem, every column), every Arrow batch read. "+
			"Limit: `%s` (binary COPY to /dev/null, the bytes counted in the warm-up).\n\n", s.copyCmd)
		b.WriteString("| reader | rows | seconds | rows/s | MB/s | peak RSS |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
		fmt.Fprintf(&b, "| psql COPY (FORMAT binary) | %d | %s | %.0f | %.0f (COPY bytes) | - |\n", s.rows, peer.Secs(s.copy),
			float64(s.rows)/s.copy.Seconds(), float64(s.copyBytes)/1e6/s.copy.Seconds())
		fmt.Fprintf(&b, "| Medley → Arrow | %d | %s | %.0f | %.0f (Arrow bytes), %.0f (COPY-equivalent bytes) | %s |\n\n", s.rows, peer.Secs(s.medley),
			float64(s.rows)/s.medley.Seconds(), float64(s.arrowBytes)/1e6/s.medley.Seconds(), float64(s.copyBytes)/1e6/s.medley.Seconds(), peer.MiB(s.medleyRSS))
	}
	b.WriteString("## Targets\n\n| target | result | |\n| --- | --- | --- |\n")
	minSp, all := 0.0, len(speedups) == len(r.queries) && len(speedups) > 0
	for i, sp := range speedups {
		if i == 0 || sp < minSp {
			minSp = sp
		}
		if sp < minSpeedup {
			all = false
		}
	}
	fmt.Fprintf(&b, "| federated ≥5× faster than postgres_fdw + file_fdw (every query) | slowest speedup %.1f×, geomean %.1f× | %s |\n",
		minSp, peer.Geomean(speedups), peer.Met(all))
	if s.rows > 0 {
		frac := s.copy.Seconds() / s.medley.Seconds()
		fmt.Fprintf(&b, "| PostgreSQL scan ≥70%% of binary COPY (rows/s) | %.0f%% | %s |\n", 100*frac, peer.Met(frac >= minCopyFrac))
	}
	var peak int64
	for _, q := range r.queries {
		peak = max(peak, q.medleyRSS)
	}
	peak = max(peak, s.medleyRSS)
	fmt.Fprintf(&b, "| Medley peak RSS < 2 GB | %s | %s |\n", peer.MiB(peak), peer.Met(peak > 0 && peak < maxRSS))
	return b.String()
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
