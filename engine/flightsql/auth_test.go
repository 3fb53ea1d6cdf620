package flightsql

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
)

func TestAuth(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TokenTTL = time.Minute })
	f.exec("CREATE USER bob PASSWORD 'bobpw'", "CREATE TABLE secret (x integer)")
	cl := f.client()

	_, err := cl.Client.AuthenticateBasicToken(context.Background(), "admin", "wrong")
	if code, msg := codeOf(err); code != "Unauthenticated" || !strings.HasPrefix(msg, "28P01") || strings.Contains(msg, "wrong") {
		t.Errorf("bad password: %s %q", code, msg)
	}
	_, err = cl.Execute(context.Background(), "SELECT 1")
	if code, msg := codeOf(err); code != "Unauthenticated" || !strings.HasPrefix(msg, "28000") {
		t.Errorf("no credentials: %s %q", code, msg)
	}
	bad := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer not-a-token")
	_, err = cl.Execute(bad, "SELECT 1")
	if code, msg := codeOf(err); code != "Unauthenticated" || !strings.Contains(msg, "invalid bearer token") {
		t.Errorf("invalid token: %s %q", code, msg)
	}

	// Basic credentials on the first call, as the JDBC driver sends them,
	// are answered with a token in the response header.
	basic := metadata.AppendToOutgoingContext(context.Background(), "authorization",
		"Basic "+base64.StdEncoding.EncodeToString([]byte("bob:bobpw")))
	var hdr metadata.MD
	if _, err := cl.Execute(basic, "SELECT 1", grpc.Header(&hdr)); err != nil {
		t.Fatal(err)
	}
	if v := hdr.Get("authorization"); len(v) != 1 || !strings.HasPrefix(v[0], "Bearer ") {
		t.Fatalf("no bearer token in %v", hdr)
	}
	bobCtx := metadata.AppendToOutgoingContext(context.Background(), "authorization", hdr.Get("authorization")[0])
	if got := queryRows(t, bobCtx, cl, "SELECT 1"); len(got) != 1 || got[0] != "1" {
		t.Errorf("as bob: %q", got)
	}
	// Bob's privileges apply.
	_, err = cl.Execute(bobCtx, "SELECT * FROM secret")
	if code, msg := codeOf(err); code != "PermissionDenied" || !strings.HasPrefix(msg, "42501") {
		t.Errorf("privilege: %s %q", code, msg)
	}
	f.advance(2 * time.Minute)
	_, err = cl.Execute(bobCtx, "SELECT 1")
	if code, msg := codeOf(err); code != "Unauthenticated" || !strings.Contains(msg, "expired") {
		t.Errorf("expired token: %s %q", code, msg)
	}
}

func TestAnonymous(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.AllowAnonymous = true })
	cl := f.client()
	// Anonymous calls run as the DB's default user, admin, who may create.
	if _, err := cl.ExecuteUpdate(context.Background(), "CREATE TABLE anon (a integer)"); err != nil {
		t.Fatal(err)
	}
}

func TestTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	f := newFixture(t, func(c *Config) {
		c.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	})
	cl := f.client(grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})))
	ctx := f.login(cl, "admin", adminPW)
	if got := queryRows(t, ctx, cl, "SELECT 40 + 2"); len(got) != 1 || got[0] != "42" {
		t.Errorf("over TLS: %q", got)
	}
}

// selfSigned makes a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "medley test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
