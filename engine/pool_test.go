package engine

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/sqlerr"
)

// countingConnector is a test wrapper that counts its connections; a
// server option fail='x' makes Connect fail with a message quoting the
// password, as a careless driver would.
type countingConnector struct {
	noMapping bool
	opened    atomic.Int64
	closed    atomic.Int64
}

func (c *countingConnector) Spec() connectors.Spec {
	return connectors.Spec{NoUserMapping: c.noMapping, Options: []connectors.Option{
		{Name: "host", Object: connectors.ObjServer},
		{Name: "fail", Object: connectors.ObjServer},
		{Name: "user", Object: connectors.ObjUserMapping},
		{Name: "password", Object: connectors.ObjUserMapping, Secret: true},
	}}
}

func (c *countingConnector) Connect(ctx context.Context, p connectors.ConnectParams) (connectors.Conn, error) {
	if p.ServerOptions["fail"] != "" {
		return nil, errors.New("dial tcp: auth failed for dsn user=x password=" + p.UserOptions["password"])
	}
	c.opened.Add(1)
	return &countingConn{c: c, user: p.UserOptions["user"]}, nil
}

type countingConn struct {
	c    *countingConnector
	user string
	once sync.Once
}

func (c *countingConn) Table(ctx context.Context, d connectors.TableDesc) (connectors.Table, error) {
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "no tables")
}

func (c *countingConn) Close() error {
	c.once.Do(func() { c.c.closed.Add(1) })
	return nil
}

var (
	poolTestConn   = &countingConnector{}
	poolTestNoUser = &countingConnector{noMapping: true}
)

func init() {
	connectors.Register("pooltest", poolTestConn)
	connectors.Register("pooltest_nouser", poolTestNoUser)
}

func poolCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	ctx := context.Background()
	cat, err := catalog.Open(ctx, catalog.Options{Path: filepath.Join(t.TempDir(), "c.db"),
		SecretKey: []byte("0123456789abcdef0123456789abcdef"), BootstrapUser: "root"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []string{"bob", "carol", "dave"} {
		must(cat.CreateUser(ctx, "root", catalog.UserDef{Name: u}))
	}
	must(cat.CreateServer(ctx, "root", catalog.ServerDef{Name: "s", Wrapper: "pooltest"}))
	must(cat.CreateServer(ctx, "root", catalog.ServerDef{Name: "files", Wrapper: "pooltest_nouser"}))
	must(cat.CreateServer(ctx, "root", catalog.ServerDef{Name: "bad", Wrapper: "pooltest",
		Options: catalog.Adds(catalog.Option{Name: "fail", Value: "yes"})}))
	for _, m := range []struct{ server, user, pw string }{{"s", "bob", "bob-pw"}, {"s", "PUBLIC", "pub-pw"}, {"bad", "bob", "Sup3rSecret!"}} {
		must(cat.CreateUserMapping(ctx, "root", catalog.MappingDef{Server: m.server, User: m.user,
			Options: catalog.Adds(catalog.Option{Name: "user", Value: m.user}, catalog.Option{Name: "password", Value: m.pw})}))
	}
	return cat
}

func TestConnPool(t *testing.T) {
	ctx := context.Background()
	cat := poolCatalog(t)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	p := newConnPool(cat, mem, nil)
	opened0, closed0 := poolTestConn.opened.Load(), poolTestConn.closed.Load()
	get := func(server, user string) connectors.Conn {
		t.Helper()
		c, err := p.Conn(ctx, server, user)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	bob1, bob2 := get("s", "bob"), get("s", "bob")
	carol, dave := get("s", "carol"), get("s", "dave")
	if bob1 != bob2 || carol != dave || bob1 == carol {
		t.Errorf("pooling: bob %p %p carol %p dave %p", bob1, bob2, carol, dave)
	}
	if carol.(*countingConn).user != "PUBLIC" || bob1.(*countingConn).user != "bob" {
		t.Errorf("wrong mapping used")
	}
	if f1, f2 := get("files", "bob"), get("files", "carol"); f1 != f2 {
		t.Errorf("NoUserMapping wrapper: one connection per server expected")
	}
	if n := poolTestConn.opened.Load() - opened0; n != 2 {
		t.Errorf("%d connections opened, want 2", n)
	}
	list := p.list()
	if len(list) != 3 || list[0].Server != "files" || list[0].User != "" || list[1].User != "PUBLIC" || list[2].User != "bob" || list[2].Uses != 2 {
		t.Errorf("list = %+v", list)
	}
	// Altering the server makes its connections stale: the next Conn
	// reconnects and closes the old one.
	if err := cat.AlterServer(ctx, "root", catalog.ServerDef{Name: "s", Options: []catalog.OptionChange{{Action: catalog.OptionAdd, Name: "host", Value: "h"}}}); err != nil {
		t.Fatal(err)
	}
	if get("s", "bob") == bob1 || poolTestConn.closed.Load()-closed0 != 1 {
		t.Errorf("stale connection reused (closed %d)", poolTestConn.closed.Load()-closed0)
	}
	p.invalidate("s", true)
	if n := poolTestConn.closed.Load() - closed0; n != 3 {
		t.Errorf("after invalidate %d closed, want 3", n)
	}
	// No mapping: the catalog's error.
	if err := cat.DropUserMapping(ctx, "root", catalog.MappingDef{Server: "s", User: "PUBLIC"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Conn(ctx, "s", "dave"); !sqlerr.Is(err, sqlerr.UndefinedObject) {
		t.Errorf("no mapping: %v", err)
	}
	if _, err := p.Conn(ctx, "nope", "dave"); !sqlerr.Is(err, sqlerr.UndefinedObject) {
		t.Errorf("unknown server: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if poolTestConn.opened.Load()-opened0 != poolTestConn.closed.Load()-closed0 {
		t.Errorf("opened %d, closed %d", poolTestConn.opened.Load()-opened0, poolTestConn.closed.Load()-closed0)
	}
	if _, err := p.Conn(ctx, "s", "bob"); !sqlerr.Is(err, sqlerr.ConnectionNotExist) {
		t.Errorf("Conn after Close: %v", err)
	}
}

func TestConnPoolErrors(t *testing.T) {
	ctx := context.Background()
	cat := poolCatalog(t)
	p := newConnPool(cat, memory.NewGoAllocator(), nil)
	defer p.Close()
	_, err := p.Conn(ctx, "bad", "bob")
	code := string(sqlerr.CodeOf(err))
	if !strings.HasPrefix(code, "08") || !strings.Contains(err.Error(), `server "bad"`) {
		t.Errorf("connect failure: %s %v", code, err)
	}
	if strings.Contains(err.Error(), "Sup3rSecret!") || errors.Unwrap(err) != nil {
		t.Errorf("credential leaked: %v", err)
	}
	// Bounded.
	p.max = 1
	if _, err := p.Conn(ctx, "s", "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Conn(ctx, "s", "carol"); !sqlerr.Is(err, sqlerr.TooManyConnections) {
		t.Errorf("over the bound: %v", err)
	}
	// Concurrent callers share one connection attempt.
	p.max = 10
	opened := poolTestNoUser.opened.Load()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := p.Conn(ctx, "files", "dave"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := poolTestNoUser.opened.Load() - opened; n != 1 {
		t.Errorf("%d connections for concurrent callers, want 1", n)
	}
}
