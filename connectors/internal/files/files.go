// Package files resolves the file names of file-based foreign tables (a
// file, a directory or a glob, relative to a server's base directory) and
// builds the errors that name the foreign table and the path.
package files

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// TableName renders a qualified table name for messages.
func TableName(name []string) string { return strings.Join(name, ".") }

// Error returns the error for a file of a foreign table: a missing file is
// HV00R (table not found), a permission or other I/O problem 58030, and
// anything else (malformed content) code.
func Error(table []string, path string, err error, code sqlerr.Code) error {
	var se *sqlerr.Error
	if errors.As(err, &se) {
		return sqlerr.Wrap(err, se.Code, "foreign table %q: file %q", TableName(table), path)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		code = sqlerr.FDWTableNotFound
	case errors.Is(err, fs.ErrPermission):
		code = sqlerr.IOError
	default:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			code = sqlerr.IOError
		}
	}
	return sqlerr.Wrap(err, code, "foreign table %q: file %q", TableName(table), path)
}

// Join resolves name against the base directory dir (if name is relative
// and dir is not empty).
func Join(dir, name string) string {
	if dir == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(dir, name)
}

// Resolve lists the files a filename option names: the file itself, every
// file with one of exts (".csv") directly or recursively under a
// directory, or the files a glob pattern matches, sorted. No file at all is
// an HV00R error naming the table and path.
func Resolve(table []string, dir, name string, exts ...string) ([]string, error) {
	path := Join(dir, name)
	if strings.ContainsAny(name, "*?[") {
		matches, err := filepath.Glob(path)
		if err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.FDWInvalidOptionName, "foreign table %q: bad glob pattern %q", TableName(table), path)
		}
		var out []string
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && !st.IsDir() {
				out = append(out, m)
			}
		}
		if len(out) == 0 {
			return nil, sqlerr.New(sqlerr.FDWTableNotFound, "foreign table %q: no file matches %q", TableName(table), path)
		}
		return out, nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, Error(table, path, err, sqlerr.IOError)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	out, err := walk(path, exts)
	if err != nil {
		return nil, Error(table, path, err, sqlerr.IOError)
	}
	if len(out) == 0 {
		return nil, sqlerr.New(sqlerr.FDWTableNotFound, "foreign table %q: directory %q holds no %s files", TableName(table), path, strings.Join(exts, "/"))
	}
	return out, nil
}

func walk(root string, exts []string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasPrefix(d.Name(), ".") && !strings.HasPrefix(d.Name(), "_") && HasExt(d.Name(), exts) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// HasExt reports whether name ends in one of exts (case-insensitive); no
// exts accepts every name.
func HasExt(name string, exts []string) bool {
	if len(exts) == 0 {
		return true
	}
	lower := strings.ToLower(name)
	for _, e := range exts {
		if strings.HasSuffix(lower, e) {
			return true
		}
	}
	return false
}

// Entry is one table IMPORT FOREIGN SCHEMA finds in a directory.
type Entry struct {
	Table string // the table name: the file name without extension, or the sub-directory's name
	Path  string // the filename option to store, relative to the server directory when possible
	Files []string
}

// ImportTables lists, for IMPORT FOREIGN SCHEMA remote, the files with one
// of exts directly in the schema's directory (one table per file) and the
// sub-directories holding such files at any depth (one table per
// sub-directory). base is the server's directory; paths under it are
// stored relative to it. remote names a sub-directory of base; "" or "."
// is base itself, and so is "public" (the schema PostgreSQL users import
// by habit) when base has no sub-directory of that name. A missing
// directory is an HV00Q error naming the schema and the path.
func ImportTables(base, remote string, exts []string) ([]Entry, error) {
	dir := base
	if remote != "" && remote != "." {
		dir = Join(base, remote)
		if remote == "public" {
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				dir = base
			}
		}
	}
	if dir == "" {
		dir = "."
	}
	entries, err := listTables(base, dir, exts)
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.FDWSchemaNotFound, "IMPORT FOREIGN SCHEMA %q: directory %q", remote, dir)
	}
	return entries, nil
}

// listTables is ImportTables over the directory dir.
func listTables(base, dir string, exts []string) ([]Entry, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		full := filepath.Join(dir, name)
		if e.IsDir() {
			fs, err := walk(full, exts)
			if err != nil {
				return nil, err
			}
			if len(fs) > 0 {
				out = append(out, Entry{Table: name, Path: rel(base, full), Files: fs})
			}
			continue
		}
		if HasExt(name, exts) {
			table := name[:len(name)-len(filepath.Ext(name))]
			out = append(out, Entry{Table: table, Path: rel(base, full), Files: []string{full}})
		}
	}
	return out, nil
}

func rel(base, p string) string {
	if base == "" {
		return p
	}
	r, err := filepath.Rel(base, p)
	if err != nil || strings.HasPrefix(r, "..") {
		return p
	}
	return r
}

// Filter applies IMPORT FOREIGN SCHEMA's LIMIT TO / EXCEPT to table names.
func Filter(name string, limitTo, except []string) bool {
	if len(limitTo) > 0 {
		found := false
		for _, n := range limitTo {
			if n == name {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	for _, n := range except {
		if n == name {
			return false
		}
	}
	return true
}
