package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	splan "github.com/substrait-io/substrait-go/v8/plan"
	"go.uber.org/zap"

	"github.com/medleysql/medley/arrowexec"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/compile"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// compiled is a statement compiled for one run: the plan and the tables
// the binder resolved, which the executor scans.
type compiled struct {
	*compile.Result
	tables *tableSet
	params []scalar.Scalar
}

// compile binds, optimizes and compiles a query or DML statement with the
// session's search path, and converts args to the plan's parameters.
func (s *Session) compile(ctx context.Context, stmt parse.Statement, args []any) (*compiled, error) {
	ts := newTableSet(s.db, s.user, s.db.alloc)
	res, err := compile.Query(ctx, ts, s.user, stmt, compile.Options{SearchPath: s.set.schemas()})
	if err != nil {
		return nil, err
	}
	params, err := paramScalars(args, res.Params)
	if err != nil {
		return nil, err
	}
	return &compiled{Result: res, tables: ts, params: params}, nil
}

// execOptions are the executor's options for this session.
func (s *Session) execOptions(params []scalar.Scalar) arrowexec.Options {
	return arrowexec.Options{
		Threads: s.set.threads, MemoryLimit: s.set.memoryLimit, Allocator: s.db.alloc,
		Params: params, Pushdown: s.set.pushdown, Logger: s.db.log,
	}
}

// query runs a query (or a write, which the binder shapes as a query of
// the rows to write). COMMIT, ROLLBACK and TRUNCATE come here too
// (parse.Query's EndTransaction and Truncate).
func (s *Session) query(ctx context.Context, stmt parse.Statement, args []any) (*Result, error) {
	if q, ok := stmt.(*parse.Query); ok {
		switch {
		case q.EndTransaction != "":
			return endTransaction(ctx, q.EndTransaction, args)
		case q.Truncate != nil:
			return s.truncate(ctx, q.Truncate, args)
		}
	}
	c, err := s.compile(ctx, stmt, args)
	if err != nil {
		return nil, err
	}
	if c.Write != nil {
		return s.write(ctx, c)
	}
	return s.execute(ctx, c.Plan, c.tables, c.params, "SELECT")
}

// execute starts a plan and returns its streaming result.
func (s *Session) execute(ctx context.Context, p *splan.Plan, ts *tableSet, params []scalar.Scalar, tag string) (*Result, error) {
	rdr, err := arrowexec.Execute(ctx, p, ts, s.execOptions(params))
	if err != nil {
		return nil, err
	}
	return &Result{Tag: tag, Reader: rdr, Progress: ts.progress}, nil
}

// ExecuteSubstrait runs a client's Substrait plan (protobuf bytes, or the
// JSON form when the first byte is '{') as the session's user. Tables are
// looked up by their NamedTable names, with the SELECT privilege.
func (s *Session) ExecuteSubstrait(ctx context.Context, planBytes []byte, args ...any) (*Result, error) {
	p, err := compile.ReadSubstrait(planBytes)
	if err != nil {
		return nil, err
	}
	params, err := paramScalars(args, nil)
	if err != nil {
		return nil, err
	}
	return s.execute(ctx, p, newTableSet(s.db, s.user, s.db.alloc), params, "SELECT")
}

// explain runs EXPLAIN: the optimized logical plan (VERBOSE: with each
// operator's columns), then the physical plan with what each scan pushes to
// its source; ANALYZE runs the query and reports per-operator statistics;
// FORMAT SUBSTRAIT prints the plan as Substrait JSON.
func (s *Session) explain(ctx context.Context, st *parse.Explain, args []any) (*Result, error) {
	c, err := s.compile(ctx, st.Query, args)
	if err != nil {
		return nil, err
	}
	var text string
	switch {
	case st.Format == parse.ExplainSubstrait:
		text, err = c.SubstraitJSON()
	case st.Format == parse.ExplainJSON:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "EXPLAIN (FORMAT JSON) is not supported; use TEXT or SUBSTRAIT")
	case st.Analyze:
		text, err = arrowexec.ExplainAnalyze(ctx, c.Plan, c.tables, s.execOptions(c.params))
	default:
		var phys string
		phys, err = arrowexec.Explain(ctx, c.Plan, c.tables, s.execOptions(c.params))
		text = "Logical plan:\n" + indent(c.Explain(st.Verbose)) + "Physical plan:\n" + indent(phys)
	}
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	return s.textResult("EXPLAIN", []string{"QUERY PLAN"}, lines)
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  ")
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// createTableAs runs CREATE TABLE t [(cols)] AS query: the query's columns
// (renamed by the column list) become a memory table, which then receives
// the query's rows. A failure while filling it drops the table again.
func (s *Session) createTableAs(ctx context.Context, st *parse.CreateTable, args []any) (*Result, error) {
	c, err := s.compile(ctx, st.Query, args)
	if err != nil {
		return nil, err
	}
	fields := c.Schema.Fields()
	if len(st.Columns) > len(fields) {
		return nil, sqlerr.New(sqlerr.SyntaxError, "CREATE TABLE AS specifies too many column names")
	}
	cols := make([]catalog.ColumnDef, len(fields))
	for i, f := range fields {
		name := f.Name
		if i < len(st.Columns) {
			name = st.Columns[i].Name
		}
		cols[i] = catalog.ColumnDef{Name: name, Type: types.SQLName(f.Type)}
		fields[i].Name = name
	}
	name := tableName(st.Table)
	if name.Schema == "" {
		name.Schema = catalog.DefaultSchema
	}
	if err := createMemoryTable(ctx, s.db.cat, s.db.pool, s.user, name, cols, st.IfNotExists); err != nil {
		return nil, err
	}
	n, err := s.fill(ctx, c, name, arrow.NewSchema(fields, nil))
	if err != nil {
		d := &ddl{cat: s.db.cat, pool: s.db.pool, user: s.user}
		if derr := d.dropTables(ctx, []parse.TableName{st.Table}, true, true); derr != nil {
			s.db.log.Warn("dropping a table whose CREATE TABLE AS failed", zap.Error(derr))
		}
		return nil, err
	}
	return &Result{Tag: fmt.Sprintf("SELECT %d", n), RowsAffected: n}, nil
}

// fill runs c and inserts its rows, renamed to schema, into table name.
func (s *Session) fill(ctx context.Context, c *compiled, name catalog.TableName, schema *arrow.Schema) (int64, error) {
	ts := newTableSet(s.db, s.user, s.db.alloc)
	t, err := ts.table(ctx, []string{name.Schema, name.Name})
	if err != nil {
		return 0, err
	}
	return s.insertInto(ctx, c, t, name, schema)
}
