package engine

import (
	"context"
	"sort"
	"time"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// invalidate closes and forgets every connection to server (after ALTER or
// DROP SERVER, a user mapping change, or a wrapper change); the next Conn
// reconnects. Connections that hold data are closed only when dropped is
// true (their server is gone).
func (p *connPool) invalidate(server string, dropped bool) {
	p.mu.Lock()
	var victims []*poolEntry
	var keys []poolKey
	for k, e := range p.conns {
		if k.server != server || (e.holdsData && !dropped) {
			continue
		}
		delete(p.conns, k)
		victims, keys = append(victims, e), append(keys, k)
	}
	p.mu.Unlock()
	for i, e := range victims {
		p.closeConn(keys[i], e)
	}
}

// rename moves server's connections to its new name (ALTER SERVER ...
// RENAME TO), so memory tables keep their data.
func (p *connPool) rename(from, to string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, e := range p.conns {
		if k.server == from {
			delete(p.conns, k)
			p.conns[poolKey{server: to, mappingUser: k.mappingUser}] = e
		}
	}
}

// pooledConn describes one open connection, for a system view. It holds no
// credential.
type pooledConn struct {
	Server   string
	Wrapper  string
	User     string // the mapping's user, catalog.Public, or "" (no mapping needed)
	Opened   time.Time
	LastUsed time.Time
	Uses     int64
}

// list returns the open connections, by server and user.
func (p *connPool) list() []pooledConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []pooledConn
	for k, e := range p.conns {
		select {
		case <-e.ready:
		default:
			continue
		}
		out = append(out, pooledConn{Server: k.server, Wrapper: e.wrapper, User: k.mappingUser,
			Opened: e.opened, LastUsed: e.lastUsed, Uses: e.uses})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Server != out[j].Server {
			return out[i].Server < out[j].Server
		}
		return out[i].User < out[j].User
	})
	return out
}

// prune closes the connections of servers that no longer exist (after a
// DROP ... CASCADE that removed servers).
func (p *connPool) prune(ctx context.Context) {
	p.mu.Lock()
	servers := map[string]bool{}
	for k := range p.conns {
		servers[k.server] = true
	}
	p.mu.Unlock()
	for s := range servers {
		if _, err := p.cat.ServerGeneration(ctx, s); sqlerr.Is(err, sqlerr.UndefinedObject) {
			p.invalidate(s, true)
		}
	}
}

// openConn returns an open connection to a server that needs no user
// mapping, or nil if none is open; it never connects.
func (p *connPool) openConn(server string) connectors.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.conns[poolKey{server: server}]
	if e == nil {
		return nil
	}
	select {
	case <-e.ready:
		return e.conn
	default:
		return nil
	}
}
