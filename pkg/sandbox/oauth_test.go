package sandbox

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAuthorizeErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Clients: []Client{{ID: "other-app", Secret: "s3cret", RedirectURIs: []string{"https://app.example.com/cb"}}}})
	tests := []struct {
		name  string
		extra url.Values
		code  string
		desc  string
	}{
		{"client secret present", url.Values{"client_secret": {LocalClientSecret}}, "invalid_request", "client_secret should NOT be present"},
		{"no client id", url.Values{"client_id": {""}}, "invalid_request", "client_id is required"},
		{"unknown client", url.Values{"client_id": {"nobody"}}, "invalid_request", "client_id is invalid"},
		{"no redirect", url.Values{"redirect_uri": {""}}, "invalid_request", "redirect_uri is required"},
		{"foreign redirect", url.Values{"redirect_uri": {"http://evil.example.com/cb"}}, "invalid_request", "redirect_uri is invalid"},
		{"https localhost for local app", url.Values{"redirect_uri": {"https://localhost:9/cb"}}, "invalid_request", "redirect_uri is invalid"},
		{"unregistered for other app", url.Values{"client_id": {"other-app"}, "redirect_uri": {"https://app.example.com/other"}}, "invalid_request", "redirect_uri is invalid"},
		{"no response type", url.Values{"response_type": {""}}, "invalid_request", "response_type is required"},
		{"token response type", url.Values{"response_type": {"token"}}, "unsupported_response_type", "response_type must be 'code'"},
		{"no scope", url.Values{"scope": {""}}, "invalid_request", "scope is required"},
		{"unknown scope", url.Values{"scope": {"read:vat write:everything"}}, "invalid_scope", "scope is invalid"},
		{"plain pkce", url.Values{"code_challenge_method": {"plain"}}, "invalid_request", "code_challenge_method must be S256"},
		{"challenge without method", url.Values{"code_challenge_method": {""}}, "invalid_request", "code_challenge and code_challenge_method must be sent together"},
		{"short challenge", url.Values{"code_challenge": {"abc"}}, "invalid_request", "code_challenge is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SignIn(context.Background(), e.ts.Client(), e.authorizeURL(tt.extra), "x", "y")
			var ae *AuthorizeError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *AuthorizeError", err)
			}
			if ae.Status != 400 || ae.Code != tt.code || ae.Description != tt.desc {
				t.Errorf("got %d %s %q, want 400 %s %q", ae.Status, ae.Code, ae.Description, tt.code, tt.desc)
			}
		})
	}
}

func TestSignInFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()

	t.Run("wrong password re-renders the form", func(t *testing.T) {
		_, err := SignIn(context.Background(), e.ts.Client(), e.authorizeURL(nil), u.UserID, "wrong")
		if !errors.Is(err, ErrSignIn) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("pages work without javascript and name app and scopes", func(t *testing.T) {
		resp, err := e.ts.Client().Get(e.authorizeURL(nil))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(b)
		for _, want := range []string{`name="userId"`, `name="password"`, `method="post"`, "vat (local)"} {
			if !strings.Contains(page, want) {
				t.Errorf("sign-in page lacks %q", want)
			}
		}
		if strings.Contains(page, "<script") {
			t.Error("sign-in page uses JavaScript")
		}
		doc, base, err := fetchPage(e.ts.Client(), mustReq(t, e.authorizeURL(nil)))
		if err != nil {
			t.Fatal(err)
		}
		f, _ := findForm(doc, "sign-in")
		f.values.Set("userId", u.UserID)
		f.values.Set("password", u.Password)
		grant, _, err := postForm(context.Background(), e.ts.Client(), base, f)
		if err != nil {
			t.Fatal(err)
		}
		scopes := textByID(grant, "scopes")
		if !strings.Contains(scopes, "read:vat") || !strings.Contains(scopes, "write:vat") || textByID(grant, "app-name") != "vat (local)" {
			t.Errorf("grant page: app %q scopes %q", textByID(grant, "app-name"), scopes)
		}
	})
	t.Run("callback carries code and state", func(t *testing.T) {
		loc, err := SignIn(context.Background(), e.ts.Client(), e.authorizeURL(nil), u.UserID, u.Password)
		if err != nil {
			t.Fatal(err)
		}
		if loc.Scheme+"://"+loc.Host+loc.Path != testRedirect || loc.Query().Get("state") != "st4te" || len(loc.Query().Get("code")) < 32 {
			t.Errorf("redirect = %s", loc)
		}
	})
	t.Run("deny", func(t *testing.T) {
		doc, base, err := fetchPage(e.ts.Client(), mustReq(t, e.authorizeURL(nil)))
		if err != nil {
			t.Fatal(err)
		}
		f, _ := findForm(doc, "sign-in")
		f.values.Set("userId", u.UserID)
		f.values.Set("password", u.Password)
		grant, _, err := postForm(context.Background(), e.ts.Client(), base, f)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := findForm(grant, "grant")
		g.values.Set("decision", "deny")
		hc := *e.ts.Client()
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := hc.PostForm(e.ts.URL+g.action, g.values)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := resp.Location()
		q := loc.Query()
		if resp.StatusCode != 303 || q.Get("error") != "access_denied" || q.Get("error_code") != "USER_DENIED_AUTHORIZATION" ||
			q.Get("error_description") != "user denied the authorization" || q.Get("state") != "st4te" || q.Has("code") {
			t.Errorf("deny redirect = %d %s", resp.StatusCode, loc)
		}
		// The consent form is single use.
		resp, err = hc.PostForm(e.ts.URL+g.action, g.values)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("reused consent form: %d", resp.StatusCode)
		}
	})
	t.Run("oob page shows the code in the title", func(t *testing.T) {
		for _, uri := range []string{oobURI, oobAutoURI} {
			loc, err := SignIn(context.Background(), e.ts.Client(), e.authorizeURL(url.Values{"redirect_uri": {uri}}), u.UserID, u.Password)
			if err != nil {
				t.Fatal(err)
			}
			code := loc.Query().Get("code")
			resp, err := e.ts.Client().Get(loc.String())
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if code == "" || !strings.Contains(string(b), "<title>Success code="+code+"</title>") || !strings.Contains(string(b), `<code id="code">`+code) {
				t.Errorf("%s: page %s", uri, b)
			}
			status, body := e.tokenRequest(url.Values{
				"grant_type": {"authorization_code"}, "client_id": {LocalClientID}, "client_secret": {LocalClientSecret},
				"code": {code}, "redirect_uri": {uri}, "code_verifier": {testVerifier},
			})
			if status != 200 {
				t.Errorf("%s: exchange %d %s", uri, status, body)
			}
		}
	})
}

