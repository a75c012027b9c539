package hmrc

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Distinct, searchable secrets: none of them may appear anywhere in a trace.
const (
	secretAccess   = "ACCESS-5ecret-aaaa"
	secretRefresh  = "REFRESH-5ecret-bbbb"
	secretClient   = "CLIENT-5ecret-cccc"
	secretCode     = "CODE-5ecret-dddd"
	secretVerifier = "VERIFIER-5ecret-eeee"
	secretCookie   = "COOKIE-5ecret-ffff"
	secretPassword = "PASSWORD-5ecret-gg"
)

var allSecrets = []string{secretAccess, secretRefresh, secretClient, secretCode, secretVerifier, secretCookie, secretPassword}

func TestDebugTransportRedactsEverySecret(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "session="+secretCookie)
		w.Header().Set("X-CorrelationId", "c0ffee00-0000-4000-8000-000000000003")
		switch r.URL.Path {
		case "/oauth/token":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"`+secretAccess+`","token_type":"bearer","expires_in":14400,"refresh_token": "`+secretRefresh+`","scope":"read:vat write:vat"}`)
		case "/create-test-user/organisations":
			w.WriteHeader(201)
			io.WriteString(w, `{"userId":"085603622877","password":"`+secretPassword+`","vrn":"666119668"}`)
		default:
			w.WriteHeader(403)
			io.WriteString(w, `{"code":"BUSINESS_ERROR","message":"Business validation error","errors":[{"code":"DUPLICATE_SUBMISSION","message":"The VAT return was already submitted for the given period."}]}`)
		}
	}))
	defer srv.Close()
	var out bytes.Buffer
	hc := &http.Client{Transport: &DebugTransport{Base: srv.Client().Transport, Out: &out}}

	form := url.Values{
		"grant_type": {"authorization_code"}, "client_id": {"vat-local-client"},
		"client_secret": {secretClient}, "code": {secretCode}, "code_verifier": {secretVerifier},
		"refresh_token": {secretRefresh}, "redirect_uri": {"http://localhost:8080/callback"},
	}
	req, _ := http.NewRequest("POST", srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+secretClient)
	req.Header.Set("Cookie", "session="+secretCookie)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), secretAccess) {
		t.Fatal("the caller must still receive the unredacted body")
	}

	// The client itself: bearer token, a JSON error body whose codes must stay visible, and a
	// query-string code.
	c := NewClient(&http.Client{Transport: bearer(secretAccess, srv.Client().Transport)},
		WithBaseURL(srv.URL), WithRateLimit(0), WithDebug(&out), WithRetry(0))
	_, _, err = c.SubmitReturn(t.Context(), "123456789", sampleSubmit())
	if err == nil {
		t.Fatal("expected the 403")
	}
	if _, _, err := c.CreateTestOrganisation(t.Context(), []string{ServiceMTDVAT}); err != nil {
		t.Fatal(err)
	}
	req, _ = http.NewRequest("GET", srv.URL+"/callback?state=xyz&code="+secretCode, nil)
	req.Header.Set("Authorization", "Bearer "+secretAccess)
	if resp, err := hc.Do(req); err == nil {
		resp.Body.Close()
	}

	trace := out.String()
	for _, s := range allSecrets {
		if strings.Contains(trace, s) {
			t.Errorf("secret %q survived in the trace:\n%s", s, trace)
		}
	}
	for _, want := range []string{
		"> POST " + srv.URL + "/oauth/token", "< HTTP/1.1 200 OK", "client_id=vat-local-client",
		"Authorization: Bearer [REDACTED]", "DUPLICATE_SUBMISSION", `"vatDueSales":100.00`,
		"X-Correlationid: c0ffee00-0000-4000-8000-000000000003", "state=xyz", "< HTTP/1.1 403 Forbidden",
		`"userId":"085603622877"`,
	} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
}

func TestRedactText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{"access_token":"abc","x":1}`, `{"access_token":"[REDACTED]","x":1}`},
		{`{"refresh_token" : "a\"bc"}`, `{"refresh_token" : "[REDACTED]"}`},
		{`{"access_token":"trunc`, `{"access_token":"[REDACTED]"`},
		{`{"code":"INVALID_REQUEST"}`, `{"code":"INVALID_REQUEST"}`},
		{`code=abc&state=1`, `code=[REDACTED]&state=1`},
		{`grant_type=x&client_secret=s3&error_code=USER_DENIED`, `grant_type=x&client_secret=[REDACTED]&error_code=USER_DENIED`},
		{`Post "http://h/cb?code=abc": EOF`, `Post "http://h/cb?code=[REDACTED]": EOF`},
	}
	for _, tt := range tests {
		if got := redactText(tt.in); got != tt.want {
			t.Errorf("redactText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

type bearerTransport struct {
	token string
	base  http.RoundTripper
}

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}

func bearer(token string, base http.RoundTripper) http.RoundTripper {
	return bearerTransport{token, base}
}
