package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// metaHelp is the text of \?.
const metaHelp = `General
  \q                     quit medley
  \?                     show this help
  \timing [on|off]       toggle (or set) timing of statements
  \x [on|off]            toggle (or set) expanded output
  \r                     reset (clear) the statement being typed
  \i FILE                run the statements in FILE
  \echo [TEXT]           print TEXT to the output

Informational (PATTERN: * and ? wildcards, "quoted" for exact case)
  \d [NAME]              describe a table's columns, or list all tables
  \dt [PATTERN]          list (memory) tables that are not foreign
  \dew [PATTERN]         list foreign-data wrappers
  \des [PATTERN]         list foreign servers
  \deu [PATTERN]         list user mappings (options masked as the engine masks them)
  \det [PATTERN]         list foreign tables
  \dn [PATTERN]          list schemas
  \du [PATTERN]          list users

Statements end with ';'. Ctrl-C cancels a running statement, Ctrl-D quits.
`

// errStopped reports that an included script stopped at an error that it
// already printed.
var errStopped = errors.New("stopped at an error")

// metaCmd runs one meta command with its argument text; where prefixes
// errors.
type metaCmd func(sh *shell, ctx context.Context, arg string) error

// metaCmds are the meta commands by name (a trailing '+' is accepted and
// ignored). It is filled in init: \i runs scripts, which run meta commands.
var metaCmds map[string]metaCmd

func init() { metaCmds = allMetaCmds() }

func allMetaCmds() map[string]metaCmd {
	return map[string]metaCmd{
		`\?`:      func(sh *shell, _ context.Context, _ string) error { _, err := sh.out.WriteString(metaHelp); return err },
		`\timing`: (*shell).metaTiming,
		`\x`:      (*shell).metaExpanded,
		`\i`:      (*shell).metaInclude,
		`\echo`: func(sh *shell, _ context.Context, arg string) error {
			_, err := fmt.Fprintln(sh.out, arg)
			return err
		},
		`\d`:   (*shell).metaDescribe,
		`\dt`:  (*shell).metaTables,
		`\dew`: (*shell).metaWrappers,
		`\des`: (*shell).metaServers,
		`\deu`: (*shell).metaUserMappings,
		`\det`: (*shell).metaForeignTables,
		`\dn`:  (*shell).metaSchemas,
		`\du`:  (*shell).metaUsers,
	}
}

// meta runs a meta command line ("\des srv*"). It reports whether to quit
// and whether the command failed.
func (sh *shell) meta(ctx context.Context, line, where string) (quit, failed bool) {
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	if name == `\q` {
		return true, false
	}
	fn, ok := metaCmds[strings.TrimSuffix(name, "+")]
	if !ok {
		sh.out.Flush()
		fmt.Fprintf(sh.errOut, "%sinvalid command %s\nTry \\? for help.\n", where, name)
		sh.failed = true
		return false, true
	}
	err := fn(sh, ctx, arg)
	sh.out.Flush()
	if errors.Is(err, errStopped) {
		return false, true
	}
	if err != nil {
		writeError(sh.errOut, where, "", err)
		sh.failed = true
		return false, true
	}
	return false, false
}

// metaInclude is \i FILE: the file's statements run as a script; its
// errors are counted like the caller's.
func (sh *shell) metaInclude(ctx context.Context, file string) error {
	if file == "" {
		return sqlerr.New(sqlerr.InvalidParameterValue, `\i: missing required argument`)
	}
	f, err := os.Open(file)
	if err != nil {
		return sqlerr.Wrap(err, sqlerr.IOError, `\i`)
	}
	defer f.Close()
	if sh.runScript(ctx, file, f) && sh.onErrorStop {
		return errStopped
	}
	return nil
}

func (sh *shell) metaTiming(_ context.Context, arg string) error {
	on, err := toggle(`\timing`, sh.timing, arg)
	if err != nil {
		return err
	}
	sh.timing = on
	_, err = fmt.Fprintf(sh.out, "Timing is %s.\n", onOff(on))
	return err
}

func (sh *shell) metaExpanded(_ context.Context, arg string) error {
	on, err := toggle(`\x`, sh.opts.expanded, arg)
	if err != nil {
		return err
	}
	sh.opts.expanded = on
	_, err = fmt.Fprintf(sh.out, "Expanded display is %s.\n", onOff(on))
	return err
}

