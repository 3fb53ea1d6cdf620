package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// e2e runs the CLI on the real engine with a catalog in dir, as user, with
// a checked allocator for the engine's memory.
type e2e struct {
	t       *testing.T
	catalog string
	mem     *memory.CheckedAllocator
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	e := &e2e{t: t, catalog: filepath.Join(t.TempDir(), "c.db"),
		mem: memory.NewCheckedAllocator(memory.DefaultAllocator)}
	t.Cleanup(func() { e.mem.AssertSize(t, 0) })
	t.Setenv("MEDLEY_SECRET_KEY", strings.Repeat("ab", 32))
	return e
}

// run runs medley with args and stdin as user alice (unless --user is
// given) and returns stdout, stderr and the exit status.
func (e *e2e) run(stdin string, args ...string) (string, string, int) {
	e.t.Helper()
	var stdout, stderr bytes.Buffer
	open := func(ctx context.Context, cfg engineConfig) (backend, func() error, error) {
		cfg.allocator = e.mem
		return openEngine(ctx, cfg)
	}
	args = append([]string{"--catalog", e.catalog}, args...)
	if !contains(args, "--user") {
		args = append(args, "--user", "alice")
	}
	code := runWith(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr, open)
	return stdout.String(), stderr.String(), code
}

// TestEndToEnd runs DDL, meta commands, queries and errors through the CLI
// on a fresh catalog, across separate runs (each reopens the catalog).
func TestEndToEnd(t *testing.T) {
	e := newE2E(t)
	steps := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string // exact unless prefix
		stderr string // contained
	}{
		{name: "ddl", stdin: `CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host 'db.example', dbname 'shop');
CREATE USER MAPPING FOR CURRENT_USER SERVER pg OPTIONS (user 'app', password 'hunter2');
CREATE USER bob;
`, stdout: "CREATE SERVER\nCREATE USER MAPPING\nCREATE ROLE\n"},
		// The built-in memory server holds the memory tables.
		{name: "servers", args: []string{"-c", `\des`}, stdout: `        List of foreign servers
  Name  | Owner | Foreign-data wrapper 
--------+-------+----------------------
 memory | alice | memory
 pg     | alice | postgres
(2 rows)

`},
		{name: "syntax error", args: []string{"-c", "SELEC 1"}, code: exitFailed,
			stderr: "ERROR:  syntax error at or near \"SELEC\"; expected a statement"},
		{name: "syntax error caret", args: []string{"-c", "SELEC 1"}, code: exitFailed,
			stderr: "\nLINE 1: SELEC 1\n        ^\nSQLSTATE: 42601\n"},
		{name: "unknown option", args: []string{"--on-error-stop", "-c", "CREATE SERVER x FOREIGN DATA WRAPPER postgres OPTIONS (hots 'h')"},
			code: exitStopped, stderr: "SQLSTATE: HV00D"},
		{name: "memory table", stdin: "CREATE TABLE t (a integer, b text);\nINSERT INTO t VALUES (1, 'x'), (22, NULL);\nSELECT a, b FROM t ORDER BY a;\n",
			stdout: "CREATE TABLE\nINSERT 0 2\n a  | b \n----+---\n  1 | x\n 22 | \n(2 rows)\n\n"},
		// A memory table lives as long as the engine: a new run finds it empty.
		{name: "empty again", args: []string{"-At", "-c", "SELECT count(*) FROM t"}, stdout: "0\n"},
		{name: "csv", stdin: "INSERT INTO t VALUES (1, 'x'), (22, NULL);\nSELECT a, b FROM t ORDER BY a;\n",
			args:   []string{"-q", "--format", "csv", "--null", "NULL"},
			stdout: "a,b\n1,x\n22,NULL\n"},
		{name: "json", stdin: "INSERT INTO t VALUES (1, 'x'), (22, NULL);\nSELECT a, b FROM t ORDER BY a;\n",
			args:   []string{"-q", "--format", "json"},
			stdout: "[\n{\"a\":1,\"b\":\"x\"},\n{\"a\":22,\"b\":null}\n]\n"},
		{name: "describe", args: []string{"-At", "-c", `\d t`}, stdout: "a|integer|||\nb|text|||\n"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			stdout, stderr, code := e.run(s.stdin, s.args...)
			if code != s.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, s.code, stderr)
			}
			if stdout != s.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, s.stdout)
			}
			if !strings.Contains(stderr, s.stderr) || s.stderr == "" && stderr != "" {
				t.Errorf("stderr:\n%s\nwant it to hold:\n%s", stderr, s.stderr)
			}
		})
	}
}

// TestEndToEndMasking shows the mapping's password masked, to its owner as
// to another user: secrets are write-only.
func TestEndToEndMasking(t *testing.T) {
	e := newE2E(t)
	_, stderr, code := e.run(`CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host 'h');
CREATE USER MAPPING FOR PUBLIC SERVER pg OPTIONS (user 'app', password 'hunter2');
CREATE USER bob;
GRANT USAGE ON FOREIGN SERVER pg TO bob;
`)
	if code != 0 {
		t.Fatalf("setup: exit %d: %s", code, stderr)
	}
	own, _, _ := e.run("", "-c", `\deu`)
	if strings.Contains(own, "hunter2") || !strings.Contains(own, "password '********'") {
		t.Errorf("the superuser sees the password, or no mask:\n%s", own)
	}
	other, stderr, _ := e.run("", "--user", "bob", "-c", `\deu`)
	if strings.Contains(other+stderr, "hunter2") {
		t.Errorf("bob sees the password:\n%s%s", other, stderr)
	}
}

// TestEndToEndNotices prints notices and warnings on standard error, as
// psql does, and they do not fail the script.
func TestEndToEndNotices(t *testing.T) {
	e := newE2E(t)
	stdout, stderr, code := e.run(`CREATE SERVER IF NOT EXISTS s FOREIGN DATA WRAPPER memory;
CREATE SERVER IF NOT EXISTS s FOREIGN DATA WRAPPER memory;
DROP SERVER IF EXISTS nosuch;
COMMIT;
`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "CREATE SERVER\nCREATE SERVER\nDROP SERVER\nCOMMIT\n" {
		t.Errorf("stdout %q", stdout)
	}
	for _, want := range []string{`NOTICE:  server "s" already exists, skipping`, `NOTICE:  server "nosuch" does not exist, skipping`,
		"WARNING:  there is no transaction in progress"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
}
