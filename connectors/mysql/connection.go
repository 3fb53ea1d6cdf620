package mysql

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/sql/sqlerr"
	"go.uber.org/zap"
)

// Conn is a pool of connections to one MySQL/MariaDB server as one
// account. It is safe for concurrent use.
type Conn struct {
	db        *sql.DB
	server    string
	addr      string
	user      string
	password  string // only to scrub it from error messages
	fetchSize int
	batchSize int
	updatable bool // the server's updatable option
	log       *zap.Logger

	closeOnce sync.Once
	closeErr  error
}

var _ connectors.Conn = (*Conn)(nil)

// config builds the driver's configuration. The session uses the binary
// protocol (prepared statements, interpolateParams=false), utf8mb4, UTC
// as time zone (TIMESTAMP values read and written as UTC) and the
// sql_mode option.
func config(p connectors.ConnectParams) (*mysql.Config, error) {
	so, uo := p.ServerOptions, p.UserOptions
	cfg := mysql.NewConfig()
	host, port := so["host"], so["port"]
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "3306"
	}
	cfg.Net, cfg.Addr = "tcp", net.JoinHostPort(host, port)
	cfg.User, cfg.Passwd = uo["username"], uo["password"]
	cfg.InterpolateParams, cfg.ParseTime, cfg.MultiStatements = false, false, false
	// UPDATE counts the rows it matched, changed or not, as PostgreSQL does.
	cfg.ClientFoundRows = true
	cfg.Logger = nopLogger{}
	charset := so["character_set"]
	if charset == "" {
		charset = "utf8mb4"
	}
	if err := cfg.Apply(mysql.Charset(charset, "")); err != nil {
		return nil, err
	}
	mode := so["sql_mode"]
	if mode == "" {
		mode = "ANSI_QUOTES"
	}
	cfg.Params = map[string]string{"sql_mode": quoteString(mode), "time_zone": "'+00:00'"}
	if so["ssl_ca"] != "" || so["ssl_cert"] != "" || so["ssl_capath"] != "" {
		tc, err := tlsConfig(host, so)
		if err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.FDWInvalidAttributeValue, "server %q: TLS options", p.Server)
		}
		cfg.TLS = tc
	}
	return cfg, nil
}

func tlsConfig(host string, so map[string]string) (*tls.Config, error) {
	tc := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	pool := x509.NewCertPool()
	cas := []string{}
	if f := so["ssl_ca"]; f != "" {
		cas = append(cas, f)
	}
	if d := so["ssl_capath"]; d != "" {
		ents, err := os.ReadDir(d)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			cas = append(cas, d+string(os.PathSeparator)+e.Name())
		}
	}
	for _, f := range cas {
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		pool.AppendCertsFromPEM(pem)
	}
	if len(cas) > 0 {
		tc.RootCAs = pool
	}
	if so["ssl_cert"] != "" || so["ssl_key"] != "" {
		cert, err := tls.LoadX509KeyPair(so["ssl_cert"], so["ssl_key"])
		if err != nil {
			return nil, err
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// nopLogger silences the driver, which would log to stderr.
type nopLogger struct{}

func (nopLogger) Print(...any) {}

// initConnector runs init_command on every new connection.
type initConnector struct {
	driver.Connector
	init string
}

func (c initConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil || c.init == "" {
		return dc, err
	}
	if ex, ok := dc.(driver.ExecerContext); ok {
		if _, err := ex.ExecContext(ctx, c.init, nil); err != nil {
			dc.Close()
			return nil, fmt.Errorf("init_command: %w", err)
		}
	}
	return dc, nil
}

func connect(ctx context.Context, p connectors.ConnectParams) (*Conn, error) {
	cfg, err := config(p)
	if err != nil {
		return nil, err
	}
	dc, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.FDWInvalidAttributeValue, "server %q", p.Server)
	}
	c := &Conn{
		db:     sql.OpenDB(initConnector{Connector: dc, init: p.ServerOptions["init_command"]}),
		server: p.Server, addr: cfg.Addr, user: cfg.User, password: cfg.Passwd,
		fetchSize: 100, batchSize: 1, log: p.Logger,
		updatable: p.ServerOptions["updatable"] == "" || sqlconn.IsTrue(p.ServerOptions["updatable"]),
	}
	if c.log == nil {
		c.log = zap.NewNop()
	}
	if v := p.ServerOptions["fetch_size"]; v != "" {
		c.fetchSize, _ = strconv.Atoi(v)
	}
	if v := p.ServerOptions["batch_size"]; v != "" {
		c.batchSize, _ = strconv.Atoi(v)
	}
	c.db.SetMaxIdleConns(8)
	if err := c.db.PingContext(ctx); err != nil {
		c.db.Close()
		return nil, c.connectError(ctx, err)
	}
	c.log.Info("mysql: connected", zap.String("server", p.Server), zap.String("addr", c.addr), zap.String("user", c.user))
	return c, nil
}

