package sqlite

import (
	"fmt"
	"strings"

	"github.com/medleysql/medley/connectors"
)

// deparseSelect renders the remote SELECT of a scan request.
func (t *Table) deparseSelect(req connectors.ScanRequest) (remoteQuery, error) {
	q := remoteQuery{support: make([]connectors.FilterSupport, len(req.Filters))}
	var b strings.Builder
	fmt.Fprintf(&b, "SELECT %s FROM %s", t.selectList(req.Columns), quoteIdent(t.remote))
	exact := len(req.Filters) == 0
	if exact && len(req.Order) > 0 {
		keys := make([]string, len(req.Order))
		for i, k := range req.Order {
			dir, nulls := "ASC", "NULLS LAST"
			if k.Descending {
				dir = "DESC"
			}
			if k.NullsFirst {
				nulls = "NULLS FIRST"
			}
			keys[i] = fmt.Sprintf("%s %s %s", quoteIdent(t.cols[k.Column].remote), dir, nulls)
		}
		b.WriteString(" ORDER BY " + strings.Join(keys, ", "))
		q.ordered = true
	}
	if exact && req.Limit >= 0 {
		fmt.Fprintf(&b, " LIMIT %d", req.Limit)
		q.limit = true
	}
	q.sql = b.String()
	return q, nil
}

// literal renders a parameter for EXPLAIN.
func literal(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case []byte:
		return fmt.Sprintf("X'%x'", x)
	}
	return fmt.Sprint(v)
}
