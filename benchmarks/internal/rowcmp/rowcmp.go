// Package rowcmp compares query results across engines — the differential
// test against PostgreSQL and the benchmarks against DuckDB and postgres_fdw
// share it: cells from Arrow,
// from PostgreSQL's text format and from duckbench's JSON, compared exactly
// (decimals at the smaller of the two scales), floats within a tight relative
// tolerance, rows in the order the query's ORDER BY defines and as multisets
// within its tie groups.
package rowcmp

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/jackc/pgx/v5/pgtype"
)

type cellKind uint8

const (
	kindNull  cellKind = iota
	kindNum            // an exact number: unscaled * 10^-scale
	kindFloat          // a binary float
	kindText           // text, dates, timestamps, booleans as PostgreSQL prints them
)

// Cell is one value: exact numbers unscaled with a scale, floats, text.
type Cell struct {
	kind     cellKind
	unscaled *big.Int
	scale    int
	f        float64
	s        string
}

// floatTolerance is the relative tolerance of float comparisons.
const floatTolerance = 1e-9

func (c Cell) String() string {
	switch c.kind {
	case kindNull:
		return "NULL"
	case kindNum:
		return decString(c.unscaled, c.scale)
	case kindFloat:
		return fmt.Sprintf("%v (float)", c.f)
	}
	return fmt.Sprintf("%q", c.s)
}

func decString(u *big.Int, scale int) string {
	s := new(big.Int).Abs(u).String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if u.Sign() < 0 {
		s = "-" + s
	}
	return s
}

func (c Cell) float() float64 {
	if c.kind == kindFloat {
		return c.f
	}
	f, _ := new(big.Rat).SetFrac(c.unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(c.scale)), nil)).Float64()
	return f
}

// rescale rounds u*10^-from to scale to (≤ from), half away from zero.
func rescale(u *big.Int, from, to int) *big.Int {
	if to >= from {
		return new(big.Int).Mul(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(to-from)), nil))
	}
	d := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(from-to)), nil)
	q, r := new(big.Int).QuoRem(u, d, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2)).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(int64(u.Sign())))
	}
	return q
}

// equal compares two cells: exact numbers at the smaller of their scales,
// floats (against anything numeric) within floatTolerance.
func (c Cell) equal(o Cell) bool {
	switch {
	case c.kind == kindNull || o.kind == kindNull:
		return c.kind == o.kind
	case c.kind == kindNum && o.kind == kindNum:
		s := min(c.scale, o.scale)
		return rescale(c.unscaled, c.scale, s).Cmp(rescale(o.unscaled, o.scale, s)) == 0
	case c.kind != kindText && o.kind != kindText:
		a, b := c.float(), o.float()
		tol := floatTolerance * math.Max(math.Abs(a), math.Abs(b))
		// An exact number against a float: the exact side is rounded to
		// its scale (an AVG of decimals), so half its last digit is allowed.
		if c.kind == kindNum && o.kind == kindFloat {
			tol += 0.5 * math.Pow(10, -float64(c.scale))
		} else if o.kind == kindNum && c.kind == kindFloat {
			tol += 0.5 * math.Pow(10, -float64(o.scale))
		}
		return a == b || math.Abs(a-b) <= tol
	case c.kind == kindText && o.kind == kindText:
		return c.s == o.s
	}
	return false
}

// Result is a query result as cells.
type Result struct {
	Names []string
	Rows  [][]Cell
}

// pgCell reads one value of PostgreSQL's text format.
func PGCell(oid uint32, v []byte) (Cell, error) {
	if v == nil {
		return Cell{}, nil
	}
	s := string(v)
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.NumericOID:
		return parseNum(s)
	case pgtype.Float4OID, pgtype.Float8OID:
		var f float64
		if _, err := fmt.Sscan(s, &f); err != nil {
			return Cell{}, fmt.Errorf("float %q: %w", s, err)
		}
		return Cell{kind: kindFloat, f: f}, nil
	}
	return Cell{kind: kindText, s: s}, nil
}

func parseNum(s string) (Cell, error) {
	scale := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		scale = len(s) - i - 1
		s = s[:i] + s[i+1:]
	}
	u, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return Cell{}, fmt.Errorf("number %q", s)
	}
	return Cell{kind: kindNum, unscaled: u, scale: scale}, nil
}

