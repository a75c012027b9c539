package sandbox

import (
	"net/http"
	"net/url"
	"testing"
)

// An application that has not subscribed to an API gets the gateway's 403 RESOURCE_FORBIDDEN
// there, and is served normally by the APIs it did subscribe to.
func TestUnsubscribedAPIIsForbidden(t *testing.T) {
	t.Parallel()
	const forbidden = `{"code":"RESOURCE_FORBIDDEN","message":"The application is not subscribed to the API which it is attempting to invoke"}`
	e := newEnv(t, Options{Clients: []Client{{ID: "vat-only", Secret: "s3cret", APIs: []string{APIVAT}}}})
	status, body := e.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {"vat-only"}, "client_secret": {"s3cret"}})
	if status != http.StatusOK {
		t.Fatalf("client_credentials: %d %s", status, body)
	}
	app := decodeTokens(t, body).AccessToken
	e.do(http.MethodPost, "/create-test-user/organisations", app, `{"serviceNames":["mtd-vat"]}`, nil).expect(t, http.StatusForbidden, forbidden)
	e.do(http.MethodGet, "/test/fraud-prevention-headers/validate", app, "", nil).expect(t, http.StatusForbidden, forbidden)

	// The built-in application is subscribed to everything.
	if r := e.do(http.MethodPost, "/create-test-user/organisations", e.appToken(), `{"serviceNames":["mtd-vat"]}`, nil); r.status != http.StatusCreated {
		t.Errorf("built-in application: %d %s", r.status, r.body)
	}
	// A subscribed API is unaffected: the VAT API answers with its own checks (here the
	// application token is the wrong kind), not with RESOURCE_FORBIDDEN.
	if r := e.do(http.MethodGet, "/organisations/vat/123456789/obligations?status=O", app, "", nil); r.status != http.StatusUnauthorized {
		t.Errorf("subscribed VAT API: %d %s", r.status, r.body)
	}
}
