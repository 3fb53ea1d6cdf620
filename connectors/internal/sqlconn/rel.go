package sqlconn

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/plan"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Rel is one Conn's side of whole-subtree pushdown (connectors.RelExecutor):
// joins, aggregates, filters, projections, sorts and limits over tables of
// the Conn are deparsed by sqlgen.Rel into one remote SELECT, read as one
// partition. A wrapper's Conn answers CanExecute and ExecuteRel with it.
type Rel struct {
	Dialect *sqlgen.Dialect // the wrapper's sqlgen.RelDialect
	// Server names the Conn in errors (`server "maria"`); Where ends the
	// name by which errors of a query name its tables (`on server "maria"`
	// makes `(query of a, b on server "maria")`).
	Server, Where string
	// Table is the remote table behind t (connectors.Underlying), or false
	// when t is not a table of this Conn.
	Table func(t connectors.Table) (sqlgen.RelTable, bool)
	// Partition is the partition that reads q into schema (one column per
	// type of q.Types, named c0, c1, ...); table names the query in errors,
	// tables are the Conn's tables it reads, by name. It must do no I/O:
	// CanExecute calls it too, and an error (a result type the wrapper
	// cannot read) makes rel not shippable.
	Partition func(table string, tables []connectors.Table, q sqlgen.RelQuery, schema *arrow.Schema) (connectors.Partition, error)
}

// CanExecute reports whether rel deparses into remote SQL with the
// engine's meaning; the reason names what is not shippable.
func (r Rel) CanExecute(rel plan.Rel, tables map[string]connectors.Table) (bool, string) {
	if _, err := r.plan(rel, tables); err != nil {
		return false, err.Error()
	}
	return true, ""
}

// ExecuteRel plans rel as one remote SELECT read as one partition.
func (r Rel) ExecuteRel(ctx context.Context, rel plan.Rel, tables map[string]connectors.Table) (*connectors.ScanPlan, error) {
	p, err := r.plan(rel, tables)
	if err != nil {
		var u *sqlgen.Unshippable
		if errors.As(err, &u) {
			return nil, sqlerr.New(sqlerr.FDWError, "%s: relation not shippable: %s", r.Server, u.Reason)
		}
		return nil, sqlerr.New(sqlerr.FDWError, "%s: %v", r.Server, err)
	}
	return p, nil
}

// plan deparses rel and makes its partition; an error is sqlgen's or the
// Partition's, as it is.
func (r Rel) plan(rel plan.Rel, tables map[string]connectors.Table) (*connectors.ScanPlan, error) {
	q, err := sqlgen.Rel(r.Dialect, rel, func(names []string) (sqlgen.RelTable, bool) {
		t, ok := tables[strings.Join(names, ".")]
		if !ok {
			return sqlgen.RelTable{}, false
		}
		return r.Table(connectors.Underlying(t))
	})
	if err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, len(q.Types))
	for i, t := range q.Types {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: t, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	var names []string
	for k, t := range tables {
		if _, ok := r.Table(connectors.Underlying(t)); ok {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	own := make([]connectors.Table, len(names))
	for i, k := range names {
		own[i] = connectors.Underlying(tables[k])
	}
	part, err := r.Partition(fmt.Sprintf("(query of %s %s)", strings.Join(names, ", "), r.Where), own, q, schema)
	if err != nil {
		return nil, err
	}
	return &connectors.ScanPlan{
		Schema:     schema,
		Partitions: []connectors.Partition{part},
		Explain:    []string{"Remote SQL: " + q.SQL},
	}, nil
}
