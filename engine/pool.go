package engine

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/sqlerr"
)

// defaultMaxConns bounds the connections a pool keeps open.
const defaultMaxConns = 64

// connPool keeps one connectors.Conn per (server, effective user mapping),
// as postgres_fdw's connection cache does; one per server for wrappers
// whose spec says NoUserMapping (files, memory). Connections are made
// lazily, reused by every query of the pair, replaced when the server, its
// wrapper or the mapping changed (the catalog's server generation moved),
// and closed by invalidate (ALTER/DROP SERVER, mapping changes) and Close.
//
// A connection that holds data (a connectors.TableCreator: memory tables)
// is never replaced on a generation change, only closed when its server is
// dropped, so ALTER SERVER memory ... does not lose tables.
type connPool struct {
	cat   *catalog.Catalog
	alloc memory.Allocator
	log   *zap.Logger
	max   int

	mu     sync.Mutex
	conns  map[poolKey]*poolEntry
	closed bool
}

type poolKey struct {
	server      string
	mappingUser string // "" for NoUserMapping wrappers, else a user or catalog.Public
}

// poolEntry is one connection, or one being made (ready not yet closed).
type poolEntry struct {
	ready     chan struct{}
	conn      connectors.Conn
	err       error
	gen       int64
	wrapper   string
	opened    time.Time
	lastUsed  time.Time
	uses      int64
	holdsData bool
}

// newConnPool returns an empty pool. alloc is for data a Conn keeps beyond
// one query (memory tables).
func newConnPool(cat *catalog.Catalog, alloc memory.Allocator, log *zap.Logger) *connPool {
	if log == nil {
		log = zap.NewNop()
	}
	return &connPool{cat: cat, alloc: alloc, log: log, max: defaultMaxConns, conns: map[poolKey]*poolEntry{}}
}

var errPoolClosed = sqlerr.New(sqlerr.ConnectionNotExist, "the connection pool is closed")

// Conn returns the connection for server as user, connecting if needed.
// Errors: the catalog's (unknown server, 42704 no user mapping), class 08
// or HV for connection failures, naming the server and never a credential;
// 53300 when the pool is full.
func (p *connPool) Conn(ctx context.Context, server, user string) (connectors.Conn, error) {
	ci, err := p.cat.ConnectInfo(ctx, server, user)
	if err != nil {
		return nil, err
	}
	key := poolKey{server: ci.Server, mappingUser: ci.MappingUser}
	for {
		e, stale, mine, err := p.entry(key, ci)
		if stale != nil {
			_ = p.closeConn(key, stale)
		}
		if err != nil {
			return nil, err
		}
		if mine {
			p.connect(ctx, key, e, ci, user)
		}
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled, "connecting to server %q", server)
		}
		if e.err != nil {
			return nil, e.err
		}
		p.mu.Lock()
		current := p.conns[key] == e
		if current {
			e.lastUsed = time.Now()
			e.uses++
		}
		p.mu.Unlock()
		if current {
			return e.conn, nil
		}
		// Invalidated while we waited: look again.
	}
}

// entry finds or reserves the entry of key. mine reports that the caller
// must connect it; stale is a replaced connection the caller must close.
func (p *connPool) entry(key poolKey, ci *catalog.ConnectInfo) (e, stale *poolEntry, mine bool, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, nil, false, errPoolClosed
	}
	if e = p.conns[key]; e != nil {
		select {
		case <-e.ready:
			if e.gen == ci.Generation || e.holdsData {
				e.gen = ci.Generation
				return e, nil, false, nil
			}
			stale = e
			delete(p.conns, key)
		default:
			return e, nil, false, nil // being made by another caller
		}
	}
	if len(p.conns) >= p.max {
		return nil, stale, false, sqlerr.New(sqlerr.TooManyConnections,
			"too many open foreign-server connections (%d); cannot connect to server %q", p.max, key.server)
	}
	e = &poolEntry{ready: make(chan struct{}), gen: ci.Generation, wrapper: ci.Wrapper}
	p.conns[key] = e
	return e, stale, true, nil
}

// connect makes e's connection and publishes the outcome; a failed entry
// is removed so the next call retries.
func (p *connPool) connect(ctx context.Context, key poolKey, e *poolEntry, ci *catalog.ConnectInfo, user string) {
	conn, err := p.open(ctx, ci, user)
	p.mu.Lock()
	e.conn, e.err = conn, err
	e.opened, e.lastUsed = time.Now(), time.Now()
	if conn != nil {
		_, e.holdsData = conn.(connectors.TableCreator)
	}
	if err != nil && p.conns[key] == e {
		delete(p.conns, key)
	}
	closed := p.closed
	p.mu.Unlock()
	close(e.ready)
	if closed && conn != nil {
		// The pool closed while we connected: do not leak the connection.
		_ = conn.Close()
	}
}

