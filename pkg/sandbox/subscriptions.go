package sandbox

import "net/http"

// The APIs an application subscribes to on HMRC's Developer Hub, named as in the
// Developer Hub's documentation addresses
// (https://developer.service.hmrc.gov.uk/api-documentation/docs/api/service/<name>).
const (
	APIVAT            = "vat-api"                // VAT (MTD)
	APICreateTestUser = "api-platform-test-user" // Create Test User
	APIFraudTest      = "txm-fph-validator-api"  // Test Fraud Prevention Headers
)

// msgNotSubscribed is the API platform's wording, as reported in
// https://github.com/hmrc/vat-api/issues/713.
const msgNotSubscribed = "The application is not subscribed to the API which it is attempting to invoke"

// apiOf says which API a route belongs to, for the subscription check.
func apiOf(endpoint string) string {
	switch endpoint {
	case "create-test-user", "test-user-services":
		return APICreateTestUser
	case "fph-validate", "fph-feedback":
		return APIFraudTest
	}
	return APIVAT
}

// subscribed applies the gateway's subscription check: an application whose APIs
// list leaves out the route's API gets 403 RESOURCE_FORBIDDEN, whoever the user is.
// A nil list (the built-in application, and clients registered without one) means
// subscribed to everything.
func (s *Server) subscribed(w http.ResponseWriter, c *call) bool {
	cl, ok := s.clients[c.token.ClientID]
	if !ok || cl.APIs == nil || contains(cl.APIs, apiOf(c.endpoint)) {
		return true
	}
	writeErr(w, http.StatusForbidden, "RESOURCE_FORBIDDEN", msgNotSubscribed)
	return false
}
