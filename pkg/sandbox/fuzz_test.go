package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzAPI sends arbitrary requests, with a valid token, to the API: whatever comes
// in, the emulator answers without panicking, never with a 5xx, and with a JSON
// body or none at all.
func FuzzAPI(f *testing.F) {
	srv, err := New(Options{Now: func() time.Time { return testNow }})
	if err != nil {
		f.Fatal(err)
	}
	u, err := srv.CreateUser("organisation", []string{"mtd-vat"})
	if err != nil {
		f.Fatal(err)
	}
	tok := "fuzz-token-0123456789abcdef"
	srv.mu.Lock()
	srv.st.Access[hashSecret(tok)] = &accessRec{ClientID: LocalClientID, UserID: u.UserID, Scopes: []string{"read:vat", "write:vat"}, Expires: testNow.Add(time.Hour)}
	srv.mu.Unlock()
	base := "/organisations/vat/" + u.VRN
	f.Add("GET", base+"/obligations?from=2026-01-01&to=2026-06-30&status=O", "", "")
	f.Add("POST", base+"/returns", `{"periodKey":"A001","vatDueSales":1e3}`, "")
	f.Add("GET", base+"/returns/%23001", "", "DATE_RANGE_TOO_LARGE")
	f.Add("GET", base+"/liabilities?from=2017-01-02&to=2017-02-02", "", "SINGLE_LIABILITY")
	f.Add("GET", base+"/financial-details/XP123456789012", "", "")
	f.Add("GET", "/test/fraud-prevention-headers/vat-mtd/validation-feedback?connectionMethod=%zz", "", "")
	f.Add("POST", "/create-test-user/agents", `{"serviceNames":[1]}`, "")
	f.Fuzz(func(t *testing.T, method, target, body, scenario string) {
		if !strings.HasPrefix(target, "/") {
			return
		}
		req, err := http.NewRequest(method, "http://emulator"+target, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Accept", acceptV1)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		if scenario != "" {
			req.Header.Set("Gov-Test-Scenario", scenario)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
		}
		if p := strings.TrimRight(req.URL.Path, "/"); p == "" || strings.HasPrefix(p, "/oauth/") {
			return // the www pages answer in HTML
		}
		if rec.Body.Len() > 0 && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s: body is not JSON: %s", method, target, rec.Body)
		}
	})
}
