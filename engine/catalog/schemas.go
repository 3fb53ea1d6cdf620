package catalog

import (
	"context"
	"database/sql"
	"errors"

	"github.com/medleysql/medley/sql/sqlerr"
)

// Schema is a schema (a namespace of tables).
type Schema struct {
	Name  string
	Owner string
}

// SchemaDef is CREATE SCHEMA.
type SchemaDef struct {
	Name          string
	Authorization string // AUTHORIZATION user: the owner ("" = the actor)
	IfNotExists   bool
}

// CreateSchema runs CREATE SCHEMA [IF NOT EXISTS]. Medley keeps PostgreSQL's
// database-level CREATE privilege for superusers only.
func (c *Catalog) CreateSchema(ctx context.Context, actor string, def SchemaDef) error {
	return c.write(ctx, func(tx *txn) error {
		if err := tx.requireSuperuser(ctx, actor, "create schema "+quoteIdent(def.Name)); err != nil {
			return err
		}
		if _, err := tx.schema(ctx, def.Name); err == nil {
			if def.IfNotExists {
				c.notice(ctx, sqlerr.DuplicateSchema, "schema %s already exists, skipping", quoteIdent(def.Name))
				return nil
			}
			return sqlerr.New(sqlerr.DuplicateSchema, "schema %s already exists", quoteIdent(def.Name))
		}
		if def.Name == "information_schema" || len(def.Name) >= 3 && def.Name[:3] == "pg_" {
			return sqlerr.New(sqlerr.Code("42939"), "unacceptable schema name %s", quoteIdent(def.Name)).
				WithDetail("The prefix \"pg_\" and the name information_schema are reserved for system schemas.")
		}
		owner := actor
		if def.Authorization != "" {
			u, err := tx.user(ctx, def.Authorization)
			if err != nil {
				return err
			}
			owner = u.Name
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO schemas(name, owner) VALUES (?, ?)`, def.Name, owner)
		return storageErr(err)
	})
}

// DropSchemas runs DROP SCHEMA [IF EXISTS] ... [CASCADE], returning the
// tables dropped by CASCADE.
func (c *Catalog) DropSchemas(ctx context.Context, actor string, names []string, ifExists, cascade bool) ([]TableName, error) {
	var dropped []TableName
	err := c.write(ctx, func(tx *txn) error {
		a, err := tx.actor(ctx, actor)
		if err != nil {
			return err
		}
		for _, name := range names {
			s, err := tx.schema(ctx, name)
			if err != nil {
				if ifExists && sqlerr.Is(err, sqlerr.InvalidSchemaName) {
					c.notice(ctx, sqlerr.InvalidSchemaName, "schema %s does not exist, skipping", quoteIdent(name))
					continue
				}
				return err
			}
			if err := ownerCheck(a, s.Owner, "schema", name); err != nil {
				return err
			}
			tables, err := tx.tableNames(ctx, `SELECT schema, name FROM tables WHERE schema = ? ORDER BY name`, name)
			if err != nil {
				return err
			}
			if len(tables) > 0 && !cascade {
				var deps []string
				for _, t := range tables {
					deps = append(deps, "foreign table "+t.String())
				}
				return dependentsError("schema", name, deps, true)
			}
			for _, t := range tables {
				if err := tx.deleteTable(ctx, t); err != nil {
					return err
				}
			}
			dropped = append(dropped, tables...)
			if _, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE kind = 'schema' AND object = ?`, name); err != nil {
				return storageErr(err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM schemas WHERE name = ?`, name); err != nil {
				return storageErr(err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return dropped, nil
}

// Schemas lists every schema, by name.
func (c *Catalog) Schemas(ctx context.Context) ([]Schema, error) {
	var out []Schema
	err := c.read(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT name, owner FROM schemas ORDER BY name`)
		if err != nil {
			return storageErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s Schema
			if err := rows.Scan(&s.Name, &s.Owner); err != nil {
				return storageErr(err)
			}
			out = append(out, s)
		}
		return storageErr(rows.Err())
	})
	return out, err
}

func (tx *txn) schema(ctx context.Context, name string) (*Schema, error) {
	s := Schema{Name: name}
	err := tx.QueryRowContext(ctx, `SELECT owner FROM schemas WHERE name = ?`, name).Scan(&s.Owner)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sqlerr.New(sqlerr.InvalidSchemaName, "schema %s does not exist", quoteIdent(name))
	}
	if err != nil {
		return nil, storageErr(err)
	}
	return &s, nil
}

// mayCreateIn reports whether a may create tables in schema s: its owner,
// a superuser, a holder of CREATE on it, or anyone in the public schema
// (as PostgreSQL before 15).
func (tx *txn) mayCreateIn(ctx context.Context, a *User, s *Schema) error {
	if s.Name == DefaultSchema {
		return nil
	}
	if ok, err := tx.has(ctx, a, KindSchema, s.Name, s.Owner, PrivCreate); err != nil || !ok {
		return denied(err, "schema", s.Name)
	}
	return nil
}
