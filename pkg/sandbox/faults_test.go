package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec string
		want Fault
		err  bool
	}{
		{spec: "submit=drop-after", want: Fault{Endpoint: "submit", Kind: FaultDropAfterProcessing}},
		{spec: "submit=503:2", want: Fault{Endpoint: "submit", Kind: FaultUnavailable, Times: 2}},
		{spec: "*=slow:2s", want: Fault{Endpoint: "*", Kind: FaultSlow, Delay: 2 * time.Second}},
		{spec: "obligations=timeout-after:30s:3", want: Fault{Endpoint: "obligations", Kind: FaultTimeoutAfterProcessing, Delay: 30 * time.Second, Times: 3}},
		{spec: "token=500", want: Fault{Endpoint: "token", Kind: FaultServerError}},
		{spec: "view-return=throttle", want: Fault{Endpoint: "view-return", Kind: FaultThrottle}},
		{spec: "submit", err: true},
		{spec: "=500", err: true},
		{spec: "nowhere=500", err: true},
		{spec: "submit=explode", err: true},
		{spec: "submit=503:0", err: true},
		{spec: "submit=slow:2h", err: true},
		{spec: "submit=slow:xyz", err: true},
		{spec: "submit=slow:1s:2:3", err: true},
	}
	for _, tt := range tests {
		got, err := ParseFault(tt.spec)
		if (err != nil) != tt.err || (!tt.err && got != tt.want) {
			t.Errorf("ParseFault(%q) = %+v, %v", tt.spec, got, err)
		}
		if err == nil {
			if back, err := ParseFault(got.String()); err != nil || back != got {
				t.Errorf("round trip of %q via %q: %+v %v", tt.spec, got.String(), back, err)
			}
		}
	}
}

func TestDropAfterProcessing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Faults: []Fault{{Endpoint: "submit", Kind: FaultDropAfterProcessing}}})
	u := e.org()
	tk := e.login(u)
	req, _ := http.NewRequest("POST", e.ts.URL+"/organisations/vat/"+u.VRN+"/returns", strings.NewReader(fmt.Sprintf(goodReturn, "26A3")))
	req.Header.Set("Accept", acceptV1)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tk.AccessToken)
	resp, err := e.ts.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got a reply (%d), want a connection error", resp.StatusCode)
	}
	if got := e.srv.Returns(u.VRN); len(got) != 1 || got["26A3"] == nil {
		t.Fatalf("returns after dropped submit: %v", got)
	}
	// The fault is spent; the retry learns the return is already filed.
	r := e.do("POST", "/organisations/vat/"+u.VRN+"/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "26A3"), nil)
	if r.status != 403 || !strings.Contains(r.body, "DUPLICATE_SUBMISSION") {
		t.Errorf("retry: %d %s", r.status, r.body)
	}
	if s := e.srv.Stats(); s.Submissions != 1 || len(e.srv.Returns(u.VRN)) != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestFaultKinds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	path := "/organisations/vat/" + u.VRN + "/information"
	ok := `{"customerDetails":{"effectiveRegistrationDate":"2020-01-15"}}`

	e.srv.InjectFault(Fault{Endpoint: "information", Kind: FaultUnavailable, Times: 2})
	for range 2 {
		e.do("GET", path, tk.AccessToken, "", nil).expect(t, 503, `{"code":"SERVICE_UNAVAILABLE","message":"Internal server error"}`)
	}
	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 200, ok)

	e.srv.InjectFault(Fault{Endpoint: "*", Kind: FaultServerError})
	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 500, `{"code":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred"}`)

	e.srv.InjectFault(Fault{Endpoint: "information", Kind: FaultThrottle, Delay: 3 * time.Second})
	r := e.do("GET", path, tk.AccessToken, "", nil)
	r.expect(t, 429, bodyThrottled)
	if r.header.Get("Retry-After") != "3" {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}

	e.srv.InjectFault(Fault{Endpoint: "information", Kind: FaultSlow, Delay: time.Millisecond})
	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 200, ok)

	// A fault for another endpoint does not touch this one.
	e.srv.InjectFault(Fault{Endpoint: "submit", Kind: FaultServerError})
	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 200, ok)

	// Gateway failures come before faults: no fault is used up by a bad token.
	e.srv.InjectFault(Fault{Endpoint: "information", Kind: FaultServerError})
	e.do("GET", path, "bad", "", nil).expect(t, 401, bodyInvalidCreds)
	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 500, `{"code":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred"}`)

	// "*" means the API endpoints, not the token endpoint.
	e.srv.InjectFault(Fault{Endpoint: "*", Kind: FaultServerError})
	if status, body := e.refresh(tk.RefreshToken); status != 200 {
		t.Fatalf("token hit by a * fault: %d %s", status, body)
	} else {
		tk = decodeTokens(t, body)
	}
	e.do("GET", path, tk.AccessToken, "", nil).expect(t, 500, `{"code":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred"}`)

	// Token endpoint faults use OAuth bodies.
	e.srv.InjectFault(Fault{Endpoint: "token", Kind: FaultServerError})
	if status, body := e.refresh(tk.RefreshToken); status != 500 || body != `{"error":"server_error","error_description":"internal server error"}` {
		t.Errorf("token fault: %d %s", status, body)
	}
	if status, _ := e.refresh(tk.RefreshToken); status != 200 {
		t.Errorf("refresh token burned by a 500: %d", status)
	}
}

func TestTimeoutAfterProcessing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Faults: []Fault{{Endpoint: "submit", Kind: FaultTimeoutAfterProcessing, Delay: time.Minute}}})
	u := e.org()
	tk := e.login(u)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", e.ts.URL+"/organisations/vat/"+u.VRN+"/returns", strings.NewReader(fmt.Sprintf(goodReturn, "26A3")))
	req.Header.Set("Accept", acceptV1)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tk.AccessToken)
	done := make(chan error, 1)
	go func() {
		resp, err := e.ts.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	// The return is stored before the reply is held back.
	for len(e.srv.Returns(u.VRN)) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel() // the client gives up, as a client timeout would
	if err := <-done; err == nil {
		t.Error("request completed despite the held reply")
	}
	if n := len(e.srv.Returns(u.VRN)); n != 1 {
		t.Errorf("%d returns", n)
	}
}
