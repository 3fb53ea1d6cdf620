package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestHelpIsTrue checks that --help of medley and of every subcommand exits
// 0, lists every flag the command really has and every subcommand, and that
// the formats and meta commands it names exist.
func TestHelpIsTrue(t *testing.T) {
	root := newRootCmd(nil, nil, nil, nil)
	cmds := []*cobra.Command{root}
	cmds = append(cmds, root.Commands()...)
	for _, c := range cmds {
		args := []string{"--help"}
		if c != root {
			args = []string{c.Name(), "--help"}
		}
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, stderr, code := runFake(t, &fakeBackend{}, "", args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			c.Flags().VisitAll(func(f *pflag.Flag) {
				if !strings.Contains(stdout, "--"+f.Name) {
					t.Errorf("help does not mention --%s", f.Name)
				}
			})
			for _, sub := range c.Commands() {
				if sub.IsAvailableCommand() && !strings.Contains(stdout, "\n  "+sub.Name()+" ") {
					t.Errorf("help does not list subcommand %s", sub.Name())
				}
			}
		})
	}
	stdout, _, _ := runFake(t, &fakeBackend{}, "", "--help")
	for _, f := range formats {
		if !strings.Contains(stdout, f) {
			t.Errorf("help does not name format %s", f)
		}
	}
	for _, meta := range []string{`\dew`, `\des`, `\det`, `\d NAME`, `\?`} {
		if !strings.Contains(stdout, meta) {
			t.Errorf("help does not mention %s", meta)
		}
	}
}

// TestHelpExamplesParse runs every example command line of --help through
// the flag parser: each must be accepted.
func TestHelpExamplesParse(t *testing.T) {
	root := newRootCmd(nil, nil, nil, nil)
	for _, line := range strings.Split(root.Example, "\n") {
		line, _, _ = strings.Cut(line, "#")
		fields := shellFields(strings.TrimSpace(line))
		if len(fields) == 0 || fields[0] != "medley" {
			t.Fatalf("example %q does not start with medley", line)
		}
		c := newRootCmd(nil, nil, nil, nil)
		if err := c.ParseFlags(fields[1:]); err != nil {
			t.Errorf("example %q: %v", line, err)
		}
	}
}

// shellFields splits a command line at spaces, honouring single quotes.
func shellFields(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, any := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, any = !quoted, true
		case r == ' ' && !quoted:
			if any {
				out = append(out, cur.String())
				cur.Reset()
				any = false
			}
		default:
			cur.WriteRune(r)
			any = true
		}
	}
	if any {
		out = append(out, cur.String())
	}
	return out
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		stdout, stderr, code := runFake(t, &fakeBackend{}, "", args...)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "medley ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if _, _, code := runFake(t, &fakeBackend{}, "", "version", "extra"); code != exitFailed {
		t.Errorf("version extra: exit %d, want %d", code, exitFailed)
	}
}
