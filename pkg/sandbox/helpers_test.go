package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is an adjustable Now for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

var testNow = time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)

type env struct {
	t     testing.TB
	srv   *Server
	ts    *httptest.Server
	clock *clock
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	c := &clock{t: testNow}
	if opts.Now == nil {
		opts.Now = c.Now
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := newTestServer(t, srv)
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &env{t: t, srv: srv, ts: ts, clock: c}
}

func newTestServer(t testing.TB, srv *Server) *httptest.Server {
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// user creates a test user whose VAT registration date is fixed, so obligations are
// predictable.
func (e *env) user(kind string, services []string, regDate string) TestUser {
	e.t.Helper()
	u, err := e.srv.CreateUser(kind, services)
	if err != nil {
		e.t.Fatalf("CreateUser: %v", err)
	}
	u = e.punctual(u)
	if regDate != "" {
		e.srv.mu.Lock()
		e.srv.st.Users[u.UserID].VATRegistrationDate = regDate
		e.srv.mu.Unlock()
		u.VATRegistrationDate = regDate
	}
	return u
}

func (e *env) org() TestUser { return e.user("organisation", []string{"mtd-vat"}, "2020-01-15") }

type tokens struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
}

const (
	testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk0123"
	testRedirect = "http://localhost:8765/callback"
)

func challengeFor(v string) string {
	s := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(s[:])
}

func (e *env) authorizeURL(extra url.Values) string {
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {LocalClientID},
		"scope":                 {"read:vat write:vat"},
		"state":                 {"st4te"},
		"redirect_uri":          {testRedirect},
		"code_challenge":        {challengeFor(testVerifier)},
		"code_challenge_method": {"S256"},
	}
	for k, v := range extra {
		if len(v) == 1 && v[0] == "" {
			q.Del(k)
			continue
		}
		q[k] = v
	}
	return e.ts.URL + "/oauth/authorize?" + q.Encode()
}

// code signs u in through the HTML forms and returns the authorization code.
func (e *env) code(u TestUser, extra url.Values) string {
	e.t.Helper()
	loc, err := SignIn(context.Background(), e.ts.Client(), e.authorizeURL(extra), u.UserID, u.Password)
	if err != nil {
		e.t.Fatalf("SignIn: %v", err)
	}
	c := loc.Query().Get("code")
	if c == "" {
		e.t.Fatalf("no code in %s", loc)
	}
	return c
}

func (e *env) tokenRequest(form url.Values) (int, string) {
	e.t.Helper()
	resp, err := e.ts.Client().PostForm(e.ts.URL+"/oauth/token", form)
	if err != nil {
		e.t.Fatalf("token: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (e *env) exchange(code string) (int, string) {
	return e.tokenRequest(url.Values{
		"grant_type": {"authorization_code"}, "client_id": {LocalClientID}, "client_secret": {LocalClientSecret},
		"code": {code}, "redirect_uri": {testRedirect}, "code_verifier": {testVerifier},
	})
}

func (e *env) refresh(rt string) (int, string) {
	return e.tokenRequest(url.Values{
		"grant_type": {"refresh_token"}, "client_id": {LocalClientID}, "client_secret": {LocalClientSecret},
		"refresh_token": {rt},
	})
}

func decodeTokens(t testing.TB, body string) tokens {
	t.Helper()
	var tk tokens
	if err := json.Unmarshal([]byte(body), &tk); err != nil || tk.AccessToken == "" {
		t.Fatalf("token body %q: %v", body, err)
	}
	return tk
}

// login returns user tokens for u.
func (e *env) login(u TestUser) tokens {
	e.t.Helper()
	status, body := e.exchange(e.code(u, nil))
	if status != http.StatusOK {
		e.t.Fatalf("exchange: %d %s", status, body)
	}
	return decodeTokens(e.t, body)
}

func (e *env) appToken() string {
	e.t.Helper()
	status, body := e.tokenRequest(url.Values{
		"grant_type": {"client_credentials"}, "client_id": {LocalClientID}, "client_secret": {LocalClientSecret},
	})
	if status != http.StatusOK {
		e.t.Fatalf("client_credentials: %d %s", status, body)
	}
	return decodeTokens(e.t, body).AccessToken
}

type reply struct {
	status int
	header http.Header
	body   string
}

const acceptV1 = "application/vnd.hmrc.1.0+json"

// do sends an API request; hdr may override Accept ("" deletes it) or add headers.
func (e *env) do(method, path, token, body string, hdr map[string]string) reply {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Accept", acceptV1)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func (r reply) expect(t *testing.T, status int, body string) {
	t.Helper()
	if r.status != status || r.body != body {
		t.Errorf("got %d %s\nwant %d %s", r.status, r.body, status, body)
	}
}

const goodReturn = `{"periodKey":"%s","vatDueSales":105.50,"vatDueAcquisitions":-100.45,"totalVatDue":5.05,` +
	`"vatReclaimedCurrPeriod":105.15,"netVatDue":100.10,"totalValueSalesExVAT":300,"totalValuePurchasesExVAT":300,` +
	`"totalValueGoodsSuppliedExVAT":3000,"totalAcquisitionsExVAT":3000,"finalised":true}`

const debitReturn = `{"periodKey":"%s","vatDueSales":1000.00,"vatDueAcquisitions":0,"totalVatDue":1000.00,` +
	`"vatReclaimedCurrPeriod":250.25,"netVatDue":749.75,"totalValueSalesExVAT":5000,"totalValuePurchasesExVAT":1250,` +
	`"totalValueGoodsSuppliedExVAT":0,"totalAcquisitionsExVAT":0,"finalised":true}`
