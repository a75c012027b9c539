package auth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/zalando/go-keyring"
)

func sampleToken() *Token {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	return &Token{
		AccessToken:     "at-" + strings.Repeat("a", 29),
		RefreshToken:    "rt-" + strings.Repeat("r", 29),
		Expiry:          now.Add(4 * time.Hour),
		AuthorityExpiry: now.AddDate(0, 18, 0),
		Scope:           "read:vat write:vat",
	}
}

func TestTokenJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tok     *Token
		wantErr error
	}{
		{"typical", sampleToken(), nil},
		{"generous lengths stay under 2 KB", &Token{
			AccessToken:     strings.Repeat("a", 512),
			RefreshToken:    strings.Repeat("r", 512),
			Expiry:          time.Now().In(time.FixedZone("x", 3600)),
			AuthorityExpiry: time.Now(),
			Scope:           strings.Repeat("read:vat write:vat ", 10),
		}, nil},
		{"too large", &Token{AccessToken: strings.Repeat("a", MaxTokenSize)}, ErrTokenTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := MarshalToken(tt.tok)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("MarshalToken err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if len(b) > MaxTokenSize {
				t.Fatalf("serialised token is %d bytes, over %d", len(b), MaxTokenSize)
			}
			got, err := UnmarshalToken(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.AccessToken != tt.tok.AccessToken || got.RefreshToken != tt.tok.RefreshToken ||
				!got.Expiry.Equal(tt.tok.Expiry) || !got.AuthorityExpiry.Equal(tt.tok.AuthorityExpiry) || got.Scope != tt.tok.Scope {
				t.Fatalf("round trip: got %v, want %v", got, tt.tok)
			}
		})
	}
}

func TestUnmarshalTokenRejects(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"empty object": `{}`,
		"not json":     `at-secret`,
		"oversized":    `{"access_token":"` + strings.Repeat("x", MaxTokenSize) + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := UnmarshalToken([]byte(in))
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "xxxx") {
				t.Fatalf("error quotes its input: %v", err)
			}
		})
	}
}

func TestTokenStringHidesSecrets(t *testing.T) {
	t.Parallel()
	tok := sampleToken()
	for _, s := range []string{fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok)} {
		if strings.Contains(s, tok.AccessToken) || strings.Contains(s, tok.RefreshToken) {
			t.Fatalf("formatted token shows a secret: %s", s)
		}
	}
}

