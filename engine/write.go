package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/arrowexec"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/substrait"
)

// write runs INSERT, UPDATE or DELETE. Whether the target can take the
// write is checked first, before any row is read. Atomicity is the
// connector's: each of Insert, Update and Delete is all or nothing (one
// remote transaction per statement).
func (s *Session) write(ctx context.Context, c *compiled) (*Result, error) {
	w := c.Write
	name := catalog.TableName{Schema: w.Table.Schema, Name: w.Table.Name}
	t, err := c.tables.table(ctx, []string{name.Schema, name.Name})
	if err != nil {
		return nil, err
	}
	if err := checkWritable(t, w); err != nil {
		return nil, err
	}
	switch w.Op {
	case bind.WriteInsert:
		n, err := s.insertInto(ctx, c, t, name, c.Schema)
		if err != nil {
			return nil, err
		}
		return &Result{Tag: fmt.Sprintf("INSERT 0 %d", n), RowsAffected: n}, nil
	case bind.WriteUpdate:
		n, err := update(ctx, c, t.(connectors.Updater))
		if err != nil {
			return nil, err
		}
		return &Result{Tag: fmt.Sprintf("UPDATE %d", n), RowsAffected: n}, nil
	case bind.WriteDelete:
		where, err := writeExprs(c, nil)
		if err != nil {
			return nil, err
		}
		n, err := t.(connectors.Deleter).Delete(ctx, where[0])
		if err != nil {
			return nil, err
		}
		return &Result{Tag: fmt.Sprintf("DELETE %d", n), RowsAffected: n}, nil
	}
	return nil, sqlerr.New(sqlerr.InternalError, "unknown write %d", w.Op)
}

// truncate runs TRUNCATE as DELETE FROM each table (deletes), in order,
// each one remote statement in its own transaction. Every table is
// resolved first, with the DELETE privilege (Medley's grants have no
// TRUNCATE privilege, which PostgreSQL's TRUNCATE needs), and refused if
// its wrapper cannot delete (files), so that such a table leaves the others
// untouched; a source that refuses the DELETE itself (updatable 'false')
// stops the statement there, the tables before it emptied.
func (s *Session) truncate(ctx context.Context, deletes []*parse.Query, args []any) (*Result, error) {
	if len(args) > 0 {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "parameters are only allowed in queries and DML statements")
	}
	cs := make([]*compiled, len(deletes))
	for i, d := range deletes {
		c, err := s.compile(ctx, d, nil)
		if err != nil {
			return nil, err
		}
		if c.Write == nil || c.Write.Op != bind.WriteDelete {
			return nil, sqlerr.New(sqlerr.InternalError, "TRUNCATE of %s is not a DELETE", d.Text())
		}
		t, err := c.tables.table(ctx, []string{c.Write.Table.Schema, c.Write.Table.Name})
		if err != nil {
			return nil, err
		}
		if err := checkWritable(t, c.Write); err != nil {
			return nil, err
		}
		cs[i] = c
	}
	for _, c := range cs {
		if _, err := s.write(ctx, c); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "TRUNCATE TABLE"}, nil
}

// noActiveTransaction is PostgreSQL's no_active_sql_transaction, the code
// of its warning about COMMIT or ROLLBACK outside a transaction block.
const noActiveTransaction sqlerr.Code = "25P01"

// endTransaction runs COMMIT or ROLLBACK (tag). Medley has no transaction
// blocks (BEGIN is refused): every statement has committed, or left
// nothing behind, when it returns. So there is never a transaction to end,
// and as PostgreSQL outside one the statement succeeds with the warning
// "there is no transaction in progress", sent to the context's notice
// handler (catalog.WithNoticeHandler).
func endTransaction(ctx context.Context, tag string, args []any) (*Result, error) {
	if len(args) > 0 {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "parameters are only allowed in queries and DML statements")
	}
	catalog.SendNotice(ctx, catalog.Notice{Code: noActiveTransaction, Message: "there is no transaction in progress"})
	return &Result{Tag: tag}, nil
}

// checkWritable refuses a write the target's wrapper cannot do (files are
// read-only sources), naming the table: 0A000.
func checkWritable(t connectors.Table, w *bind.Write) error {
	var ok bool
	var verb string
	switch w.Op {
	case bind.WriteInsert:
		_, ok = t.(connectors.Inserter)
		verb = "insert into"
	case bind.WriteUpdate:
		_, ok = t.(connectors.Updater)
		verb = "update"
	case bind.WriteDelete:
		_, ok = t.(connectors.Deleter)
		verb = "delete from"
	}
	if ok {
		return nil
	}
	full := w.Table.Name
	if w.Table.Schema != "" {
		full = w.Table.Schema + "." + w.Table.Name
	}
	return sqlerr.New(sqlerr.FeatureNotSupported, "cannot %s foreign table \"%s\": wrapper %s does not support %s",
		verb, full, w.Table.Wrapper, strings.ToUpper(strings.Fields(verb)[0])).
		WithHint("Sources of this wrapper are read-only.")
}

