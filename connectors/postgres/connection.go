package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/sql/sqlerr"
)

// maxIdle is how many idle remote connections a Conn keeps.
const maxIdle = 8

// Conn is a connection to one PostgreSQL server as one user mapping: a
// small pool of remote sessions (postgres_fdw's connection.c keeps one per
// mapping; partitions read in parallel need several).
type Conn struct {
	server   string
	cfg      *pgx.ConnConfig
	password string // only to scrub it from error messages
	opts     map[string]string
	log      *zap.Logger
	keep     bool

	mu     sync.Mutex
	idle   []*pgx.Conn
	closed bool
}

var (
	_ connectors.Conn           = (*Conn)(nil)
	_ connectors.SchemaImporter = (*Conn)(nil)
)

// dsnValue quotes a libpq key=value connection string value.
func dsnValue(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

func connect(ctx context.Context, p connectors.ConnectParams) (*Conn, error) {
	so := withDefaults(p.ServerOptions, connectors.ObjServer)
	user := p.UserOptions["user"]
	if user == "" {
		user = p.User
	}
	var dsn []string
	add := func(k, v string) {
		if v != "" {
			dsn = append(dsn, k+"="+dsnValue(v))
		}
	}
	add("host", so["host"])
	add("port", so["port"])
	add("dbname", so["dbname"])
	add("user", user)
	add("sslmode", so["sslmode"])
	add("sslrootcert", so["sslrootcert"])
	add("sslcert", p.UserOptions["sslcert"])
	add("sslkey", p.UserOptions["sslkey"])
	add("connect_timeout", so["connect_timeout"])
	add("application_name", so["application_name"])
	if pw := p.UserOptions["sslpassword"]; pw != "" {
		add("sslpassword", pw)
	}
	cfg, err := pgx.ParseConfig(strings.Join(dsn, " "))
	if err != nil {
		// The parse error may quote the string: say only which server.
		return nil, sqlerr.New(sqlerr.FDWUnableToEstablishConn, "could not connect to server %q: invalid connection options", p.Server)
	}
	cfg.Password = p.UserOptions["password"]
	if st := strings.TrimSpace(so["statement_timeout"]); st != "" {
		// Sent in the startup packet, so every remote session has it.
		cfg.RuntimeParams["statement_timeout"] = st
	}
	c := &Conn{server: p.Server, cfg: cfg, password: cfg.Password, opts: so, log: p.Logger, keep: sqlconn.IsTrue(so["keep_connections"])}
	// Connect once now, so that a wrong host or password fails CREATE/first use.
	pc, err := c.acquire(ctx)
	if err != nil {
		return nil, err
	}
	if sqlconn.IsTrue(withDefaults(p.UserOptions, connectors.ObjUserMapping)["password_required"]) && cfg.Password == "" {
		c.discard(pc)
		return nil, sqlerr.New(sqlerr.InvalidAuthorization, "server %q: password is required", p.Server).
			WithHint("Set the user mapping's password option, or password_required 'false'.")
	}
	c.release(pc)
	p.Logger.Info("postgres: connected", zap.String("server", p.Server), zap.String("host", so["host"]), zap.String("dbname", so["dbname"]))
	return c, nil
}

// withDefaults fills in the spec's defaults of one object kind.
func withDefaults(opts map[string]string, o connectors.Object) map[string]string {
	out := map[string]string{}
	for _, opt := range options {
		if opt.Object == o && opt.Default != "" {
			out[opt.Name] = opt.Default
		}
	}
	for k, v := range opts {
		out[k] = v
	}
	return out
}

func intOption(v string, def int) int {
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return def
}

// acquire returns an idle session or opens a new one.
func (c *Conn) acquire(ctx context.Context) (*pgx.Conn, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, sqlerr.New(sqlerr.ConnectionNotExist, "server %q: connection is closed", c.server)
	}
	for n := len(c.idle); n > 0; n = len(c.idle) {
		pc := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()
		// Health check on reuse: a session may have died while idle
		// (terminated, server restarted, network cut). One round trip per
		// statement, not per row; a dead one is dropped and the next tried.
		if err := pc.Ping(ctx); err == nil {
			return pc, nil
		} else if ctx.Err() != nil {
			c.discard(pc)
			return nil, c.connectError(ctx, err)
		}
		c.log.Info("postgres: dropping a dead idle session", zap.String("server", c.server))
		c.discard(pc)
		c.mu.Lock()
	}
	c.mu.Unlock()
	pc, err := pgx.ConnectConfig(ctx, c.cfg)
	if err != nil {
		return nil, c.connectError(ctx, err)
	}
	return pc, nil
}

// release returns a healthy idle session to the pool.
func (c *Conn) release(pc *pgx.Conn) {
	if pc.IsClosed() || pc.PgConn().TxStatus() != 'I' {
		c.discard(pc)
		return
	}
	c.mu.Lock()
	if c.closed || !c.keep || len(c.idle) >= maxIdle {
		c.mu.Unlock()
		c.discard(pc)
		return
	}
	c.idle = append(c.idle, pc)
	c.mu.Unlock()
}

func (c *Conn) discard(pc *pgx.Conn) { _ = pc.Close(context.Background()) }

// Close closes the idle sessions; sessions in use close when released.
func (c *Conn) Close() error {
	c.mu.Lock()
	idle := c.idle
	c.idle, c.closed = nil, true
	c.mu.Unlock()
	for _, pc := range idle {
		c.discard(pc)
	}
	return nil
}

// scrub removes the password from a message.
func (c *Conn) scrub(msg string) string {
	if c.password != "" {
		msg = strings.ReplaceAll(msg, c.password, "********")
	}
	return msg
}

func (c *Conn) connectError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled, "connecting to server %q", c.server)
	}
	msg := "could not connect to server %q"
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// The remote's own words (e.g. password authentication failed),
		// never the connection string.
		return sqlerr.New(sqlerr.FDWUnableToEstablishConn, msg+": %s (SQLSTATE %s)", c.server, c.scrub(pe.Message), pe.Code)
	}
	return sqlerr.New(sqlerr.FDWUnableToEstablishConn, msg+": %s", c.server, c.scrub(err.Error()))
}

// remoteError converts an error of a remote statement, keeping the remote
// SQLSTATE (PostgreSQL's codes are ours).
func (c *Conn) remoteError(ctx context.Context, err error, format string, args ...any) error {
	what := fmt.Sprintf(format, args...)
	if ctx.Err() != nil {
		return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled, "%s: canceling statement due to user request", what)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if strings.HasPrefix(pe.Code, "57P0") {
			// The remote session was terminated (57P01 admin shutdown,
			// 57P02 crash, 57P03 cannot connect now): for Medley's client
			// the connection to the server is lost; Medley is not
			// shutting down.
			return sqlerr.New(sqlerr.ConnectionFailure, "%s: lost the connection to server %q: %s (SQLSTATE %s)",
				what, c.server, c.scrub(pe.Message), pe.Code)
		}
		e := sqlerr.New(sqlerr.Code(pe.Code), "%s: %s", what, c.scrub(pe.Message))
		e.Detail, e.Hint = c.scrub(pe.Detail), pe.Hint
		return e
	}
	if pgconn.SafeToRetry(err) || errors.Is(err, context.DeadlineExceeded) {
		return sqlerr.New(sqlerr.ConnectionFailure, "%s: server %q: %s", what, c.server, c.scrub(err.Error()))
	}
	return sqlerr.New(sqlerr.ConnectionFailure, "%s: server %q: %s", what, c.server, c.scrub(err.Error()))
}
