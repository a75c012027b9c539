package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func expiredToken(at, rt string) *Token {
	return &Token{AccessToken: at, RefreshToken: rt, Expiry: fixedNow.Add(-time.Minute),
		AuthorityExpiry: fixedNow.AddDate(0, 12, 0), Scope: "read:vat write:vat"}
}

func newFileStore(t *testing.T) *FileStore {
	return &FileStore{Dir: filepath.Join(t.TempDir(), "tokens")}
}

func TestTokenSourceRefresh(t *testing.T) {
	t.Parallel()
	clock := func() time.Time { return fixedNow }
	tests := []struct {
		name          string
		expiry        time.Duration // relative to fixedNow
		authority     time.Duration
		wantRefreshes int
	}{
		{"fresh token is used as is", 2 * time.Hour, 24 * time.Hour, 0},
		{"expired token is refreshed", -time.Minute, 24 * time.Hour, 1},
		{"refreshed ahead of expiry", 4 * time.Minute, 24 * time.Hour, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeHMRC(t)
			at, rt := f.seed()
			store := newFileStore(t)
			old := &Token{AccessToken: at, RefreshToken: rt, Expiry: fixedNow.Add(tt.expiry), AuthorityExpiry: fixedNow.Add(tt.authority), Scope: "read:vat"}
			if err := store.Save(t.Context(), "p", old); err != nil {
				t.Fatal(err)
			}
			ts := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(), WithNow(clock))
			got, err := ts.Token()
			if err != nil {
				t.Fatal(err)
			}
			if n := f.refreshCount(); n != tt.wantRefreshes {
				t.Fatalf("refreshes = %d, want %d", n, tt.wantRefreshes)
			}
			saved, err := store.Load(t.Context(), "p")
			if err != nil {
				t.Fatal(err)
			}
			if saved.AccessToken != got.AccessToken || saved.RefreshToken != got.RefreshToken {
				t.Fatal("token handed out differs from the one saved")
			}
			if tt.wantRefreshes == 0 {
				if got.AccessToken != at {
					t.Fatal("fresh token replaced")
				}
				return
			}
			if got.AccessToken == at || got.RefreshToken == rt {
				t.Fatal("token not rotated")
			}
			if !saved.Expiry.Equal(fixedNow.Add(4*time.Hour)) || !saved.AuthorityExpiry.Equal(old.AuthorityExpiry) || saved.Scope != "read:vat write:vat" {
				t.Fatalf("saved token = %v", saved)
			}
			// The cached token is served without another refresh or store read.
			if again, err := ts.Token(); err != nil || again.AccessToken != got.AccessToken || f.refreshCount() != tt.wantRefreshes {
				t.Fatalf("second Token: %v refreshes=%d", err, f.refreshCount())
			}
		})
	}
}

func TestTokenSourceReauthRequired(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		tok           func(f *fakeHMRC) *Token
		wantRefreshes int
	}{
		{"dead refresh token (invalid_grant)", func(*fakeHMRC) *Token { return expiredToken("at-x", "rt-unknown") }, 0},
		{"authority expired", func(f *fakeHMRC) *Token {
			at, rt := f.seed()
			tok := expiredToken(at, rt)
			tok.AuthorityExpiry = fixedNow.Add(-time.Second)
			return tok
		}, 0},
		{"no refresh token", func(*fakeHMRC) *Token { return expiredToken("at-x", "") }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeHMRC(t)
			store := newFileStore(t)
			if tok := tt.tok(f); tok != nil {
				if err := store.Save(t.Context(), "p", tok); err != nil {
					t.Fatal(err)
				}
			}
			ts := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(), WithNow(func() time.Time { return fixedNow }))
			_, err := ts.Token()
			if !errors.Is(err, ErrReauthRequired) {
				t.Fatalf("err = %v, want ErrReauthRequired", err)
			}
			if f.refreshCount() != tt.wantRefreshes {
				t.Fatalf("refreshes = %d", f.refreshCount())
			}
		})
	}
}

func TestTokenSourceNotLoggedIn(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	_, err := NewTokenSource(t.Context(), f.config(), newFileStore(t), "p", t.TempDir()).Token()
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestTokenSourceServerErrorIsNotReauth(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	at, rt := f.seed()
	f.onRefresh = func(string) (int, string) {
		return 500, `{"error":"server_error","error_description":"boom"}`
	}
	store := newFileStore(t)
	store.Save(t.Context(), "p", expiredToken(at, rt))
	_, err := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(), WithNow(func() time.Time { return fixedNow })).Token()
	var oe *OAuthError
	if !errors.As(err, &oe) || oe.Status != 500 || errors.Is(err, ErrReauthRequired) {
		t.Fatalf("err = %v, want a 500 OAuthError that is not ErrReauthRequired", err)
	}
	// The stored token is untouched, so a later run can still refresh.
	if saved, _ := store.Load(t.Context(), "p"); saved.RefreshToken != rt {
		t.Fatal("stored refresh token changed after a failed refresh")
	}
}

// TestTokenSourceRefreshInProgress: HMRC says another refresh of this token is running (someone outside
// our lock); its result lands in the store, and we must use it rather than spend the token again.
func TestTokenSourceRefreshInProgress(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	at, rt := f.seed()
	store := newFileStore(t)
	store.Save(t.Context(), "p", expiredToken(at, rt))
	calls := 0
	f.onRefresh = func(string) (int, string) {
		calls++
		// The other party's refresh finishes and is saved while we wait.
		nt := &Token{AccessToken: "at-other", RefreshToken: "rt-other", Expiry: fixedNow.Add(4 * time.Hour), AuthorityExpiry: fixedNow.AddDate(1, 0, 0)}
		if err := store.Save(context.Background(), "p", nt); err != nil {
			t.Error(err)
		}
		return 400, `{"error":"invalid_request","error_description":"Refresh operation is already in progress"}`
	}
	got, err := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(),
		WithNow(func() time.Time { return fixedNow }), WithRetryDelay(time.Millisecond)).Token()
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != "at-other" || calls != 1 {
		t.Fatalf("got %v after %d refresh calls, want the other party's token after 1", got.AccessToken, calls)
	}
}

func TestTokenSourceRefreshInProgressGivesUp(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	at, rt := f.seed()
	store := newFileStore(t)
	store.Save(t.Context(), "p", expiredToken(at, rt))
	f.onRefresh = func(string) (int, string) {
		return 400, `{"error":"invalid_request","error_description":"Refresh operation is already in progress"}`
	}
	_, err := NewTokenSource(t.Context(), f.config(), store, "p", t.TempDir(),
		WithNow(func() time.Time { return fixedNow }), WithRetryDelay(time.Millisecond)).Token()
	var oe *OAuthError
	if !errors.As(err, &oe) || oe.Code != "invalid_request" {
		t.Fatalf("err = %v", err)
	}
}

func TestTokenSourceLockTimeout(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	at, rt := f.seed()
	store := newFileStore(t)
	store.Save(t.Context(), "p", expiredToken(at, rt))
	lockDir := t.TempDir()
	// Another process holds the lock and never lets go.
	fl := newHeldLock(t, filepath.Join(lockDir, "p.lock"))
	defer fl()
	_, err := NewTokenSource(t.Context(), f.config(), store, "p", lockDir,
		WithNow(func() time.Time { return fixedNow }), WithLockTimeout(100*time.Millisecond)).Token()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want lock wait deadline", err)
	}
	if f.refreshCount() != 0 {
		t.Fatal("refreshed without the lock")
	}
}

// TestTokenSourceConcurrentInProcess: separate sources (as separate commands would create) sharing a
// store refresh exactly once between them.
func TestTokenSourceConcurrentInProcess(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	f.delay = 100 * time.Millisecond
	at, rt := f.seed()
	store := newFileStore(t)
	store.Save(t.Context(), "p", expiredToken(at, rt))
	lockDir := t.TempDir()
	var wg sync.WaitGroup
	results := make([]string, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := NewTokenSource(t.Context(), f.config(), store, "p", lockDir, WithNow(func() time.Time { return fixedNow })).Token()
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = tok.AccessToken
		}()
	}
	wg.Wait()
	if n := f.refreshCount(); n != 1 {
		t.Fatalf("refreshes = %d, want 1", n)
	}
	for _, r := range results {
		if r != results[0] {
			t.Fatal("sources ended with different tokens")
		}
	}
}

// ---- multi-process refresh ----

const helperEnv = "VAT_AUTH_TEST_HELPER"

// TestHelperProcess is not a test: it is the body of the child processes started by
// runRefreshProcesses (the test binary re-executed with -test.run=TestHelperProcess).
func TestHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("helper process for TestRefreshAcrossProcesses")
	}
	code := helperMain()
	os.Exit(code)
}

