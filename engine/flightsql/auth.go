package flightsql

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/medleysql/medley/engine"
	"github.com/medleysql/medley/sql/sqlerr"
)

// clientSession is what a bearer token stands for: the authenticated user
// and their engine session (settings such as search_path persist across the
// calls of one token). mu serialises the use of sess, which is not safe for
// concurrent use; it is held while a statement is compiled and started, not
// while its rows stream.
type clientSession struct {
	user    string
	token   string // "" for a per-call anonymous session
	expires time.Time
	// basicKey is set for a session opened by Basic credentials on a call
	// other than the handshake: later calls with them reuse it.
	basicKey string

	mu   sync.Mutex
	sess *engine.Session
}

type sessionKey struct{}

func sessionFrom(ctx context.Context) *clientSession {
	cs, _ := ctx.Value(sessionKey{}).(*clientSession)
	return cs
}

// interceptors authenticate every call: HTTP Basic credentials (on the
// handshake, or on any call as the Flight SQL JDBC driver sends them) are
// checked against the catalog and answered with a bearer token in the
// "authorization" response header; a bearer token must be known and not
// expired. Without either, only --allow-anonymous lets a call through.
func (s *Server) interceptors() (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	unary := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		cs, token, err := s.authenticate(ctx, false)
		if err != nil {
			return nil, err
		}
		if token != "" {
			if err := grpc.SetHeader(ctx, bearerMD(token)); err != nil {
				return nil, err
			}
		}
		return handler(context.WithValue(ctx, sessionKey{}, cs), req)
	}
	stream := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		cs, token, err := s.authenticate(ss.Context(), strings.HasSuffix(info.FullMethod, "/Handshake"))
		if err != nil {
			return err
		}
		release, err := s.admit(ss.Context(), info.FullMethod)
		if err != nil {
			return err
		}
		defer release()
		if token != "" {
			if err := ss.SetHeader(bearerMD(token)); err != nil {
				return err
			}
			if strings.HasSuffix(info.FullMethod, "/Handshake") {
				ss.SetTrailer(bearerMD(token))
			}
		}
		tr := &batchTracker{}
		defer tr.releaseAll()
		ctx := context.WithValue(context.WithValue(ss.Context(), sessionKey{}, cs), trackerKey{}, tr)
		return handler(srv, &sessionStream{ServerStream: ss, ctx: ctx})
	}
	return unary, stream
}

func bearerMD(token string) metadata.MD {
	return metadata.Pairs("authorization", "Bearer "+token)
}

type sessionStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *sessionStream) Context() context.Context { return s.ctx }

// authenticate finds the caller's session. token is set when a new bearer
// token was issued for Basic credentials. Basic credentials on a call other
// than the handshake (clients such as arrow-go's database/sql driver send
// them on every call and ignore the token) reuse the session they opened
// while its token lasts, so a ticket from GetFlightInfo is theirs at DoGet
// and bcrypt runs once per token, not once per call.
func (s *Server) authenticate(ctx context.Context, handshake bool) (cs *clientSession, token string, err error) {
	var header string
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		if v := md.Get("authorization"); len(v) > 0 {
			header = strings.TrimSpace(v[0])
		}
	}
	scheme, cred, _ := strings.Cut(header, " ")
	cred = strings.TrimSpace(cred)
	switch {
	case strings.EqualFold(scheme, "Basic") && cred != "":
		if !handshake {
			if cs := s.basicSession(cred); cs != nil {
				return cs, "", nil
			}
		}
		return s.basicLogin(ctx, cred, !handshake)
	case strings.EqualFold(scheme, "Bearer") && cred != "":
		cs, err := s.lookupToken(cred)
		return cs, "", err
	case header == "" && s.cfg.AllowAnonymous:
		sess, err := s.db.Session(ctx, "")
		if err != nil {
			return nil, "", grpcError(err)
		}
		return &clientSession{user: sess.User(), sess: sess}, "", nil
	case header == "":
		return nil, "", status.Error(codes.Unauthenticated,
			"28000: authentication required: send HTTP Basic credentials (user name and password)")
	}
	return nil, "", status.Errorf(codes.Unauthenticated, "28000: unsupported authorization scheme %q: use Basic or Bearer", scheme)
}

