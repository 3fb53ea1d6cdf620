package parquet

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/files"
	"github.com/medleysql/medley/connectors/internal/pred"
	"github.com/medleysql/medley/connectors/internal/scan"
)

// Table is a foreign table over Parquet files.
type Table struct {
	name   []string
	schema *arrow.Schema
	files  []*pfile
}

var _ connectors.Table = (*Table)(nil)

// Schema is the declared schema.
func (t *Table) Schema() *arrow.Schema { return t.schema }

// Statistics returns the row count from the footers and per-column null
// counts and min/max where every row group has them.
func (t *Table) Statistics(ctx context.Context) (connectors.Statistics, error) {
	st := connectors.Statistics{Columns: make([]connectors.ColumnStatistics, t.schema.NumFields())}
	for _, f := range t.files {
		st.RowCount += f.meta.NumRows
	}
	for c := range st.Columns {
		st.Columns[c] = t.columnStats(c)
	}
	return st, nil
}

func (t *Table) columnStats(c int) connectors.ColumnStatistics {
	dt := t.schema.Field(c).Type
	out := connectors.ColumnStatistics{DistinctCount: -1}
	var lo, hi pred.Value
	minMaxKnown := true
	for _, f := range t.files {
		for rg := 0; rg < f.numRowGroups(); rg++ {
			s, ok := f.chunkStats(rg, c, dt)
			if !ok || s.NullCount < 0 {
				out.NullCount = -1
			} else if out.NullCount >= 0 {
				out.NullCount += s.NullCount
			}
			if s.Rows == 0 {
				continue
			}
			if !ok || s.Min == nil || s.Max == nil {
				if !ok || s.NullCount != s.Rows {
					minMaxKnown = false
				}
				continue
			}
			if lo == nil || pred.CompareValues(s.Min, lo) < 0 {
				lo = s.Min
			}
			if hi == nil || pred.CompareValues(s.Max, hi) > 0 {
				hi = s.Max
			}
		}
	}
	if minMaxKnown && lo != nil {
		out.Min, out.Max = toScalar(lo, dt), toScalar(hi, dt)
	}
	return out
}

// toScalar converts a pred Value of a column of type dt to an Arrow scalar.
func toScalar(v pred.Value, dt arrow.DataType) scalar.Scalar {
	switch x := v.(type) {
	case int64:
		s, err := scalar.MakeScalarParam(x, arrow.PrimitiveTypes.Int64)
		if err != nil {
			return nil
		}
		if dt.ID() == arrow.INT64 {
			return s
		}
		out, err := s.CastTo(dt)
		if err != nil {
			return nil
		}
		return out
	case float64:
		if dt.ID() == arrow.FLOAT32 {
			return scalar.NewFloat32Scalar(float32(x))
		}
		return scalar.NewFloat64Scalar(x)
	case string:
		if dt.ID() == arrow.STRING {
			return scalar.NewStringScalar(x)
		}
		if dt.ID() == arrow.BINARY {
			return scalar.NewBinaryScalar(memory.NewBufferBytes([]byte(x)), dt)
		}
	case bool:
		return scalar.NewBooleanScalar(x)
	case decimal128.Num:
		return scalar.NewDecimal128Scalar(x, dt)
	}
	return nil
}

// unit is one row group of one file.
type unit struct {
	file *pfile
	rg   int
}

// Scan prunes row groups with the offered filters (answered Inexact) and
// splits the rest into at most MaxPartitions partitions.
func (t *Table) Scan(ctx context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	nodes, support := scan.Negotiate(req.Filters, t.schema, connectors.Inexact)
	filters := scan.Accepted(nodes)
	var units []unit
	total := 0
	for _, f := range t.files {
		for rg := 0; rg < f.numRowGroups(); rg++ {
			total++
			if t.mayMatch(f, rg, filters) {
				units = append(units, unit{f, rg})
			}
		}
	}
	plan := &connectors.ScanPlan{
		Schema:        scan.Project(t.schema, req.Columns),
		FilterSupport: support,
	}
	for _, g := range scan.Group(len(units), req.MaxPartitions) {
		plan.Partitions = append(plan.Partitions, &partition{t: t, units: units[g[0]:g[1]], req: req, schema: plan.Schema})
	}
	if len(plan.Partitions) == 0 {
		plan.Partitions = []connectors.Partition{&partition{t: t, req: req, schema: plan.Schema}}
	}
	plan.Explain = []string{fmt.Sprintf("parquet %s: files: %d, row groups: %d of %d, partitions: %d",
		files.TableName(t.name), len(t.files), len(units), total, len(plan.Partitions))}
	if s := scan.ExplainFilters("row group filters", nodes, t.schema); s != "" {
		plan.Explain = append(plan.Explain, s)
	}
	return plan, nil
}

func (t *Table) mayMatch(f *pfile, rg int, filters []*pred.Node) bool {
	stats := func(col int) (pred.Stats, bool) { return f.chunkStats(rg, col, t.schema.Field(col).Type) }
	for _, n := range filters {
		if !pred.MayMatch(n, stats) {
			return false
		}
	}
	return true
}
