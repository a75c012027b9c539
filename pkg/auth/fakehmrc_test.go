package auth

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// fakeHMRC is a minimal authorization server with HMRC's token rules (S256 PKCE, single-use codes
// bound to redirect_uri, single-use rotating refresh tokens that kill the previous access token,
// "Refresh operation is already in progress" on a concurrent refresh). The full emulator is
// pkg/sandbox; this fixture lets the flow be tested on its own and lets tests script odd answers.
type fakeHMRC struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	codes     map[string]fakeCode
	refresh   map[string]string // refresh token -> access token it belongs to
	access    map[string]bool
	busy      map[string]bool
	refreshes int
	// onRefresh, if set, answers a refresh instead of the normal rules (status 0 = normal).
	onRefresh func(rt string) (status int, body string)
	delay     time.Duration
	seenForms []url.Values
}

type fakeCode struct{ challenge, redirect string }

const (
	fakeClientID     = "fake-client"
	fakeClientSecret = "fake-secret-value"
)

func newFakeHMRC(t *testing.T) *fakeHMRC {
	f := &fakeHMRC{t: t, codes: map[string]fakeCode{}, refresh: map[string]string{}, access: map[string]bool{}, busy: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", f.token)
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		at, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		f.mu.Lock()
		valid := ok && f.access[at]
		f.mu.Unlock()
		if !valid {
			http.Error(w, `{"code":"INVALID_CREDENTIALS"}`, http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"message":"Hello User"}`))
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeHMRC) config() *oauth2.Config {
	return newConfig(f.srv.URL, fakeClientID, fakeClientSecret)
}

func randHex() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// authorize plays HMRC's sign-in and grant pages: it checks the authorize URL and returns the code
// it would put on the redirect.
func (f *fakeHMRC) authorize(authURL string) (code string, q url.Values) {
	f.t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		f.t.Fatalf("authorize URL: %v", err)
	}
	q = u.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") != fakeClientID || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("state") == "" || q.Get("client_secret") != "" || q.Get("scope") != "read:vat write:vat" {
		f.t.Errorf("bad authorize query %v", q)
	}
	code = "code-" + randHex()
	f.mu.Lock()
	f.codes[code] = fakeCode{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	f.mu.Unlock()
	return code, q
}

func (f *fakeHMRC) oauthErr(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (f *fakeHMRC) issue(w http.ResponseWriter) {
	at, rt := "at-"+randHex(), "rt-"+randHex()
	f.access[at] = true
	f.refresh[rt] = at
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": at, "refresh_token": rt, "token_type": "bearer",
		"expires_in": 14400, "scope": "read:vat write:vat"})
}

func (f *fakeHMRC) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		f.oauthErr(w, 400, "invalid_request", "bad form")
		return
	}
	form := r.PostForm
	f.mu.Lock()
	f.seenForms = append(f.seenForms, form)
	f.mu.Unlock()
	if form.Get("client_id") != fakeClientID || form.Get("client_secret") != fakeClientSecret {
		f.oauthErr(w, 401, "invalid_client", "invalid client id or secret")
		return
	}
	switch form.Get("grant_type") {
	case "authorization_code":
		f.mu.Lock()
		defer f.mu.Unlock()
		c, ok := f.codes[form.Get("code")]
		delete(f.codes, form.Get("code"))
		if !ok || c.redirect != form.Get("redirect_uri") {
			f.oauthErr(w, 400, "invalid_request", "code is invalid")
			return
		}
		if oauth2.S256ChallengeFromVerifier(form.Get("code_verifier")) != c.challenge {
			f.oauthErr(w, 400, "invalid_grant", "code_verifier does not match")
			return
		}
		f.issue(w)
	case "refresh_token":
		rt := form.Get("refresh_token")
		f.mu.Lock()
		if f.onRefresh != nil {
			if st, body := f.onRefresh(rt); st != 0 {
				f.mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(st)
				w.Write([]byte(body))
				return
			}
		}
		if f.busy[rt] {
			f.mu.Unlock()
			f.oauthErr(w, 400, "invalid_request", "Refresh operation is already in progress")
			return
		}
		at, ok := f.refresh[rt]
		if !ok {
			f.mu.Unlock()
			f.oauthErr(w, 400, "invalid_grant", "refresh token is invalid")
			return
		}
		f.busy[rt] = true
		f.mu.Unlock()
		time.Sleep(f.delay) // widen the race window; not an assertion
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.busy, rt)
		delete(f.refresh, rt)
		delete(f.access, at)
		f.refreshes++
		f.issue(w)
	default:
		f.oauthErr(w, 400, "unsupported_grant_type", "unsupported grant_type")
	}
}

// seed registers a token pair as if issued earlier, for refresh tests.
func (f *fakeHMRC) seed() (at, rt string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	at, rt = "at-"+randHex(), "rt-"+randHex()
	f.access[at] = true
	f.refresh[rt] = at
	return at, rt
}

func (f *fakeHMRC) refreshCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refreshes
}
