package sandbox

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// createUser posts to Create Test User with an application token and decodes the reply.
func (e *env) createUserAPI(t *testing.T, kind, body string) (reply, map[string]any) {
	t.Helper()
	r := e.do("POST", "/create-test-user/"+kind, e.appToken(), body, nil)
	var got map[string]any
	if r.status == 201 {
		if err := json.Unmarshal([]byte(r.body), &got); err != nil {
			t.Fatalf("create %s: %v in %s", kind, err, r.body)
		}
	}
	return r, got
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// AuthLoginApiConnector.scala: submit-vat-returns enrols HMCE-VATDEC-ORG, not
// HMRC-MTD-VAT, which vat-api's AuthorisedController.scala requires.
func TestSubmitVATReturnsUserIsNotEnrolledForMTD(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for _, tt := range []struct {
		services string
		status   int
	}{
		{`["submit-vat-returns"]`, 403},
		{`["mtd-vat"]`, 200},
		{`["submit-vat-returns","mtd-vat"]`, 200},
	} {
		r, got := e.createUserAPI(t, "organisations", `{"serviceNames":`+tt.services+`}`)
		if r.status != 201 || !ValidVRN(str(got, "vrn")) {
			t.Fatalf("%s: %d %s", tt.services, r.status, r.body)
		}
		u := TestUser{UserID: str(got, "userId"), Password: str(got, "password"), VRN: str(got, "vrn")}
		tk := e.login(u)
		r = e.do("GET", "/organisations/vat/"+u.VRN+"/information", tk.AccessToken, "", nil)
		if r.status != tt.status {
			t.Errorf("%s: information %d %s", tt.services, r.status, r.body)
		}
		if tt.status == 403 && r.body != bodyNotAuthed {
			t.Errorf("%s: %s", tt.services, r.body)
		}
	}
}

// Generator.scala ignores services that do not apply to the user type: the user is
// made (201) without them. Individuals get a VRN only from mtd-vat; agents get an
// Agent Services account only from agent-services.
func TestCreateTestUserIgnoresServicesOfOtherUserTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	r, got := e.createUserAPI(t, "individuals", `{"serviceNames":["submit-vat-returns","corporation-tax","agent-services"]}`)
	if r.status != 201 || got["vrn"] != nil || got["ctUtr"] != nil || got["agentServicesAccountNumber"] != nil {
		t.Errorf("individual: %d %s", r.status, r.body)
	}
	r, got = e.createUserAPI(t, "agents", `{"serviceNames":["mtd-vat"]}`)
	if r.status != 201 || got["vrn"] != nil || got["agentServicesAccountNumber"] != nil {
		t.Errorf("agent without agent-services: %d %s", r.status, r.body)
	}
	// Without HMRC-AS-AGENT the agent cannot act for a client, even one that
	// authorised it.
	client := e.org()
	if err := e.srv.AuthoriseAgent(str(got, "userId"), client.VRN); err != nil {
		t.Fatal(err)
	}
	tk := e.login(TestUser{UserID: str(got, "userId"), Password: str(got, "password")})
	e.do("GET", "/organisations/vat/"+client.VRN+"/information", tk.AccessToken, "", nil).expect(t, 403, bodyNotAuthed)

	r, got = e.createUserAPI(t, "agents", `{"serviceNames":["agent-services"]}`)
	if r.status != 201 || !strings.HasPrefix(str(got, "agentServicesAccountNumber"), "XARN") || len(str(got, "agentCode")) != 10 {
		t.Errorf("agent: %d %s", r.status, r.body)
	}
}

// TestUserResponse.scala and Generator.scala: every user has a groupIdentifier, and
// an organisation also the individualDetails of its named person.
func TestCreateTestUserReplyShape(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for _, kind := range []string{"organisations", "individuals", "agents"} {
		r, got := e.createUserAPI(t, kind, `{"serviceNames":[]}`)
		if r.status != 201 || len(str(got, "groupIdentifier")) != 12 {
			t.Errorf("%s: %d %s", kind, r.status, r.body)
		}
		det, _ := got["individualDetails"].(map[string]any)
		if wantDet := kind != "agents"; (det != nil) != wantDet {
			t.Errorf("%s: individualDetails %v", kind, got["individualDetails"])
		}
		if det != nil && str(got, "userFullName") != str(det, "firstName")+" "+str(det, "lastName") {
			t.Errorf("%s: name %q vs %v", kind, str(got, "userFullName"), det)
		}
	}
}