// update runs UPDATE at the source.
func update(ctx context.Context, c *compiled, u connectors.Updater) (int64, error) {
	w := c.Write
	vals := make([]plan.Expr, len(w.Set))
	for i, a := range w.Set {
		vals[i] = a.Value
	}
	es, err := writeExprs(c, vals)
	if err != nil {
		return 0, err
	}
	set := make(map[int]expr.Expression, len(w.Set))
	for i, a := range w.Set {
		set[a.Column] = es[i]
	}
	return u.Update(ctx, set, es[len(es)-1])
}

// writeExprs converts vals and then the WHERE (last; nil when absent) to
// Substrait expressions over the table's columns, with the statement's
// parameters substituted as literals (a source takes no parameters).
func writeExprs(c *compiled, vals []plan.Expr) ([]expr.Expression, error) {
	w := c.Write
	all := append([]plan.Expr(nil), vals...)
	if w.Where != nil {
		all = append(all, w.Where)
	}
	for i, e := range all {
		var err error
		if all[i], err = bindParams(e, c.params); err != nil {
			return nil, err
		}
	}
	es, err := substrait.Exprs(w.Columns, all)
	if err != nil {
		return nil, err
	}
	if w.Where == nil {
		es = append(es, nil)
	}
	return es, nil
}

// bindParams replaces the parameters in e by their values.
func bindParams(e plan.Expr, params []scalar.Scalar) (out plan.Expr, err error) {
	out = plan.Rewrite(e, func(x plan.Expr) plan.Expr {
		p, ok := x.(*plan.Param)
		if !ok || err != nil {
			return x
		}
		if p.Index >= len(params) {
			err = sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $%d", p.Index+1)
			return x
		}
		var lit *plan.Literal
		if lit, err = paramLiteral(params[p.Index], p.Typ); err != nil {
			return x
		}
		return lit
	})
	return out, err
}

// paramLiteral is a parameter's value as a literal of type t.
func paramLiteral(v scalar.Scalar, t arrow.DataType) (*plan.Literal, error) {
	if v == nil || !v.IsValid() {
		return &plan.Literal{Typ: t}, nil
	}
	if t == nil || t.ID() == arrow.NULL {
		t = v.DataType()
	}
	var val any
	switch s := v.(type) {
	case *scalar.Boolean:
		val = s.Value
	case *scalar.Int8:
		val = int64(s.Value)
	case *scalar.Int16:
		val = int64(s.Value)
	case *scalar.Int32:
		val = int64(s.Value)
	case *scalar.Int64:
		val = s.Value
	case *scalar.Float32:
		val = float64(s.Value)
	case *scalar.Float64:
		val = s.Value
	case *scalar.String:
		val = string(s.Data())
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "a parameter of type %s is not supported in UPDATE or DELETE", v.DataType())
	}
	lit := &plan.Literal{Value: val, Typ: v.DataType()}
	if arrow.TypeEqual(v.DataType(), t) {
		return lit, nil
	}
	x, err := plan.CastLiteral(lit, t)
	if err != nil {
		return nil, err
	}
	if l, ok := x.(*plan.Literal); ok {
		return l, nil
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "a parameter of type %s is not supported in UPDATE or DELETE", v.DataType())
}

// insertInto runs c and sends its rows, relabelled to schema, to table t.
func (s *Session) insertInto(ctx context.Context, c *compiled, t connectors.Table, name catalog.TableName, schema *arrow.Schema) (int64, error) {
	ins, ok := t.(connectors.Inserter)
	if !ok {
		return 0, checkWritable(t, &bind.Write{Op: bind.WriteInsert, Table: bind.TableInfo{Schema: name.Schema, Name: name.Name}})
	}
	rdr, err := arrowexec.Execute(ctx, c.Plan, c.tables, s.execOptions(c.params))
	if err != nil {
		return 0, err
	}
	rr := renamed(rdr, schema)
	defer rr.Release()
	return ins.Insert(ctx, rr)
}

// renamed is rdr with its batches relabelled to schema (same types).
func renamed(rdr array.RecordReader, schema *arrow.Schema) array.RecordReader {
	return &renameReader{RecordReader: rdr, schema: schema}
}

type renameReader struct {
	array.RecordReader
	schema *arrow.Schema
	cur    arrow.RecordBatch
}

func (r *renameReader) Schema() *arrow.Schema { return r.schema }

func (r *renameReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if !r.RecordReader.Next() {
		return false
	}
	b := r.RecordReader.RecordBatch()
	r.cur = array.NewRecordBatch(r.schema, b.Columns(), b.NumRows())
	return true
}

func (r *renameReader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *renameReader) Record() arrow.RecordBatch      { return r.cur }

func (r *renameReader) Release() {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	r.RecordReader.Release()
}
