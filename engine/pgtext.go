package engine

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/engine/pgtext"
)

// FormatValue returns the value at row i of a as PostgreSQL's text output
// prints it (psql, COPY, the text protocol; see engine/pgtext), and whether
// it is NULL.
func FormatValue(a arrow.Array, i int) (string, bool) {
	s, ok := pgtext.Format(a, i)
	return s, !ok
}
