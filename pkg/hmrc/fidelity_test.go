package hmrc_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// rewrite is a transport that alters the submission before it leaves, to make the emulator
// answer what HMRC answers to a client that sends a broken body.
type rewrite struct {
	base  http.RoundTripper
	body  string // replaces the body when set
	ctype string // replaces Content-Type when set
}

func (rw rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPost {
		return rw.base.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	if rw.body != "" {
		r.Body = io.NopCloser(strings.NewReader(rw.body))
		r.ContentLength = int64(len(rw.body))
	}
	if rw.ctype != "" {
		r.Header.Set("Content-Type", rw.ctype)
	}
	return rw.base.RoundTrip(r)
}

// submitThrough submits sampleReturn for the user of e through a client whose transport is rw.
func submitThrough(t *testing.T, e *emulator, rw rewrite) error {
	t.Helper()
	c := e.userClient(func(base http.RoundTripper) http.RoundTripper { rw.base = base; return rw })
	_, _, err := c.SubmitReturn(t.Context(), e.user.VRN, hmrc.SubmitRequest{PeriodKey: "18A1", Return: sampleReturn, Finalised: true})
	return err
}

func TestEmulatorBodiesWithoutCodeGetOne(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	for _, tt := range []struct {
		name   string
		rw     rewrite
		status int
		code   string
	}{
		// LegacyErrorHandler.scala: {"statusCode":400,"message":"Invalid Json"}.
		{"invalid json", rewrite{body: `{"periodKey":`}, 400, hmrc.CodeInvalidJSON},
		// Play's body parser refuses the content type before the controller runs.
		{"wrong content type", rewrite{ctype: "text/plain"}, 415, hmrc.CodeInvalidBodyType},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := submitThrough(t, e, tt.rw)
			var ae *hmrc.APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || ae.Code != tt.code ||
				!strings.Contains(ae.Advice(), "bug in vat") || !hmrc.IsRejected(err) || errors.Is(err, hmrc.ErrOutcomeUnknown) {
				t.Fatalf("err = %v (%#v)", err, ae)
			}
		})
	}
	// TestUserController.scala's withJsonBody: a plain-text 400 for an unknown service name.
	_, _, err := e.app.CreateTestOrganisation(t.Context(), []string{"time-travel"})
	var ae *hmrc.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Code != hmrc.CodeInvalidPayload ||
		!strings.Contains(ae.Message, "time-travel") || !strings.Contains(ae.Advice(), "service names") {
		t.Errorf("unknown service: err = %v (%#v)", err, ae)
	}
}

// The submit stub's INVALID_PAYLOAD scenario answers a flat INVALID_REQUEST with no errors[]:
// there are no details to point at.
func TestEmulatorFlatInvalidRequestAdvice(t *testing.T) {
	t.Parallel()
	e := newEmulator(t, hmrc.WithGovTestScenario("INVALID_PAYLOAD"))
	_, _, err := e.api.SubmitReturn(t.Context(), e.user.VRN, hmrc.SubmitRequest{PeriodKey: "18A1", Return: sampleReturn, Finalised: true})
	var ae *hmrc.APIError
	if !errors.As(err, &ae) || ae.Code != hmrc.CodeInvalidRequest || len(ae.Errors) != 0 {
		t.Fatalf("err = %v", err)
	}
	if a := ae.Advice(); strings.Contains(a, "see the details") || a == "" {
		t.Errorf("advice %q", a)
	}
}

// AuthorisedController.scala answers 403 INTERNAL_SERVER_ERROR when HMRC's auth service fails:
// an HMRC fault, worth retrying, and a submission it stopped was certainly not filed.
func TestEmulatorAuthServiceErrorIsTemporary(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	ctx := t.Context()
	e.srv.InjectFault(sandbox.Fault{Endpoint: "information", Kind: sandbox.FaultAuthServiceError})
	if _, resp, err := e.api.Information(ctx, e.user.VRN); err != nil || resp.Attempts != 2 {
		t.Errorf("GET through one auth failure: attempts %v, err %v", resp, err)
	}
	e.srv.InjectFault(sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultAuthServiceError})
	_, _, err := e.api.SubmitReturn(ctx, e.user.VRN, hmrc.SubmitRequest{PeriodKey: "18A1", Return: sampleReturn, Finalised: true})
	var ae *hmrc.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 403 || !hmrc.IsTemporary(err) || hmrc.IsRejected(err) || hmrc.IsAuth(err) ||
		errors.Is(err, hmrc.ErrOutcomeUnknown) || !strings.Contains(ae.Advice(), "nothing was filed") {
		t.Errorf("submit: err = %v, temporary %v, rejected %v", err, hmrc.IsTemporary(err), hmrc.IsRejected(err))
	}
}

