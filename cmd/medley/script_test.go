package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/sql/sqlerr"
)

// scriptBackend knows "ok N" statements (tag OK N) and fails on anything
// else with a syntax error at its first word.
func scriptBackend(mem memory.Allocator) *fakeBackend {
	be := &fakeBackend{mem: mem, stmts: map[string]func(memory.Allocator) (*engine.Result, error){}}
	for _, s := range []string{"ok 1", "ok 2", "ok 3", "ok 4", "ok\n  5"} {
		be.stmts[s] = tagResult(strings.ToUpper(strings.Join(strings.Fields(s), " ")))
	}
	be.stmts["cancelled"] = errResult(sqlerr.New(sqlerr.QueryCanceled, "canceling statement due to user request"))
	return be
}

func TestScripts(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "s.sql")
	if err := os.WriteFile(script, []byte("ok 1;\nbad 1;\n\nok\n  5;\nok 2"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string
		stderr string
		ran    []string
	}{
		{name: "-c several", args: []string{"-c", "ok 1; ok 2;ok 3"}, stdout: "OK 1\nOK 2\nOK 3\n",
			ran: []string{"ok 1", "ok 2", "ok 3"}},
		{name: "-c failure exits 1 and goes on", args: []string{"-c", "ok 1; bad 1; ok 2"}, code: exitFailed,
			stdout: "OK 1\nOK 2\n",
			stderr: "ERROR:  syntax error at or near \"bad\"\nLINE 1: bad 1\n        ^\nSQLSTATE: 42601\n",
			ran:    []string{"ok 1", "bad 1", "ok 2"}},
		{name: "on-error-stop exits 3", args: []string{"--on-error-stop", "-c", "ok 1; bad 1; ok 2", "-c", "ok 3"},
			code: exitStopped, stdout: "OK 1\n", stderr: "ERROR:", ran: []string{"ok 1", "bad 1"}},
		{name: "-c and -f in order", args: []string{"-c", "ok 3", "-f", script, "-c", "ok 4"}, code: exitFailed,
			stdout: "OK 3\nOK 1\nOK 5\nOK 2\nOK 4\n",
			stderr: "medley:" + script + ":2: ERROR:  syntax error",
			ran:    []string{"ok 3", "ok 1", "bad 1", "ok\n  5", "ok 2", "ok 4"}},
		{name: "stdin script", stdin: "ok 1;\nok 2;\nbad 3;\n", code: exitFailed, stdout: "OK 1\nOK 2\n",
			stderr: "medley:<stdin>:3: ERROR:  syntax error at or near \"bad\"", ran: []string{"ok 1", "ok 2", "bad 3"}},
		{name: "stdin clean", stdin: "ok 1;\n\n  \nok 2;", stdout: "OK 1\nOK 2\n", ran: []string{"ok 1", "ok 2"}},
		{name: "-f - is stdin", stdin: "ok 1;", args: []string{"-f", "-"}, stdout: "OK 1\n", ran: []string{"ok 1"}},
		{name: "missing file", args: []string{"-f", filepath.Join(dir, "nope.sql")}, code: exitFailed,
			stderr: "nope.sql: no such file"},
		{name: "quit stops the script", stdin: "ok 1;\n\\q\nok 2;\n", stdout: "OK 1\n", ran: []string{"ok 1"}},
		{name: "cancelled", args: []string{"-c", "cancelled"}, code: exitFailed,
			stderr: "ERROR:  canceling statement due to user request\nSQLSTATE: 57014\n", ran: []string{"cancelled"}},
		{name: "timing", args: []string{"-c", `\timing on`, "-c", "ok 1"}, stdout: "Timing is on.\nOK 1\nTime: ",
			ran: []string{"ok 1"}},
		{name: "reset buffer", stdin: "ok\n\\r\nok 1;\n", stdout: "Query buffer reset (cleared).\nOK 1\n",
			ran: []string{"ok 1"}},
		{name: "include and echo", args: []string{"-c", `\echo hello  world`, "-c", `\i ` + script, "-c", "ok 4"},
			code: exitFailed, stdout: "hello  world\nOK 1\nOK 5\nOK 2\nOK 4\n", stderr: "medley:" + script + ":2: ERROR:",
			ran: []string{"ok 1", "bad 1", "ok\n  5", "ok 2", "ok 4"}},
		{name: "include stops", args: []string{"--on-error-stop", "-c", `\i ` + script, "-c", "ok 4"},
			code: exitStopped, stdout: "OK 1\n", stderr: "medley:" + script + ":2: ERROR:", ran: []string{"ok 1", "bad 1"}},
		{name: "include missing", args: []string{"-c", `\i /nonexistent.sql`}, code: exitFailed,
			stderr: "ERROR:  \\i: open /nonexistent.sql: no such file or directory\nSQLSTATE: 58030\n"},
		{name: "expanded toggles", args: []string{"-c", `\x`, "-c", `\x`, "-c", `\x on`}, ran: nil,
			stdout: "Expanded display is on.\nExpanded display is off.\nExpanded display is on.\n"},
		{name: "bad toggle", args: []string{"-c", `\timing maybe`}, code: exitFailed,
			stderr: `ERROR:  unrecognized value "maybe" for "\timing": Boolean expected`},
		{name: "unknown meta", args: []string{"-c", `\foo`}, code: exitFailed,
			stderr: "invalid command \\foo\nTry \\? for help.\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			be := scriptBackend(memory.NewGoAllocator())
			stdout, stderr, code := runFake(t, be, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			if !strings.HasPrefix(stdout, tc.stdout) || (tc.stdout == "" && stdout != "") {
				t.Errorf("stdout %q, want prefix %q", stdout, tc.stdout)
			}
			if !strings.Contains(stderr, tc.stderr) || (tc.stderr == "" && stderr != "") {
				t.Errorf("stderr %q, want it to hold %q", stderr, tc.stderr)
			}
			if !reflect.DeepEqual(be.ran, tc.ran) {
				t.Errorf("ran %q, want %q", be.ran, tc.ran)
			}
		})
	}
}

func TestFlagErrors(t *testing.T) {
	cases := []struct {
		args   []string
		stderr string
	}{
		{[]string{"--format", "xml", "-c", "x"}, `invalid --format "xml": valid formats are table, csv, json, ndjson, arrow, parquet`},
		{[]string{"--memory-limit", "lots", "-c", "x"}, `invalid --memory-limit "lots"`},
		{[]string{"--threads", "-2", "-c", "x"}, "invalid --threads -2"},
		{[]string{"--bogus"}, "medley: unknown flag: --bogus\nTry \"medley --help\""},
		{[]string{"extra"}, `unknown command "extra"`},
		{[]string{"--log-level", "loud", "-c", "x"}, `invalid --log-level "loud"`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, stderr, code := runFake(t, scriptBackend(memory.NewGoAllocator()), "", tc.args...)
			if code != exitFailed || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, stderr, tc.stderr)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	cases := map[string]int64{"": 0, "0": 0, "100": 100, "1kB": 1024, "512MB": 512 << 20, "4GiB": 4 << 30,
		"1.5g": 3 << 29, " 2 TB ": 2 << 40, "7b": 7}
	for in, want := range cases {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"x", "1 parsec", "-1MB", "1e99GB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}