// storeConformance is the contract every Store must meet.
func storeConformance(t *testing.T, s Store, key string) {
	ctx := t.Context()
	if _, err := s.Load(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load of missing key: err = %v, want ErrNotFound", err)
	}
	tok := sampleToken()
	if err := s.Save(ctx, key, tok); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != tok.AccessToken || got.RefreshToken != tok.RefreshToken || !got.Expiry.Equal(tok.Expiry) ||
		!got.AuthorityExpiry.Equal(tok.AuthorityExpiry) || got.Scope != tok.Scope {
		t.Fatalf("Load = %v, want %v", got, tok)
	}
	tok2 := *tok
	tok2.AccessToken, tok2.RefreshToken = "at-second", "rt-second"
	if err := s.Save(ctx, key, &tok2); err != nil {
		t.Fatal(err)
	}
	if got, err = s.Load(ctx, key); err != nil || got.RefreshToken != "rt-second" {
		t.Fatalf("after overwrite: %v, %v", got, err)
	}
	if _, err := LoadSecret(ctx, s, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LoadSecret of missing: %v", err)
	}
	if err := SaveSecret(ctx, s, key, "client-secret-value"); err != nil {
		t.Fatal(err)
	}
	if sec, err := LoadSecret(ctx, s, key); err != nil || sec != "client-secret-value" {
		t.Fatalf("LoadSecret = %q, %v", sec, err)
	}
	// The secret is a separate entry: the token is unchanged.
	if got, err = s.Load(ctx, key); err != nil || got.RefreshToken != "rt-second" {
		t.Fatalf("token after SaveSecret: %v, %v", got, err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("second Delete: %v", err)
	}
	if _, err := s.Load(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load after Delete: %v", err)
	}
	if err := DeleteSecret(ctx, s, key); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSecret(ctx, s, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LoadSecret after DeleteSecret: %v", err)
	}
	for _, bad := range []string{"", "../x", "a/b", ".hidden", "-flag", "a:b", "+x", strings.Repeat("k", 129)} {
		if err := s.Save(ctx, bad, tok); err == nil {
			t.Errorf("Save accepted key %q", bad)
		}
	}
}

func TestFileStore(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "cfg", "tokens")
	s := &FileStore{Dir: dir}
	storeConformance(t, s, "default")

	if err := s.Save(t.Context(), "p1", sampleToken()); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", fi.Mode().Perm())
	}
	fi, err = os.Stat(filepath.Join(dir, "p1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestFileStoreRefusesUnsafeFiles(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits")
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"world-readable file", func(t *testing.T, dir string) {
			if err := os.Chmod(filepath.Join(dir, "k.json"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"group-readable file", func(t *testing.T, dir string) {
			if err := os.Chmod(filepath.Join(dir, "k.json"), 0o640); err != nil {
				t.Fatal(err)
			}
		}},
		{"open directory", func(t *testing.T, dir string) {
			if err := os.Chmod(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}},
		{"symlink", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "k.json")
			other := filepath.Join(t.TempDir(), "elsewhere.json")
			if err := os.Rename(p, other); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(other, p); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "tokens")
			s := &FileStore{Dir: dir}
			if err := s.Save(t.Context(), "k", sampleToken()); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, dir)
			_, err := s.Load(t.Context(), "k")
			var ie *InsecureFileError
			if !errors.As(err, &ie) {
				t.Fatalf("Load err = %v, want InsecureFileError", err)
			}
		})
	}
}

func TestFileStoreOversizedFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "tokens")
	s := &FileStore{Dir: dir}
	if err := s.Save(t.Context(), "k", sampleToken()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "k.json"), make([]byte, 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(t.Context(), "k"); err == nil {
		t.Fatal("accepted a 1 MiB token file")
	}
}

func TestOpenStore(t *testing.T) {
	t.Parallel()
	cfg := t.TempDir()
	s, err := OpenStore(t.Context(), "file", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind() != "file" {
		t.Fatalf("Kind = %q", s.Kind())
	}
	if err := s.Save(t.Context(), "default", sampleToken()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cfg, "tokens", "default.json")); err != nil {
		t.Fatalf("file store not under config dir: %v", err)
	}
	if _, err := OpenStore(t.Context(), "plaintext", cfg); err == nil {
		t.Fatal("unknown kind accepted")
	}
}

// fakeKeyring stands in for the OS keyring only where a real one cannot show the behaviour (a call
// that never returns); the real Secret Service is exercised in TestKeyringStoreReal.
type fakeKeyring struct {
	block chan struct{}
	calls atomic.Int32
}

func (f *fakeKeyring) Set(s, u, p string) error {
	f.calls.Add(1)
	<-f.block
	return nil
}
func (f *fakeKeyring) Get(s, u string) (string, error) {
	f.calls.Add(1)
	<-f.block
	return "", keyring.ErrNotFound
}
func (f *fakeKeyring) Delete(s, u string) error {
	f.calls.Add(1)
	<-f.block
	return nil
}

