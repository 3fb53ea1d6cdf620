package flightsql

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Conn is a connection to one Flight SQL server for one user mapping. The
// gRPC client multiplexes concurrent calls, so one client serves every
// query of the pair.
type Conn struct {
	server string
	uri    string
	cl     *flightsql.Client
	log    *zap.Logger
	mem    memory.Allocator // for metadata listings

	updatable bool // the server's updatable option (default true)

	user, password string // Basic credentials, to log in again when a token expires

	mu   sync.Mutex
	auth string // the authorization header of every call ("Bearer ..."); secret

	closeOnce sync.Once
	closeErr  error
}

var (
	_ connectors.Conn           = (*Conn)(nil)
	_ connectors.SchemaImporter = (*Conn)(nil)
)

// connect dials the server of p and authenticates: a bearer token from the
// user mapping is used as is; a user name and password are exchanged for a
// bearer token by the Basic handshake.
func connect(ctx context.Context, p connectors.ConnectParams) (*Conn, error) {
	uri := p.ServerOptions["uri"]
	addr, useTLS, err := parseURI(uri)
	if err != nil {
		return nil, sqlerr.New(sqlerr.FDWInvalidAttributeValue, "server %q: option uri: %v", p.Server, err)
	}
	creds := insecure.NewCredentials()
	if useTLS {
		cfg, err := tlsConfig(p.ServerOptions)
		if err != nil {
			return nil, sqlerr.New(sqlerr.FDWInvalidAttributeValue, "server %q: %v", p.Server, err)
		}
		creds = credentials.NewTLS(cfg)
	}
	cl, err := flightsql.NewClientCtx(ctx, addr, nil, nil, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, sqlerr.New(sqlerr.FDWUnableToEstablishConn, "could not connect to server %q: %v", p.Server, err)
	}
	log := p.Logger
	if log == nil {
		log = zap.NewNop()
	}
	mem := p.Allocator
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	c := &Conn{server: p.Server, uri: uri, cl: cl, log: log, mem: mem,
		updatable: p.ServerOptions["updatable"] == "" || isTrue(p.ServerOptions["updatable"]),
		user:      p.UserOptions["username"], password: p.UserOptions["password"]}
	if tok := p.UserOptions["token"]; tok != "" {
		c.auth = "Bearer " + tok
	}
	timeout := 30
	if v, err := strconv.Atoi(p.ServerOptions["timeout"]); err == nil {
		timeout = v
	}
	hctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		hctx, cancel = context.WithTimeout(ctx, time.Duration(timeout)*time.Second)
		defer cancel()
	}
	if c.auth == "" && c.user != "" {
		if err := c.login(hctx); err != nil {
			_ = cl.Close()
			return nil, err
		}
	}
	log.Debug("connected to Flight SQL server", zap.String("server", p.Server), zap.String("uri", uri))
	return c, nil
}

// parseURI splits grpc://host:port, grpc+tcp://host:port and
// grpc+tls://host:port.
func parseURI(uri string) (addr string, useTLS bool, err error) {
	if err := checkURI(uri); err != nil {
		return "", false, err
	}
	scheme, rest, _ := strings.Cut(uri, "://")
	rest = strings.TrimSuffix(rest, "/")
	if strings.ContainsAny(rest, "/?#@") || !strings.Contains(rest, ":") {
		return "", false, errors.New("want host:port after the scheme")
	}
	return rest, scheme == "grpc+tls", nil
}

func tlsConfig(opts map[string]string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	switch opts["tls_skip_verify"] {
	case "true", "on", "yes", "1":
		cfg.InsecureSkipVerify = true
	}
	if f := opts["tls_root_certs"]; f != "" {
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, errors.New("option tls_root_certs: cannot read the certificate file")
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("option tls_root_certs: no PEM certificate in the file")
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// login runs the Basic handshake and keeps the bearer token the server
// returns (or, for a server that issues none, the Basic credentials).
func (c *Conn) login(ctx context.Context) error {
	actx, err := c.cl.Client.AuthenticateBasicToken(ctx, c.user, c.password)
	if err != nil {
		return c.connectError(ctx, err)
	}
	auth := ""
	if md, ok := metadata.FromOutgoingContext(actx); ok {
		if v := md.Get("authorization"); len(v) > 0 {
			auth = v[len(v)-1]
		}
	}
	if auth == "" {
		// No token: the server wants Basic credentials on every call.
		auth = basicHeader(c.user, c.password)
	}
	c.mu.Lock()
	c.auth = auth
	c.mu.Unlock()
	return nil
}

// callCtx adds the connection's credentials to ctx.
func (c *Conn) callCtx(ctx context.Context) context.Context {
	c.mu.Lock()
	auth := c.auth
	c.mu.Unlock()
	if auth == "" {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", auth)
}

// call runs f with the credentials; when the server no longer accepts the
// token (it expired) and the mapping has a password, it logs in again and
// runs f once more.
func (c *Conn) call(ctx context.Context, f func(ctx context.Context) error) error {
	err := f(c.callCtx(ctx))
	if err == nil || c.user == "" || !isUnauthenticated(err) || ctx.Err() != nil {
		return err
	}
	if lerr := c.login(ctx); lerr != nil {
		return err
	}
	return f(c.callCtx(ctx))
}

// execute sends one SQL query and returns its endpoints.
func (c *Conn) execute(ctx context.Context, query string) (*flight.FlightInfo, error) {
	var info *flight.FlightInfo
	err := c.call(ctx, func(ctx context.Context) error {
		var err error
		info, err = c.cl.Execute(ctx, query)
		return err
	})
	return info, err
}

// Close closes the gRPC client. It is idempotent.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() { c.closeErr = c.cl.Close() })
	return c.closeErr
}