// Service.scala's catalogue: its order, display names and allowed user types.
func TestTestUserServicesCatalogue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	r := e.do("GET", "/create-test-user/services", e.appToken(), "", nil)
	var got []serviceInfo
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || len(got) != 20 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if got[0].Key != "national-insurance" {
		t.Errorf("first service %q", got[0].Key)
	}
	want := map[string]string{
		"mtd-vat":                 `MTD VAT [INDIVIDUAL ORGANISATION]`,
		"submit-vat-returns":      `Submit VAT Returns [ORGANISATION]`,
		"paye-for-employers":      `PAYE for Employers [ORGANISATION]`,
		"goods-vehicle-movements": `Goods Vehicle Services [INDIVIDUAL ORGANISATION]`,
		"import-control-system":   `Import Control System [ORGANISATION]`,
		"pillar-2":                `Pillar 2 [ORGANISATION AGENT]`,
		"mtd-income-tax":          `MTD Income Tax [INDIVIDUAL ORGANISATION]`,
	}
	for _, s := range got {
		if w, ok := want[s.Key]; ok && fmt.Sprint(s.Name, " ", s.AllowedUserTypes) != w {
			t.Errorf("%s = %s %v, want %s", s.Key, s.Name, s.AllowedUserTypes, w)
		}
	}
}

// TestUserController.scala reads the body with withJsonBody, whose failure for a
// name that is no ServiceKey is a plain-text 400, not a JSON error.
func TestCreateTestUserUnknownServiceIsPlainText(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	r, _ := e.createUserAPI(t, "organisations", `{"serviceNames":["mtd-vat","time-travel"]}`)
	if r.status != 400 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") ||
		!strings.HasPrefix(r.body, "Invalid CreateUserWithOptionalRequestParams payload: ") || !strings.Contains(r.body, "time-travel") {
		t.Errorf("%d %q %s", r.status, r.header.Get("Content-Type"), r.body)
	}
}

// SubmitReturnController.scala submits through authorisedAction(vrn).async(parse.json):
// Play parses the body before AuthorisedController.invokeBlock checks the VRN and the
// enrolment.
func TestSubmitBodyParsedBeforeEnrolment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u, other := e.org(), e.org()
	tk := e.login(u)
	for _, tt := range []struct {
		name, vrn, body, ctype string
		status                 int
		want                   string
	}{
		{"bad json, someone else's vrn", other.VRN, `{"periodKey":`, "", 400, `{"statusCode":400,"message":"Invalid Json"}`},
		{"bad json, invalid vrn", "12345", `{"periodKey":`, "", 400, `{"statusCode":400,"message":"Invalid Json"}`},
		{"wrong content type, someone else's vrn", other.VRN, `{}`, "text/plain", 415, ""},
		{"good json, someone else's vrn", other.VRN, `{}`, "", 403, bodyNotAuthed},
		{"good json, invalid vrn", "12345", `{}`, "", 400, bodyVRNInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hdr := map[string]string{}
			if tt.ctype != "" {
				hdr["Content-Type"] = tt.ctype
			}
			r := e.do("POST", "/organisations/vat/"+tt.vrn+"/returns", tk.AccessToken, tt.body, hdr)
			if tt.want == "" {
				tt.want = playPage(tt.vrn)
			}
			r.expect(t, tt.status, tt.want)
			for _, h := range []string{"X-CorrelationId", "Receipt-ID", "Receipt-Timestamp"} {
				if r.header.Get(h) != "" {
					t.Errorf("%s = %q", h, r.header.Get(h))
				}
			}
		})
	}
}