// killOnCancel sends KILL QUERY for the session id once ctx is cancelled,
// so that the server stops the statement at once (the driver only drops
// the connection). Call stop once, when the statement is over: it ends
// the watch, waiting for a KILL QUERY already under way.
func (c *Conn) killOnCancel(ctx context.Context, id int64) (stop func()) {
	killed := make(chan struct{})
	stopWatch := context.AfterFunc(ctx, func() {
		defer close(killed)
		kctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = c.db.ExecContext(kctx, "KILL QUERY "+strconv.FormatInt(id, 10))
	})
	return func() {
		if !stopWatch() {
			<-killed
		}
	}
}

// connectError is the error of a failed connection, without the password.
func (c *Conn) connectError(ctx context.Context, err error) error {
	msg := fmt.Sprintf("server %q: cannot connect to MySQL at %s as user %q", c.server, c.addr, c.user)
	if ctx.Err() != nil {
		return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled, "%s: canceled", msg)
	}
	code := sqlerr.ConnectionFailure
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1045:
			code = sqlerr.InvalidPassword
		case 1044, 1227:
			code = sqlerr.InvalidAuthorization
		case 1049:
			code = sqlerr.FDWSchemaNotFound
		case 1040:
			code = sqlerr.TooManyConnections
		}
	}
	return &sqlerr.Error{Code: code, Message: msg + ": " + c.scrub(err.Error())}
}

// scrub removes the password from a driver message, should one ever hold it.
func (c *Conn) scrub(s string) string {
	if len(c.password) >= 3 {
		s = strings.ReplaceAll(s, c.password, "********")
	}
	return s
}

// Close closes the pool; it is idempotent.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		c.closeErr = c.db.Close()
		c.log.Info("mysql: closed", zap.String("server", c.server))
	})
	return c.closeErr
}

// queryError turns a driver error into a SQLSTATE error naming the foreign
// table (sqlconn.DriverError), without the password: a cancelled context is
// 57014, MySQL's errors keep their meaning.
func (c *Conn) queryError(ctx context.Context, err error, table, format string, args ...any) error {
	return sqlconn.DriverError(ctx, err, errorCode, c.scrub, table, format, args...)
}

// errorCode is the SQLSTATE of a driver error: MySQL's error numbers
// mapped, a lost connection class 08, anything else HV000.
func errorCode(err error) sqlerr.Code {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return mysqlCode(me)
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) {
		return sqlerr.ConnectionFailure
	}
	return sqlerr.FDWError
}

// mysqlCode maps MySQL error numbers to PostgreSQL SQLSTATEs.
func mysqlCode(me *mysql.MySQLError) sqlerr.Code {
	switch me.Number {
	case 1146:
		return sqlerr.FDWTableNotFound
	case 1054:
		return sqlerr.FDWColumnNameNotFound
	case 1049:
		return sqlerr.FDWSchemaNotFound
	case 1062, 1586:
		return "23505"
	case 1048, 1364:
		return sqlerr.NotNullViolation
	case 1451, 1452:
		return "23503"
	case 3819, 4025:
		return "23514"
	case 1264, 1690:
		return sqlerr.NumericValueOutOfRange
	case 1406:
		return sqlerr.StringDataTruncation
	case 1292, 1366, 1367:
		return sqlerr.InvalidTextRepr
	case 1317, 3024, 1969:
		return sqlerr.QueryCanceled
	case 1142, 1143, 1044:
		return sqlerr.InsufficientPrivilege
	case 1213:
		return "40P01"
	case 1205:
		return "55P03"
	}
	return sqlerr.FDWError
}

// quoteString renders a MySQL string literal that means the same with or
// without NO_BACKSLASH_ESCAPES (backslashes are written as hex).
func quoteString(s string) string {
	if strings.ContainsAny(s, "\\\x00") {
		return fmt.Sprintf("_utf8mb4 X'%x'", s)
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// quoteIdent quotes a MySQL identifier with backticks, which work whatever
// the sql_mode.
func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }
