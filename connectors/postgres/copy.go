package postgres

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/medleysql/medley/sql/sqlerr"
)

// INSERT through COPY: the rows of every batch are sent with
// COPY ... FROM STDIN (FORMAT binary) (pgx's CopyFrom) inside the
// statement's remote transaction. pgx encodes the rows into 64 KiB
// CopyData messages as it pulls them from copySource, which pulls batches
// from the engine one at a time, so memory is bounded by one batch plus one
// message, whatever the table's size.
//
// COPY is not used (and the parameterised multi-row INSERT of insert.go is)
// when:
//   - the foreign table has use_copy 'false';
//   - the remote relation is not a plain or partitioned table (a view with
//     INSTEAD OF triggers or rules accepts INSERT but not COPY);
//   - a target column's type has no binary encoding known to pgx (enums,
//     types of extensions), or a utf8 column is written into a remote
//     column that is not text-like (uuid, inet, ...): only the server can
//     parse those from text, which COPY's binary format does not do.

// copyTarget is what COPY needs to know of the remote table.
type copyTarget struct {
	ok   bool     // COPY can be used
	cols []string // remote column names, unquoted
	oids []uint32 // their types (domains as their base types)
}

// textLike are the remote types a utf8 column is copied into in binary
// (pgx sends the bytes as they are).
var textLike = map[string]bool{"text": true, "varchar": true, "bpchar": true, "name": true, "json": true, "jsonb": true}

// copyPlan decides whether the rows of schema s can be copied into the
// remote table.
func (t *Table) copyPlan(ctx context.Context, tx pgx.Tx, s *arrow.Schema) (copyTarget, error) {
	var ct copyTarget
	for _, f := range s.Fields() {
		idx := t.schema.FieldIndices(f.Name)
		if len(idx) != 1 {
			return ct, sqlerr.New(sqlerr.UndefinedColumn, "column %q of foreign table %s does not exist", f.Name, localName(t.name))
		}
		ct.cols = append(ct.cols, t.cols[idx[0]].Name)
	}
	if !t.useCopy {
		return ct, nil
	}
	rows, err := tx.Query(ctx, `SELECT c.relkind::text, a.attname::text,
		(CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.oid END)::int8
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		JOIN pg_type ty ON ty.oid = a.atttypid
		WHERE n.nspname = $1 AND c.relname = $2`, t.remote[0], t.remote[1])
	if err != nil {
		return ct, t.conn.remoteError(ctx, err, "INSERT into %s", localName(t.name))
	}
	oids := map[string]uint32{}
	kind := ""
	for rows.Next() {
		var name string
		var oid int64
		if err := rows.Scan(&kind, &name, &oid); err != nil {
			rows.Close()
			return ct, t.conn.remoteError(ctx, err, "INSERT into %s", localName(t.name))
		}
		oids[name] = uint32(oid)
	}
	if err := rows.Err(); err != nil {
		return ct, t.conn.remoteError(ctx, err, "INSERT into %s", localName(t.name))
	}
	if kind != "r" && kind != "p" {
		return ct, nil
	}
	tm := tx.Conn().TypeMap()
	for i, f := range s.Fields() {
		typ, ok := tm.TypeForOID(oids[ct.cols[i]])
		if !ok || (textFormat(f.Type) && !textLike[typ.Name]) {
			return ct, nil
		}
		ct.oids = append(ct.oids, typ.OID)
	}
	ct.ok = true
	return ct, nil
}

