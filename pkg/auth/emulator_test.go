package auth

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/sandbox"
)

// emulator is the HMRC emulator served over real HTTP, with one test organisation.
type emulator struct {
	srv  *sandbox.Server
	http *httptest.Server
	user sandbox.TestUser
}

func newEmulator(t *testing.T) *emulator {
	t.Helper()
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	user, err := srv.CreateUser("organisation", []string{"mtd-vat"})
	if err != nil {
		t.Fatal(err)
	}
	return &emulator{srv: srv, http: hs, user: user}
}

func (e *emulator) config() *LoginOptions {
	return &LoginOptions{Config: newConfig(e.http.URL, sandbox.LocalClientID, sandbox.LocalClientSecret), Ports: []int{0}}
}

func (e *emulator) obligationsURL() string {
	return e.http.URL + "/organisations/vat/" + e.user.VRN + "/obligations?status=O"
}

// apiStatus calls a VAT endpoint with the access token and returns the HTTP status.
func (e *emulator) apiStatus(t *testing.T, accessToken string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", e.obligationsURL(), nil)
	req.Header.Set("Accept", "application/vnd.hmrc.1.0+json")
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// signInBrowser plays the browser with the emulator's plain-HTML forms (no JavaScript needed).
func (e *emulator) signInBrowser(t *testing.T) func(string) error {
	return func(authURL string) error {
		go func() {
			loc, err := sandbox.SignIn(context.Background(), http.DefaultClient, authURL, e.user.UserID, e.user.Password)
			if err != nil {
				t.Errorf("sign in: %v", err)
				return
			}
			resp, err := http.Get(loc.String())
			if err != nil {
				t.Errorf("callback: %v", err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("callback status %d", resp.StatusCode)
			}
		}()
		return nil
	}
}

func (e *emulator) login(t *testing.T) *Token {
	t.Helper()
	opts := e.config()
	opts.OpenBrowser = e.signInBrowser(t)
	tok, err := Login(t.Context(), *opts)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestLoginEmulator(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	var prompt lockedBuffer
	opts := e.config()
	opts.OpenBrowser = e.signInBrowser(t)
	opts.Prompt = &prompt
	tok, err := Login(t.Context(), *opts)
	if err != nil {
		t.Fatal(err)
	}
	if st := e.apiStatus(t, tok.AccessToken); st != 200 {
		t.Fatalf("token refused by the emulator's API: %d", st)
	}
	if got := time.Until(tok.Expiry); got < 3*time.Hour || got > 4*time.Hour+time.Minute {
		t.Errorf("expiry %v from now, want about 4h", got)
	}
	assertNoSecrets(t, "prompt", prompt.String(), tok.AccessToken, tok.RefreshToken, sandbox.LocalClientSecret)
}

func TestLoginNoBrowserEmulator(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	pr, pw := io.Pipe()
	var prompt bytes4
	go func() {
		// The user opens the printed URL elsewhere, signs in and pastes the code HMRC shows.
		s := prompt.waitFor(t, "Enter: ")
		i := strings.Index(s, e.http.URL+"/oauth/authorize")
		authURL := strings.Fields(s[i:])[0]
		loc, err := sandbox.SignIn(context.Background(), http.DefaultClient, authURL, e.user.UserID, e.user.Password)
		if err != nil {
			t.Error(err)
			pw.Close()
			return
		}
		io.WriteString(pw, loc.Query().Get("code")+"\n")
	}()
	opts := e.config()
	opts.NoBrowser, opts.PastedCode, opts.Prompt = true, pr, &prompt
	tok, err := Login(t.Context(), *opts)
	if err != nil {
		t.Fatal(err)
	}
	if st := e.apiStatus(t, tok.AccessToken); st != 200 {
		t.Fatalf("token refused: %d", st)
	}
	if !strings.Contains(prompt.String(), "redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob") {
		t.Errorf("prompt URL lacks the OOB redirect:\n%s", prompt.String())
	}
}

// bytes4 is a prompt buffer a goroutine can wait on.
type bytes4 struct{ lockedBuffer }

func (b *bytes4) waitFor(t *testing.T, s string) string {
	for i := 0; i < 1000; i++ {
		if out := b.String(); strings.Contains(out, s) {
			return out
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("prompt never showed %q", s)
	return b.String()
}

func TestRefreshAcrossProcesses(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"file", "keyring"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEmulator(t)
			configDir := t.TempDir()
			env := refreshEnv{base: e.http.URL, clientID: sandbox.LocalClientID, clientSecret: sandbox.LocalClientSecret,
				checkURL: e.obligationsURL(), store: kind, key: "default", lockDir: filepath.Join(configDir, "locks")}
			var store Store
			switch kind {
			case "file":
				fs := &FileStore{Dir: filepath.Join(configDir, "tokens")}
				env.dir, store = fs.Dir, fs
			case "keyring":
				ks := realKeyring(t)
				env.service, store = ks.Service, ks
				t.Cleanup(func() { ks.Delete(context.Background(), "default") })
			}
			tok := e.login(t)
			tok.Expiry = time.Now().Add(-time.Minute) // the emulator still honours it; we must not
			if err := store.Save(t.Context(), "default", tok); err != nil {
				t.Fatal(err)
			}
			lines := runRefreshProcesses(t, 8, env)
			assertOneSharedToken(t, lines, e.srv.Stats().TokenRefreshes)
			if e.apiStatus(t, tok.AccessToken) != 401 {
				t.Error("old access token still accepted after the refresh")
			}
			now, err := store.Load(t.Context(), "default")
			if err != nil {
				t.Fatal(err)
			}
			if e.apiStatus(t, now.AccessToken) != 200 {
				t.Error("stored token is not the live one")
			}
			if kind == "keyring" {
				assertDirHasNoSecrets(t, configDir, tok.AccessToken, tok.RefreshToken, now.AccessToken, now.RefreshToken)
			}
		})
	}
}

// assertDirHasNoSecrets scans every file under dir: with the keyring in use, no token may reach disk.
func assertDirHasNoSecrets(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		assertNoSecrets(t, p, string(b), secrets...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no files scanned: the lock file should be there")
	}
}