// Play's Reads[BigDecimal] accepts a number sent as a string, so
// SubmitReturnValidator.scala lets "105.50" through, and the return is filed.
func TestSubmitAcceptsNumbersAsStrings(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	body := submission("26A3", map[string]string{"vatDueSales": `"105.50"`, "totalValueSalesExVAT": `"300"`, "netVatDue": `"1.001e2"`})
	r := e.do("POST", "/organisations/vat/"+u.VRN+"/returns", tk.AccessToken, body, nil)
	if r.status != 201 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	// On success X-CorrelationId is the downstream's, Receipt-ID the controller's.
	if r.header.Get("Receipt-ID") == r.header.Get("X-CorrelationId") || !uuidPattern.MatchString(r.header.Get("X-CorrelationId")) {
		t.Errorf("Receipt-ID %q, X-CorrelationId %q", r.header.Get("Receipt-ID"), r.header.Get("X-CorrelationId"))
	}
	if v := string(e.srv.Returns(u.VRN)["26A3"]); !strings.Contains(v, `"vatDueSales":105.5,`) || !strings.Contains(v, `"netVatDue":100.1,`) {
		t.Errorf("stored %s", v)
	}
}

// vat-api calls its back end only after routing, enrolment and validation
// (SubmitReturnController.scala: parseRequest, then service.submitReturn); since May
// 2026 a back-end 503 is SERVICE_UNAVAILABLE "Internal server error" (mtdErrors.scala
// ServiceUnavailableError).
func TestDownstreamUnavailableComesAfterValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	f, err := ParseFault("submit=downstream-503")
	if err != nil {
		t.Fatal(err)
	}
	e.srv.InjectFault(f)
	path := "/organisations/vat/" + u.VRN + "/returns"
	r := e.do("POST", path, tk.AccessToken, submission("26A3", map[string]string{"netVatDue": `-1`}), nil)
	r.expect(t, 400, invalid(errNet))
	r = e.do("POST", path, tk.AccessToken, fmt.Sprintf(goodReturn, "26A3"), nil)
	r.expect(t, 503, `{"code":"SERVICE_UNAVAILABLE","message":"Internal server error"}`)
	if r.header.Get("Receipt-ID") == "" {
		t.Error("no Receipt-ID on the controller's 503")
	}
	if n := len(e.srv.Returns(u.VRN)); n != 0 {
		t.Errorf("%d returns stored", n)
	}
	// The fault is spent: the next submission goes through.
	e.do("POST", path, tk.AccessToken, fmt.Sprintf(goodReturn, "26A3"), nil).expect201(t)

	e.srv.InjectFault(Fault{Endpoint: "obligations", Kind: FaultDownstreamUnavailable})
	obl := "/organisations/vat/" + u.VRN + "/obligations"
	e.do("GET", obl+"?status=X", tk.AccessToken, "", nil).expect(t, 400, `{"statusCode":400,"message":"INVALID_STATUS"}`)
	e.do("GET", obl+"?status=O", tk.AccessToken, "", nil).expect(t, 503, `{"code":"SERVICE_UNAVAILABLE","message":"Internal server error"}`)
}

func (r reply) expect201(t *testing.T) {
	t.Helper()
	if r.status != 201 {
		t.Errorf("got %d %s, want 201", r.status, r.body)
	}
}

// PenaltiesHttpParser.scala and FinancialDataHttpParser.scala: HIP's 403 becomes
// UnauthorisedError (no full stop); an HIP code they do not map comes back as it is,
// in a 500 (PenaltiesController.scala, FinancialDataController.scala errorResult).
func TestHIPFaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	base := "/organisations/vat/" + u.VRN
	for _, ep := range []struct{ name, path string }{{"penalties", base + "/penalties"}, {"financial-details", base + "/financial-details/XP123456789012"}} {
		f403, err := ParseFault(ep.name + "=hip-403")
		if err != nil {
			t.Fatal(err)
		}
		fErr, err := ParseFault(ep.name + "=hip-error")
		if err != nil {
			t.Fatal(err)
		}
		e.srv.InjectFault(f403)
		e.do("GET", ep.path, tk.AccessToken, "", nil).expect(t, 403, `{"code":"CLIENT_OR_AGENT_NOT_AUTHORISED","message":"The client and/or agent is not authorised"}`)
		e.srv.InjectFault(fErr)
		e.do("GET", ep.path, tk.AccessToken, "", nil).expect(t, 500, `{"code":"111","message":"Unknown error message"}`)
	}
	// Validation still comes first.
	e.srv.InjectFault(Fault{Endpoint: "financial-details", Kind: FaultHIPForbidden})
	e.do("GET", base+"/financial-details/nope", tk.AccessToken, "", nil).expect(t, 400, `{"code":"CHARGE_REFERENCE_INVALID","message":"The provided chargeReference is invalid"}`)
	for _, spec := range []string{"obligations=hip-403", "*=hip-error", "submit=hip-error", "token=downstream-503"} {
		if _, err := ParseFault(spec); err == nil {
			t.Errorf("ParseFault(%q) accepted", spec)
		}
	}
}

