package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/vatbridge/vat/pkg/sandbox/fphcheck"
)

func desktopHeaders() map[string]string {
	return map[string]string{
		"Gov-Client-Connection-Method":   "DESKTOP_APP_DIRECT",
		"Gov-Client-Device-ID":           "beec798b-b366-47fa-b1f8-92cede14a1ce",
		"Gov-Client-Local-IPs":           "10.1.2.3,fc00%3A%3A",
		"Gov-Client-Local-IPs-Timestamp": "2026-11-24T10:29:59.123Z",
		"Gov-Client-MAC-Addresses":       "ea%3A43%3A1a%3A5d%3A21%3A45",
		"Gov-Client-Multi-Factor":        "",
		"Gov-Client-Screens":             "width=1920&height=1080&scaling-factor=1&colour-depth=24",
		"Gov-Client-Timezone":            "UTC+00:00",
		"Gov-Client-User-Agent":          "os-family=Linux&os-version=6.1&device-manufacturer=Dell%20Inc.&device-model=XPS",
		"Gov-Client-User-IDs":            "os=alice",
		"Gov-Client-Window-Size":         "width=1256&height=803",
		"Gov-Vendor-License-IDs":         "",
		"Gov-Vendor-Product-Name":        "vat",
		"Gov-Vendor-Version":             "vat=1.0.0",
	}
}

func headerOf(m map[string]string) http.Header {
	h := http.Header{}
	for k, v := range m {
		h.Set(k, v)
	}
	return h
}

func TestFPHValidate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	app := e.appToken()
	hdrs := desktopHeaders()
	// e.do deletes headers given as "": send the empty ones by value instead.
	hdrs["Gov-Client-Multi-Factor"] = "type=TOTP&timestamp=2026-11-24T10%3A00Z&unique-reference=abc123"
	hdrs["Gov-Vendor-License-IDs"] = "vat=8D7963490527D33716835EE7C195516D5E562E03B224E9B359836466EE40CDE1"
	r := e.do("GET", "/test/fraud-prevention-headers/validate", app, "", hdrs)
	want, _ := json.Marshal(fphcheck.Validate(headerOf(hdrs), testNow))
	r.expect(t, 200, string(want))

	// A broken header set still gets 200, with the validator's findings.
	bad := map[string]string{"Gov-Client-Connection-Method": "DESKTOP_APP_DIRECT"}
	r = e.do("GET", "/test/fraud-prevention-headers/validate", app, "", bad)
	var res fphcheck.Result
	if err := json.Unmarshal([]byte(r.body), &res); err != nil || r.status != 200 || res.Code != "INVALID_HEADERS" {
		t.Errorf("invalid set: %d %s", r.status, r.body)
	}
	e.do("GET", "/test/fraud-prevention-headers/validate", "", "", nil).expect(t, 401, bodyMissingCreds)
}

func TestFPHValidationFeedback(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Clients: []Client{{ID: "second-app", Secret: "second-secret"}}})
	u := e.org()
	tk := e.login(u)
	hdrs := desktopHeaders()
	delete(hdrs, "Gov-Client-Multi-Factor")
	delete(hdrs, "Gov-Vendor-License-IDs")
	obl := "/organisations/vat/" + u.VRN + "/obligations?status=O"
	e.do("GET", obl, tk.AccessToken, "", map[string]string{"Gov-Client-Connection-Method": "OTHER_DIRECT"})
	e.do("GET", obl, tk.AccessToken, "", hdrs) // the last request to obligations is the one reported

	app := e.appToken()
	r := e.do("GET", "/test/fraud-prevention-headers/vat-mtd/validation-feedback?connectionMethod=DESKTOP_APP_DIRECT", app, "", nil)
	var fb struct {
		Requests []struct {
			Path, Method, RequestTimestamp, Code string
			Headers                              []fphcheck.HeaderFeedback
		}
	}
	if err := json.Unmarshal([]byte(r.body), &fb); err != nil || r.status != 200 || len(fb.Requests) != 1 {
		t.Fatalf("feedback: %d %s", r.status, r.body)
	}
	got := fb.Requests[0]
	wantCode := fphcheck.Validate(headerOf(hdrs), testNow).Code
	if got.Path != "/organisations/vat/"+u.VRN+"/obligations" || got.Method != "GET" || got.RequestTimestamp != "2026-11-24T10:30:00.000Z" ||
		got.Code != wantCode || len(got.Headers) == 0 {
		t.Errorf("feedback request = %+v (want code %s)", got, wantCode)
	}
	for _, h := range got.Headers {
		if h.Header == "authorization" {
			t.Error("feedback lists the Authorization header")
		}
	}
	e.do("GET", "/test/fraud-prevention-headers/vat-mtd/validation-feedback?connectionMethod=OTHER_DIRECT", app, "", nil).expect(t, 200, `{"requests":[]}`)
	e.do("GET", "/test/fraud-prevention-headers/income-tax/validation-feedback", app, "", nil).expect(t, 404, bodyNoResource)

	// Feedback is per application: another app sees none of it.
	status, body := e.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {"second-app"}, "client_secret": {"second-secret"}})
	if status != 200 {
		t.Fatalf("second app token: %d %s", status, body)
	}
	e.do("GET", "/test/fraud-prevention-headers/vat-mtd/validation-feedback", decodeTokens(t, body).AccessToken, "", nil).expect(t, 200, `{"requests":[]}`)
}
