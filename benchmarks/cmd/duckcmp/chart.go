package main

import (
	"fmt"
	"math"
	"strings"
)

// chart draws the per-query times of each thread count as grouped bars
// (Medley and DuckDB side by side) on a log scale, as SVG.
func chart(runs []tpchRun, sf float64) string {
	const (
		left, top, rowH, barW, gap = 60, 40, 260, 9, 8
		width                      = 22*(4*barW+gap) + left + 20
	)
	height := top + len(runs)*(rowH+50) + 30
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range runs {
		for _, p := range r.queries {
			for _, d := range []float64{p.medley.Seconds(), p.duck.Seconds()} {
				if d > 0 {
					lo, hi = math.Min(lo, d), math.Max(hi, d)
				}
			}
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0.001, 1
	}
	lo = math.Pow(10, math.Floor(math.Log10(lo)))
	hi = math.Pow(10, math.Ceil(math.Log10(hi)))
	y := func(base int, s float64) float64 {
		return float64(base+rowH) - float64(rowH)*(math.Log10(s)-math.Log10(lo))/(math.Log10(hi)-math.Log10(lo))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%d" y="20" font-size="14">TPC-H SF %g: median time per query (s, log scale) — `+
		`<tspan fill="#1f77b4">Medley</tspan> / <tspan fill="#ff7f0e">DuckDB</tspan></text>`+"\n", left, sf)
	for i, r := range runs {
		base := top + i*(rowH+50)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">threads=%d</text>`+"\n", left, base-4, r.threads)
		for t := lo; t <= hi*1.001; t *= 10 {
			fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%g</text>`+"\n",
				left, width-20, y(base, t), y(base, t), left-4, y(base, t)+4, t)
		}
		for j, p := range r.queries {
			x := left + j*(4*barW+gap) + gap
			for k, d := range []float64{p.medley.Seconds(), p.duck.Seconds()} {
				if d <= 0 {
					continue
				}
				color := [...]string{"#1f77b4", "#ff7f0e"}[k]
				fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>Q%d %s %.3f s</title></rect>`+"\n",
					x+k*(barW+barW/2), y(base, d), barW, float64(base+rowH)-y(base, d), color, p.q, [...]string{"Medley", "DuckDB"}[k], d)
			}
			label := fmt.Sprintf("Q%d", p.q)
			if !p.checked {
				label += "!"
			}
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", x+barW+barW/4, base+rowH+14, label)
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}
