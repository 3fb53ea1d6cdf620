package engine

// A small sqllogictest runner for the project's SQL behaviour files
// (testdata/slt/**/*.slt). The format, after DuckDB's and SQLite's:
//
//	# a comment
//	statement ok
//	CREATE TABLE t (a int, b text)
//
//	statement error 42P01
//	SELECT * FROM nope
//
//	query IT rowsort
//	SELECT a, b FROM t
//	----
//	1	x
//	NULL	(empty)
//
// A statement ends at a blank line. "statement error" takes an optional
// regular expression matched against "SQLSTATE message". "query" takes
// column type letters (informational) and an optional sort mode
// (rowsort, nosort); expected rows are tab-separated values as PostgreSQL
// prints them, NULL for NULL and (empty) for the empty string. "user NAME"
// switches to a session of that user for the statements that follow.
// __TESTDATA__ in SQL is replaced by the absolute testdata directory and
// __TMP__ by a fresh temporary directory.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

func TestSQLLogic(t *testing.T) {
	files, err := filepath.Glob("testdata/slt/*/*.slt")
	if err != nil {
		t.Fatal(err)
	}
	top, _ := filepath.Glob("testdata/slt/*.slt")
	files = append(files, top...)
	for _, f := range files {
		t.Run(strings.TrimSuffix(strings.TrimPrefix(f, "testdata/slt/"), ".slt"), func(t *testing.T) {
			runSLTFile(t, f)
		})
	}
}

type sltRecord struct {
	line     int
	kind     string // statement, query, user
	arg      string // error regex, or query sort mode
	wantErr  bool
	sql      string
	expected []string
}

func parseSLT(path string) ([]sltRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []sltRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	lineNo := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		lineNo++
		return sc.Text(), true
	}
	for {
		line, ok := next()
		if !ok {
			break
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		rec := sltRecord{line: lineNo, kind: fields[0]}
		switch fields[0] {
		case "user":
			if len(fields) != 2 {
				return nil, fmt.Errorf("%s:%d: user takes one name", path, lineNo)
			}
			rec.arg = fields[1]
			recs = append(recs, rec)
			continue
		case "statement":
			if len(fields) < 2 || (fields[1] != "ok" && fields[1] != "error") {
				return nil, fmt.Errorf("%s:%d: statement ok|error", path, lineNo)
			}
			rec.wantErr = fields[1] == "error"
			rec.arg = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(line, "statement"), " "+fields[1]))
		case "query":
			if len(fields) >= 3 {
				rec.arg = fields[2]
			}
		case "halt":
			return recs, nil
		default:
			return nil, fmt.Errorf("%s:%d: unknown record %q", path, lineNo, fields[0])
		}
		var sqlLines []string
		inResult := false
		for {
			l, ok := next()
			if !ok || strings.TrimSpace(l) == "" {
				break
			}
			if rec.kind == "query" && l == "----" {
				inResult = true
				continue
			}
			if inResult {
				rec.expected = append(rec.expected, l)
			} else {
				sqlLines = append(sqlLines, l)
			}
		}
		rec.sql = strings.Join(sqlLines, "\n")
		recs = append(recs, rec)
	}
	return recs, sc.Err()
}

func runSLTFile(t *testing.T, path string) {
	recs, err := parseSLT(path)
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	testdata, _ := filepath.Abs("testdata")
	tmp := t.TempDir()
	db, err := Open(ctx, Config{CatalogPath: filepath.Join(tmp, "catalog.db"), User: "medley", Allocator: mem,
		SecretKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sess, err := db.Session(ctx, "medley")
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		where := fmt.Sprintf("%s:%d", path, rec.line)
		if rec.kind == "user" {
			if sess, err = db.Session(ctx, rec.arg); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			continue
		}
		sqlText := strings.NewReplacer("__TESTDATA__", testdata, "__TMP__", tmp).Replace(rec.sql)
		rows, err := sltRun(ctx, sess, sqlText)
		if rec.kind == "statement" {
			checkSLTStatement(t, where, rec, sqlText, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: query failed: %v\n%s", where, describeErr(err), sqlText)
			continue
		}
		if rec.arg == "rowsort" {
			sort.Strings(rows)
		}
		if strings.Join(rows, "\n") != strings.Join(rec.expected, "\n") {
			t.Errorf("%s: wrong result\n%s\n-- got:\n%s\n-- want:\n%s", where, sqlText,
				strings.Join(rows, "\n"), strings.Join(rec.expected, "\n"))
		}
	}
}

func checkSLTStatement(t *testing.T, where string, rec sltRecord, sqlText string, err error) {
	t.Helper()
	switch {
	case !rec.wantErr && err != nil:
		t.Errorf("%s: statement failed: %v\n%s", where, describeErr(err), sqlText)
	case rec.wantErr && err == nil:
		t.Errorf("%s: statement succeeded, want error %q\n%s", where, rec.arg, sqlText)
	case rec.wantErr && rec.arg != "":
		re, rerr := regexp.Compile(rec.arg)
		if rerr != nil {
			t.Fatalf("%s: bad regexp: %v", where, rerr)
		}
		if msg := describeErr(err); !re.MatchString(msg) {
			t.Errorf("%s: error %q does not match %q", where, msg, rec.arg)
		}
	}
}

func describeErr(err error) string {
	var e *sqlerr.Error
	if errors.As(err, &e) {
		return string(e.Code) + " " + e.Error()
	}
	return "XX000 " + err.Error()
}

// sltRun runs one statement and returns its rows, tab-separated.
func sltRun(ctx context.Context, s *Session, sqlText string) ([]string, error) {
	res, err := s.Run(ctx, sqlText)
	if err != nil {
		return nil, err
	}
	if res.Reader == nil {
		return nil, nil
	}
	defer res.Reader.Release()
	var rows []string
	for res.Reader.Next() {
		rec := res.Reader.RecordBatch()
		for i := 0; i < int(rec.NumRows()); i++ {
			vals := make([]string, rec.NumCols())
			for c := range vals {
				v, null := FormatValue(rec.Column(c), i)
				switch {
				case null:
					v = "NULL"
				case v == "":
					v = "(empty)"
				}
				vals[c] = v
			}
			rows = append(rows, strings.Join(vals, "\t"))
		}
	}
	return rows, res.Reader.Err()
}
