package bind_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// privCatalog denies one privilege to user "bob" and records the
// privileges asked for.
type privCatalog struct {
	*bindtest.Catalog
	deny  bind.Privilege
	asked []bind.Privilege
}

func (c *privCatalog) Table(ctx context.Context, user, schema, name string, priv bind.Privilege) (*bind.TableInfo, error) {
	c.asked = append(c.asked, priv)
	if user == "bob" && priv == c.deny {
		return nil, sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied for table %s", name)
	}
	return c.Catalog.Table(ctx, user, schema, name, priv)
}

func TestBindUpdateDelete(t *testing.T) {
	cat := &privCatalog{Catalog: bindtest.TPCH(), deny: -1}
	res, err := bindSQL(cat, "alice", "update nation n set n_name = 'x', n_regionkey = n.n_regionkey + 1 where n_nationkey < 5")
	if err != nil {
		t.Fatal(err)
	}
	w := res.Write
	if w == nil || w.Op != bind.WriteUpdate || w.Table.Name != "nation" || len(w.Columns) != 4 {
		t.Fatalf("write = %+v", w)
	}
	if cat.asked[len(cat.asked)-1] != bind.Update {
		t.Errorf("asked for %v, want UPDATE", cat.asked)
	}
	if len(w.Set) != 2 || w.Set[0].Column != 1 || w.Set[1].Column != 2 {
		t.Fatalf("set = %+v", w.Set)
	}
	for _, a := range w.Set {
		if !arrow.TypeEqual(a.Value.Type(), w.Columns[a.Column].Type) {
			t.Errorf("SET %s: type %s, want %s", w.Columns[a.Column].Name, a.Value.Type(), w.Columns[a.Column].Type)
		}
	}
	if _, ok := w.Set[0].Value.(*plan.Literal); !ok {
		t.Errorf("SET n_name = 'x' is %T, want a literal converted at bind time", w.Set[0].Value)
	}
	if w.Where == nil || !strings.Contains(w.Where.String(), "n_nationkey") {
		t.Errorf("where = %v", w.Where)
	}
	if f, ok := res.Root.(*plan.Filter); !ok || f.Cond != w.Where {
		t.Errorf("root = %T, want the filtered scan", res.Root)
	}

	res, err = bindSQL(cat, "alice", "delete from nation")
	if err != nil {
		t.Fatal(err)
	}
	if w := res.Write; w.Op != bind.WriteDelete || w.Where != nil || len(w.Set) != 0 {
		t.Fatalf("write = %+v", w)
	}
	if cat.asked[len(cat.asked)-1] != bind.Delete {
		t.Errorf("asked for %v, want DELETE", cat.asked)
	}

	// Bigint to integer is an assignment cast.
	res, err = bindSQL(cat, "alice", "update nation set n_nationkey = n_nationkey::bigint * 2")
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := res.Write.Set[0].Value.(*plan.Cast); !ok || c.Typ.ID() != arrow.INT32 {
		t.Errorf("SET value = %v, want a cast to integer", res.Write.Set[0].Value)
	}
}

func TestBindWriteErrors(t *testing.T) {
	cases := []struct {
		deny      bind.Privilege
		user, sql string
		code      sqlerr.Code
		at        string
		msg       string
	}{
		{-1, "alice", "update nation set n_nosuch = 1", sqlerr.UndefinedColumn, "n_nosuch", `column "n_nosuch" of relation "nation" does not exist`},
		{-1, "alice", "update nation set n_name = 'a', n_name = 'b'", sqlerr.DuplicateColumn, "n_name", "multiple assignments"},
		{-1, "alice", "update nation set n_nationkey = n_name", sqlerr.DatatypeMismatch, "n_nationkey", "is of type integer but expression is of type"},
		{-1, "alice", "update nation set n_nationkey = 'abc'", sqlerr.InvalidTextRepr, "", `column "n_nationkey"`},
		{-1, "alice", "update nation set n_name = 'x' where n_nosuch = 1", sqlerr.UndefinedColumn, "n_nosuch", "n_nosuch"},
		{-1, "alice", "update nation set n_name = 'x' where n_nationkey", sqlerr.DatatypeMismatch, "", "argument of WHERE must be type boolean"},
		{-1, "alice", "update nation set n_name = 'x' where n_nationkey in (select r_regionkey from region)", sqlerr.FeatureNotSupported, "", "subqueries are not supported"},
		{-1, "alice", "update nation set n_name = (select r_name from region limit 1)", sqlerr.FeatureNotSupported, "", "subqueries are not supported"},
		{-1, "alice", "update nation set n_name = max(n_name)", sqlerr.GroupingError, "", "aggregate functions are not allowed in UPDATE"},
		{-1, "alice", "update nosuch set a = 1", sqlerr.UndefinedTable, "nosuch", `relation "nosuch" does not exist`},
		{-1, "alice", "update nation n set x.n_name = 'a'", sqlerr.UndefinedTable, "x", "missing FROM-clause entry"},
		{-1, "alice", "delete from nation where n_nosuch = 1", sqlerr.UndefinedColumn, "n_nosuch", "n_nosuch"},
		{-1, "alice", "delete from nosuch", sqlerr.UndefinedTable, "nosuch", `relation "nosuch" does not exist`},
		{-1, "alice", "delete from nation where exists (select 1 from region)", sqlerr.FeatureNotSupported, "", "subqueries are not supported"},
		{bind.Update, "bob", "update nation set n_name = 'x'", sqlerr.InsufficientPrivilege, "nation", "permission denied"},
		{bind.Delete, "bob", "delete from nation", sqlerr.InsufficientPrivilege, "nation", "permission denied"},
		{-1, "alice", "insert into nation (n_nationkey, n_name) values (1, 'a'), ('x2', 'b')", sqlerr.InvalidTextRepr, "x2", `column "n_nationkey", row 2`},
	}
	for _, c := range cases {
		cat := &privCatalog{Catalog: bindtest.TPCH(), deny: c.deny}
		_, err := bindSQL(cat, c.user, c.sql)
		var e *sqlerr.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: got %v, want a *sqlerr.Error %s", c.sql, err, c.code)
			continue
		}
		if e.Code != c.code || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: got %s %q, want %s containing %q", c.sql, e.Code, e.Message, c.code, c.msg)
		}
		if c.at != "" {
			if want := strings.Index(c.sql, c.at) + 1; e.Position != want {
				t.Errorf("%s: position %d, want %d (at %q)", c.sql, e.Position, want, c.at)
			}
		}
	}
}
