package sqlconntest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Exprs builds Substrait expressions over a test table's columns with
// substrait-go's ExprBuilder and the default extensions.
type Exprs struct{ B expr.ExprBuilder }

// NewExprs returns an Exprs over columns of the types base.
func NewExprs(base ...types.Type) *Exprs {
	return &Exprs{B: expr.ExprBuilder{
		Reg:        expr.NewEmptyExtensionRegistry(extensions.GetDefaultCollectionWithNoError()),
		BaseSchema: types.NewRecordTypeFromTypes(base),
	}}
}

// Col references column i.
func (u *Exprs) Col(i int) expr.FuncArgBuilder { return u.B.RootRef(expr.NewStructFieldRef(int32(i))) }

// Lit is a literal: an int is an int32, an int64, string or types.Date
// its own type.
func (u *Exprs) Lit(v any) expr.FuncArgBuilder {
	switch v := v.(type) {
	case int:
		return u.B.Wrap(expr.NewLiteral(int32(v), false))
	case int64:
		return u.B.Wrap(expr.NewLiteral(v, false))
	case string:
		return u.B.Wrap(expr.NewLiteral(v, false))
	case types.Date:
		return u.B.Wrap(expr.NewLiteral(v, false))
	}
	panic(fmt.Sprintf("Lit %T", v))
}

// Null is a NULL of type t.
func (u *Exprs) Null(t types.Type) expr.FuncArgBuilder { return u.B.Literal(expr.NewNullLiteral(t)) }

// E builds an operand into an expression.
func (u *Exprs) E(a expr.FuncArgBuilder) expr.Expression {
	x, err := a.(expr.Builder).BuildExpr()
	if err != nil {
		panic(err)
	}
	return x
}

// Call is a call of a comparison, boolean, arithmetic or string function
// by its Substrait name ("equal", "and", "add", "upper", "like", ...).
func (u *Exprs) Call(name string, args ...expr.FuncArgBuilder) expr.FuncArgBuilder {
	urn := "functions_comparison"
	switch name {
	case "and", "or", "not":
		urn = "functions_boolean"
	case "add", "subtract", "multiply":
		urn = "functions_arithmetic"
	case "upper", "like":
		urn = "functions_string"
	}
	return u.B.ScalarFunc(extensions.ID{URN: extensions.SubstraitDefaultURNPrefix + urn, Name: name}).Args(args...)
}

// In is "column col IN (opts...)".
func (u *Exprs) In(col int, opts ...expr.FuncArgBuilder) expr.Expression {
	s := &expr.SingularOrList{Value: u.E(u.Col(col))}
	for _, o := range opts {
		s.Options = append(s.Options, u.E(o))
	}
	return s
}

// ModifyCase is one remote UPDATE (Set not nil) or DELETE of a table, the
// count it must report and the remote rows it must leave.
type ModifyCase struct {
	Name  string
	Set   map[int]expr.Expression // nil: DELETE
	Where expr.Expression
	N     int64
	Want  string
}

// RunModify runs each case in a subtest over a fresh table that setup
// makes, with a function that reads the remote rows as text.
func RunModify(t *testing.T, cases []ModifyCase, setup func(t *testing.T) (connectors.Table, func() string)) {
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			tbl, remote := setup(t)
			var n int64
			var err error
			if tc.Set != nil {
				n, err = tbl.(connectors.Updater).Update(ctx, tc.Set, tc.Where)
			} else {
				n, err = tbl.(connectors.Deleter).Delete(ctx, tc.Where)
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.N {
				t.Errorf("count %d, want %d", n, tc.N)
			}
			if got := remote(); got != tc.Want {
				t.Errorf("remote rows\n got %s\nwant %s", got, tc.Want)
			}
		})
	}
}

// Refused is a write that must fail with Code, changing nothing (a count
// of 0), its message saying each of Msg.
type Refused struct {
	Name string
	Run  func() (int64, error)
	Code sqlerr.Code
	Msg  []string
}

// CheckRefused runs each refused write.
func CheckRefused(t *testing.T, cases []Refused) {
	t.Helper()
	for _, tc := range cases {
		n, err := tc.Run()
		if sqlerr.CodeOf(err) != tc.Code || n != 0 {
			t.Errorf("%s: %d, %v (%s), want %s", tc.Name, n, err, sqlerr.CodeOf(err), tc.Code)
			continue
		}
		for _, s := range tc.Msg {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: %q does not say %q", tc.Name, err, s)
			}
		}
	}
}

// CheckReadOnly checks that each table refuses UPDATE (SET set), DELETE
// and INSERT with 25006, the UPDATE saying "not updatable".
func CheckReadOnly(t *testing.T, set map[int]expr.Expression, tables ...connectors.Table) {
	t.Helper()
	ctx := context.Background()
	for i, tb := range tables {
		_, err := tb.(connectors.Updater).Update(ctx, set, nil)
		if !sqlerr.Is(err, sqlerr.ReadOnlyTransaction) || !strings.Contains(err.Error(), "not updatable") {
			t.Errorf("%d: Update of a read-only table: %v", i, err)
		}
		if _, err := tb.(connectors.Deleter).Delete(ctx, nil); !sqlerr.Is(err, sqlerr.ReadOnlyTransaction) {
			t.Errorf("%d: Delete of a read-only table: %v", i, err)
		}
		if _, err := tb.(connectors.Inserter).Insert(ctx, nil); !sqlerr.Is(err, sqlerr.ReadOnlyTransaction) {
			t.Errorf("%d: Insert into a read-only table: %v", i, err)
		}
	}
}

// UpperRefused are the writes of tbl that call upper(), which no SQL
// wrapper ships, in each clause: UPDATE ... SET n = 1 WHERE upper(s) =
// 'APPLE', DELETE ... WHERE upper(s) = 'APPLE' and UPDATE ... SET s =
// upper(s), where n is an int32 column and s a string column named "s".
// Each must fail with 0A000 naming the statement, the clause and the
// function.
func UpperRefused(ctx context.Context, tbl connectors.Table, u *Exprs, n, s int) []Refused {
	upd, del := tbl.(connectors.Updater), tbl.(connectors.Deleter)
	upper := u.E(u.Call("equal", u.Call("upper", u.Col(s)), u.Lit("APPLE")))
	return []Refused{
		{Name: "function in WHERE", Run: func() (int64, error) { return upd.Update(ctx, map[int]expr.Expression{n: u.E(u.Lit(1))}, upper) },
			Code: sqlerr.FeatureNotSupported, Msg: []string{"UPDATE", "WHERE clause", "upper"}},
		{Name: "function in DELETE", Run: func() (int64, error) { return del.Delete(ctx, upper) },
			Code: sqlerr.FeatureNotSupported, Msg: []string{"DELETE", "WHERE clause", "upper"}},
		{Name: "function in SET", Run: func() (int64, error) {
			return upd.Update(ctx, map[int]expr.Expression{s: u.E(u.Call("upper", u.Col(s)))}, nil)
		}, Code: sqlerr.FeatureNotSupported, Msg: []string{"SET s clause", "upper"}},
	}
}
