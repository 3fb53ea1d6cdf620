package peer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/benchmarks/tpch"
)

// EnsureData returns the absolute directory of the scale factor's files of
// format, generating them unless a complete generation (its manifest) is
// there: Parquet in cache/sf<SF> (the directory of cmd/tpchbench), CSV in
// cache/sf<SF>-csv. The generator is deterministic, so both hold the same
// rows.
func EnsureData(ctx context.Context, cache string, sf float64, format tpch.Format) (string, error) {
	dir := filepath.Join(cache, "sf"+strconv.FormatFloat(sf, 'g', -1, 64))
	if format != tpch.Parquet {
		dir += "-" + string(format)
	}
	if m, err := tpch.ReadManifest(dir); err == nil && m.ScaleFactor == sf {
		for _, f := range m.Formats {
			if f == format {
				fmt.Fprintf(os.Stderr, "using SF %g (%s) in %s\n", sf, format, dir)
				return filepath.Abs(dir)
			}
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "generating SF %g (%s) into %s\n", sf, format, dir)
	err := tpch.Generate(ctx, tpch.Options{ScaleFactor: sf, Dir: dir, Formats: []tpch.Format{format},
		Allocator: memory.NewGoAllocator()})
	if err != nil {
		return "", err
	}
	return filepath.Abs(dir)
}
