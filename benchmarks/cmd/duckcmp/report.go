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
	cfg     config
	machine peer.Machine
	dir     string
	started time.Time
	loadEnd string
	tpch    []tpchRun
	scans   []scanResult
	flight  *flightResult
}

// Targets of the benchmarks issue.
const (
	maxRatio   = 2.0
	maxGeomean = 1.5
	maxRSS     = 2 << 30
)

func (r *report) base() string {
	return fmt.Sprintf("%s-duckdb-sf%g", r.started.Format("2006-01-02"), r.cfg.sf)
}

func (r *report) write() ([]string, error) {
	if err := os.MkdirAll(r.cfg.out, 0o755); err != nil {
		return nil, err
	}
	md := filepath.Join(r.cfg.out, r.base()+".md")
	var paths []string
	if len(r.tpch) > 0 {
		svg := filepath.Join(r.cfg.out, r.base()+".svg")
		if err := os.WriteFile(svg, []byte(chart(r.tpch, r.cfg.sf)), 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, svg)
	}
	return append(paths, md), os.WriteFile(md, []byte(r.markdown()), 0o644)
}

func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Medley and DuckDB, TPC-H SF %g over the same Parquet files — %s\n\n", r.cfg.sf, r.started.Format("2006-01-02 15:04"))
	b.WriteString(r.machine.Markdown(r.loadEnd))
	duckV := ""
	if len(r.tpch) > 0 {
		duckV = r.tpch[0].duckVersion
	}
	fmt.Fprintf(&b, "- DuckDB %s (github.com/duckdb/duckdb-go/v2 v2.10506.0, in its own process: benchmarks/duckdb), views over read_parquet of the files in `%s`\n", duckV, relPath(r.dir))
	fmt.Fprintf(&b, "- Method: per query and engine one warm-up run, then the median of %d runs (wall time until the last row is read); "+
		"Medley's time counts only after its warm-up result equals DuckDB's (decimals exactly at the smaller scale, floats within 1e-9 relative "+
		"— an exact AVG against DuckDB's double within half its last digit —, rows in ORDER BY order, multisets within ties); "+
		"peak RSS is each engine's own process's VmHWM over the query's runs\n", r.cfg.runs)
	fmt.Fprintf(&b, "- Command: `%s`\n\n", peer.Command("duckcmp"))
	for _, t := range r.tpch {
		r.tpchTable(&b, t)
	}
	if len(r.tpch) > 0 {
		fmt.Fprintf(&b, "![per-query times](%s.svg)\n\n", r.base())
	}
	if len(r.scans) > 0 {
		b.WriteString("## Full scan of lineitem.parquet (every column)\n\n")
		fmt.Fprintf(&b, "Medley: `SELECT * FROM lineitem`, every batch read. DuckDB: `%s` "+
			"(min() because DuckDB answers count(column) from the Parquet metadata without decoding). MB/s of the Parquet file; Arrow MB/s of the result Medley builds.\n\n",
			strings.ReplaceAll(shorten(r.scans[0].duckSQL), r.dir+"/", ""))
		b.WriteString("| threads | rows | file MB | Medley (s) | Medley rows/s | Medley file MB/s | Medley Arrow MB/s | Medley peak RSS | DuckDB (s) | DuckDB rows/s | DuckDB file MB/s | DuckDB peak RSS | Medley/DuckDB |\n")
		b.WriteString("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		for _, s := range r.scans {
			fmt.Fprintf(&b, "| %d | %d | %.1f | %s | %.0f | %.0f | %.0f | %s | %s | %.0f | %.0f | %s | %.2f |\n", s.threads, s.rows,
				float64(s.fileBytes)/1e6, peer.Secs(s.medley), float64(s.rows)/s.medley.Seconds(), float64(s.fileBytes)/1e6/s.medley.Seconds(),
				float64(s.arrowBytes)/1e6/s.medley.Seconds(), peer.MiB(s.medleyRSS), peer.Secs(s.duck), float64(s.rows)/s.duck.Seconds(),
				float64(s.fileBytes)/1e6/s.duck.Seconds(), peer.MiB(s.duckRSS), s.medley.Seconds()/s.duck.Seconds())
		}
		b.WriteString("\n")
	}
	if f := r.flight; f != nil {
		b.WriteString("## Flight SQL: `SELECT * FROM lineitem` from Medley's server to a client on loopback\n\n")
		b.WriteString("Server: engine/flightsql in this process on 127.0.0.1 (anonymous); client: arrow-go's flightsql.Client, Execute + DoGet of every endpoint, every batch read. MB/s of the Arrow buffers received.\n\n")
		b.WriteString("| threads | rows | Arrow MB | seconds | rows/s | MB/s | peak RSS (server + client) |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		fmt.Fprintf(&b, "| %d | %d | %.0f | %s | %.0f | %.0f | %s |\n", f.threads, f.rows, float64(f.arrowBytes)/1e6, peer.Secs(f.d),
			float64(f.rows)/f.d.Seconds(), float64(f.arrowBytes)/1e6/f.d.Seconds(), peer.MiB(f.peakRSS))
		for _, s := range r.scans {
			if s.threads == f.threads && s.medley > 0 {
				fmt.Fprintf(&b, "\nThe same scan in-process (no Flight): %s s, so Flight SQL costs %.2fx the engine's own time.\n", peer.Secs(s.medley), f.d.Seconds()/s.medley.Seconds())
			}
		}
		b.WriteString("\n")
	}
	r.targets(&b)
	return b.String()
}

