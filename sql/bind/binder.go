package bind

import (
	"context"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// Options tune binding.
type Options struct {
	// SearchPath lists the schemas searched for unqualified table names,
	// in order; empty means {"public"}.
	SearchPath []string
	// ParamTypes are the declared types of the parameters ($1 first); a
	// nil entry (or a missing one) is inferred from the parameter's use.
	ParamTypes []arrow.DataType
	// Now is the clock of current_date, current_timestamp, now() and the
	// like (see clock.go): read once per statement; nil means time.Now.
	Now func() time.Time
}

// Result is a bound statement.
type Result struct {
	// Root is the logical plan of a query, or the source rows of a write.
	Root plan.Node
	// Names are the output column names of a query.
	Names []string
	// Params are the parameters' types, $1 first.
	Params []arrow.DataType
	// Write describes the target of INSERT, UPDATE or DELETE; nil for queries.
	Write *Write
}

// Bind resolves stmt, parsed from text, for user against cat.
func Bind(ctx context.Context, cat Catalog, user, text string, stmt sqlparser.Statement, opts Options) (*Result, error) {
	return bindWith(ctx, cat, user, text, 0, opts, func(b *binder) (*Result, error) { return b.statement(stmt) })
}

// bindWith runs fn on a new binder for the statement text, which starts at
// byte offset base of the text error positions count in.
func bindWith(ctx context.Context, cat Catalog, user, text string, base int, opts Options,
	fn func(*binder) (*Result, error)) (res *Result, err error) {
	b := newBinder(ctx, cat, user, text, opts)
	b.base = base
	defer func() {
		if r := recover(); r != nil {
			// A defect of the binder must not take the engine down.
			err = sqlerr.New(sqlerr.InternalError, "internal error binding statement: %v", r)
		}
	}()
	res, err = fn(b)
	if err != nil {
		return nil, err
	}
	res.Params = b.paramTypes()
	return res, nil
}

type binder struct {
	ctx     context.Context
	cat     Catalog
	user    string
	text    string
	lower   string // text in lower case, for positions
	opts    Options
	ids     plan.IDGen
	params  []arrow.DataType
	ctes    []map[string]*cteDef
	untyped map[*plan.Literal]bool
	base    int   // offset of the statement in the text positions count in
	now     int64 // the statement time (µs since the epoch), once nowRead
	nowRead bool
}

func newBinder(ctx context.Context, cat Catalog, user, text string, opts Options) *binder {
	if len(opts.SearchPath) == 0 {
		opts.SearchPath = []string{"public"}
	}
	b := &binder{ctx: ctx, cat: cat, user: user, text: text, lower: strings.ToLower(text), opts: opts,
		untyped: map[*plan.Literal]bool{}}
	b.params = append(b.params, opts.ParamTypes...)
	return b
}

func (b *binder) statement(stmt sqlparser.Statement) (*Result, error) {
	switch s := stmt.(type) {
	case sqlparser.TableStatement:
		n, names, err := b.query(s, nil)
		if err != nil {
			return nil, err
		}
		return &Result{Root: n, Names: names}, nil
	case *sqlparser.Insert:
		return b.insert(s)
	case *sqlparser.Update:
		return b.update(s)
	case *sqlparser.Delete:
		return b.delete(s)
	case nil:
		return nil, sqlerr.New(sqlerr.SyntaxError, "empty statement")
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "statement %s is not supported", strings.Fields(sqlparser.String(stmt) + " ?")[0])
}

// paramTypes returns the parameters' types; one never given a type is text,
// as PostgreSQL resolves unknown.
func (b *binder) paramTypes() []arrow.DataType {
	out := make([]arrow.DataType, len(b.params))
	for i, t := range b.params {
		if t == nil || t.ID() == arrow.NULL {
			t = types.Text
		}
		out[i] = t
	}
	return out
}

// pos returns the 1-based offset of the first occurrence of word in the
// statement text as a whole word (case-insensitive), 0 if not found.
// Vitess nodes carry no positions; this is right for the common cases.
func (b *binder) pos(word string) int {
	w := strings.ToLower(word)
	if w == "" {
		return 0
	}
	for from := 0; ; {
		i := strings.Index(b.lower[from:], w)
		if i < 0 {
			return 0
		}
		i += from
		end := i + len(w)
		if (i == 0 || !isIdentByte(b.lower[i-1])) && (end >= len(b.lower) || !isIdentByte(b.lower[end])) {
			if i > 0 && (b.lower[i-1] == '"' || b.lower[i-1] == '`') {
				return b.base + i // the quote
			}
			return b.base + i + 1
		}
		from = i + 1
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}

// errAt returns an error positioned at the first occurrence of word.
func (b *binder) errAt(code sqlerr.Code, word string, format string, args ...any) *sqlerr.Error {
	return sqlerr.At(code, b.pos(word), format, args...)
}

// newCol returns a new column.
func (b *binder) newCol(name string, t arrow.DataType, nullable bool) plan.Column {
	return plan.Column{ID: b.ids.Next(), Name: name, Type: t, Nullable: nullable}
}

// unsupported returns error 0A000 for a construct the compiler lacks.
func unsupported(format string, args ...any) *sqlerr.Error {
	return sqlerr.New(sqlerr.FeatureNotSupported, format, args...)
}
