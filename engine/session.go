package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Session is one user's connection to a DB: the current user and the
// settings (threads, memory_limit, pushdown, search_path). It is not safe
// for concurrent use; open one per goroutine.
type Session struct {
	db   *DB
	user string
	set  settings
}

// User returns the session's current user.
func (s *Session) User() string { return s.user }

// Run runs exactly one statement. Errors are *sqlerr.Error; those about
// the statement's text carry a position in it.
func (s *Session) Run(ctx context.Context, text string, args ...any) (*Result, error) {
	stmt, err := parse.ParseOne(text)
	if err != nil {
		return nil, err
	}
	res, err := s.run(ctx, stmt, args)
	if err != nil {
		var e *sqlerr.Error
		if errors.As(err, &e) {
			e.Locate(text)
		}
		return nil, err
	}
	return res, nil
}

func (s *Session) run(ctx context.Context, stmt parse.Statement, args []any) (*Result, error) {
	switch st := stmt.(type) {
	case *parse.Query, *parse.SetOp:
		return s.query(ctx, st, args)
	case *parse.Explain:
		return s.explain(ctx, st, args)
	case *parse.CreateTable:
		if st.Query != nil {
			return s.createTableAs(ctx, st, args)
		}
	case *parse.Set:
		if st.Default {
			return s.reset(st.Name, false)
		}
		if err := s.set.set(st.Name, st.Values); err != nil {
			return nil, err
		}
		return &Result{Tag: "SET"}, nil
	case *parse.Reset:
		return s.reset(st.Name, st.All)
	case *parse.Show:
		return s.show(st)
	}
	if len(args) > 0 {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "parameters are only allowed in queries and DML statements")
	}
	tag, err := execDDL(ctx, s.db.cat, s.db.pool, s.user, stmt)
	if err != nil {
		return nil, err
	}
	return &Result{Tag: tag}, nil
}

func (s *Session) reset(name string, all bool) (*Result, error) {
	def := defaultSettings(s.db.cfg)
	if all {
		s.set = def
		return &Result{Tag: "RESET"}, nil
	}
	v, err := def.get(name)
	if err != nil {
		return nil, err
	}
	if err := s.set.set(name, []string{v}); err != nil {
		return nil, err
	}
	return &Result{Tag: "RESET"}, nil
}

func (s *Session) show(st *parse.Show) (*Result, error) {
	if st.All {
		rows := s.set.all()
		names, vals := make([]string, len(rows)), make([]string, len(rows))
		for i, r := range rows {
			names[i], vals[i] = r[0], r[1]
		}
		return s.textResult("SHOW", []string{"name", "setting"}, names, vals)
	}
	v, err := s.set.get(st.Name)
	if err != nil {
		return nil, err
	}
	return s.textResult("SHOW", []string{st.Name}, []string{v})
}

// textResult returns a small result of text columns (SHOW, EXPLAIN).
func (s *Session) textResult(tag string, names []string, cols ...[]string) (*Result, error) {
	fields := make([]arrow.Field, len(names))
	arrs := make([]arrow.Array, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: arrow.BinaryTypes.String}
		b := array.NewStringBuilder(s.db.alloc)
		b.AppendValues(cols[i], nil)
		arrs[i] = b.NewArray()
		b.Release()
	}
	schema := arrow.NewSchema(fields, nil)
	rows := 0
	if len(cols) > 0 {
		rows = len(cols[0])
	}
	rec := array.NewRecordBatch(schema, arrs, int64(rows))
	for _, a := range arrs {
		a.Release()
	}
	defer rec.Release()
	rdr, err := array.NewRecordReader(schema, []arrow.RecordBatch{rec})
	if err != nil {
		return nil, err
	}
	return &Result{Tag: tag, Reader: rdr}, nil
}

// Exec runs one statement and drains any rows it returns.
func (s *Session) Exec(ctx context.Context, sql string, args ...any) (*Result, error) {
	res, err := s.Run(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	if res.Reader != nil {
		defer res.Reader.Release()
		n := int64(0)
		for res.Reader.Next() {
			n += res.Reader.RecordBatch().NumRows()
		}
		if err := res.Reader.Err(); err != nil {
			return nil, err
		}
		res.Reader = nil
		if res.Tag == "SELECT" {
			res.Tag = fmt.Sprintf("SELECT %d", n)
		}
	}
	return res, nil
}

// Query runs one statement and streams its rows; a statement that returns
// no rows yields an empty reader.
func (s *Session) Query(ctx context.Context, sql string, args ...any) (array.RecordReader, error) {
	res, err := s.Run(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	if res.Reader == nil {
		return array.NewRecordReader(arrow.NewSchema(nil, nil), nil)
	}
	return res.Reader, nil
}

// InfoSchema returns the rows of an information_schema view by name
// (e.g. "foreign_servers"), as the session's user may see them.
func (s *Session) InfoSchema(ctx context.Context, view string) (array.RecordReader, error) {
	return s.db.cat.InfoSchema(ctx, s.user, view, s.db.alloc)
}

// SplitStatements splits text at top-level semicolons. complete holds each
// finished statement (without its ';'); rest is trailing text not yet ended
// by ';' ("" when only whitespace or comments remain).
func SplitStatements(text string) (complete []string, rest string) {
	pieces, rest := parse.Split(text)
	for _, p := range pieces {
		complete = append(complete, p.Text)
	}
	return complete, rest
}