func (p *connPool) open(ctx context.Context, ci *catalog.ConnectInfo, user string) (connectors.Conn, error) {
	c, ok := connectors.Lookup(ci.Connector)
	if !ok {
		return nil, sqlerr.New(sqlerr.FDWError,
			"foreign-data wrapper %q of server %q has no registered connector %q", ci.Wrapper, ci.Server, ci.Connector)
	}
	log := p.log.With(zap.String("server", ci.Server), zap.String("wrapper", ci.Wrapper))
	start := time.Now()
	conn, err := c.Connect(ctx, connectors.ConnectParams{
		Server:        ci.Server,
		ServerOptions: ci.ServerOptions,
		UserOptions:   ci.UserOptions,
		User:          user,
		Logger:        log,
		Allocator:     p.alloc,
	})
	if err != nil {
		err = connectError(ctx, ci, err)
		log.Info("connect failed", zap.Error(err))
		return nil, err
	}
	if conn == nil {
		return nil, sqlerr.New(sqlerr.FDWUnableToEstablishConn, "could not connect to server %q: the connector returned no connection", ci.Server)
	}
	if err := p.restoreTables(ctx, ci.Server, conn); err != nil {
		_ = conn.Close()
		return nil, err
	}
	log.Info("connected", zap.Duration("took", time.Since(start)))
	return conn, nil
}

// restoreTables recreates, empty, the catalog's tables of a connection that
// keeps tables itself (memory tables outlive no engine, their definitions
// outlive every engine).
func (p *connPool) restoreTables(ctx context.Context, server string, conn connectors.Conn) error {
	tc, ok := conn.(connectors.TableCreator)
	if !ok {
		return nil
	}
	tables, err := p.cat.TablesOnServer(ctx, server)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := tc.CreateTable(ctx, t.Desc()); err != nil && !sqlerr.Is(err, sqlerr.DuplicateTable) {
			return err
		}
	}
	return nil
}

// connectError turns a connector's failure into a class 08 / HV error that
// names the server. Secret option values are scrubbed from the message, and
// the cause is not kept unless it is already an sqlerr (which connectors
// must keep free of credentials), lest a driver error carry a password.
func connectError(ctx context.Context, ci *catalog.ConnectInfo, err error) error {
	if ctx.Err() != nil {
		return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled, "connecting to server %q", ci.Server)
	}
	msg := redact(err.Error(), ci)
	var se *sqlerr.Error
	if errors.As(err, &se) {
		code := se.Code
		if !strings.HasPrefix(string(code), "08") && !strings.HasPrefix(string(code), "HV") &&
			code != sqlerr.FeatureNotSupported && code != sqlerr.TooManyConnections {
			code = sqlerr.ConnectionFailure
		}
		if strings.Contains(msg, ci.Server) {
			return &sqlerr.Error{Code: code, Message: msg, Detail: redact(se.Detail, ci), Hint: se.Hint}
		}
		return &sqlerr.Error{Code: code, Message: "could not connect to server \"" + ci.Server + "\": " + msg,
			Detail: redact(se.Detail, ci), Hint: se.Hint}
	}
	return sqlerr.New(sqlerr.ConnectionFailure, "could not connect to server %q: %s", ci.Server, msg)
}

// redact replaces every user-mapping and server option value of at least
// four characters in s with ********: a driver's message may quote a
// connection string.
func redact(s string, ci *catalog.ConnectInfo) string {
	for _, opts := range []map[string]string{ci.UserOptions, ci.ServerOptions} {
		for k, v := range opts {
			if len(v) >= 4 && isSecretName(k) {
				s = strings.ReplaceAll(s, v, catalog.Mask)
			}
		}
	}
	return s
}

// isSecretName is a conservative guess used only for scrubbing messages:
// every option that could hold a credential.
func isSecretName(name string) bool {
	for _, w := range []string{"password", "secret", "token", "key", "credential", "passphrase"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// closeConn waits for e to be made and closes it.
func (p *connPool) closeConn(key poolKey, e *poolEntry) error {
	<-e.ready
	if e.conn == nil {
		return nil
	}
	err := e.conn.Close()
	if err != nil {
		p.log.Warn("closing connection failed", zap.String("server", key.server), zap.Error(err))
	} else {
		p.log.Info("connection closed", zap.String("server", key.server))
	}
	return err
}

// Close closes every connection; later Conn calls fail. It is idempotent.
func (p *connPool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	conns := p.conns
	p.conns = map[poolKey]*poolEntry{}
	p.mu.Unlock()
	var errs []error
	for k, e := range conns {
		if err := p.closeConn(k, e); err != nil {
			errs = append(errs, sqlerr.Wrap(err, sqlerr.ConnectionException, "closing connection to server %q", k.server))
		}
	}
	return errors.Join(errs...)
}
