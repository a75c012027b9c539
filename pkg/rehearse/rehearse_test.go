package rehearse

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/hmrc"
)

// The recorder keeps what the evidence needs and nothing that could carry a secret: the query of
// an OAuth address (codes, states) is dropped, a VAT call's dates are kept.
func TestRecorderKeepsNoOAuthQuery(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-CorrelationId", "corr-"+r.URL.Path)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer ts.Close()
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	rec := &Recorder{Now: func() time.Time { return at }}
	hc := &http.Client{Transport: rec}
	for _, u := range []string{"/oauth/authorize?code=SECRETCODE&state=s", "/organisations/vat/123456789/obligations?from=2026-01-01&to=2026-03-31"} {
		resp, err := hc.Get(ts.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if _, err := hc.Get("http://127.0.0.1:1/organisations/vat/123456789/returns"); err == nil {
		t.Fatal("reached a closed port")
	}
	calls := rec.Take()
	want := []Call{
		{Time: at, Method: "GET", Endpoint: "/oauth/authorize", Status: 418, CorrelationID: "corr-/oauth/authorize"},
		{Time: at, Method: "GET", Endpoint: "/organisations/vat/123456789/obligations?from=2026-01-01&to=2026-03-31", Status: 418, CorrelationID: "corr-/organisations/vat/123456789/obligations"},
	}
	if len(calls) != 3 || calls[0] != want[0] || calls[1] != want[1] || calls[2].Error == "" || calls[2].Status != 0 {
		t.Errorf("calls = %+v", calls)
	}
	if again := rec.Take(); len(again) != 0 {
		t.Errorf("Take did not start a new list: %+v", again)
	}
}

func TestAdviceNamesWhatToChangeOnTheDeveloperHub(t *testing.T) {
	t.Parallel()
	forbidden := &hmrc.APIError{StatusCode: 403, Code: hmrc.CodeResourceForbidden}
	for _, tt := range []struct {
		step string
		err  error
		want string
	}{
		{StepCreateUser, forbidden, `subscribe to "Create Test User"`},
		{StepFeedback, fmt.Errorf("wrapped: %w", forbidden), `subscribe to "Test Fraud Prevention Headers"`},
		{StepObligations, forbidden, `subscribe to "VAT (MTD)"`},
		{StepSignIn, &RedirectError{RedirectURI: "http://localhost:53682/", Err: errors.New("redirect_uri is invalid")}, "Redirect URIs, and add http://localhost:53682/"},
		{StepPayments, &hmrc.APIError{StatusCode: 503, Code: "SERVICE_UNAVAILABLE"}, "run the rehearsal again later"},
	} {
		if got := Advice(tt.step, tt.err); !strings.Contains(got, tt.want) {
			t.Errorf("Advice(%s, %v) = %q, want it to contain %q", tt.step, tt.err, got, tt.want)
		}
	}
	if got := Advice(StepInformation, errors.New("something else")); got != "" {
		t.Errorf("advice for an unknown error: %q", got)
	}
}

// Text from HMRC (an error message, a validator message) is data: it cannot break the Markdown
// tables or put markup into the printable page.
func TestReportEscapesHMRCText(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	r := &Report{Product: "vat", Version: "1.0", Env: "sandbox", ClientID: "app", Started: at, Finished: at,
		User: &User{UserID: "123456789012", VRN: "123456789"},
		Steps: []*Step{{N: 1, ID: StepValidate, Title: "Validate", Status: Failed, Error: "bad | pipe <script>alert(1)</script>",
			Headers: &HeaderCheck{Source: "validate", Code: hmrc.FraudInvalidHeaders,
				Errors: []HeaderIssue{{Header: "gov-client-device-id", Code: "EMPTY_HEADER", Message: "<b>empty</b>"}}}}},
	}
	r.Checklist, r.Email = checklist(r), draftEmail(r)
	var html, md bytes.Buffer
	if err := WriteHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html.String(), "<script>") || strings.Contains(html.String(), "<b>empty") {
		t.Error("HMRC's text reached the page as markup")
	}
	if !strings.Contains(md.String(), `bad \| pipe`) || strings.Contains(md.String(), "<script>") {
		t.Errorf("Markdown not escaped:\n%s", md.String())
	}
	if r.Passed() || len(r.Failures()) != 1 {
		t.Errorf("passed %v, failures %d", r.Passed(), len(r.Failures()))
	}
	for _, c := range r.Checklist {
		if c.Section == SectionMinimum && strings.Contains(c.Item, "fraud prevention") && c.Result != Fail {
			t.Errorf("fraud-header standard passed with a header error: %+v", c)
		}
	}
}