func (r *report) tpchTable(b *strings.Builder, t tpchRun) {
	fmt.Fprintf(b, "## TPC-H, threads=%d\n\n", t.threads)
	b.WriteString("| Query | Rows | Medley (s) | DuckDB (s) | Medley/DuckDB | Medley peak RSS | DuckDB peak RSS | checked |\n")
	b.WriteString("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
	var ratios []float64
	var sumM, sumD time.Duration
	for _, p := range t.queries {
		check := "equal"
		if !p.checked {
			check = "**" + shorten(p.problem) + "**"
		}
		ratio := "-"
		if p.checked {
			ratio = fmt.Sprintf("%.2f", p.ratio())
			ratios = append(ratios, p.ratio())
			sumM += p.medley
			sumD += p.duck
		}
		fmt.Fprintf(b, "| Q%d | %d | %s | %s | %s | %s | %s | %s |\n", p.q, p.rows, peer.Secs(p.medley), peer.Secs(p.duck), ratio,
			peer.MiB(p.medleyRSS), peer.MiB(p.duckRSS), check)
	}
	fmt.Fprintf(b, "| **sum** | | **%.2f** | **%.2f** | | | | |\n", sumM.Seconds(), sumD.Seconds())
	fmt.Fprintf(b, "| **geomean** | | | | **%.2f** | | | %d of %d checked |\n\n", peer.Geomean(ratios), len(ratios), len(t.queries))
}

func (r *report) targets(b *strings.Builder) {
	b.WriteString("## Targets\n\n| target | result | |\n| --- | --- | --- |\n")
	for _, t := range r.tpch {
		var worst []string
		all := true
		var ratios []float64
		for _, p := range t.queries {
			if !p.checked {
				all = false
				worst = append(worst, fmt.Sprintf("Q%d unchecked", p.q))
				continue
			}
			ratios = append(ratios, p.ratio())
			if p.ratio() > maxRatio {
				all = false
				worst = append(worst, fmt.Sprintf("Q%d %.1f×", p.q, p.ratio()))
			}
		}
		res := "all within"
		if len(worst) > 0 {
			res = strings.Join(worst, ", ")
		}
		fmt.Fprintf(b, "| every TPC-H query within 2× DuckDB, threads=%d | %s | %s |\n", t.threads, res, peer.Met(all))
		g := peer.Geomean(ratios)
		fmt.Fprintf(b, "| geomean within 1.5×, threads=%d | %.2f× | %s |\n", t.threads, g, peer.Met(g <= maxGeomean && len(ratios) == len(t.queries)))
	}
	var peak int64
	for _, t := range r.tpch {
		for _, p := range t.queries {
			peak = max(peak, p.medleyRSS)
		}
	}
	for _, s := range r.scans {
		peak = max(peak, s.medleyRSS)
	}
	if peak > 0 {
		fmt.Fprintf(b, "| Medley peak RSS < 2 GB (TPC-H and scans) | %s | %s |\n", peer.MiB(peak), peer.Met(peak < maxRSS))
	}
	b.WriteString("\n")
}

func shorten(s string) string {
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return strings.ReplaceAll(s, "|", "\\|")
}

func relPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil {
			return r
		}
	}
	return p
}
