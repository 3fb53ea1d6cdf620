package catalog

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/medleysql/medley/sql/sqlerr"
)

// User is a user (role) of the catalog. The password hash never leaves the
// package.
type User struct {
	Name        string
	Superuser   bool
	CanLogin    bool
	HasPassword bool
}

// UserDef is CREATE/ALTER USER|ROLE. Nil fields are not given (CREATE takes
// PostgreSQL's defaults: NOSUPERUSER; LOGIN for USER, NOLOGIN for ROLE).
type UserDef struct {
	Name      string
	Password  *string // "" removes the password (PASSWORD NULL)
	Superuser *bool
	CanLogin  *bool
}

// bcryptCost is bcrypt's work factor; tests lower it.
var bcryptCost = bcrypt.DefaultCost

// dummyHash equalizes the time of Authenticate for unknown users.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("medley-no-such-user"), bcrypt.MinCost)

func checkRoleName(name string) error {
	if name == "" {
		return sqlerr.New(sqlerr.InvalidName, "zero-length role name")
	}
	if strings.EqualFold(name, Public) || strings.EqualFold(name, "none") || strings.EqualFold(name, "current_user") {
		return sqlerr.New("42939", "role name %q is reserved", name)
	}
	return nil
}

// CreateUser runs CREATE USER|ROLE as actor (who must be a superuser).
func (c *Catalog) CreateUser(ctx context.Context, actor string, def UserDef) error {
	return c.write(ctx, func(tx *txn) error {
		if err := tx.requireSuperuser(ctx, actor, "create role"); err != nil {
			return err
		}
		if err := checkRoleName(def.Name); err != nil {
			return err
		}
		if _, err := tx.user(ctx, def.Name); err == nil {
			return sqlerr.New(sqlerr.DuplicateObject, "role %q already exists", def.Name)
		}
		hash, err := hashPassword(def.Password)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO users(name, password_hash, superuser, can_login) VALUES (?, ?, ?, ?)`,
			def.Name, hash, boolOr(def.Superuser, false), boolOr(def.CanLogin, true))
		return storageErr(err)
	})
}

func hashPassword(p *string) (string, error) {
	if p == nil || *p == "" {
		return "", nil
	}
	h, err := bcrypt.GenerateFromPassword([]byte(*p), bcryptCost)
	if err != nil {
		// bcrypt refuses passwords over 72 bytes; say so without the password.
		return "", sqlerr.New(sqlerr.InvalidParameterValue, "password is not acceptable: %s", bcryptReason(err))
	}
	return string(h), nil
}

func bcryptReason(err error) string {
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return "longer than 72 bytes"
	}
	return "cannot hash it"
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// AlterUser runs ALTER USER|ROLE. A superuser may change anything; a user
// may change only their own password.
func (c *Catalog) AlterUser(ctx context.Context, actor string, def UserDef) error {
	return c.write(ctx, func(tx *txn) error {
		a, err := tx.actor(ctx, actor)
		if err != nil {
			return err
		}
		u, err := tx.user(ctx, def.Name)
		if err != nil {
			return err
		}
		self := a.Name == u.Name && def.Superuser == nil && def.CanLogin == nil
		if !a.Superuser && !self {
			return sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied to alter role %q", u.Name)
		}
		if def.Password != nil {
			hash, err := hashPassword(def.Password)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE name = ?`, hash, u.Name); err != nil {
				return storageErr(err)
			}
		}
		if def.Superuser != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET superuser = ? WHERE name = ?`, *def.Superuser, u.Name); err != nil {
				return storageErr(err)
			}
		}
		if def.CanLogin != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET can_login = ? WHERE name = ?`, *def.CanLogin, u.Name); err != nil {
				return storageErr(err)
			}
		}
		return nil
	})
}

// DropUser runs DROP USER|ROLE [IF EXISTS] for one user.
func (c *Catalog) DropUser(ctx context.Context, actor, name string, ifExists bool) error {
	return c.DropUsers(ctx, actor, []string{name}, ifExists)
}

