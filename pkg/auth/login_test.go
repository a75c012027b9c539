package auth

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var fixedNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// lockedBuffer lets the prompt be written by Login while the test's browser goroutine reads nothing.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// follow plays the browser's redirect to the loopback callback.
func follow(t *testing.T, redirect string, params url.Values) (int, string) {
	t.Helper()
	resp, err := http.Get(redirect + "?" + params.Encode())
	if err != nil {
		t.Errorf("callback: %v", err)
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func assertNoSecrets(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s contains a secret (%d chars)", where, len(s))
		}
	}
}

func TestLoginLoopback(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	var prompt lockedBuffer
	var code string
	var forgedStatus int
	tok, err := Login(t.Context(), LoginOptions{
		Config: f.config(),
		Ports:  []int{0},
		Prompt: &prompt,
		Now:    func() time.Time { return fixedNow },
		OpenBrowser: func(authURL string) error {
			go func() {
				var q url.Values
				code, q = f.authorize(authURL)
				redirect := q.Get("redirect_uri")
				if !strings.HasPrefix(redirect, "http://localhost:") || !strings.HasSuffix(redirect, "/callback") {
					t.Errorf("redirect_uri = %q", redirect)
				}
				// A forged callback with a guessed state is refused and does not end the login.
				forgedStatus, _ = follow(t, redirect, url.Values{"code": {"forged"}, "state": {"guess"}})
				st, body := follow(t, redirect, url.Values{"code": {code}, "state": {q.Get("state")}})
				if st != 200 || !strings.Contains(body, "Signed in") {
					t.Errorf("callback answered %d %q", st, body)
				}
			}()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if forgedStatus != http.StatusBadRequest {
		t.Errorf("forged callback status %d, want 400", forgedStatus)
	}
	if !strings.HasPrefix(tok.AccessToken, "at-") || !strings.HasPrefix(tok.RefreshToken, "rt-") {
		t.Fatalf("token = %v", tok)
	}
	if !tok.Expiry.Equal(fixedNow.Add(4*time.Hour)) || !tok.AuthorityExpiry.Equal(fixedNow.AddDate(0, 18, 0)) || tok.Scope != "read:vat write:vat" {
		t.Errorf("expiries/scope = %v", tok)
	}
	// The PKCE verifier was sent and the client credentials went in the body.
	last := f.seenForms[len(f.seenForms)-1]
	if last.Get("code_verifier") == "" || last.Get("client_secret") != fakeClientSecret || !strings.HasPrefix(last.Get("redirect_uri"), "http://localhost:") {
		t.Errorf("exchange form lacks verifier/secret/redirect: keys %v", keys(last))
	}
	out := prompt.String()
	for _, want := range []string{GuidanceURL, "organisation account", "Agent Services Account", "/oauth/authorize?"} {
		if !strings.Contains(out, want) {
			t.Errorf("prompt lacks %q:\n%s", want, out)
		}
	}
	assertNoSecrets(t, "prompt", out, code, tok.AccessToken, tok.RefreshToken, fakeClientSecret)
}

func keys(v url.Values) []string {
	var k []string
	for key := range v {
		k = append(k, key)
	}
	return k
}

func TestLoginDenied(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	_, err := Login(t.Context(), LoginOptions{
		Config: f.config(),
		Ports:  []int{0},
		OpenBrowser: func(authURL string) error {
			go func() {
				_, q := f.authorize(authURL)
				follow(t, q.Get("redirect_uri"), url.Values{"error": {"access_denied"}, "error_description": {"user denied the authorization"},
					"error_code": {"USER_DENIED_AUTHORIZATION"}, "state": {q.Get("state")}})
			}()
			return nil
		},
	})
	if !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("err = %v, want ErrAccessDenied", err)
	}
	var oe *OAuthError
	if !errors.As(err, &oe) || oe.ErrorCode != "USER_DENIED_AUTHORIZATION" {
		t.Fatalf("err = %#v, want OAuthError with HMRC's error_code", err)
	}
}

func TestLoginExchangeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		mangle     func(code string, q url.Values) url.Values
		secret     string
		wantCode   string
		wantStatus int
	}{
		{"unknown code", func(code string, q url.Values) url.Values {
			return url.Values{"code": {"not-" + code}, "state": {q.Get("state")}}
		}, fakeClientSecret, "invalid_request", 400},
		{"wrong client secret", func(code string, q url.Values) url.Values {
			return url.Values{"code": {code}, "state": {q.Get("state")}}
		}, "wrong-secret", "invalid_client", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeHMRC(t)
			cfg := f.config()
			cfg.ClientSecret = tt.secret
			_, err := Login(t.Context(), LoginOptions{
				Config: cfg,
				Ports:  []int{0},
				OpenBrowser: func(authURL string) error {
					go func() {
						code, q := f.authorize(authURL)
						follow(t, q.Get("redirect_uri"), tt.mangle(code, q))
					}()
					return nil
				},
			})
			var oe *OAuthError
			if !errors.As(err, &oe) || oe.Code != tt.wantCode || oe.Status != tt.wantStatus {
				t.Fatalf("err = %v, want OAuthError %d %s", err, tt.wantStatus, tt.wantCode)
			}
			assertNoSecrets(t, "error", err.Error(), tt.secret, "{")
		})
	}
}

