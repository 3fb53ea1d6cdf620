// Command medley is Medley's command-line interface: an interactive SQL shell
// in the manner of psql, a script runner (-c, -f, standard input) with
// psql's scripting flags, and the home of subcommands such as version (and,
// later, serve).
//
// Usage:
//
//	medley [flags]                 # interactive shell on a terminal
//	medley -c "SELECT 1"           # run SQL and exit
//	medley -f script.sql           # run a script
//	medley < script.sql            # run SQL read from standard input
//	medley version                 # print the version
//	medley serve --listen :32010   # serve the catalog over Arrow Flight SQL
//
// Exit status: 0 on success; 1 when -c failed or a statement of a script
// failed, or on bad flags; 2 when the catalog cannot be opened; 3 when a
// script stopped at an error under --on-error-stop.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit statuses, as psql's.
const (
	exitOK        = 0
	exitFailed    = 1 // a statement failed, or bad usage
	exitNoCatalog = 2 // the engine could not be opened
	exitStopped   = 3 // --on-error-stop stopped a script
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program: it parses args, runs what they ask with the
// given streams and returns the exit status. Tests call it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runWith(context.Background(), args, stdin, stdout, stderr, openEngine)
}

// runWith is run with the way to open the engine given, so tests can run
// the CLI against a hand-made backend.
func runWith(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, open opener) int {
	root := newRootCmd(stdin, stdout, stderr, open)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	// Usage errors from flag parsing.
	fmt.Fprintf(stderr, "medley: %v\nTry \"medley --help\" for more information.\n", err)
	return exitFailed
}

// exitError ends the program with a status; its message, if any, has
// already been printed.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// newRootCmd builds the command tree: the shell itself at the root and its
// subcommands. New subcommands (serve) are added in addSubcommands.
func newRootCmd(stdin io.Reader, stdout, stderr io.Writer, open opener) *cobra.Command {
	o := defaultOptions()
	root := &cobra.Command{
		Use:   "medley [flags]",
		Short: "Medley, a federated SQL query engine: interactive shell and script runner",
		Long: `Medley queries many data sources with one SQL dialect (PostgreSQL's SQL/MED:
foreign-data wrappers, servers, user mappings and foreign tables).

Without -c or -f, medley opens an interactive shell when standard input is
a terminal, and otherwise runs the SQL read from standard input. Statements
end with ';'. Meta commands such as \dew, \des, \det, \d NAME start with a
backslash; type \? in the shell for the list.

Exit status: 0 on success; 1 when a -c command or any statement of a script
failed (or on bad flags); 2 when the catalog cannot be opened; 3 when
--on-error-stop stopped a script at an error.`,
		Example: `  medley                                  # interactive shell
  medley -c 'SELECT 1' -c '\des'          # run commands in order, then exit
  medley -f setup.sql --on-error-stop     # run a script, stop at the first error
  medley -At -F , -c 'SELECT * FROM t'    # unaligned, rows only, comma-separated
  medley --format parquet -o out.parquet -c 'SELECT * FROM orders'`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionString(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runShell(cmd.Context(), o, stdin, stdout, stderr, open)
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("medley {{.Version}}\n")
	o.bind(root)
	addSubcommands(root, stdout)
	return root
}

// addSubcommands registers medley's subcommands. `medley serve` (the Flight
// SQL endpoint, issue 8) belongs here, beside version.
func addSubcommands(root *cobra.Command, stdout io.Writer) {
	root.AddCommand(newVersionCmd(stdout), newServeCmd(root.ErrOrStderr()))
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print medley's version and build information",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(stdout, "medley %s\n", versionString())
			return err
		},
	}
}
