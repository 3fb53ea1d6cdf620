package parse

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Piece
		rest string
	}{
		{"simple", "select 1; select 2;", []Piece{{"select 1", 0}, {"select 2", 10}}, ""},
		{"rest", "select 1;\n  select 2", []Piece{{"select 1", 0}}, "select 2"},
		{"rest keeps line breaks", "select 1;\nselect a,\n", []Piece{{"select 1", 0}}, "select a,\n"},
		{"string", "select 'a;b''c;'; x", []Piece{{"select 'a;b''c;'", 0}}, "x"},
		{"backslash literal", `select 'a\'; x;`, []Piece{{`select 'a\'`, 0}, {"x", 13}}, ""},
		{"e string", `select E'a\';b'; x;`, []Piece{{`select E'a\';b'`, 0}, {"x", 17}}, ""},
		{"word ending in e", `select e'a;'; x;`, []Piece{{`select e'a;'`, 0}, {"x", 14}}, ""},
		{"identifier", `select "a;""b"; x;`, []Piece{{`select "a;""b"`, 0}, {"x", 16}}, ""},
		{"backtick", "select `a;b`; x;", []Piece{{"select `a;b`", 0}, {"x", 14}}, ""},
		{"line comment", "select 1 -- c;\n; x;", []Piece{{"select 1 -- c;", 0}, {"x", 17}}, ""},
		{"block comment", "select /* a; /* b; */ c; */ 1; x;", []Piece{{"select /* a; /* b; */ c; */ 1", 0}, {"x", 31}}, ""},
		{"dollar", "select $$a;b$$; select $t$x;$$;$t$;", []Piece{{"select $$a;b$$", 0}, {"select $t$x;$$;$t$", 16}}, ""},
		{"param not dollar quote", "select $1; select $2;", []Piece{{"select $1", 0}, {"select $2", 11}}, ""},
		{"empty statements", ";; -- c\n ; /* d */;", nil, ""},
		{"only comment rest", "select 1; -- bye", []Piece{{"select 1", 0}}, ""},
		{"unterminated string", "select 1; select 'abc;", []Piece{{"select 1", 0}}, "select 'abc;"},
		{"unterminated comment", "select 1; /* abc;", []Piece{{"select 1", 0}}, "/* abc;"},
		{"unterminated dollar", "select $$abc;", nil, "select $$abc;"},
		{"unterminated ident", `select "abc;`, nil, `select "abc;`},
		{"multiline", "create server s\n  foreign data wrapper w\n  options (host 'x');\n",
			[]Piece{{"create server s\n  foreign data wrapper w\n  options (host 'x')", 0}}, ""},
	}
	for _, tt := range tests {
		got, rest := Split(tt.in)
		if !reflect.DeepEqual(got, tt.want) || rest != tt.rest {
			t.Errorf("%s: Split(%q) = %v, %q; want %v, %q", tt.name, tt.in, got, rest, tt.want, tt.rest)
		}
		for _, p := range got {
			if tt.in[p.Offset:p.Offset+len(p.Text)] != p.Text {
				t.Errorf("%s: piece %q not at offset %d", tt.name, p.Text, p.Offset)
			}
		}
	}
}