func helperMain() int {
	ctx := context.Background()
	env := os.Getenv
	var store Store
	switch env("VAT_AUTH_STORE") {
	case "file":
		store = &FileStore{Dir: env("VAT_AUTH_DIR")}
	case "keyring":
		ks := NewKeyringStore()
		ks.Service = env("VAT_AUTH_SERVICE")
		store = ks
	}
	// Start together: wait for the parent's go signal so the refreshes really race.
	for i := 0; i < 1000; i++ {
		if _, err := os.Stat(env("VAT_AUTH_GO")); err == nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cfg := newConfig(env("VAT_AUTH_BASE"), env("VAT_AUTH_CLIENT_ID"), env("VAT_AUTH_CLIENT_SECRET"))
	tok, err := NewTokenSource(ctx, cfg, store, env("VAT_AUTH_KEY"), env("VAT_AUTH_LOCKDIR")).Token()
	if err != nil {
		fmt.Println("ERR token:", err)
		return 1
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", env("VAT_AUTH_CHECK_URL"), nil)
	req.Header.Set("Accept", "application/vnd.hmrc.1.0+json")
	tok.SetAuthHeader(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println("ERR api:", err)
		return 1
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 {
		fmt.Println("ERR api status", resp.StatusCode)
		return 1
	}
	// A digest, not the token: test output must never show a token.
	fmt.Printf("ok %x\n", sha256.Sum256([]byte(tok.AccessToken)))
	return 0
}

type refreshEnv struct {
	base, clientID, clientSecret, checkURL string
	store, dir, service, key, lockDir      string
}

// runRefreshProcesses starts n helper processes together and returns each one's output line.
func runRefreshProcesses(t *testing.T, n int, e refreshEnv) []string {
	t.Helper()
	goFile := filepath.Join(t.TempDir(), "go")
	cmds := make([]*exec.Cmd, n)
	outs := make([]*strings.Builder, n)
	for i := range cmds {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"=1",
			"VAT_AUTH_BASE="+e.base, "VAT_AUTH_CLIENT_ID="+e.clientID, "VAT_AUTH_CLIENT_SECRET="+e.clientSecret,
			"VAT_AUTH_CHECK_URL="+e.checkURL, "VAT_AUTH_STORE="+e.store, "VAT_AUTH_DIR="+e.dir,
			"VAT_AUTH_SERVICE="+e.service, "VAT_AUTH_KEY="+e.key, "VAT_AUTH_LOCKDIR="+e.lockDir, "VAT_AUTH_GO="+goFile)
		outs[i] = &strings.Builder{}
		cmd.Stdout, cmd.Stderr = outs[i], outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	if err := os.WriteFile(goFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	lines := make([]string, n)
	for i, cmd := range cmds {
		err := cmd.Wait()
		out := strings.TrimSpace(outs[i].String())
		first, _, _ := strings.Cut(out, "\n")
		lines[i] = first
		if err != nil {
			t.Errorf("process %d: %v: %s", i, err, out)
		}
	}
	return lines
}

func assertOneSharedToken(t *testing.T, lines []string, refreshes int) {
	t.Helper()
	if refreshes != 1 {
		t.Errorf("server saw %d refreshes, want exactly 1", refreshes)
	}
	sorted := append([]string(nil), lines...)
	sort.Strings(sorted)
	if !strings.HasPrefix(sorted[0], "ok ") || sorted[0] != sorted[len(sorted)-1] {
		t.Errorf("processes did not all succeed with one shared token: %q", lines)
	}
}

func TestRefreshAcrossProcessesFake(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	f.delay = 150 * time.Millisecond
	at, rt := f.seed()
	store := newFileStore(t)
	tok := expiredToken(at, rt)
	tok.Expiry = time.Now().Add(-time.Minute)
	tok.AuthorityExpiry = time.Now().AddDate(1, 0, 0)
	if err := store.Save(t.Context(), "default", tok); err != nil {
		t.Fatal(err)
	}
	lines := runRefreshProcesses(t, 8, refreshEnv{base: f.srv.URL, clientID: fakeClientID, clientSecret: fakeClientSecret,
		checkURL: f.srv.URL + "/hello", store: "file", dir: store.Dir, key: "default", lockDir: t.TempDir()})
	assertOneSharedToken(t, lines, f.refreshCount())
}
