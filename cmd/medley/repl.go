package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/chzyer/readline"
	"golang.org/x/term"
)

// The REPL's prompts, as psql's with the database name.
const (
	promptFirst    = "medley=> "
	promptContinue = "medley-> "
)

// repl runs the interactive shell on a terminal: line editing and history
// (chzyer/readline), statements ended by ';', Ctrl-C cancelling the running
// statement or clearing the one being typed, Ctrl-D quitting. It reports
// whether it stopped at an error (--on-error-stop).
func (sh *shell) repl(ctx context.Context, in *os.File, screen *os.File) bool {
	rl, err := readline.NewEx(readlineConfig(in, screen, sh.errOut))
	if err != nil {
		fmt.Fprintf(sh.errOut, "medley: %v\n", err)
		sh.failed = true
		return true
	}
	defer rl.Close()

	// While a statement runs the terminal is in cooked mode, so Ctrl-C is
	// SIGINT: cancel the statement, keep the shell.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		for range sigs {
			sh.interrupt()
		}
	}()
	defer func() {
		signal.Stop(sigs)
		close(sigs)
	}()

	fmt.Fprintf(screen, "medley %s\nType \"\\?\" for help.\n\n", versionString())
	sc := sh.newScript("")
	for {
		prompt := promptFirst
		if sc.pending() {
			prompt = promptContinue
		}
		rl.SetPrompt(prompt)
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			sc.reset()
			continue
		case errors.Is(err, io.EOF):
			return false
		case err != nil:
			fmt.Fprintf(sh.errOut, "medley: %v\n", err)
			return false
		}
		if sc.line(ctx, line) {
			return !sc.quit
		}
	}
}

// readlineConfig sets readline up on the given terminal files rather than
// the process's own, so the shell can run on any terminal (and in tests on
// a pseudo-terminal).
func readlineConfig(in, screen *os.File, stderr io.Writer) *readline.Config {
	fd := int(in.Fd())
	var saved *term.State
	return &readline.Config{
		Prompt:            promptFirst,
		HistoryFile:       historyPath(),
		HistoryLimit:      1000,
		HistorySearchFold: true,
		InterruptPrompt:   "^C",
		EOFPrompt:         `\q`,
		Stdin:             readline.NewCancelableStdin(in),
		Stdout:            screen,
		Stderr:            stderr,
		FuncIsTerminal:    func() bool { return term.IsTerminal(fd) },
		FuncGetWidth: func() int {
			if w, _, err := term.GetSize(int(screen.Fd())); err == nil && w > 0 {
				return w
			}
			return 80
		},
		// Raw mode while a line is edited; the saved (cooked) state is
		// restored between lines so that output and Ctrl-C (SIGINT) behave
		// normally while a statement runs.
		FuncMakeRaw: func() error {
			if saved != nil {
				return nil // already raw
			}
			s, err := term.MakeRaw(fd)
			saved = s
			return err
		},
		FuncExitRaw: func() error {
			if saved == nil {
				return nil
			}
			err := term.Restore(fd, saved)
			saved = nil
			return err
		},
	}
}

// historyPath is $MEDLEY_HISTORY, else history in medley's data directory
// ($XDG_DATA_HOME/medley, ~/.local/share/medley), created if need be; ""
// (no history) if there is none.
func historyPath() string {
	if p := os.Getenv("MEDLEY_HISTORY"); p != "" {
		return p
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "share")
	}
	dir = filepath.Join(dir, "medley")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ""
	}
	return filepath.Join(dir, "history")
}