// toggle reads a meta command's boolean argument; none flips cur.
func toggle(cmd string, cur bool, arg string) (bool, error) {
	switch strings.ToLower(arg) {
	case "":
		return !cur, nil
	case "on", "true", "1", "yes":
		return true, nil
	case "off", "false", "0", "no":
		return false, nil
	}
	return cur, sqlerr.New(sqlerr.InvalidParameterValue, `unrecognized value "%s" for "%s": Boolean expected`, arg, cmd)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// listView prints a psql list command: view columns under headers, sorted,
// filtered by pattern on the first column.
func (sh *shell) listView(ctx context.Context, title, view, pattern string, headers []string, cols ...viewCol) error {
	rows, err := sh.readView(ctx, view, cols)
	if err != nil {
		return err
	}
	rows = filterRows(rows, 0, pattern)
	sortRows(rows)
	return sh.printList(title, headers, rows, nil)
}

func (sh *shell) metaWrappers(ctx context.Context, pattern string) error {
	return sh.listView(ctx, "List of foreign-data wrappers", "foreign_data_wrappers", pattern,
		[]string{"Name", "Owner"},
		col("foreign_data_wrapper_name"), col("authorization_identifier"))
}

func (sh *shell) metaServers(ctx context.Context, pattern string) error {
	return sh.listView(ctx, "List of foreign servers", "foreign_servers", pattern,
		[]string{"Name", "Owner", "Foreign-data wrapper"},
		col("foreign_server_name"), col("authorization_identifier"), col("foreign_data_wrapper_name"))
}

func (sh *shell) metaForeignTables(ctx context.Context, pattern string) error {
	rows, err := sh.readView(ctx, "foreign_tables", []viewCol{
		col("foreign_table_schema"), col("foreign_table_name"), col("foreign_server_name")})
	if err != nil {
		return err
	}
	rows = filterRows(rows, 1, pattern)
	sortRows(rows)
	return sh.printList("List of foreign tables", []string{"Schema", "Table", "Server"}, rows, nil)
}

func (sh *shell) metaSchemas(ctx context.Context, pattern string) error {
	return sh.listView(ctx, "List of schemas", "schemata", pattern,
		[]string{"Name", "Owner"}, col("schema_name"), col("schema_owner"))
}

// metaUsers lists users from the catalog's users view (not part of the SQL
// standard's information_schema; Medley's catalog names it "users").
func (sh *shell) metaUsers(ctx context.Context, pattern string) error {
	rows, err := sh.readView(ctx, "users", []viewCol{
		col("user_name", "role_name", "rolname", "usename", "name"),
		col("is_superuser", "superuser", "rolsuper", "usesuper")})
	if err != nil {
		return err
	}
	for _, r := range rows {
		r[1] = map[bool]string{true: "Superuser", false: ""}[isTrue(r[1])]
	}
	rows = filterRows(rows, 0, pattern)
	sortRows(rows)
	return sh.printList("List of roles", []string{"Role name", "Attributes"}, rows, nil)
}

// isTrue reads a boolean printed as text: t, true, YES, 1.
func isTrue(s string) bool {
	switch strings.ToLower(s) {
	case "t", "true", "yes", "y", "1", "on":
		return true
	}
	return false
}

// metaUserMappings lists user mappings with their options (the engine masks
// secrets for other users).
func (sh *shell) metaUserMappings(ctx context.Context, pattern string) error {
	rows, err := sh.readView(ctx, "user_mappings", []viewCol{
		col("foreign_server_name"), col("authorization_identifier")})
	if err != nil {
		return err
	}
	opts, err := sh.readView(ctx, "user_mapping_options", []viewCol{
		col("foreign_server_name"), col("authorization_identifier"), col("option_name"), col("option_value")})
	if err != nil {
		return err
	}
	byMapping := map[[2]string][][2]string{}
	for _, o := range opts {
		k := [2]string{o[0], o[1]}
		byMapping[k] = append(byMapping[k], [2]string{o[2], o[3]})
	}
	for i, r := range rows {
		rows[i] = append(r, formatOptions(byMapping[[2]string{r[0], r[1]}]))
	}
	rows = filterRows(rows, 0, pattern)
	sortRows(rows)
	return sh.printList("List of user mappings", []string{"Server", "User name", "FDW options"}, rows, nil)
}