// DropUsers runs DROP USER|ROLE [IF EXISTS] a, b, ... in one transaction.
// A user who owns objects, has user mappings or holds privileges cannot be
// dropped (2BP01, naming them).
func (c *Catalog) DropUsers(ctx context.Context, actor string, names []string, ifExists bool) error {
	return c.write(ctx, func(tx *txn) error {
		if err := tx.requireSuperuser(ctx, actor, "drop role"); err != nil {
			return err
		}
		for _, name := range names {
			if err := tx.dropUser(ctx, actor, name, ifExists); err != nil {
				return err
			}
		}
		return nil
	})
}

func (tx *txn) dropUser(ctx context.Context, actor, name string, ifExists bool) error {
	u, err := tx.user(ctx, name)
	if err != nil {
		if ifExists && sqlerr.Is(err, sqlerr.UndefinedObject) {
			tx.c.notice(ctx, sqlerr.UndefinedObject, "role %q does not exist, skipping", name)
			return nil
		}
		return err
	}
	if u.Name == actor {
		return sqlerr.New("55006", "current user cannot be dropped")
	}
	deps, err := tx.userDependents(ctx, u.Name)
	if err != nil {
		return err
	}
	if len(deps) > 0 {
		return dependentsError("role", u.Name, deps, false)
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM users WHERE name = ?`, u.Name)
	return storageErr(err)
}

// Authenticate checks a password. A wrong password and an unknown user get
// the same error (28P01), which does not say whether the user exists.
func (c *Catalog) Authenticate(ctx context.Context, user, password string) error {
	var hash string
	var canLogin bool
	err := c.read(ctx, func(tx *txn) error {
		return tx.QueryRowContext(ctx, `SELECT password_hash, can_login FROM users WHERE name = ?`, user).Scan(&hash, &canLogin)
	})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return storageErr(err)
	}
	failed := sqlerr.New(sqlerr.InvalidPassword, "password authentication failed for user %q", user)
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return failed
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return failed
	}
	if !canLogin {
		return sqlerr.New(sqlerr.InvalidAuthorization, "role %q is not permitted to log in", user)
	}
	return nil
}

// GetUser returns a user; 42704 if there is none.
func (c *Catalog) GetUser(ctx context.Context, name string) (*User, error) {
	var u *User
	err := c.read(ctx, func(tx *txn) (err error) {
		u, err = tx.user(ctx, name)
		return err
	})
	return u, err
}

// Users lists every user, by name.
func (c *Catalog) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := c.read(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT name, superuser, can_login, password_hash <> '' FROM users ORDER BY name`)
		if err != nil {
			return storageErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var u User
			if err := rows.Scan(&u.Name, &u.Superuser, &u.CanLogin, &u.HasPassword); err != nil {
				return storageErr(err)
			}
			out = append(out, u)
		}
		return storageErr(rows.Err())
	})
	return out, err
}

func (tx *txn) user(ctx context.Context, name string) (*User, error) {
	u := User{Name: name}
	err := tx.QueryRowContext(ctx, `SELECT superuser, can_login, password_hash <> '' FROM users WHERE name = ?`, name).
		Scan(&u.Superuser, &u.CanLogin, &u.HasPassword)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sqlerr.New(sqlerr.UndefinedObject, "role %q does not exist", name)
	}
	if err != nil {
		return nil, storageErr(err)
	}
	return &u, nil
}

// actor returns the user running a statement, who must exist.
func (tx *txn) actor(ctx context.Context, name string) (*User, error) {
	u, err := tx.user(ctx, name)
	if err != nil {
		return nil, sqlerr.New(sqlerr.InvalidAuthorization, "role %q does not exist", name)
	}
	return u, nil
}

func (tx *txn) requireSuperuser(ctx context.Context, actor, what string) error {
	a, err := tx.actor(ctx, actor)
	if err != nil {
		return err
	}
	if !a.Superuser {
		return sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied to %s", what)
	}
	return nil
}