// FinancialDataHttpParser.scala maps HIP's "No Data Identified" to 404
// MATCHING_RESOURCE_NOT_FOUND: the charge does not exist, the address is fine.
func TestEmulatorFinancialDetailsNoSuchCharge(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	_, _, err := e.api.FinancialDetails(t.Context(), e.user.VRN, "XP999999999999")
	var ae *hmrc.APIError
	if !errors.As(err, &ae) || ae.Code != hmrc.CodeMatchingResourceNotFound || !strings.Contains(ae.Advice(), "no charge") ||
		strings.Contains(ae.Advice(), "--api-url") {
		t.Errorf("err = %v, advice %q", err, ae.Advice())
	}
	// The gateway's own 404 for a wrong address keeps its advice.
	bad := hmrc.NewClient(e.ts.Client(), hmrc.WithBaseURL(e.ts.URL+"/nowhere"), hmrc.WithRateLimit(0))
	_, _, err = bad.FinancialDetails(t.Context(), e.user.VRN, "XP999999999999")
	if !errors.As(err, &ae) || ae.Code != hmrc.CodeMatchingResourceNotFound || !strings.Contains(ae.Advice(), "--api-url") {
		t.Errorf("wrong address: err = %v", err)
	}
}

// A long range split into windows, the oldest of which HMRC refuses as more than four years
// back, lists what HMRC serves instead of failing (vat-api's obligations DATE_RANGE_TOO_LARGE).
func TestEmulatorObligationsSkipWindowsTooOld(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	ctx := t.Context()
	today := hmrc.DateOf(time.Now())
	want, _, err := e.api.Obligations(ctx, e.user.VRN, hmrc.ObligationsOptions{From: today.AddYears(-4), To: today})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := e.api.Obligations(ctx, e.user.VRN, hmrc.ObligationsOptions{From: today.AddYears(-6).AddDays(10), To: today})
	if err != nil || len(got) != len(want) {
		t.Fatalf("six years: %d obligations, %v; four years: %d", len(got), err, len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("obligation %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// Entirely out of reach: the refusal is the answer.
	_, _, err = e.api.Obligations(ctx, e.user.VRN, hmrc.ObligationsOptions{From: today.AddYears(-7), To: today.AddYears(-5)})
	if !errors.Is(err, hmrc.ErrDateRangeTooLarge) {
		t.Errorf("seven to five years ago: err = %v", err)
	}
}

// A fraud-header validator that refuses application tokens (as HMRC reportedly does since
// 2026-08-26) gives an error the caller can recognise and fall back on, with no "vat login".
func TestEmulatorFraudValidatorRefusesAppToken(t *testing.T) {
	t.Parallel()
	e := newEmulatorWith(t, sandbox.Options{FPHValidateUserOnly: true})
	_, _, err := e.app.ValidateFraudHeaders(t.Context())
	var ae *hmrc.APIError
	if !errors.Is(err, hmrc.ErrValidatorRefusedToken) || !errors.As(err, &ae) || ae.StatusCode != 401 ||
		strings.Contains(ae.Advice(), "vat login") {
		t.Fatalf("app token: err = %v", err)
	}
	if v, _, err := e.api.ValidateFraudHeaders(t.Context()); err != nil || v.Code == "" {
		t.Errorf("user token: %+v, %v", v, err)
	}
}

// vat-api's FinancialDataResponse.scala reads every amount as a BigDecimal, so interest may come
// with more than two decimals; it is kept exactly.
func TestFinancialDetailsKeepsExtraDecimals(t *testing.T) {
	t.Parallel()
	srv := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.Copy(w, bytes.NewBufferString(`{"totalisations":{"totalBalance":200.00,"additionalReceivableTotalisations":{"totalAccountAccruingInterest":1.2345}},`+
			`"documentDetails":[{"documentTotalAmount":200,"lineItemDetails":[{"amount":"200.00","lineItemInterestDetails":{"currentInterestRate":7.75,"interestAccruingAmount":0.0137}}]}]}`))
	})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c := hmrc.NewClient(ts.Client(), hmrc.WithBaseURL(ts.URL), hmrc.WithRateLimit(0))
	fd, _, err := c.FinancialDetails(t.Context(), "123456789", "XP123456789012")
	if err != nil {
		t.Fatal(err)
	}
	li := fd.DocumentDetails[0].LineItemDetails[0]
	if got := fd.Totalisations.AdditionalReceivableTotalisations.TotalAccountAccruingInterest.String(); got != "1.2345" {
		t.Errorf("accruing interest %s", got)
	}
	if li.LineItemInterestDetails.InterestAccruingAmount.String() != "0.0137" || li.Amount.String() != "200" ||
		li.LineItemInterestDetails.CurrentInterestRate.String() != "7.75" {
		t.Errorf("line item %+v", li)
	}
	if m, err := li.Amount.Money(); err != nil || m != 20000 {
		t.Errorf("amount in pence %v, %v", m, err)
	}
}
