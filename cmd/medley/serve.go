package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/engine/flightsql"
)

// serveOptions are the flags of `medley serve`.
type serveOptions struct {
	listen         string
	catalog        string
	tlsCert        string
	tlsKey         string
	allowAnonymous bool
	tokenTTL       time.Duration
	threads        int
	memoryLimit    string
	maxQueries     int
	logLevel       string
	user           string
	allocator      memory.Allocator // nil: the default (tests pass a checked one)
}

func newServeCmd(stderr io.Writer) *cobra.Command {
	o := &serveOptions{listen: "127.0.0.1:32010", tokenTTL: flightsql.DefaultTokenTTL, logLevel: "info",
		maxQueries: flightsql.DefaultMaxQueries}
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Serve the catalog over Arrow Flight SQL (JDBC, ADBC, ODBC clients)",
		Long: `serve runs an Arrow Flight SQL endpoint on the catalog until interrupted.

Clients authenticate with HTTP Basic credentials of a catalog user (CREATE
USER name PASSWORD '...') and receive a bearer token that expires after
--token-ttl; every call must carry it. Each token has its own session, so
SET search_path and the other settings last for that client, and the user's
privileges and user mappings apply. Without --allow-anonymous, calls
without credentials are refused.

Logs are structured (JSON) on standard error, one line per statement with
the user, duration, rows and bytes; never credentials or SQL text (the text
appears only at --log-level debug).`,
		Example: `  medley serve                                  # 127.0.0.1:32010, default catalog
  medley serve --listen 0.0.0.0:32010 --tls-cert cert.pem --tls-key key.pem
  medley serve --catalog ./medley.db --allow-anonymous --user analyst`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := runServe(ctx, o, stderr, nil); err != nil {
				fmt.Fprintf(stderr, "medley serve: %v\n", err)
				return &exitError{code: exitFailed}
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&o.listen, "listen", o.listen, "`ADDRESS` (host:port) to listen on")
	fs.StringVar(&o.catalog, "catalog", "", "catalog file `PATH` (default $MEDLEY_CATALOG, else $XDG_DATA_HOME/medley/catalog.db)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "PEM certificate `FILE`; with --tls-key, serve grpc+tls")
	fs.StringVar(&o.tlsKey, "tls-key", "", "PEM private key `FILE` of --tls-cert")
	fs.BoolVar(&o.allowAnonymous, "allow-anonymous", false, "let calls without credentials run as --user (default: refuse them)")
	fs.DurationVar(&o.tokenTTL, "token-ttl", o.tokenTTL, "lifetime `DURATION` of a bearer token, e.g. 30m, 8h")
	fs.StringVarP(&o.user, "user", "U", "", "default user `NAME`: anonymous calls run as it; the first user of a new catalog is its superuser (default the OS user)")
	fs.IntVar(&o.threads, "threads", 0, "parallelism `N` of a query (default all cores)")
	fs.StringVar(&o.memoryLimit, "memory-limit", "", "per-query memory limit `SIZE`, e.g. 512MB, 4GiB (default none)")
	fs.IntVar(&o.maxQueries, "max-queries", o.maxQueries, "`N` queries running at once; a client over it gets RESOURCE_EXHAUSTED (53300) after waiting a second for a slot; 0: no limit")
	fs.StringVar(&o.logLevel, "log-level", o.logLevel, "`LEVEL` of logs on standard error: debug|info|warn|error")
	return cmd
}

// runServe serves until ctx ends. ready, if set, receives the listening
// address (tests listen on port 0).
func runServe(ctx context.Context, o *serveOptions, stderr io.Writer, ready func(addr string)) error {
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if o.tokenTTL <= 0 {
		return fmt.Errorf("invalid --token-ttl %s: must be positive", o.tokenTTL)
	}
	if o.maxQueries < 0 {
		return fmt.Errorf("invalid --max-queries %d: must be 0 (no limit) or more", o.maxQueries)
	}
	if o.threads < 0 {
		return fmt.Errorf("invalid --threads %d: must be 0 (all cores) or more", o.threads)
	}
	memLimit, err := parseSize(o.memoryLimit)
	if err != nil {
		return err
	}
	lvl, err := zapcore.ParseLevel(o.logLevel)
	if err != nil {
		return fmt.Errorf("invalid --log-level %q: want debug, info, warn or error", o.logLevel)
	}
	log := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(stderr), lvl))
	defer log.Sync()
	var tlsCfg *tls.Config
	if o.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
		if err != nil {
			return fmt.Errorf("loading the TLS certificate: %w", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	db, err := engine.Open(ctx, engine.Config{CatalogPath: o.catalog, User: o.user, Threads: o.threads,
		MemoryLimit: memLimit, Logger: log, Allocator: o.allocator})
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := flightsql.New(flightsql.Config{DB: db, Logger: log, TLS: tlsCfg, TokenTTL: o.tokenTTL,
		AllowAnonymous: o.allowAnonymous, Version: versionString(), Allocator: o.allocator, MaxQueries: maxQueries(o.maxQueries)})
	if err != nil {
		return err
	}
	lis, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	scheme := "grpc"
	if tlsCfg != nil {
		scheme = "grpc+tls"
	}
	log.Info("serving Flight SQL", zap.String("uri", scheme+"://"+lis.Addr().String()),
		zap.Bool("allow_anonymous", o.allowAnonymous), zap.Duration("token_ttl", o.tokenTTL),
		zap.Int("max_queries", o.maxQueries), zap.Int64("memory_limit", memLimit))
	if ready != nil {
		ready(lis.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(lis) }()
	select {
	case <-ctx.Done():
		srv.Stop()
		<-done
		log.Info("stopped")
		return nil
	case err := <-done:
		return err
	}
}

// maxQueries maps the flag (0: no limit) to flightsql.Config.MaxQueries
// (0: the default, negative: no limit).
func maxQueries(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
