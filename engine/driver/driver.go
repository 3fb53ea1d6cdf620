// Package driver is a database/sql driver for Medley, for Go code that wants
// rows rather than Arrow batches:
//
//	import _ "github.com/medleysql/medley/engine/driver"
//	db, err := sql.Open("medley", "catalog=/path/catalog.db&user=alice")
//
// The DSN is a query string: catalog (the catalog file; default as
// engine.Config), user (default the OS user), threads, memory_limit. A DSN
// without '=' is taken as the catalog path. Connections with the same DSN
// share one engine.DB, closed when its last connection closes.
//
// Values come back as int64, float64, bool, string, []byte and time.Time;
// numerics as their exact decimal text (string), intervals as PostgreSQL's
// text.
package driver

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/medleysql/medley/engine"
)

func init() { sql.Register("medley", &Driver{}) }

// Driver implements driver.Driver and driver.DriverContext.
type Driver struct{}

// Open opens a connection (database/sql calls OpenConnector instead).
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses the DSN.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	cfg, user, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	return &connector{dsn: dsn, cfg: cfg, user: user, drv: d}, nil
}

func parseDSN(dsn string) (engine.Config, string, error) {
	var cfg engine.Config
	if !strings.Contains(dsn, "=") {
		cfg.CatalogPath = dsn
		return cfg, "", nil
	}
	q, err := url.ParseQuery(dsn)
	if err != nil {
		return cfg, "", err
	}
	cfg.CatalogPath = q.Get("catalog")
	if v := q.Get("threads"); v != "" {
		if cfg.Threads, err = strconv.Atoi(v); err != nil {
			return cfg, "", err
		}
	}
	if v := q.Get("memory_limit"); v != "" {
		if cfg.MemoryLimit, err = engine.ParseSize(v); err != nil {
			return cfg, "", err
		}
	}
	cfg.User = q.Get("user")
	return cfg, q.Get("user"), nil
}

// shared engines, by DSN, reference-counted.
var (
	mu      sync.Mutex
	engines = map[string]*sharedDB{}
)

type sharedDB struct {
	db   *engine.DB
	refs int
}

type connector struct {
	dsn  string
	cfg  engine.Config
	user string
	drv  *Driver
}

func (c *connector) Driver() driver.Driver { return c.drv }

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	mu.Lock()
	defer mu.Unlock()
	sh := engines[c.dsn]
	if sh == nil {
		db, err := engine.Open(ctx, c.cfg)
		if err != nil {
			return nil, err
		}
		sh = &sharedDB{db: db}
		engines[c.dsn] = sh
	}
	sess, err := sh.db.Session(ctx, c.user)
	if err != nil {
		if sh.refs == 0 {
			sh.db.Close()
			delete(engines, c.dsn)
		}
		return nil, err
	}
	sh.refs++
	return &conn{sess: sess, release: func() { c.release(sh) }}, nil
}

func (c *connector) release(sh *sharedDB) {
	mu.Lock()
	defer mu.Unlock()
	sh.refs--
	if sh.refs == 0 {
		sh.db.Close()
		delete(engines, c.dsn)
	}
}