// arrowRows reads every batch of rdr into rows of cells.
func ArrowRows(rdr array.RecordReader) (*Result, error) {
	res := &Result{}
	for _, f := range rdr.Schema().Fields() {
		res.Names = append(res.Names, f.Name)
	}
	for rdr.Next() {
		b := rdr.RecordBatch()
		base := len(res.Rows)
		for i := int64(0); i < b.NumRows(); i++ {
			res.Rows = append(res.Rows, make([]Cell, b.NumCols()))
		}
		for j, col := range b.Columns() {
			for i := 0; i < col.Len(); i++ {
				res.Rows[base+i][j] = arrowCell(col, i)
			}
		}
	}
	return res, rdr.Err()
}

func arrowCell(a arrow.Array, i int) Cell {
	if a.IsNull(i) {
		return Cell{}
	}
	switch a := a.(type) {
	case *array.Int8:
		return intCell(int64(a.Value(i)))
	case *array.Int16:
		return intCell(int64(a.Value(i)))
	case *array.Int32:
		return intCell(int64(a.Value(i)))
	case *array.Int64:
		return intCell(a.Value(i))
	case *array.Float32:
		return Cell{kind: kindFloat, f: float64(a.Value(i))}
	case *array.Float64:
		return Cell{kind: kindFloat, f: a.Value(i)}
	case *array.Decimal128:
		return Cell{kind: kindNum, unscaled: a.Value(i).BigInt(), scale: int(a.DataType().(*arrow.Decimal128Type).Scale)}
	case *array.Decimal256:
		return Cell{kind: kindNum, unscaled: a.Value(i).BigInt(), scale: int(a.DataType().(*arrow.Decimal256Type).Scale)}
	case *array.String:
		return Cell{kind: kindText, s: a.Value(i)}
	case *array.LargeString:
		return Cell{kind: kindText, s: a.Value(i)}
	case *array.Date32:
		return Cell{kind: kindText, s: a.Value(i).ToTime().Format(time.DateOnly)}
	case *array.Boolean:
		if a.Value(i) {
			return Cell{kind: kindText, s: "t"}
		}
		return Cell{kind: kindText, s: "f"}
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return Cell{kind: kindText, s: a.Value(i).ToTime(unit).UTC().Format("2006-01-02 15:04:05.999999")}
	}
	return Cell{kind: kindText, s: a.ValueStr(i)}
}

func intCell(v int64) Cell { return Cell{kind: kindNum, unscaled: big.NewInt(v)} }

