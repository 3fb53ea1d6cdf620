package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/sql/sqlerr"
)

// fakeBackend answers statements and views from hand-made Arrow records, so
// the CLI's printing, errors and meta commands are tested without the
// engine. Statements are matched by their exact text.
type fakeBackend struct {
	mem   memory.Allocator
	stmts map[string]func(memory.Allocator) (*engine.Result, error)
	views map[string]func(memory.Allocator) arrow.RecordBatch
	ran   []string
}

func (f *fakeBackend) Run(ctx context.Context, sql string, _ ...any) (*engine.Result, error) {
	f.ran = append(f.ran, sql)
	fn, ok := f.stmts[sql]
	if !ok {
		return nil, sqlerr.At(sqlerr.SyntaxError, 1, "syntax error at or near %q", strings.Fields(sql + " x")[0])
	}
	return fn(f.mem)
}

func (f *fakeBackend) InfoSchema(ctx context.Context, view string) (array.RecordReader, error) {
	fn, ok := f.views[view]
	if !ok {
		return nil, sqlerr.New(sqlerr.UndefinedTable, `relation "information_schema.%s" does not exist`, view)
	}
	rec := fn(f.mem)
	defer rec.Release()
	return array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
}

// rowsResult is a statement returning the records made by mk.
func rowsResult(mk func(memory.Allocator) arrow.RecordBatch) func(memory.Allocator) (*engine.Result, error) {
	return func(mem memory.Allocator) (*engine.Result, error) {
		rec := mk(mem)
		defer rec.Release()
		rdr, err := array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
		if err != nil {
			return nil, err
		}
		return &engine.Result{Tag: "SELECT", Reader: rdr}, nil
	}
}

// tagResult is a statement returning no rows, only a command tag.
func tagResult(tag string) func(memory.Allocator) (*engine.Result, error) {
	return func(memory.Allocator) (*engine.Result, error) { return &engine.Result{Tag: tag}, nil }
}

// errResult is a statement that fails with err.
func errResult(err error) func(memory.Allocator) (*engine.Result, error) {
	return func(memory.Allocator) (*engine.Result, error) { return nil, err }
}

// recordFromJSON builds a record of schema from JSON rows.
func recordFromJSON(t testing.TB, mem memory.Allocator, schema *arrow.Schema, rows string) arrow.RecordBatch {
	t.Helper()
	rec, _, err := array.RecordFromJSON(mem, schema, strings.NewReader(rows))
	if err != nil {
		t.Fatalf("RecordFromJSON: %v", err)
	}
	return rec
}

// stringRecord builds a record of string columns named by cols.
func stringRecord(t testing.TB, cols []string, rows ...[]string) func(memory.Allocator) arrow.RecordBatch {
	return func(mem memory.Allocator) arrow.RecordBatch {
		fields := make([]arrow.Field, len(cols))
		for i, c := range cols {
			fields[i] = arrow.Field{Name: c, Type: arrow.BinaryTypes.String, Nullable: true}
		}
		b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
		defer b.Release()
		for _, r := range rows {
			for j, v := range r {
				b.Field(j).(*array.StringBuilder).Append(v)
			}
		}
		return b.NewRecordBatch()
	}
}

// testSplit splits at semicolons outside single quotes; the CLI's tests use
// it while engine.SplitStatements is still a stub.
func testSplit(text string) ([]string, string) {
	var out []string
	inQuote := false
	start := 0
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '\'':
			inQuote = !inQuote
		case text[i] == ';' && !inQuote:
			out = append(out, text[start:i])
			start = i + 1
		}
	}
	rest := text[start:]
	if strings.TrimSpace(rest) == "" {
		rest = ""
	}
	return out, rest
}

// runFake runs the CLI in-process on a fake backend and returns its
// standard output, standard error and exit status.
func runFake(t *testing.T, be *fakeBackend, stdin string, args ...string) (string, string, int) {
	t.Helper()
	if got, _ := engine.SplitStatements("select 1;"); len(got) == 0 {
		restore := splitStatements
		splitStatements = testSplit
		defer func() { splitStatements = restore }()
	}
	var stdout, stderr bytes.Buffer
	open := func(context.Context, engineConfig) (backend, func() error, error) {
		return be, func() error { return nil }, nil
	}
	code := runWith(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr, open)
	return stdout.String(), stderr.String(), code
}
