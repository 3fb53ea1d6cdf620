// Package bind resolves a parsed statement against the catalog: every table,
// column, function and type, with PostgreSQL's scoping and typing rules, and
// builds the logical plan (sql/plan). Subqueries are decorrelated into joins
// here. Errors are *sqlerr.Error with a SQLSTATE code and, where the binder
// can find it, the 1-based position in the statement text.
package bind

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
)

// Privilege is the access a statement needs on a table.
type Privilege int

// The privileges the binder asks for.
const (
	Select Privilege = iota
	Insert
	Update
	Delete
)

func (p Privilege) String() string {
	return [...]string{"SELECT", "INSERT", "UPDATE", "DELETE"}[p]
}

// Catalog is what the binder needs to know of the catalog. It is read-only.
type Catalog interface {
	// Table describes the table schema.name as user sees it, after checking
	// that user holds priv on it. It returns (nil, nil) when there is no
	// such table (the binder reports 42P01 with the position), and an
	// *sqlerr.Error with code 42501 when the privilege is missing.
	Table(ctx context.Context, user, schema, name string, priv Privilege) (*TableInfo, error)
}

// TableInfo describes a table for binding and planning.
type TableInfo struct {
	Schema, Name string
	Columns      []ColumnInfo // in declaration order
	Server       string       // the foreign server; "" for local tables
	Wrapper      string       // the wrapper (connector) name
	Rows         int64        // the source's row count; -1 when unknown
}

// ColumnInfo is one column of a table.
type ColumnInfo struct {
	Name     string
	Type     arrow.DataType
	Nullable bool
	Distinct int64 // estimated distinct values from the source's statistics; 0 when unknown
}
