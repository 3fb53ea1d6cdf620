package tpch

// Result comparison for the differential test: cells from Arrow and from
// PostgreSQL's text format, compared exactly (decimals at the same scale,
// floats within a tight relative tolerance), rows in the order the query's
// ORDER BY defines and as multisets within its tie groups.

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

type cell struct {
	kind     cellKind
	unscaled *big.Int
	scale    int
	f        float64
	s        string
}

// floatTolerance is the relative tolerance of float comparisons.
const floatTolerance = 1e-9

func (c cell) String() string {
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

func (c cell) float() float64 {
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
func (c cell) equal(o cell) bool {
	switch {
	case c.kind == kindNull || o.kind == kindNull:
		return c.kind == o.kind
	case c.kind == kindNum && o.kind == kindNum:
		s := min(c.scale, o.scale)
		return rescale(c.unscaled, c.scale, s).Cmp(rescale(o.unscaled, o.scale, s)) == 0
	case c.kind != kindText && o.kind != kindText:
		a, b := c.float(), o.float()
		return a == b || math.Abs(a-b) <= floatTolerance*math.Max(math.Abs(a), math.Abs(b))
	case c.kind == kindText && o.kind == kindText:
		return c.s == o.s
	}
	return false
}

type result struct {
	names []string
	rows  [][]cell
}

func (r *result) rowsOrNil() [][]cell {
	if r == nil {
		return nil
	}
	return r.rows
}

// pgCell reads one value of PostgreSQL's text format.
func pgCell(oid uint32, v []byte) (cell, error) {
	if v == nil {
		return cell{}, nil
	}
	s := string(v)
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.NumericOID:
		return parseNum(s)
	case pgtype.Float4OID, pgtype.Float8OID:
		var f float64
		if _, err := fmt.Sscan(s, &f); err != nil {
			return cell{}, fmt.Errorf("float %q: %w", s, err)
		}
		return cell{kind: kindFloat, f: f}, nil
	}
	return cell{kind: kindText, s: s}, nil
}

func parseNum(s string) (cell, error) {
	scale := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		scale = len(s) - i - 1
		s = s[:i] + s[i+1:]
	}
	u, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return cell{}, fmt.Errorf("number %q", s)
	}
	return cell{kind: kindNum, unscaled: u, scale: scale}, nil
}

// arrowRows reads every batch of rdr into rows of cells.
func arrowRows(rdr array.RecordReader) (*result, error) {
	res := &result{}
	for _, f := range rdr.Schema().Fields() {
		res.names = append(res.names, f.Name)
	}
	for rdr.Next() {
		b := rdr.RecordBatch()
		base := len(res.rows)
		for i := int64(0); i < b.NumRows(); i++ {
			res.rows = append(res.rows, make([]cell, b.NumCols()))
		}
		for j, col := range b.Columns() {
			for i := 0; i < col.Len(); i++ {
				res.rows[base+i][j] = arrowCell(col, i)
			}
		}
	}
	return res, rdr.Err()
}

func arrowCell(a arrow.Array, i int) cell {
	if a.IsNull(i) {
		return cell{}
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
		return cell{kind: kindFloat, f: float64(a.Value(i))}
	case *array.Float64:
		return cell{kind: kindFloat, f: a.Value(i)}
	case *array.Decimal128:
		return cell{kind: kindNum, unscaled: a.Value(i).BigInt(), scale: int(a.DataType().(*arrow.Decimal128Type).Scale)}
	case *array.Decimal256:
		return cell{kind: kindNum, unscaled: a.Value(i).BigInt(), scale: int(a.DataType().(*arrow.Decimal256Type).Scale)}
	case *array.String:
		return cell{kind: kindText, s: a.Value(i)}
	case *array.LargeString:
		return cell{kind: kindText, s: a.Value(i)}
	case *array.Date32:
		return cell{kind: kindText, s: a.Value(i).ToTime().Format(time.DateOnly)}
	case *array.Boolean:
		if a.Value(i) {
			return cell{kind: kindText, s: "t"}
		}
		return cell{kind: kindText, s: "f"}
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return cell{kind: kindText, s: a.Value(i).ToTime(unit).UTC().Format("2006-01-02 15:04:05.999999")}
	}
	return cell{kind: kindText, s: a.ValueStr(i)}
}

func intCell(v int64) cell { return cell{kind: kindNum, unscaled: big.NewInt(v)} }

func rowString(r []cell) string {
	parts := make([]string, len(r))
	for i, c := range r {
		parts[i] = c.String()
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func rowsEqual(a, b []cell, cols []int) bool {
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
func diffResults(want, got *result, order orderSpec) []string {
	var diffs []string
	if strings.Join(want.names, ",") != strings.Join(got.names, ",") {
		diffs = append(diffs, fmt.Sprintf("columns %v, want %v", got.names, want.names))
	}
	if len(want.names) != len(got.names) {
		return diffs
	}
	if len(want.rows) != len(got.rows) {
		return append(diffs, fmt.Sprintf("%d rows, want %d; first rows:\n got %s\nwant %s",
			len(got.rows), len(want.rows), firstRows(got.rows), firstRows(want.rows)))
	}
	all := make([]int, len(want.names))
	for j := range all {
		all[j] = j
	}
	for i := range want.rows {
		if !rowsEqual(want.rows[i], got.rows[i], order.keys) {
			return append(diffs, fmt.Sprintf("row %d: ORDER BY keys differ:\n got %s\nwant %s",
				i, rowString(got.rows[i]), rowString(want.rows[i])))
		}
	}
	for lo := 0; lo < len(want.rows); {
		hi := lo + 1
		for hi < len(want.rows) && rowsEqual(want.rows[lo], want.rows[hi], order.keys) {
			hi++
		}
		if order.limited && hi == len(want.rows) {
			break
		}
		if d := diffMultiset(want.rows[lo:hi], got.rows[lo:hi], all); d != "" {
			return append(diffs, fmt.Sprintf("rows %d..%d: %s", lo, hi-1, d))
		}
		lo = hi
	}
	return diffs
}

// diffMultiset matches every wanted row to an equal got row.
func diffMultiset(want, got [][]cell, cols []int) string {
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
			var extra [][]cell
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

func firstRows(rows [][]cell) string {
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