func TestLoginNoBrowser(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	var prompt bytes.Buffer
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Wait for the URL to be printed, then act as the user pasting HMRC's OOB code.
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(promptSnapshot(&prompt), "Enter: ") && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		s := promptSnapshot(&prompt)
		i := strings.Index(s, f.srv.URL+"/oauth/authorize")
		authURL := strings.Fields(s[i:])[0]
		code, q := f.authorize(authURL)
		if q.Get("redirect_uri") != OOBRedirectURI {
			t.Errorf("redirect_uri = %q", q.Get("redirect_uri"))
		}
		io.WriteString(pw, "  "+code+"\r\n")
	}()
	tok, err := Login(t.Context(), LoginOptions{
		Config:      f.config(),
		NoBrowser:   true,
		Prompt:      &syncWriter{w: &prompt},
		PastedCode:  pr,
		OpenBrowser: func(string) error { t.Error("browser opened with NoBrowser"); return nil },
	})
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" {
		t.Fatal("no token")
	}
	if tok.Base != f.srv.URL {
		t.Errorf("token records issuer %q, want %q", tok.Base, f.srv.URL)
	}
	assertNoSecrets(t, "prompt", promptSnapshot(&prompt), tok.AccessToken, tok.RefreshToken)
}

// A redirect from the token endpoint during the code exchange must not carry the code, the PKCE
// verifier or client_secret to the other host.
func TestLoginExchangeRedirectIsRefused(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		var leaked atomic.Int32
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			leaked.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"evil-at","refresh_token":"evil-rt","expires_in":14400}`))
		}))
		defer evil.Close()
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, evil.URL+"/oauth/token", code)
		}))
		defer redirector.Close()
		tok, err := Login(t.Context(), LoginOptions{
			Config:     newConfig(redirector.URL, fakeClientID, fakeClientSecret),
			NoBrowser:  true,
			PastedCode: strings.NewReader("code-0123456789abcdef\n"),
		})
		if err == nil || tok != nil || !strings.Contains(err.Error(), "redirect") {
			t.Errorf("%d: Login = %v, %v; want a refused redirect", code, tok, err)
		}
		if leaked.Load() != 0 {
			t.Errorf("%d: the other host received the code exchange", code)
		}
	}
}

var promptMu sync.Mutex

type syncWriter struct{ w io.Writer }

func (s *syncWriter) Write(p []byte) (int, error) {
	promptMu.Lock()
	defer promptMu.Unlock()
	return s.w.Write(p)
}

func promptSnapshot(b *bytes.Buffer) string {
	promptMu.Lock()
	defer promptMu.Unlock()
	return b.String()
}

func TestLoginNoBrowserBadPaste(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"empty":    "\n",
		"spaces":   "abc def\n",
		"too long": strings.Repeat("c", 5000),
		"control":  "abc\x00def\n",
		"nothing":  "",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeHMRC(t)
			_, err := Login(t.Context(), LoginOptions{Config: f.config(), NoBrowser: true, PastedCode: strings.NewReader(in)})
			if err == nil {
				t.Fatal("accepted")
			}
			if len(in) > 3 && strings.Contains(err.Error(), strings.TrimSpace(in)) {
				t.Fatalf("error echoes the input: %v", err)
			}
		})
	}
}

func TestLoginTimeout(t *testing.T) {
	t.Parallel()
	f := newFakeHMRC(t)
	_, err := Login(t.Context(), LoginOptions{
		Config:      f.config(),
		Ports:       []int{0},
		Timeout:     50 * time.Millisecond,
		OpenBrowser: func(string) error { return errors.New("no display") },
	})
	// Nobody answering is not the network: the deadline is not wrapped, or vat would say
	// "HMRC unavailable, retry later" (exit 6).
	if err == nil || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "did not come back within 50ms") {
		t.Fatalf("err = %v, want the browser named and no deadline error", err)
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	_, err = Login(t.Context(), LoginOptions{Config: f.config(), NoBrowser: true, PastedCode: pr, Timeout: 50 * time.Millisecond, Prompt: io.Discard})
	if err == nil || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no code was pasted within 50ms") {
		t.Fatalf("no code pasted: err = %v", err)
	}
	_, err = Login(t.Context(), LoginOptions{Config: f.config(), NoBrowser: true, PastedCode: strings.NewReader(""), Prompt: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "no code was pasted (the input ended)") {
		t.Fatalf("input ended: err = %v", err)
	}
}

func TestLoginTriesNextPort(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := busy.Addr().(*net.TCPAddr).Port
	f := newFakeHMRC(t)
	var redirect string
	_, err = Login(t.Context(), LoginOptions{
		Config: f.config(),
		Ports:  []int{busyPort, 0},
		OpenBrowser: func(authURL string) error {
			go func() {
				code, q := f.authorize(authURL)
				redirect = q.Get("redirect_uri")
				follow(t, redirect, url.Values{"code": {code}, "state": {q.Get("state")}})
			}()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(redirect, ":"+strconv.Itoa(busyPort)+"/") {
		t.Fatalf("used the busy port: %s", redirect)
	}
}

func TestCallbackHandlerRefusals(t *testing.T) {
	t.Parallel()
	const state = "the-state"
	tests := []struct {
		name       string
		method     string
		target     string
		host       string
		remote     string
		wantStatus int
		delivered  bool
	}{
		{"valid", "GET", "/callback?code=abc&state=the-state", "localhost:5000", "127.0.0.1:40000", 200, true},
		{"valid via ::1", "GET", "/callback?code=abc&state=the-state", "[::1]:5000", "[::1]:40000", 200, true},
		{"non-loopback peer", "GET", "/callback?code=abc&state=the-state", "localhost:5000", "192.0.2.7:40000", 400, false},
		{"foreign Host (DNS rebinding)", "GET", "/callback?code=abc&state=the-state", "evil.example:5000", "127.0.0.1:40000", 400, false},
		{"wrong port in Host", "GET", "/callback?code=abc&state=the-state", "localhost:5001", "127.0.0.1:40000", 400, false},
		{"wrong state", "GET", "/callback?code=abc&state=other", "localhost:5000", "127.0.0.1:40000", 400, false},
		{"missing state", "GET", "/callback?code=abc", "localhost:5000", "127.0.0.1:40000", 400, false},
		{"no code", "GET", "/callback?state=the-state", "localhost:5000", "127.0.0.1:40000", 400, false},
		{"other path", "GET", "/favicon.ico", "localhost:5000", "127.0.0.1:40000", 404, false},
		{"POST", "POST", "/callback?code=abc&state=the-state", "localhost:5000", "127.0.0.1:40000", 405, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newCallbackHandler(state, 5000)
			req := httptest.NewRequest(tt.method, tt.target, nil)
			req.Host = tt.host
			req.RemoteAddr = tt.remote
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			select {
			case res := <-h.result:
				if !tt.delivered {
					t.Errorf("delivered %+v", res.err)
				} else if res.code != "abc" {
					t.Errorf("code not delivered intact")
				}
			default:
				if tt.delivered {
					t.Error("valid callback not delivered")
				}
			}
			if strings.Contains(rec.Body.String(), "abc") {
				t.Error("reply reflects the code")
			}
		})
	}
}

func TestCallbackHandlerDeliversOnce(t *testing.T) {
	t.Parallel()
	h := newCallbackHandler("s", 5000)
	for i, want := range []int{200, 409} {
		req := httptest.NewRequest("GET", "/callback?code=c"+strconv.Itoa(i)+"&state=s", nil)
		req.Host, req.RemoteAddr = "localhost:5000", "127.0.0.1:1"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Fatalf("callback %d: status %d, want %d", i, rec.Code, want)
		}
	}
	if res := <-h.result; res.code != "c0" {
		t.Fatalf("first code lost")
	}
}
