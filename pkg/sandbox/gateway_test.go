package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	bodyAccept       = `{"code":"ACCEPT_HEADER_INVALID","message":"The accept header is missing or invalid"}`
	bodyMissingCreds = `{"code":"MISSING_CREDENTIALS","message":"Authentication information is not provided"}`
	bodyInvalidCreds = `{"code":"INVALID_CREDENTIALS","message":"Invalid Authentication information provided"}`
	bodyInvalidScope = `{"code":"INVALID_SCOPE","message":"Can not access the required resource. Ensure this token has all the required scopes."}`
	bodyNoResource   = `{"code":"MATCHING_RESOURCE_NOT_FOUND","message":"A resource with the name in the request can not be found in the API"}`
	bodyVRNInvalid   = `{"code":"VRN_INVALID","message":"The provided VRN is invalid"}`
	bodyNotAuthed    = `{"code":"CLIENT_OR_AGENT_NOT_AUTHORISED","message":"The client and/or agent is not authorised."}`
	bodyThrottled    = `{"code":"MESSAGE_THROTTLED_OUT","message":"The request for the API is throttled as you have exceeded your quota."}`
	bodyWrongType    = `{"code":"INCORRECT_ACCESS_TOKEN_TYPE","message":"The access token type used is not supported when invoking the API"}`
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestGateway(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	other := e.org()
	tk := e.login(u)
	readOnly := func() string {
		status, body := e.exchange(e.code(u, map[string][]string{"scope": {"read:vat"}}))
		if status != http.StatusOK {
			t.Fatalf("exchange: %d %s", status, body)
		}
		return decodeTokens(t, body).AccessToken
	}()
	app := e.appToken()
	obl := "/organisations/vat/" + u.VRN + "/obligations?status=O"
	tests := []struct {
		name    string
		method  string
		path    string
		token   string
		hdr     map[string]string
		status  int
		body    string
		wwwAuth bool
	}{
		{"no accept", "GET", obl, tk.AccessToken, map[string]string{"Accept": ""}, 406, bodyAccept, false},
		{"json accept", "GET", obl, tk.AccessToken, map[string]string{"Accept": "application/json"}, 406, bodyAccept, false},
		{"version 2.0", "GET", obl, tk.AccessToken, map[string]string{"Accept": "application/vnd.hmrc.2.0+json"}, 406, bodyAccept, false},
		{"no token", "GET", obl, "", nil, 401, bodyMissingCreds, true},
		{"unknown token", "GET", obl, "0123456789abcdef0123456789abcdef", nil, 401, bodyInvalidCreds, true},
		{"basic auth", "GET", obl, "", map[string]string{"Authorization": "Basic Zm9vOmJhcg=="}, 401, bodyInvalidCreds, true},
		{"wrong scope", "POST", "/organisations/vat/" + u.VRN + "/returns", readOnly, nil, 403, bodyInvalidScope, false},
		{"app token on user endpoint", "GET", obl, app, nil, 401, bodyWrongType, false},
		{"unknown path", "GET", "/organisations/vat/" + u.VRN + "/nothing", tk.AccessToken, nil, 404, bodyNoResource, false},
		{"unknown path beats accept", "GET", "/nope", "", map[string]string{"Accept": ""}, 404, bodyNoResource, false},
		{"bad vrn", "GET", "/organisations/vat/12345678/obligations?status=O", tk.AccessToken, nil, 400, bodyVRNInvalid, false},
		{"bad vrn but no token: gateway first", "GET", "/organisations/vat/1234/obligations", "", nil, 401, bodyMissingCreds, true},
		{"bad vrn but bad accept: gateway first", "GET", "/organisations/vat/abc/obligations", tk.AccessToken, map[string]string{"Accept": "text/html"}, 406, bodyAccept, false},
		{"someone else's vrn", "GET", "/organisations/vat/" + other.VRN + "/obligations?status=O", tk.AccessToken, nil, 403, bodyNotAuthed, false},
		{"trailing slash", "GET", "/organisations/vat/" + u.VRN + "/information/", tk.AccessToken, nil, 200, `{"customerDetails":{"effectiveRegistrationDate":"2020-01-15"}}`, false},
		{"wrong method", "DELETE", "/organisations/vat/" + u.VRN + "/returns", tk.AccessToken, nil, 405, `{"code":"METHOD_NOT_ALLOWED","message":"The request method is not supported for this resource"}`, false},
		// Versions.scala matches the whole Accept value against its regex.
		{"accept list", "GET", "/organisations/vat/" + u.VRN + "/information", tk.AccessToken, map[string]string{"Accept": "text/html, application/vnd.hmrc.1.0+json"}, 406, bodyAccept, false},
		{"accept with a parameter", "GET", "/organisations/vat/" + u.VRN + "/information", tk.AccessToken, map[string]string{"Accept": "application/vnd.hmrc.1.0+json;q=1"}, 406, bodyAccept, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.method, tt.path, tt.token, "", tt.hdr)
			r.expect(t, tt.status, tt.body)
			// AuthorisedController.invokeBlock answers VRN_INVALID and the enrolment
			// 403 without the controllers' withApiHeaders (BaseController.scala).
			if got := r.header.Get("X-CorrelationId"); tt.body == bodyVRNInvalid || tt.body == bodyNotAuthed {
				if got != "" {
					t.Errorf("X-CorrelationId = %q on %s", got, tt.body)
				}
			} else if !uuidPattern.MatchString(got) {
				t.Errorf("X-CorrelationId = %q", got)
			}
			if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if got := r.header.Get("WWW-Authenticate"); (got == `Bearer realm="HMRC API Platform"`) != tt.wwwAuth {
				t.Errorf("WWW-Authenticate = %q, want present=%v", got, tt.wwwAuth)
			}
		})
	}
}

func TestExpiredAccessToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	path := "/organisations/vat/" + u.VRN + "/information"
	e.clock.Advance(4*time.Hour - time.Second)
	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 200, `{"customerDetails":{"effectiveRegistrationDate":"2020-01-15"}}`)
	e.clock.Advance(2 * time.Second)
	r := e.do("GET", path, tk.AccessToken, "", nil)
	r.expect(t, 401, bodyInvalidCreds)
	if r.header.Get("WWW-Authenticate") != `Bearer realm="HMRC API Platform"` {
		t.Errorf("WWW-Authenticate missing")
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{RateLimit: 3, Clients: []Client{{ID: "app-two", Secret: "two-secret"}}})
	u := e.org()
	tk := e.login(u)
	status, body := e.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {"app-two"}, "client_secret": {"two-secret"}})
	if status != 200 {
		t.Fatalf("app-two token: %d %s", status, body)
	}
	otherApp := decodeTokens(t, body).AccessToken
	path := "/organisations/vat/" + u.VRN + "/information"
	// The clock is frozen, so the bucket never refills: exactly the burst passes.
	for i := range 3 {
		if r := e.do("GET", path, tk.AccessToken, "", nil); r.status != 200 {
			t.Fatalf("request %d: %d %s", i, r.status, r.body)
		}
	}
	r := e.do("GET", path, tk.AccessToken, "", nil)
	r.expect(t, 429, bodyThrottled)
	if r.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// The limit is per application: another application is not held back.
	if r := e.do("GET", "/create-test-user/services", otherApp, "", nil); r.status != 200 {
		t.Errorf("other application: %d %s", r.status, r.body)
	}
	e.clock.Advance(time.Second)
	if r := e.do("GET", path, tk.AccessToken, "", nil); r.status != 200 {
		t.Errorf("after a second: %d %s", r.status, r.body)
	}
}

func TestAgentAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	client := e.org()
	agent := e.user("agent", []string{"agent-services"}, "")
	if !strings.HasPrefix(agent.ARN, "XARN") || agent.VRN != "" {
		t.Errorf("agent = %+v", agent)
	}
	tk := e.login(agent)
	path := "/organisations/vat/" + client.VRN + "/information"
	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 403, bodyNotAuthed)
	if err := e.srv.AuthoriseAgent(agent.UserID, client.VRN); err != nil {
		t.Fatal(err)
	}
	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 200, `{"customerDetails":{"effectiveRegistrationDate":"2020-01-15"}}`)
	if err := e.srv.AuthoriseAgent(client.UserID, client.VRN); err == nil {
		t.Error("AuthoriseAgent accepted an organisation as agent")
	}
	if err := e.srv.AuthoriseAgent("000000000000", client.VRN); err == nil {
		t.Error("AuthoriseAgent accepted an unknown user")
	}
}

func TestLogsNeverCarrySecrets(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var b strings.Builder
	e := newEnv(t, Options{Logf: func(f string, a ...any) {
		mu.Lock()
		fmt.Fprintf(&b, f+"\n", a...)
		mu.Unlock()
	}})
	u := e.org()
	tk := e.login(u)
	e.do("GET", "/organisations/vat/"+u.VRN+"/information", tk.AccessToken, "", nil)
	e.refresh(tk.RefreshToken)
	mu.Lock()
	log := b.String()
	mu.Unlock()
	if !strings.Contains(log, "information") {
		t.Fatalf("no request logged: %q", log)
	}
	for _, secret := range []string{tk.AccessToken, tk.RefreshToken, u.Password, LocalClientSecret} {
		if strings.Contains(log, secret) {
			t.Errorf("log carries a secret: %q", log)
		}
	}
}
