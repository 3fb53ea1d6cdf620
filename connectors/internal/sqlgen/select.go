package sqlgen

import (
	"errors"
	"fmt"
	"strings"

	"github.com/medleysql/medley/connectors"
	"github.com/substrait-io/substrait-go/v8/expr"
)

// Query is a scan to deparse.
type Query struct {
	// Table is the remote qualified name, e.g. {"public", "orders"}.
	Table []string
	// Columns are every column of the table, by schema index.
	Columns []ColumnRef
	// Project are the indexes of Columns to select, in order. Empty
	// selects NULL (only the number of rows matters).
	Project []int
	// Filters are the conjuncts offered (connectors.ScanRequest.Filters).
	Filters []expr.Expression
	// Limit is applied (LIMIT n) when every filter is shipped, the
	// ordering (if any) is shipped too and there are no Extra conditions;
	// -1 for none.
	Limit int64
	// Order is the ordering wanted; it is shipped whole or not at all.
	Order []connectors.SortKey
	// Extra are conditions in remote SQL ANDed to the WHERE clause (e.g. a
	// partition's ctid range); they disable the limit.
	Extra []string
}

// Reason says why filter Filter (an index into Query.Filters) was not
// shipped.
type Reason struct {
	Filter int
	Text   string
}

func (r Reason) String() string { return fmt.Sprintf("filter %d not shipped: %s", r.Filter+1, r.Text) }

// Result is a deparsed scan.
type Result struct {
	SQL string
	// Support has one answer per Query.Filters entry: Exact or Unsupported.
	Support []connectors.FilterSupport
	// Reasons are those of the Unsupported filters, in order.
	Reasons []Reason
	// Where are the shipped conditions (filters, then Extra).
	Where []string
	// Ordered: the ORDER BY holds Query.Order. OrderReason says why not.
	Ordered     bool
	OrderReason string
	// LimitApplied: the SQL has LIMIT Query.Limit.
	LimitApplied bool
}

// Select deparses a scan. Its error is for a query that cannot be
// expressed at all (an identifier that cannot be quoted, a bad column
// index); filters and orderings that cannot be shipped are reported in the
// Result instead.
func Select(d *Dialect, q Query) (Result, error) {
	res := Result{Support: make([]connectors.FilterSupport, len(q.Filters))}
	var b strings.Builder
	b.WriteString("SELECT ")
	if len(q.Project) == 0 {
		b.WriteString("NULL")
	}
	for i, c := range q.Project {
		if c < 0 || c >= len(q.Columns) {
			return Result{}, fmt.Errorf("sqlgen: column %d out of range", c)
		}
		name, err := d.QuoteIdent(q.Columns[c].Name)
		if err != nil {
			return Result{}, err
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(name)
	}
	table, err := d.QualifiedName(q.Table)
	if err != nil {
		return Result{}, err
	}
	b.WriteString(" FROM " + table)
	for i, f := range q.Filters {
		s, err := Where(d, q.Columns, f)
		if err != nil {
			var u *Unshippable
			if !errors.As(err, &u) {
				return Result{}, err
			}
			res.Reasons = append(res.Reasons, Reason{Filter: i, Text: u.Reason})
			continue
		}
		res.Support[i] = connectors.Exact
		res.Where = append(res.Where, s)
	}
	res.Where = append(res.Where, q.Extra...)
	if len(res.Where) > 0 {
		b.WriteString(" WHERE " + strings.Join(res.Where, " AND "))
	}
	if len(q.Order) > 0 {
		keys, reason := orderBy(d, q.Columns, q.Order)
		if reason == "" {
			b.WriteString(" ORDER BY " + keys)
			res.Ordered = true
		}
		res.OrderReason = reason
	}
	if q.Limit >= 0 && len(res.Reasons) == 0 && len(q.Extra) == 0 && (len(q.Order) == 0 || res.Ordered) {
		b.WriteString(" " + d.Limit(q.Limit))
		res.LimitApplied = true
	}
	res.SQL = b.String()
	return res, nil
}

// orderBy renders the ORDER BY keys, or says why they cannot be shipped.
func orderBy(d *Dialect, cols []ColumnRef, order []connectors.SortKey) (string, string) {
	var keys []string
	for _, k := range order {
		if k.Column < 0 || k.Column >= len(cols) {
			return "", fmt.Sprintf("sort column %d out of range", k.Column)
		}
		c := cols[k.Column]
		name, err := d.QuoteIdent(c.Name)
		if err != nil {
			return "", err.Error()
		}
		switch cl := classOfArrow(c.Type); {
		case cl == cOther:
			return "", fmt.Sprintf("ordering by %s of type %s not shippable", c.Name, c.Type)
		case cl == cString && c.Padded:
			return "", fmt.Sprintf("ordering by blank-padded %s not shippable", c.Name)
		case cl == cString:
			name = sprintf(d.StringCollate, name)
		case cl == cFloat && !d.FloatOrder:
			return "", fmt.Sprintf("ordering by float %s: NaN sorts differently remotely", c.Name)
		}
		dir := " ASC"
		if k.Descending {
			dir = " DESC"
		}
		nulls := " NULLS LAST"
		if k.NullsFirst {
			nulls = " NULLS FIRST"
		}
		if d.NullsOrder {
			keys = append(keys, name+dir+nulls)
			continue
		}
		isNull := "(" + name + " IS NULL)"
		if k.NullsFirst {
			isNull += " DESC"
		}
		keys = append(keys, isNull, name+dir)
	}
	return strings.Join(keys, ", "), ""
}