func rowString(r []Cell) string {
	parts := make([]string, len(r))
	for i, c := range r {
		parts[i] = c.String()
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func rowsEqual(a, b []Cell, cols []int) bool {
	for _, j := range cols {
		if !a[j].equal(b[j]) {
			return false
		}
	}
	return true
}

// diffResults lists the differences of got from want (at most a few rows'
// worth): columns, row count, the ORDER BY keys row by row, and within each
// tie group of the keys the rows as multisets. With a LIMIT, the last tie
// group may be cut anywhere, so only its keys are compared.
func Diff(want, got *Result, order Order) []string {
	var diffs []string
	if strings.Join(want.Names, ",") != strings.Join(got.Names, ",") {
		diffs = append(diffs, fmt.Sprintf("columns %v, want %v", got.Names, want.Names))
	}
	if len(want.Names) != len(got.Names) {
		return diffs
	}
	if len(want.Rows) != len(got.Rows) {
		return append(diffs, fmt.Sprintf("%d rows, want %d; first rows:\n got %s\nwant %s",
			len(got.Rows), len(want.Rows), firstRows(got.Rows), firstRows(want.Rows)))
	}
	all := make([]int, len(want.Names))
	for j := range all {
		all[j] = j
	}
	for i := range want.Rows {
		if !rowsEqual(want.Rows[i], got.Rows[i], order.Keys) {
			return append(diffs, fmt.Sprintf("row %d: ORDER BY keys differ:\n got %s\nwant %s",
				i, rowString(got.Rows[i]), rowString(want.Rows[i])))
		}
	}
	for lo := 0; lo < len(want.Rows); {
		hi := lo + 1
		for hi < len(want.Rows) && rowsEqual(want.Rows[lo], want.Rows[hi], order.Keys) {
			hi++
		}
		if order.Limited && hi == len(want.Rows) {
			break
		}
		if d := diffMultiset(want.Rows[lo:hi], got.Rows[lo:hi], all); d != "" {
			return append(diffs, fmt.Sprintf("rows %d..%d: %s", lo, hi-1, d))
		}
		lo = hi
	}
	return diffs
}

// diffMultiset matches every wanted row to an equal got row.
func diffMultiset(want, got [][]Cell, cols []int) string {
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for k, g := range got {
			if !used[k] && rowsEqual(w, g, cols) {
				used[k], found = true, true
				break
			}
		}
		if !found {
			var extra [][]Cell
			for k, g := range got {
				if !used[k] {
					extra = append(extra, g)
				}
			}
			return fmt.Sprintf("no row equal to\nwant %s\nunmatched got rows: %s", rowString(w), firstRows(extra))
		}
	}
	return ""
}

func firstRows(rows [][]Cell) string {
	var b strings.Builder
	for i, r := range rows {
		if i == 5 {
			fmt.Fprintf(&b, "\n  ... (%d rows)", len(rows))
			break
		}
		b.WriteString("\n  ")
		b.WriteString(rowString(r))
	}
	return b.String()
}

// Order says how a query's rows are ordered: Keys are the output columns
// of its ORDER BY, in order; Limited says a LIMIT may cut a tie group.
type Order struct {
	Keys    []int
	Limited bool
}

// TPCHOrder is the ORDER BY of each TPC-H query, by output column.
var TPCHOrder = map[int]Order{
	1: {Keys: []int{0, 1}}, 2: {Keys: []int{0, 2, 1, 3}, Limited: true},
	3: {Keys: []int{1, 2}, Limited: true}, 4: {Keys: []int{0}}, 5: {Keys: []int{1}},
	6: {}, 7: {Keys: []int{0, 1, 2}}, 8: {Keys: []int{0}}, 9: {Keys: []int{0, 1}},
	10: {Keys: []int{2}, Limited: true}, 11: {Keys: []int{1}}, 12: {Keys: []int{0}},
	13: {Keys: []int{1, 0}}, 14: {}, 15: {Keys: []int{0}}, 16: {Keys: []int{3, 0, 1, 2}},
	17: {}, 18: {Keys: []int{4, 3}, Limited: true}, 19: {}, 20: {Keys: []int{0}},
	21: {Keys: []int{1, 0}, Limited: true}, 22: {Keys: []int{0}},
}

// EncodedCell decodes duckbench's cell format: "N:<unscaled>:<scale>",
// "F:<float>", "T:<text>", nil for NULL.
func EncodedCell(s *string) (Cell, error) {
	if s == nil {
		return Cell{}, nil
	}
	kind, v, _ := strings.Cut(*s, ":")
	switch kind {
	case "N":
		u, sc, _ := strings.Cut(v, ":")
		n, ok := new(big.Int).SetString(u, 10)
		var scale int
		if _, err := fmt.Sscan(sc, &scale); !ok || err != nil {
			return Cell{}, fmt.Errorf("number cell %q", *s)
		}
		return Cell{kind: kindNum, unscaled: n, scale: scale}, nil
	case "F":
		var f float64
		if _, err := fmt.Sscan(v, &f); err != nil {
			return Cell{}, fmt.Errorf("float cell %q: %w", *s, err)
		}
		return Cell{kind: kindFloat, f: f}, nil
	case "T":
		return Cell{kind: kindText, s: v}, nil
	}
	return Cell{}, fmt.Errorf("cell %q", *s)
}

// EncodedRows decodes duckbench's rows.
func EncodedRows(names []string, rows [][]*string) (*Result, error) {
	res := &Result{Names: names}
	for _, r := range rows {
		row := make([]Cell, len(r))
		for j, s := range r {
			c, err := EncodedCell(s)
			if err != nil {
				return nil, err
			}
			row[j] = c
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// Text is a text cell's value as is, other cells as String shows them.
func (c Cell) Text() string {
	if c.kind == kindText {
		return c.s
	}
	return c.String()
}