func mustReq(t *testing.T, u string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTokenExchange(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	base := func(code string) url.Values {
		return url.Values{
			"grant_type": {"authorization_code"}, "client_id": {LocalClientID}, "client_secret": {LocalClientSecret},
			"code": {code}, "redirect_uri": {testRedirect}, "code_verifier": {testVerifier},
		}
	}
	with := func(v url.Values, k, val string) url.Values {
		out := url.Values{}
		for kk, vv := range v {
			out[kk] = vv
		}
		if val == "" {
			out.Del(k)
		} else {
			out.Set(k, val)
		}
		return out
	}
	tests := []struct {
		name   string
		form   func() url.Values
		status int
		body   string
	}{
		{"pkce mismatch", func() url.Values { return with(base(e.code(u, nil)), "code_verifier", strings.Repeat("a", 43)) },
			400, `{"error":"invalid_grant","error_description":"code_verifier does not match code_challenge"}`},
		{"pkce verifier missing", func() url.Values { return with(base(e.code(u, nil)), "code_verifier", "") },
			400, `{"error":"invalid_request","error_description":"code_verifier is required"}`},
		{"pkce verifier malformed", func() url.Values { return with(base(e.code(u, nil)), "code_verifier", "short") },
			400, `{"error":"invalid_request","error_description":"code_verifier is invalid"}`},
		{"unknown code", func() url.Values { return base("nonsense") },
			400, `{"error":"invalid_request","error_description":"code is invalid"}`},
		{"no code", func() url.Values { return with(base(""), "code", "") },
			400, `{"error":"invalid_request","error_description":"code is required for given grant_type"}`},
		{"redirect mismatch", func() url.Values { return with(base(e.code(u, nil)), "redirect_uri", "http://localhost:1/other") },
			400, `{"error":"invalid_request","error_description":"redirect_uri is invalid"}`},
		{"wrong secret", func() url.Values { return with(base(e.code(u, nil)), "client_secret", "nope") },
			401, `{"error":"invalid_client","error_description":"invalid client id or secret"}`},
		{"no secret", func() url.Values { return with(base("x"), "client_secret", "") },
			400, `{"error":"invalid_request","error_description":"client_secret is required"}`},
		{"no client id", func() url.Values { return with(base("x"), "client_id", "") },
			400, `{"error":"invalid_request","error_description":"client_id is required"}`},
		{"no grant type", func() url.Values { return with(base("x"), "grant_type", "") },
			400, `{"error":"invalid_request","error_description":"grant_type is required"}`},
		{"password grant", func() url.Values { return with(base("x"), "grant_type", "password") },
			400, `{"error":"invalid_request","error_description":"unsupported grant_type"}`},
		{"refresh without token", func() url.Values { return with(base("x"), "grant_type", "refresh_token") },
			400, `{"error":"invalid_request","error_description":"refresh_token is required for given grant_type"}`},
		{"bogus refresh token", func() url.Values {
			return url.Values{"grant_type": {"refresh_token"}, "client_id": {LocalClientID}, "client_secret": {LocalClientSecret}, "refresh_token": {"bogus"}}
		}, 400, `{"error":"invalid_grant","error_description":"refresh_token is invalid"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.tokenRequest(tt.form())
			if status != tt.status || body != tt.body {
				t.Errorf("got %d %s\nwant %d %s", status, body, tt.status, tt.body)
			}
		})
	}

	t.Run("success shape", func(t *testing.T) {
		status, body := e.exchange(e.code(u, nil))
		tk := decodeTokens(t, body)
		if status != 200 || tk.TokenType != "bearer" || tk.ExpiresIn != 14400 || tk.RefreshToken == "" || tk.Scope != "read:vat write:vat" {
			t.Errorf("got %d %s", status, body)
		}
	})
	t.Run("code is single use", func(t *testing.T) {
		code := e.code(u, nil)
		if status, body := e.exchange(code); status != 200 {
			t.Fatalf("first use: %d %s", status, body)
		}
		status, body := e.exchange(code)
		if status != 400 || body != `{"error":"invalid_request","error_description":"code is invalid"}` {
			t.Errorf("reuse: %d %s", status, body)
		}
	})
	t.Run("a failed exchange burns the code", func(t *testing.T) {
		code := e.code(u, nil)
		e.tokenRequest(with(base(code), "code_verifier", strings.Repeat("b", 43)))
		if status, _ := e.exchange(code); status != 400 {
			t.Errorf("code survived a failed exchange: %d", status)
		}
	})
}

func TestCodeExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	code := e.code(u, nil)
	e.clock.Advance(10*time.Minute + time.Second)
	status, body := e.exchange(code)
	if status != 400 || body != `{"error":"invalid_request","error_description":"code is invalid"}` {
		t.Errorf("expired code: %d %s", status, body)
	}
	code = e.code(u, nil)
	e.clock.Advance(9 * time.Minute)
	if status, body := e.exchange(code); status != 200 {
		t.Errorf("code within 10 minutes: %d %s", status, body)
	}
}

func TestRefreshRotation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	first := e.login(u)
	path := "/organisations/vat/" + u.VRN + "/information"
	status, body := e.refresh(first.RefreshToken)
	if status != 200 {
		t.Fatalf("refresh: %d %s", status, body)
	}
	second := decodeTokens(t, body)
	if second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken || second.ExpiresIn != 14400 {
		t.Errorf("refresh did not rotate: %s", body)
	}
	e.do("GET", path, first.AccessToken, "", nil).expect(t, 401, bodyInvalidCreds)
	if r := e.do("GET", path, second.AccessToken, "", nil); r.status != 200 {
		t.Errorf("new access token: %d %s", r.status, r.body)
	}
	status, body = e.refresh(first.RefreshToken)
	if status != 400 || body != `{"error":"invalid_grant","error_description":"refresh_token is invalid"}` {
		t.Errorf("old refresh token: %d %s", status, body)
	}
	// Another application cannot use this user's refresh token.
	status, _ = e.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "client_id": {"x"}, "client_secret": {"y"}, "refresh_token": {second.RefreshToken}})
	if status != 401 {
		t.Errorf("foreign client: %d", status)
	}
	if got := e.srv.Stats().TokenRefreshes; got != 1 {
		t.Errorf("TokenRefreshes = %d", got)
	}
}

func TestConcurrentRefresh(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	// The first refresh is held in progress (slow) while a second one arrives. The
	// delay only has to outlast one local round trip.
	e.srv.InjectFault(Fault{Endpoint: "token", Kind: FaultSlow, Delay: 2 * time.Second})
	before := e.srv.Stats().Requests["token"]
	var wg sync.WaitGroup
	wg.Add(1)
	var firstStatus int
	var firstBody string
	go func() {
		defer wg.Done()
		firstStatus, firstBody = e.refresh(tk.RefreshToken)
	}()
	for e.srv.Stats().Requests["token"] == before {
		time.Sleep(time.Millisecond) // wait until the first is claimed; not a timing assertion
	}
	status, body := e.refresh(tk.RefreshToken)
	if status != 400 || body != `{"error":"invalid_request","error_description":"Refresh operation is already in progress"}` {
		t.Errorf("concurrent refresh: %d %s", status, body)
	}
	wg.Wait()
	if firstStatus != 200 {
		t.Fatalf("first refresh: %d %s", firstStatus, firstBody)
	}
	if status, body := e.refresh(tk.RefreshToken); status != 400 || !strings.Contains(body, "invalid_grant") {
		t.Errorf("refresh token reused after rotation: %d %s", status, body)
	}
	if status, _ := e.refresh(decodeTokens(t, firstBody).RefreshToken); status != 200 {
		t.Errorf("rotated refresh token: %d", status)
	}
}

func TestAuthorityExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	// Keep refreshing inside each 4 hours' life until 18 months have gone.
	e.clock.Advance(17 * 30 * 24 * time.Hour)
	status, body := e.refresh(tk.RefreshToken)
	if status != 200 {
		t.Fatalf("refresh at 17 months: %d %s", status, body)
	}
	tk = decodeTokens(t, body)
	e.clock.Set(testNow.AddDate(0, 18, 0).Add(time.Second))
	status, body = e.refresh(tk.RefreshToken)
	if status != 400 || body != `{"error":"invalid_grant","error_description":"refresh_token has expired"}` {
		t.Errorf("refresh after 18 months: %d %s", status, body)
	}
}

func TestClientCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	status, body := e.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {LocalClientID}, "client_secret": {LocalClientSecret}})
	tk := decodeTokens(t, body)
	if status != 200 || tk.RefreshToken != "" || tk.ExpiresIn != 14400 {
		t.Errorf("got %d %s", status, body)
	}
	// Credentials in the query string are not credentials.
	resp, err := e.ts.Client().Post(e.ts.URL+"/oauth/token?client_id="+LocalClientID+"&client_secret="+LocalClientSecret+"&grant_type=client_credentials",
		"application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("query credentials: %d", resp.StatusCode)
	}
}

func TestSignInSessionRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	doc, base, err := fetchPage(e.ts.Client(), mustReq(t, e.authorizeURL(nil)))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := findForm(doc, "sign-in")
	f.values.Set("userId", u.UserID)
	f.values.Set("password", u.Password)

	// A forged session id gets the error page, not a grant page.
	forged := htmlForm{action: f.action, values: url.Values{"request": {"forged"}, "userId": {u.UserID}, "password": {u.Password}}}
	_, _, err = postForm(context.Background(), e.ts.Client(), base, forged)
	var ae *AuthorizeError
	if !errors.As(err, &ae) || ae.Status != 400 {
		t.Errorf("forged session: %v", err)
	}
	// The consent form cannot be posted without signing in.
	resp, err := e.ts.Client().PostForm(e.ts.URL+"/oauth/grant", url.Values{"request": f.values["request"], "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("grant without sign-in: %d", resp.StatusCode)
	}
	// Sign-in sessions last 30 minutes.
	e.clock.Advance(31 * time.Minute)
	_, _, err = postForm(context.Background(), e.ts.Client(), base, f)
	if !errors.As(err, &ae) || ae.Status != 400 {
		t.Errorf("expired session: %v", err)
	}
}

func TestPagesAndMethods(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	tests := []struct {
		method, path string
		status       int
		contains     string
	}{
		{"GET", "/", 200, "HMRC sandbox emulator"},
		{"GET", "/oauth/nothing", 404, "not_found"},
		{"POST", "/oauth/authorize", 405, "method not allowed"},
		{"GET", "/oauth/token", 405, `{"error":"invalid_request","error_description":"method not allowed"}`},
		{"GET", "/oauth/sign-in", 405, "method not allowed"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, e.ts.URL+tt.path, nil)
		resp, err := e.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.contains) {
			t.Errorf("%s %s: %d %s", tt.method, tt.path, resp.StatusCode, b)
		}
	}
}
