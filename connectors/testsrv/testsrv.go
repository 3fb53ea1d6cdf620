// Package testsrv starts real, throwaway database servers for tests:
// PostgreSQL (the system's 15 binaries) and MariaDB, each listening on
// 127.0.0.1 at a random free port, with its data directory in a temporary
// directory, running as an unprivileged OS user (tests run as root in CI and
// PostgreSQL refuses to run as root).
//
// Each server is started at most once per test binary and shared by all the
// package's tests. Use it like this:
//
//	func TestMain(m *testing.M) { testsrv.Main(m) } // stops the servers at exit
//
//	func TestSomething(t *testing.T) {
//		pg := testsrv.Postgres(t)      // skips (or fails when CI=true) without binaries
//		db := pg.NewDatabase(t)        // a fresh database for this test
//		pg.Exec(t, db, "CREATE TABLE t (a int)")
//		conn, err := pgx.Connect(ctx, pg.DSN(db))
//		...
//	}
//
// Without testsrv.Main the servers still stop when the test binary exits
// (they get a parent-death signal), but their data directories are only
// removed by the next run of any test that uses testsrv.
//
// Programs that are not tests (benchmarks) use StartPostgres and
// StartMariaDB, and Stop the server themselves.
package testsrv

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// UnprivilegedUser is the OS user the servers run as when the tests run as
// root. It is created with useradd when missing; "nobody" is the fallback.
const UnprivilegedUser = "medleytest"

// dirPrefix names the temporary directories of servers, so that stale ones
// left by killed test binaries can be found and removed.
const dirPrefix = "medley-testsrv-"

var (
	runningMu sync.Mutex
	running   []stopper
)

type stopper interface{ Stop() error }

func register(s stopper) {
	runningMu.Lock()
	defer runningMu.Unlock()
	running = append(running, s)
}

func unregister(s stopper) {
	runningMu.Lock()
	defer runningMu.Unlock()
	for i, r := range running {
		if r == s {
			running = append(running[:i], running[i+1:]...)
			return
		}
	}
}

// Main runs the tests and then stops every server started by this package,
// removing their data directories. Call it from TestMain:
//
//	func TestMain(m *testing.M) { testsrv.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	StopAll()
	os.Exit(code)
}

// StopAll stops every server this process started and still runs.
func StopAll() {
	runningMu.Lock()
	srvs := append([]stopper(nil), running...)
	runningMu.Unlock()
	for _, s := range srvs {
		_ = s.Stop()
	}
}

// missing reports that a server's binaries are not installed: a test failure
// when CI=true, a skip otherwise.
func missing(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("testsrv: %v (CI=true: the server is required; run benchmarks/setup-test-deps.sh)", err)
	}
	t.Skipf("testsrv: %v; skipping (install it with benchmarks/setup-test-deps.sh)", err)
}

// ErrNotInstalled is wrapped by errors reporting that a server's binaries
// cannot be found.
var ErrNotInstalled = errors.New("server binaries not installed")

// osUser is who the server processes run as.
type osUser struct {
	name     string
	uid, gid uint32
	cred     *syscall.Credential // nil when not switching users
}

var (
	userOnce sync.Once
	userVal  osUser
	userErr  error
)

// serverUser returns the unprivileged user to run servers as: the current
// user when not root, else UnprivilegedUser (created if needed) or nobody.
func serverUser() (osUser, error) {
	userOnce.Do(func() { userVal, userErr = lookupServerUser() })
	return userVal, userErr
}

func lookupServerUser() (osUser, error) {
	if os.Geteuid() != 0 {
		u, err := user.Current()
		if err != nil {
			return osUser{}, fmt.Errorf("testsrv: current user: %w", err)
		}
		return osUser{name: u.Username, uid: uint32(os.Geteuid()), gid: uint32(os.Getegid())}, nil
	}
	u, err := user.Lookup(UnprivilegedUser)
	if err != nil {
		// Another test binary may be creating it at the same time; look again
		// after trying.
		out, aerr := exec.Command("useradd", "--system", "--no-create-home",
			"--shell", "/usr/sbin/nologin", UnprivilegedUser).CombinedOutput()
		if u, err = user.Lookup(UnprivilegedUser); err != nil {
			if u, err = user.Lookup("nobody"); err != nil {
				return osUser{}, fmt.Errorf("testsrv: no unprivileged user: useradd %s: %v: %s",
					UnprivilegedUser, aerr, strings.TrimSpace(string(out)))
			}
		}
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return osUser{}, fmt.Errorf("testsrv: user %s: %w", u.Username, err)
	}
	return osUser{name: u.Username, uid: uint32(uid), gid: uint32(gid),
		cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}}, nil
}

// newServerDir creates a temporary directory for one server, owned by the
// server's user, and records this process as its owner.
func newServerDir(kind string, u osUser) (string, error) {
	removeStaleDirs()
	dir, err := os.MkdirTemp("", dirPrefix+kind+"-")
	if err != nil {
		return "", fmt.Errorf("testsrv: %w", err)
	}
	// MkdirTemp makes it 0700; the server user needs it, nobody else.
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return "", fmt.Errorf("testsrv: %w", err)
	}
	if u.cred != nil {
		if err := os.Chown(dir, int(u.uid), int(u.gid)); err != nil {
			return "", fmt.Errorf("testsrv: chown %s: %w", dir, err)
		}
	}
	return dir, nil
}

// removeStaleDirs removes server directories whose owning process is gone.
func removeStaleDirs() {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, d := range matches {
		b, err := os.ReadFile(filepath.Join(d, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			_ = os.RemoveAll(d)
		}
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("testsrv: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// spawn requests are served by one goroutine locked to its OS thread, so
// that the parent-death signal of the servers (tied by Linux to the thread
// that forked them) fires only when the whole test process exits.
var (
	spawnOnce sync.Once
	spawnCh   chan spawnReq
)

type spawnReq struct {
	cmd  *exec.Cmd
	done chan error
}

// startProcess starts cmd as user u; the kernel sends it sig when this
// process dies.
func startProcess(cmd *exec.Cmd, u osUser, sig syscall.Signal) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: u.cred, Pdeathsig: sig, Setpgid: true}
	spawnOnce.Do(func() {
		spawnCh = make(chan spawnReq)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread lives as long as the process
			for r := range spawnCh {
				r.done <- r.cmd.Start()
			}
		}()
	})
	done := make(chan error, 1)
	spawnCh <- spawnReq{cmd: cmd, done: done}
	return <-done
}

// runAs runs a short command as user u and returns its combined output in
// the error when it fails.
func runAs(u osUser, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: u.cred}
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("testsrv: %s: %w\n%s", filepath.Base(name), err, tail(string(out), 2000))
	}
	return nil
}

// stopProcess sends sig and waits up to timeout, then kills the process
// group.
func stopProcess(cmd *exec.Cmd, exited <-chan struct{}, sig syscall.Signal, timeout time.Duration) {
	if cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-exited:
	case <-time.After(timeout):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
}

// tail returns at most the last n bytes of s.
func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// readLog returns the end of a server's log file, for error messages.
func readLog(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return tail(string(b), 3000)
}

// firstExisting returns the first path that exists as a file, looking names
// without a slash up in PATH.
func firstExisting(cands ...string) string {
	for _, c := range cands {
		if !strings.Contains(c, "/") {
			if p, err := exec.LookPath(c); err == nil {
				return p
			}
			continue
		}
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c
		}
	}
	return ""
}

// sanitize turns a test name into a database name: lower case letters,
// digits and underscores, at most 40 bytes.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	out := b.String()
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "t_" + out
	}
	return out
}
