package sandbox

import "net/http"

// Downstream faults stand for a failure of the back end vat-api calls (ETMP through
// DES, or HIP for penalties and financial details). vat-api only calls it after
// routing, the enrolment check and its own request validation, so a client sees a
// validation error first, as with HMRC; the gateway-level kinds ("500", "503") fire
// before any of that.

// hipEndpoints are the endpoints vat-api serves from HMRC's HIP back end (2025):
// PenaltiesConnector.scala and the financial details call.
var hipEndpoints = map[string]bool{"penalties": true, "financial-details": true}

// Bodies of the downstream faults.
const (
	// msgUnauthorisedHIP is UnauthorisedError in mtdErrors.scala, which the HIP
	// parsers return for a 403: unlike the enrolment refusal, it has no full stop.
	msgUnauthorisedHIP = "The client and/or agent is not authorised"
	// hipUnmappedCode and hipUnmappedText are an HIP error code that
	// PenaltiesHttpParser.scala and FinancialDataHttpParser.scala do not map; such a
	// code reaches the client as it came, in a 500. The pair is the one vat-api's
	// own PenaltiesHttpParserSpec.scala uses.
	hipUnmappedCode = "111"
	hipUnmappedText = "Unknown error message"
)

// downstream reports whether the kind fires at the back-end call.
func (f *faultState) downstream() bool {
	switch f.Kind {
	case FaultDownstreamUnavailable, FaultHIPForbidden, FaultHIPError:
		return true
	}
	return false
}

// downstreamFault answers with the next downstream fault planned for the endpoint,
// if any, and reports whether it did. Handlers call it where vat-api calls its back
// end, so a request refused earlier leaves the fault for the next one.
func (s *Server) downstreamFault(w http.ResponseWriter, c *call) bool {
	s.mu.Lock()
	f := s.takeMatchingFaultLocked(c.endpoint, c.vrn, true)
	s.mu.Unlock()
	if f == nil {
		return false
	}
	switch {
	case f.Kind == FaultDownstreamUnavailable:
		// Since May 2026 (vat-api's 503 error handling) a downstream 503 is passed
		// on as ServiceUnavailableError.
		writeErr(w, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", msgUnavailable)
	case f.Kind == FaultHIPForbidden && hipEndpoints[c.endpoint]:
		writeErr(w, http.StatusForbidden, "CLIENT_OR_AGENT_NOT_AUTHORISED", msgUnauthorisedHIP)
	case f.Kind == FaultHIPError && hipEndpoints[c.endpoint]:
		writeErr(w, http.StatusInternalServerError, hipUnmappedCode, hipUnmappedText)
	default:
		return false // a HIP fault on a "*" plan does not touch DES endpoints
	}
	return true
}

// Gov-Test-Scenario values the stubs behind penalties, financial details and
// information know, as the OAS lists them (DEFAULT included, unlike the other
// endpoints).
var (
	financialScenarios   = map[string]bool{"DEFAULT": true}
	informationScenarios = map[string]bool{"DEFAULT": true, "NO_EFFECTREGISTRATIONDATE": true, "NO_FLATRATESCHEME": true,
		"NO_EFFECTREGISTRATIONDATE_NO_FRS": true, "CUSTOMER_INFO_NOT_FOUND": true}
)

// knownScenario picks the behaviour of penalties, financial details and information
// for a Gov-Test-Scenario value: a value the stub knows, or "" for the account's
// own data. vat-api maps no stub error to RULE_INCORRECT_GOV_TEST_SCENARIO on these
// endpoints (PenaltiesController.scala, FinancialDataController.scala and
// CustomerInfoController.scala list none), so an unknown value is not refused; the
// emulator ignores it. In canned mode no value means DEFAULT, the published example.
func knownScenario(scenario string, canned bool, known map[string]bool) string {
	if known[scenario] {
		return scenario
	}
	if canned {
		return "DEFAULT"
	}
	return ""
}
