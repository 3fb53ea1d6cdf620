package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/substrait"
)

// TestModifySQL pins the remote UPDATE and DELETE statements, and the
// errors of clauses that are not shipped, from SQL bound as the engine
// binds it.
func TestModifySQL(t *testing.T) {
	cat := &bindtest.Catalog{}
	cat.Add("public", "items", "pg", -1, "id integer, qty integer, note text, code char(3)")
	tbl := &Table{name: []string{"public", "items"}, remote: []string{"shop", "Items"}, updatable: true}
	for _, c := range []struct{ name, typ string }{{"id", "integer"}, {"qty", "integer"}, {"note", "text"}, {"code", "char(3)"}} {
		tbl.cols = append(tbl.cols, sqlgen.ColumnRef{Name: c.name, Type: bindtest.ColumnType(c.typ), Padded: c.name == "code"})
	}
	var fields []arrow.Field
	for _, c := range tbl.cols {
		fields = append(fields, arrow.Field{Name: c.Name, Type: c.Type, Nullable: true})
	}
	tbl.schema = arrow.NewSchema(fields, nil)
	cases := []struct{ sql, want, err string }{
		{"update items set qty = qty + 1, note = 'x' where id = 2", `UPDATE "shop"."Items" SET "qty" = ("qty" + 1), "note" = 'x' WHERE ("id" = 2)`, ""},
		{"update items set note = null", `UPDATE "shop"."Items" SET "note" = NULL`, ""},
		{"delete from items where note is null or qty < 0", `DELETE FROM "shop"."Items" WHERE (("note" IS NULL) OR ("qty" < 0))`, ""},
		{"delete from items", `DELETE FROM "shop"."Items"`, ""},
		{"delete from items where code = 'ab'", "", "the WHERE clause cannot be sent to the server"},
		{"update items set note = note || 'x'", "", "the SET note clause cannot be sent to the server"},
	}
	for _, c := range cases {
		st, err := parse.ParseOne(c.sql)
		if err != nil {
			t.Fatal(err)
		}
		res, err := bind.BindParsed(context.Background(), cat, "u", st, bind.Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		w := res.Write
		var vals []plan.Expr
		for _, a := range w.Set {
			vals = append(vals, a.Value)
		}
		if w.Where != nil {
			vals = append(vals, w.Where)
		}
		es, err := substrait.Exprs(w.Columns, vals)
		if err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		var where expr.Expression
		if w.Where != nil {
			where = es[len(es)-1]
		}
		var got string
		if w.Op == bind.WriteUpdate {
			set := map[int]expr.Expression{}
			for i, a := range w.Set {
				set[a.Column] = es[i]
			}
			got, err = tbl.updateSQL(set, where)
		} else {
			got, err = tbl.deleteSQL(where)
		}
		if c.err != "" {
			var se *sqlerr.Error
			if !errors.As(err, &se) || se.Code != sqlerr.FeatureNotSupported || !strings.Contains(se.Message, c.err) {
				t.Errorf("%s: got %q, %v; want 0A000 %q", c.sql, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s:\n got  %s (%v)\n want %s", c.sql, got, err, c.want)
		}
	}
}