// A code_verifier sent for a code issued without code_challenge is refused
// (invalid_request), not ignored.
func TestVerifierWithoutChallenge(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	noPKCE := url.Values{"code_challenge": {""}, "code_challenge_method": {""}}
	status, body := e.exchange(e.code(u, noPKCE))
	if status != 400 || !strings.Contains(body, `"error":"invalid_request"`) {
		t.Errorf("verifier without challenge: %d %s", status, body)
	}
	status, body = e.tokenRequest(url.Values{
		"grant_type": {"authorization_code"}, "client_id": {LocalClientID}, "client_secret": {LocalClientSecret},
		"code": {e.code(u, noPKCE)}, "redirect_uri": {testRedirect},
	})
	if status != 200 {
		t.Errorf("no PKCE at all: %d %s", status, body)
	}
}

// AuthorisedController.scala: when the auth service itself fails
// (ForbiddenDownstreamError) the reply is 403 with DownstreamError's body, after the
// VRN check and before any work.
func TestAuthServiceErrorFault(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	f, err := ParseFault("submit=auth-error")
	if err != nil {
		t.Fatal(err)
	}
	e.srv.InjectFault(f)
	path := "/organisations/vat/" + u.VRN + "/returns"
	r := e.do("POST", path, tk.AccessToken, fmt.Sprintf(goodReturn, "26A3"), nil)
	r.expect(t, 403, `{"code":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred"}`)
	if n := len(e.srv.Returns(u.VRN)); n != 0 {
		t.Errorf("%d returns stored", n)
	}
	e.srv.InjectFault(f)
	e.do("POST", "/organisations/vat/12345/returns", tk.AccessToken, fmt.Sprintf(goodReturn, "26A3"), nil).expect(t, 400, bodyVRNInvalid)
	if _, err := ParseFault("token=auth-error"); err == nil {
		t.Error("token=auth-error accepted")
	}
}

// With FPHValidateUserOnly the validator answers an application token as a
// user-restricted endpoint does, and still takes a user's token.
func TestFPHValidateUserOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{FPHValidateUserOnly: true})
	u := e.org()
	tk := e.login(u)
	e.do("GET", "/test/fraud-prevention-headers/validate", e.appToken(), "", nil).expect(t, 401, bodyWrongType)
	if r := e.do("GET", "/test/fraud-prevention-headers/validate", tk.AccessToken, "", nil); r.status != 200 {
		t.Errorf("user token: %d %s", r.status, r.body)
	}
}

// playPage is Play's HTML page for a 415 on submit for vrn.
func playPage(vrn string) string {
	return strings.ReplaceAll(`<!DOCTYPE html>
<html lang="en">
    <head>
        <title>Bad request</title>
    </head>
    <body>
        <h1>Bad request</h1>
        <p id="detail">
            For request 'POST /VRN/returns' [Expecting text/json or application/json body]
        </p>
    </body>
</html>
`, "VRN", vrn)
}

// LegacyErrorHandler.scala maps only onBadRequest to JSON: Play's body parser answers an
// oversized body (over parse.json's 100KiB default) with its HTML 413 page.
func TestSubmitTooLargeIsPlayHTML(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	u := e.org()
	tk := e.login(u)
	body := `{"pad":"` + strings.Repeat("x", 100<<10) + `"}`
	r := e.do("POST", "/organisations/vat/"+u.VRN+"/returns", tk.AccessToken, body, nil)
	if r.status != 413 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(r.body, "[Request Entity Too Large]") ||
		r.header.Get("Receipt-ID") != "" {
		t.Errorf("%d %v %s", r.status, r.header, r.body)
	}
}