// copyInsert copies every batch of rows into the remote table in tx.
func (t *Table) copyInsert(ctx context.Context, tx pgx.Tx, ct copyTarget, rows array.RecordReader) (int64, error) {
	src := &copySource{t: t, rows: rows}
	defer src.release()
	n, err := tx.CopyFrom(ctx, pgx.Identifier(t.remote), ct.cols, src)
	if src.err != nil {
		return 0, src.err
	}
	if err != nil {
		var pe *pgconn.PgError
		if ctx.Err() == nil && errors.As(err, &pe) && strings.HasPrefix(pe.Message, "COPY from stdin failed") && src.row > 0 {
			// pgx could not encode the row it was given last and
			// aborted the COPY (CopyFail).
			return 0, src.encodeError(tx.Conn().TypeMap(), ct)
		}
		if errors.As(err, &pe) {
			// The server's context names the row (the line of the COPY
			// stream, 1-based across batches) and, for a bad value, the
			// column: "COPY lineitem, line 42, column l_tax".
			where := "COPY"
			if m := copyLineRE.FindStringSubmatch(pe.Where); m != nil {
				where = "row " + m[1]
				if m[2] != "" {
					where += ", column " + m[2]
				}
			}
			return 0, t.conn.remoteError(ctx, err, "INSERT into %s (%s)", localName(t.name), where)
		}
		return 0, t.conn.remoteError(ctx, err, "INSERT into %s (COPY, after row %d)", localName(t.name), src.row)
	}
	return n, nil
}

// encodeError finds the column of the current row whose value pgx cannot
// encode for its remote type, and names it and the row.
func (s *copySource) encodeError(tm *pgtype.Map, ct copyTarget) error {
	b := s.cur
	for i := 0; b != nil && i < int(b.NumCols()) && i < len(ct.oids); i++ {
		v, err := copyValue(b.Column(i), s.r)
		if err == nil {
			_, err = tm.Encode(ct.oids[i], pgtype.BinaryFormatCode, v, nil)
		}
		if err != nil {
			code := sqlerr.DatatypeMismatch
			if m := err.Error(); strings.Contains(m, "maximum value") || strings.Contains(m, "minimum value") {
				code = sqlerr.NumericValueOutOfRange
			}
			return sqlerr.New(code, "INSERT into %s: column %s, row %d: %v", localName(s.t.name), b.Schema().Field(i).Name, s.row, err)
		}
	}
	return sqlerr.New(sqlerr.DatatypeMismatch, "INSERT into %s: row %d cannot be encoded", localName(s.t.name), s.row)
}

// copyLineRE finds the line (the row) and column in the context of a COPY
// error: COPY lineitem, line 42, column l_tax: "x".
var copyLineRE = regexp.MustCompile(`line ([0-9]+)(?:, column ([^:]+))?`)

// copySource feeds pgx's CopyFrom the rows of a RecordReader, one batch
// at a time. Values reuses one slice: pgx encodes a row before asking for
// the next.
type copySource struct {
	t    *Table
	rows array.RecordReader
	cur  arrow.RecordBatch
	r    int   // row within cur
	row  int64 // rows handed out, across batches (1-based number of the current one)
	vals []any
	err  error
}

func (s *copySource) Next() bool {
	if s.err != nil {
		return false
	}
	for s.cur == nil || s.r+1 >= int(s.cur.NumRows()) {
		if s.cur != nil {
			s.cur.Release()
			s.cur = nil
		}
		if !s.rows.Next() {
			if err := s.rows.Err(); err != nil {
				s.err = err
			}
			return false
		}
		s.cur = s.rows.RecordBatch()
		s.cur.Retain()
		s.r = -1
	}
	s.r++
	s.row++
	return true
}

func (s *copySource) Values() ([]any, error) {
	b := s.cur
	s.vals = s.vals[:0]
	for i := 0; i < int(b.NumCols()); i++ {
		v, err := copyValue(b.Column(i), s.r)
		if err != nil {
			s.err = sqlerr.New(sqlerr.DatatypeMismatch, "INSERT into %s: column %s, row %d: %v",
				localName(s.t.name), b.Schema().Field(i).Name, s.row, err)
			return nil, s.err
		}
		s.vals = append(s.vals, v)
	}
	return s.vals, nil
}

func (s *copySource) Err() error { return s.err }

func (s *copySource) release() {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
}

// copyValue is goValue, with decimals as pgtype.Numeric (binary COPY has
// no text to parse a decimal string from).
func copyValue(a arrow.Array, r int) (any, error) {
	if d, ok := a.(*array.Decimal128); ok && d.IsValid(r) {
		scale := d.DataType().(*arrow.Decimal128Type).Scale
		return pgtype.Numeric{Int: d.Value(r).BigInt(), Exp: -scale, Valid: true}, nil
	}
	return goValue(a, r)
}