func (s *Server) basicLogin(ctx context.Context, cred string, remember bool) (*clientSession, string, error) {
	raw, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(cred)
	}
	if err != nil {
		return nil, "", status.Error(codes.Unauthenticated, "28000: malformed Basic credentials")
	}
	user, password, ok := strings.Cut(string(raw), ":")
	if !ok {
		return nil, "", status.Error(codes.Unauthenticated, "28000: malformed Basic credentials")
	}
	if err := s.db.Catalog().Authenticate(ctx, user, password); err != nil {
		s.log.Info("authentication failed", logUser(user), logCode(err))
		return nil, "", grpcError(err)
	}
	sess, err := s.db.Session(ctx, user)
	if err != nil {
		return nil, "", grpcError(err)
	}
	token, err := newToken()
	if err != nil {
		return nil, "", status.Error(codes.Internal, "XX000: cannot make a token")
	}
	cs := &clientSession{user: user, token: token, expires: s.cfg.Now().Add(s.cfg.TokenTTL), sess: sess}
	s.mu.Lock()
	s.sweepLocked()
	s.tokens[token] = cs
	if remember {
		cs.basicKey = basicKey(cred)
		s.basic[cs.basicKey] = cs
	}
	s.mu.Unlock()
	s.log.Info("authenticated", logUser(user))
	return cs, token, nil
}

func (s *Server) lookupToken(token string) (*clientSession, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.tokens[token]
	if ok && !s.cfg.Now().Before(cs.expires) {
		s.dropSessionLocked(cs)
		return nil, status.Error(codes.Unauthenticated, "28000: bearer token expired: authenticate again")
	}
	if !ok {
		return nil, status.Error(codes.Unauthenticated, "28000: invalid bearer token: authenticate again")
	}
	return cs, nil
}

// sweepLocked drops expired tokens with their prepared statements and
// parked results.
func (s *Server) sweepLocked() {
	now := s.cfg.Now()
	for _, cs := range s.tokens {
		if !now.Before(cs.expires) {
			s.dropSessionLocked(cs)
		}
	}
}

// basicSession is the live session opened by the same Basic credentials.
func (s *Server) basicSession(cred string) *clientSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.basic[basicKey(cred)]
	if !ok {
		return nil
	}
	if !s.cfg.Now().Before(cs.expires) {
		s.dropSessionLocked(cs)
		return nil
	}
	return cs
}

// basicKey keys the Basic sessions by a hash of the credentials, so the
// server keeps no password in memory.
func basicKey(cred string) string {
	h := sha256.Sum256([]byte(cred))
	return string(h[:])
}

func (s *Server) dropSessionLocked(cs *clientSession) {
	delete(s.tokens, cs.token)
	if cs.basicKey != "" && s.basic[cs.basicKey] == cs {
		delete(s.basic, cs.basicKey)
	}
	for h, p := range s.prepared {
		if p.owner == cs {
			delete(s.prepared, h)
		}
	}
	for h, q := range s.queries {
		if q.owner == cs && !q.running {
			q.abort()
			delete(s.queries, h)
		}
	}
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// run runs one statement on the session, holding its lock while the
// statement is compiled and started.
func (cs *clientSession) run(ctx context.Context, sql string, args ...any) (*engine.Result, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.sess.Run(ctx, sql, args...)
}

func (cs *clientSession) describe(ctx context.Context, sql string) (*engine.Description, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.sess.Describe(ctx, sql)
}

func (cs *clientSession) substrait(ctx context.Context, plan []byte, args ...any) (*engine.Result, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.sess.ExecuteSubstrait(ctx, plan, args...)
}

// same reports whether a handle made by owner may be used by cs: the same
// token, or (anonymous calls) the same user.
func (cs *clientSession) same(owner *clientSession) bool {
	return cs == owner || (cs.token == "" && owner.token == "" && cs.user == owner.user)
}

var errNoSession = status.Error(codes.Unauthenticated, "28000: no session")

func mustSession(ctx context.Context) (*clientSession, error) {
	cs := sessionFrom(ctx)
	if cs == nil {
		return nil, errNoSession
	}
	return cs, nil
}

// sqlState is a shorthand for errors the server itself raises.
func sqlState(code sqlerr.Code, format string, args ...any) error {
	return grpcError(sqlerr.New(code, format, args...))
}
