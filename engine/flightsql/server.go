// Package flightsql is Medley's Arrow Flight SQL server: it authenticates
// clients against the catalog's users, keeps one engine session per bearer
// token, and answers Flight SQL's RPCs with engine calls. Query results
// stream batch by batch from the engine's array.RecordReader.
//
//	srv, err := flightsql.New(flightsql.Config{DB: db, Logger: log})
//	lis, _ := net.Listen("tcp", "127.0.0.1:32010")
//	go srv.Serve(lis)
//	defer srv.Stop()
package flightsql

import (
	"context"
	"crypto/tls"
	"net"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/medleysql/medley/engine"
)

// DefaultTokenTTL is how long a bearer token stays valid.
const DefaultTokenTTL = time.Hour

// Config configures a Server.
type Config struct {
	// DB is the engine the server runs statements on. Required.
	DB *engine.DB
	// Logger receives one line per statement; nil means zap.NewNop().
	Logger *zap.Logger
	// TLS, when set, makes the server speak TLS (grpc+tls://).
	TLS *tls.Config
	// TokenTTL is the lifetime of a bearer token; 0 means DefaultTokenTTL.
	TokenTTL time.Duration
	// AllowAnonymous lets calls without credentials run as the DB's
	// default user. Off by default.
	AllowAnonymous bool
	// Allocator is for the server's own Arrow memory (metadata results,
	// IPC decoding); nil means memory.DefaultAllocator.
	Allocator memory.Allocator
	// Version is reported by GetSqlInfo.
	Version string
	// Now is the clock (tests move it to expire tokens); nil is time.Now.
	Now func() time.Time
	// MaxQueries is how many statement streams (DoGet, DoPut, DoExchange)
	// may run at once; a call over it waits at most a second for a slot,
	// then is refused with RESOURCE_EXHAUSTED (53300) rather than queued. 0 means
	// DefaultMaxQueries; negative means no limit.
	MaxQueries int
}

// DefaultMaxQueries is the default of Config.MaxQueries.
const DefaultMaxQueries = 64

// Server is a Flight SQL endpoint on one engine DB.
type Server struct {
	streams sync.WaitGroup // streamReader goroutines; Stop waits for them
	flightsql.BaseServer

	db    *engine.DB
	log   *zap.Logger
	alloc memory.Allocator
	cfg   Config
	grpc  *grpc.Server

	admission admission

	// ctx is the parent of statements that outlive the RPC that started
	// them (a parked Substrait result); cancelled by Stop.
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	tokens   map[string]*clientSession
	basic    map[string]*clientSession // by basicKey
	queries  map[string]*query
	prepared map[string]*prepared

	// onQueryDone, when set (tests), is called after a statement's result
	// stream ended, with its handle and error.
	onQueryDone func(handle string, err error)
}

// New builds a server; call Serve to accept connections.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Allocator == nil {
		cfg.Allocator = memory.DefaultAllocator
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = DefaultTokenTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxQueries == 0 {
		cfg.MaxQueries = DefaultMaxQueries
	}
	if cfg.Version == "" {
		cfg.Version = "(devel)"
	}
	s := &Server{
		db: cfg.DB, log: cfg.Logger, alloc: cfg.Allocator, cfg: cfg,
		tokens: map[string]*clientSession{}, basic: map[string]*clientSession{}, queries: map[string]*query{}, prepared: map[string]*prepared{},
	}
	s.admission.limit = int64(cfg.MaxQueries)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.Alloc = cfg.Allocator
	if err := s.registerSqlInfo(); err != nil {
		return nil, err
	}
	unary, stream := s.interceptors()
	opts := []grpc.ServerOption{grpc.ChainUnaryInterceptor(unary), grpc.ChainStreamInterceptor(stream),
		// Stop returns only when every handler has: a DoGet handler may
		// still hold a batch after its connection closed, and the stream
		// interceptor releases it when the handler returns.
		grpc.WaitForHandlers(true)}
	if cfg.TLS != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(cfg.TLS)))
	}
	s.grpc = grpc.NewServer(opts...)
	flight.RegisterFlightServiceServer(s.grpc, flightsql.NewFlightServerWithAllocator(s, cfg.Allocator))
	return s, nil
}

// Serve accepts connections on lis until Stop. It returns nil after Stop.
func (s *Server) Serve(lis net.Listener) error {
	err := s.grpc.Serve(lis)
	if err == grpc.ErrServerStopped {
		return nil
	}
	return err
}

// Stop cancels every running statement, releases parked results and
// prepared statements, and closes the listener and all connections. It
// returns when every RPC has ended.
func (s *Server) Stop() {
	s.cancel()
	s.mu.Lock()
	for _, q := range s.queries {
		q.abort()
	}
	s.queries = map[string]*query{}
	s.prepared = map[string]*prepared{}
	s.tokens = map[string]*clientSession{}
	s.basic = map[string]*clientSession{}
	s.mu.Unlock()
	s.grpc.Stop()
	// No result stream outlives the server: each releases its query's
	// memory when its (now cancelled) context ends.
	s.streams.Wait()
}
