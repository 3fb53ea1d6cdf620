package main

import (
	"context"
	"fmt"
	"io"
	"os/user"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/medleysql/medley/engine"
)

// backend is what the CLI needs of the engine: one session's statements and
// information_schema views. *engine.Session satisfies it; tests use a
// hand-made backend so printing is testable on its own.
type backend interface {
	Run(ctx context.Context, sql string, args ...any) (*engine.Result, error)
	InfoSchema(ctx context.Context, view string) (array.RecordReader, error)
}

var _ backend = (*engine.Session)(nil)

// engineConfig is what the flags say about the engine.
type engineConfig struct {
	catalog     string
	user        string
	threads     int
	memoryLimit int64
	logger      *zap.Logger
	allocator   memory.Allocator // nil: the engine's default (tests pass a checked one)
}

// opener opens a backend and returns it with the function that closes it.
type opener func(ctx context.Context, cfg engineConfig) (backend, func() error, error)

// openEngine opens the engine on the catalog and a session for the user.
func openEngine(ctx context.Context, cfg engineConfig) (backend, func() error, error) {
	db, err := engine.Open(ctx, engine.Config{
		CatalogPath: cfg.catalog,
		User:        cfg.user,
		Threads:     cfg.threads,
		MemoryLimit: cfg.memoryLimit,
		Logger:      cfg.logger,
		Allocator:   cfg.allocator,
	})
	if err != nil {
		return nil, nil, err
	}
	sess, err := db.Session(ctx, cfg.user)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return sess, db.Close, nil
}

// osUser is the name of the user running medley, the default --user.
func osUser() (string, error) {
	u, err := user.Current()
	if err != nil {
		return "", fmt.Errorf("cannot tell the OS user (give --user): %w", err)
	}
	return u.Username, nil
}

// newLogger logs to w at the level named (debug, info, warn, error), in
// zap's console encoding without timestamps noise for an interactive tool.
func newLogger(w io.Writer, level string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("invalid --log-level %q: want debug, info, warn or error", level)
	}
	enc := zap.NewDevelopmentEncoderConfig()
	core := zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.AddSync(w), lvl)
	return zap.New(core), nil
}
