package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/sqlerr"
)

// TestWriteErrorLikePsql compares with what psql 15 prints for the same
// statement and position.
func TestWriteErrorLikePsql(t *testing.T) {
	long100 := strings.Repeat("a", 100)
	long134 := strings.Repeat("a", 134)
	cases := []struct {
		name   string
		stmt   string
		at     string // the error is at the last occurrence of this text
		err    *sqlerr.Error
		prefix string
		want   string
	}{
		{
			name: "caret", stmt: "select 1 as a, 2 as b from nosuch where x", at: "nosuch",
			err: sqlerr.New(sqlerr.UndefinedTable, `relation "nosuch" does not exist`),
			want: `ERROR:  relation "nosuch" does not exist
LINE 1: select 1 as a, 2 as b from nosuch where x
                                   ^
SQLSTATE: 42P01
`,
		},
		{
			name: "second line cut left", stmt: "select\n  1, '" + long100 + "' as x, zzz from t", at: "t",
			err: sqlerr.New(sqlerr.UndefinedTable, `relation "t" does not exist`),
			want: `ERROR:  relation "t" does not exist
LINE 2: ...aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' as x, zzz from t
                                                                      ^
SQLSTATE: 42P01
`,
		},
		{
			name: "cut both sides", stmt: "select '" + long134 + "' as x, zzz from t, yyy, abc, def", at: "t, yyy",
			err: sqlerr.New(sqlerr.UndefinedTable, `relation "t" does not exist`),
			want: `ERROR:  relation "t" does not exist
LINE 1: ...aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' as x, zzz from t, yyy, ab...
                                                             ^
SQLSTATE: 42P01
`,
		},
		{
			name: "script prefix detail hint", stmt: "selec 2", at: "selec", prefix: "medley:e.sql:1: ",
			err: sqlerr.New(sqlerr.SyntaxError, `syntax error at or near "selec"`).WithDetail("d.").WithHint("h."),
			want: `medley:e.sql:1: ERROR:  syntax error at or near "selec"
LINE 1: selec 2
        ^
DETAIL:  d.
HINT:  h.
SQLSTATE: 42601
`,
		},
		{
			name: "position past the end", stmt: "select (1", at: "",
			err: sqlerr.At(sqlerr.SyntaxError, 10, "syntax error at end of input"),
			want: `ERROR:  syntax error at end of input
LINE 1: select (1
                 ^
SQLSTATE: 42601
`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.at != "" {
				tc.err.Position = strings.LastIndex(tc.stmt, tc.at) + 1
			}
			var b bytes.Buffer
			writeError(&b, tc.prefix, tc.stmt, tc.err)
			if b.String() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tc.want)
			}
		})
	}
}

// TestWriteErrorPlain prints an error without a SQLSTATE as XX000 and a
// wrapped one with its code.
func TestWriteErrorPlain(t *testing.T) {
	var b bytes.Buffer
	writeError(&b, "", "x", errors.New("boom"))
	if want := "ERROR:  boom\nSQLSTATE: XX000\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	wrapped := sqlerr.Wrap(sqlerr.New(sqlerr.FDWUnableToEstablishConn, "refused"), "", "server %q", "pg")
	writeError(&b, "", "x", wrapped)
	if want := "ERROR:  server \"pg\": refused\nSQLSTATE: HV00N\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
