// Package tpch generates TPC-H data: the eight tables of the TPC-H
// specification (v3) at any scale factor, written as Parquet files (one per
// table) and CSV files that PostgreSQL's COPY reads, and loads them into
// PostgreSQL.
//
// Value domains, cardinalities, key relationships and the text grammar
// follow the specification (clause 4.2); the random streams are this
// package's own (dbgen's are not reproduced), so results differ from dbgen's
// data but every TPC-H query finds what it looks for. Output is
// deterministic: the same scale factor gives byte-identical files whatever
// the parallelism.
//
// Files in Dir: <table>.parquet and <table>.csv, and tpch.json (the
// Manifest). CSV files have no header, use the delimiter of
// Options.CSVDelimiter ('|' by default), quote fields as CSV does only when
// needed, write dates as YYYY-MM-DD and decimals with two digits; load
// them with COPY <table> FROM '<file>' (FORMAT csv, DELIMITER '|').
package tpch

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Format is an output file format.
type Format string

// The output formats.
const (
	Parquet Format = "parquet"
	CSV     Format = "csv"
)

// DefaultRowGroupSize is the number of rows per Parquet row group.
const DefaultRowGroupSize = 128 * 1024

// Options configure Generate.
type Options struct {
	ScaleFactor  float64  // > 0; 1 means 6 million lineitems
	Dir          string   // created if missing
	Formats      []Format // default: Parquet and CSV
	RowGroupSize int      // rows per Parquet row group; default DefaultRowGroupSize
	CSVDelimiter byte     // default '|'; ',' quotes fields holding commas
	Parallelism  int      // goroutines generating rows; default GOMAXPROCS
	// Tables limits generation to these tables (names); default all.
	Tables []string
	// Allocator is used for the Arrow batches and Parquet buffers; default
	// memory.NewGoAllocator().
	Allocator memory.Allocator
}

// Manifest describes a generated directory; Generate writes it as tpch.json.
type Manifest struct {
	ScaleFactor  float64          `json:"scale_factor"`
	Formats      []Format         `json:"formats"`
	CSVDelimiter string           `json:"csv_delimiter"`
	Rows         map[string]int64 `json:"rows"`
}

// ManifestFile is the name of the manifest in a generated directory.
const ManifestFile = "tpch.json"

func (o *Options) normalize() error {
	if !(o.ScaleFactor > 0) || o.ScaleFactor > 100_000 {
		return fmt.Errorf("tpch: scale factor %v out of range (0, 100000]", o.ScaleFactor)
	}
	if o.Dir == "" {
		return fmt.Errorf("tpch: no output directory")
	}
	if len(o.Formats) == 0 {
		o.Formats = []Format{Parquet, CSV}
	}
	for _, f := range o.Formats {
		if f != Parquet && f != CSV {
			return fmt.Errorf("tpch: unknown format %q (want parquet or csv)", f)
		}
	}
	if o.RowGroupSize <= 0 {
		o.RowGroupSize = DefaultRowGroupSize
	}
	if o.CSVDelimiter == 0 {
		o.CSVDelimiter = '|'
	}
	if o.CSVDelimiter == '"' || o.CSVDelimiter == '\n' || o.CSVDelimiter == '\r' {
		return fmt.Errorf("tpch: CSV delimiter %q not allowed", o.CSVDelimiter)
	}
	if o.Parallelism <= 0 {
		o.Parallelism = runtime.GOMAXPROCS(0)
	}
	for _, name := range o.Tables {
		if _, ok := TableByName(name); !ok {
			return fmt.Errorf("tpch: unknown table %q", name)
		}
	}
	if o.Allocator == nil {
		o.Allocator = memory.NewGoAllocator()
	}
	return nil
}

// Generate writes the TPC-H tables at opts.ScaleFactor into opts.Dir.
// Tables are streamed chunk by chunk; memory use does not grow with the
// scale factor. Files are written under temporary names and renamed when
// complete; cancelling ctx stops generation and removes them.
func Generate(ctx context.Context, opts Options) error {
	if err := opts.normalize(); err != nil {
		return err
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return fmt.Errorf("tpch: %w", err)
	}
	sc := newScale(opts.ScaleFactor)
	man := Manifest{ScaleFactor: opts.ScaleFactor, Formats: opts.Formats,
		CSVDelimiter: string(opts.CSVDelimiter), Rows: map[string]int64{}}
	for _, g := range groups(sc) {
		if !wanted(g, opts.Tables) {
			continue
		}
		rows, err := runGroup(ctx, g, sc, &opts)
		if err != nil {
			return err
		}
		for i, t := range g.tables {
			man.Rows[t.Name] = rows[i]
		}
	}
	return writeManifest(opts.Dir, man)
}

// wanted reports whether group g makes one of the wanted tables.
func wanted(g group, tables []string) bool {
	if len(tables) == 0 {
		return true
	}
	for _, t := range g.tables {
		for _, w := range tables {
			if t.Name == w {
				return true
			}
		}
	}
	return false
}

func writeManifest(dir string, m Manifest) error {
	// Merge with an existing manifest of the same scale factor, so that
	// generating tables one by one keeps the counts of the others.
	if old, err := ReadManifest(dir); err == nil && old.ScaleFactor == m.ScaleFactor {
		for name, n := range old.Rows {
			if _, ok := m.Rows[name]; !ok {
				m.Rows[name] = n
			}
		}
	}
	sort.Slice(m.Formats, func(i, j int) bool { return m.Formats[i] < m.Formats[j] })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("tpch: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("tpch: %w", err)
	}
	return nil
}

// ReadManifest reads the manifest of a generated directory.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return m, fmt.Errorf("tpch: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("tpch: %s: %w", ManifestFile, err)
	}
	return m, nil
}