func TestKeyringStoreTimeout(t *testing.T) {
	t.Parallel()
	fk := &fakeKeyring{block: make(chan struct{})}
	defer close(fk.block)
	s := &KeyringStore{Timeout: 20 * time.Millisecond, api: fk, busExists: func() bool { return true }}
	ops := map[string]func() error{
		"get":    func() error { _, err := s.Load(t.Context(), "k"); return err },
		"set":    func() error { return s.Save(t.Context(), "k", sampleToken()) },
		"delete": func() error { return s.Delete(t.Context(), "k") },
	}
	for op, fn := range ops {
		var te *TimeoutError
		if err := fn(); !errors.As(err, &te) || te.Op != op {
			t.Errorf("%s: err = %v, want TimeoutError{Op:%q}", op, err, op)
		}
	}
	if err := s.Probe(t.Context()); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("Probe on a hung keyring: %v, want ErrNoKeyring", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	s.Timeout = time.Hour
	if _, err := s.Load(ctx, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestKeyringStoreNoBusNeverTouchesKeyring(t *testing.T) {
	t.Parallel()
	fk := &fakeKeyring{block: make(chan struct{})}
	close(fk.block)
	s := &KeyringStore{api: fk, busExists: func() bool { return false }}
	if _, err := s.Load(t.Context(), "k"); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Load: %v, want ErrNoKeyring", err)
	}
	if err := s.Probe(t.Context()); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Probe: %v, want ErrNoKeyring", err)
	}
	if !strings.Contains(ErrNoKeyring.Error(), "--token-store file") {
		t.Fatalf("advice missing from %q", ErrNoKeyring)
	}
	if n := fk.calls.Load(); n != 0 {
		t.Fatalf("go-keyring called %d times without a session bus", n)
	}
}

func TestSessionBusAvailable(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("D-Bus check applies to Linux/BSD")
	}
	exists := func(string) (fs.FileInfo, error) { return nil, nil }
	missing := func(string) (fs.FileInfo, error) { return nil, fs.ErrNotExist }
	var statted string
	tests := []struct {
		name string
		env  string
		stat func(string) (fs.FileInfo, error)
		want bool
	}{
		{"address set", "unix:path=/tmp/bus", missing, true},
		{"user bus socket", "", func(p string) (fs.FileInfo, error) { statted = p; return exists(p) }, true},
		{"neither", "", missing, false},
	}
	for _, tt := range tests {
		got := sessionBusAvailable(func(string) string { return tt.env }, tt.stat, 1234)
		if got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	if statted != "/run/user/1234/bus" {
		t.Errorf("checked %q, want /run/user/1234/bus", statted)
	}
}

// requireReal skips a test needing a real component, unless VAT_TEST_REAL=1 demands it, in which case
// the missing component fails the test.
func requireReal(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("VAT_TEST_REAL") == "1" {
		t.Fatalf("VAT_TEST_REAL=1 but %s is unavailable: %v", what, err)
	}
	t.Skipf("%s unavailable (set VAT_TEST_REAL=1 to require it): %v", what, err)
}

func realKeyring(t *testing.T) *KeyringStore {
	t.Helper()
	s := NewKeyringStore()
	// A per-test service keeps runs from touching a developer's real "vat" entries.
	s.Service = "vat-test-" + uuid.NewString()[:8]
	requireReal(t, "the OS keyring (Secret Service)", s.Probe(t.Context()))
	return s
}

func TestKeyringStoreReal(t *testing.T) {
	t.Parallel()
	s := realKeyring(t)
	storeConformance(t, s, "default")
}

// TestOpenStoreAutoNeverFallsBackToAFile: without a keyring, auto refuses with advice and writes
// nothing. Not parallel: it clears DBUS_SESSION_BUS_ADDRESS for the process.
func TestOpenStoreAutoNeverFallsBackToAFile(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs a machine without a session bus")
	}
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("this machine has a user session bus")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	cfg := t.TempDir()
	for _, kind := range []string{"auto", "", "keyring"} {
		_, err := OpenStore(t.Context(), kind, cfg)
		if !errors.Is(err, ErrNoKeyring) || !strings.Contains(err.Error(), "--token-store file") {
			t.Errorf("OpenStore(%q) err = %v, want ErrNoKeyring with advice", kind, err)
		}
	}
	if ents, _ := os.ReadDir(cfg); len(ents) != 0 {
		t.Errorf("config dir not empty: %v", ents)
	}
}

func TestOpenStoreAutoUsesRealKeyring(t *testing.T) {
	t.Parallel()
	realKeyring(t)
	s, err := OpenStore(t.Context(), "auto", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind() != "keyring" {
		t.Fatalf("auto chose %q with a working keyring", s.Kind())
	}
}
