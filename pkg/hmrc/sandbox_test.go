package hmrc_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// emulator is a sandbox over real HTTP with an organisation signed in.
type emulator struct {
	srv  *sandbox.Server
	ts   *httptest.Server
	user *hmrc.TestUser
	app  *hmrc.Client // application token: test APIs
	api  *hmrc.Client // the organisation's user token
	tok  *oauth2.Token
}

// userClient is a client with the user's token whose transport is wrapped by wrap.
func (e *emulator) userClient(wrap func(http.RoundTripper) http.RoundTripper) *hmrc.Client {
	hc := &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(e.tok), Base: wrap(e.ts.Client().Transport)}}
	return hmrc.NewClient(hc, hmrc.WithBaseURL(e.ts.URL), hmrc.WithRateLimit(0), hmrc.WithSleep(noSleep))
}

func newEmulator(t *testing.T, opts ...hmrc.Option) *emulator {
	t.Helper()
	return newEmulatorWith(t, sandbox.Options{}, opts...)
}

// newEmulatorWith is newEmulator with emulator options; the hmrc options apply to the user's
// client (api) and the transport, when set, to both clients.
func newEmulatorWith(t *testing.T, so sandbox.Options, opts ...hmrc.Option) *emulator {
	t.Helper()
	ctx := t.Context()
	srv, err := sandbox.New(so)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	ctx = context.WithValue(ctx, oauth2.HTTPClient, ts.Client())

	cc := clientcredentials.Config{ClientID: sandbox.LocalClientID, ClientSecret: sandbox.LocalClientSecret,
		TokenURL: ts.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}
	base := []hmrc.Option{hmrc.WithBaseURL(ts.URL), hmrc.WithRateLimit(0), hmrc.WithSleep(noSleep)}
	app := hmrc.NewClient(cc.Client(ctx), base...)
	user, resp, err := app.CreateTestOrganisation(ctx, []string{hmrc.ServiceMTDVAT})
	if err != nil {
		t.Fatalf("CreateTestOrganisation: %v", err)
	}
	if resp.StatusCode != http.StatusCreated || !regexp.MustCompile(`^\d{12}$`).MatchString(user.UserID) ||
		!regexp.MustCompile(`^\d{9}$`).MatchString(user.VRN) || user.Password == "" || user.VATRegistrationDate.IsZero() {
		t.Fatalf("test user = %+v (status %d)", user, resp.StatusCode)
	}

	cfg := oauth2.Config{ClientID: sandbox.LocalClientID, ClientSecret: sandbox.LocalClientSecret,
		Endpoint:    oauth2.Endpoint{AuthURL: ts.URL + "/oauth/authorize", TokenURL: ts.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: "http://localhost:8765/callback", Scopes: []string{"read:vat", "write:vat"}}
	verifier := oauth2.GenerateVerifier()
	cb, err := sandbox.SignIn(ctx, ts.Client(), cfg.AuthCodeURL("st8", oauth2.S256ChallengeOption(verifier)), user.UserID, user.Password)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if cb.Query().Get("state") != "st8" {
		t.Fatalf("callback %v lost the state", cb)
	}
	tok, err := cfg.Exchange(ctx, cb.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	api := hmrc.NewClient(cfg.Client(ctx, tok), append(base, opts...)...)
	return &emulator{srv: srv, ts: ts, user: user, app: app, api: api, tok: tok}
}

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// openEnded returns an open obligation whose period has ended (so it can be filed).
func (e *emulator) openEnded(t *testing.T) hmrc.Obligation {
	t.Helper()
	obs, _, err := e.api.Obligations(t.Context(), e.user.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
	if err != nil {
		t.Fatalf("Obligations: %v", err)
	}
	today := hmrc.DateOf(time.Now())
	for _, o := range obs {
		if o.Status != hmrc.StatusOpen {
			t.Errorf("status=O returned %+v", o)
		}
		if o.End.Before(today) {
			return o
		}
	}
	t.Fatalf("no open obligation that has ended: %+v", obs)
	return hmrc.Obligation{}
}

var sampleReturn = vatreturn.Return{
	VATDueSales: 105050, VATDueAcquisitions: 0, TotalVATDue: 105050, VATReclaimedCurrPeriod: 20025,
	NetVATDue: 85025, TotalValueSalesExVAT: 525200, TotalValuePurchasesExVAT: 100100,
}

func TestEmulatorSubmitViewAndDuplicate(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	ctx := t.Context()
	ob := e.openEnded(t)
	// One calendar month and seven days after a month-end: the 7th of the month after next.
	if want := hmrc.DateOf(time.Date(ob.End.Y, ob.End.M+2, 7, 0, 0, 0, 0, time.UTC)); ob.Due != want {
		t.Errorf("obligation %s ending %s due %s, want %s", ob.PeriodKey, ob.End, ob.Due, want)
	}

	rc, resp, err := e.api.SubmitReturn(ctx, e.user.VRN, hmrc.SubmitRequest{PeriodKey: ob.PeriodKey, Return: sampleReturn, Finalised: true})
	if err != nil {
		t.Fatalf("SubmitReturn: %v", err)
	}
	if resp.StatusCode != http.StatusCreated || !regexp.MustCompile(`^\d{12}$`).MatchString(rc.FormBundleNumber) ||
		len(rc.ReceiptID) != 36 || rc.ReceiptTimestamp.IsZero() || rc.ProcessingDate.IsZero() || len(rc.CorrelationID) != 36 {
		t.Errorf("receipt = %+v (status %d)", rc, resp.StatusCode)
	}
	if rc.PaymentIndicator != "" && rc.PaymentIndicator != "DD" && rc.PaymentIndicator != "BANK" {
		t.Errorf("paymentIndicator = %q", rc.PaymentIndicator)
	}

	// The same period again: HMRC's BUSINESS_ERROR wrapper with DUPLICATE_SUBMISSION inside.
	_, _, err = e.api.SubmitReturn(ctx, e.user.VRN, hmrc.SubmitRequest{PeriodKey: ob.PeriodKey, Return: sampleReturn, Finalised: true})
	if !errors.Is(err, hmrc.ErrDuplicateSubmission) || !hmrc.IsRejected(err) || errors.Is(err, hmrc.ErrOutcomeUnknown) {
		t.Errorf("second submit: err = %v, want ErrDuplicateSubmission", err)
	}
	if st := e.srv.Stats(); st.Submissions != 1 || st.Requests["submit"] != 2 {
		t.Errorf("stats = %+v", st)
	}

	v, _, err := e.api.Return(ctx, e.user.VRN, ob.PeriodKey)
	if err != nil {
		t.Fatalf("Return: %v", err)
	}
	if v.PeriodKey != ob.PeriodKey || v.Return != sampleReturn {
		t.Errorf("view = %+v, want %+v", v, sampleReturn)
	}

	// The obligation is now fulfilled.
	obs, _, err := e.api.Obligations(ctx, e.user.VRN, hmrc.ObligationsOptions{From: ob.Start, To: ob.End, Status: hmrc.StatusFulfilled})
	if err != nil {
		t.Fatalf("fulfilled obligations: %v", err)
	}
	found := false
	for _, o := range obs {
		found = found || (o.PeriodKey == ob.PeriodKey && o.Status == hmrc.StatusFulfilled && !o.Received.IsZero())
	}
	if !found {
		t.Errorf("filed period %s not fulfilled: %+v", ob.PeriodKey, obs)
	}
}

func TestEmulatorErrors(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	ctx := t.Context()

	if _, _, err := e.api.Return(ctx, e.user.VRN, "ZZ99"); !errors.Is(err, hmrc.ErrNotFound) {
		t.Errorf("unfiled period: err = %v, want ErrNotFound", err)
	}
	if _, _, err := e.api.Return(ctx, e.user.VRN, "bad"); !errors.Is(err, hmrc.ErrPeriodKeyInvalid) {
		t.Errorf("bad period key: err = %v, want PERIOD_KEY_INVALID", err)
	}
	if _, _, err := e.api.Obligations(ctx, "12345", hmrc.ObligationsOptions{Status: hmrc.StatusOpen}); !errors.Is(err, hmrc.ErrVRNInvalid) {
		t.Errorf("bad vrn: err = %v, want VRN_INVALID", err)
	}
	other := "100000032" // not this user's VRN
	if e.user.VRN == other {
		other = "100000040"
	}
	_, _, err := e.api.Obligations(ctx, other, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
	if !errors.Is(err, hmrc.ErrClientOrAgentNotAuthorised) || !hmrc.IsAuth(err) {
		t.Errorf("other vrn: err = %v, want CLIENT_OR_AGENT_NOT_AUTHORISED", err)
	}
	// The legacy {"statusCode":400,"message":"INVALID_DATE_RANGE"} body for from == to (sent as is:
	// a one-day range is not split).
	day := hmrc.DateOf(time.Now()).AddDays(-30)
	if _, _, err := e.api.Obligations(ctx, e.user.VRN, hmrc.ObligationsOptions{From: day, To: day}); !errors.Is(err, hmrc.CodeError(hmrc.CodeInvalidDateRange)) {
		t.Errorf("from == to: err = %v, want INVALID_DATE_RANGE", err)
	}
	// Box 3 wrong: the INVALID_REQUEST wrapper with VAT_TOTAL_VALUE inside.
	bad := sampleReturn
	bad.TotalVATDue++
	_, _, err = e.api.SubmitReturn(ctx, e.user.VRN, hmrc.SubmitRequest{PeriodKey: "18A1", Return: bad, Finalised: true})
	var ae *hmrc.APIError
	if !errors.As(err, &ae) || ae.Code != hmrc.CodeInvalidRequest || !ae.Has(hmrc.CodeVATTotalValue) || ae.StatusCode != 400 {
		t.Errorf("bad box 3: err = %v, want INVALID_REQUEST/VAT_TOTAL_VALUE", err)
	}
	// No declaration.
	_, _, err = e.api.SubmitReturn(ctx, e.user.VRN, hmrc.SubmitRequest{PeriodKey: "18A1", Return: sampleReturn})
	if !errors.Is(err, hmrc.ErrNotFinalised) {
		t.Errorf("not finalised: err = %v, want NOT_FINALISED", err)
	}
	// An application token cannot reach VAT endpoints.
	if _, _, err := e.app.Obligations(ctx, e.user.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen}); !hmrc.IsAuth(err) {
		t.Errorf("app token on VAT API: err = %v, want an auth error", err)
	}
}

func TestEmulatorScenario(t *testing.T) {
	t.Parallel()
	e := newEmulator(t, hmrc.WithGovTestScenario("INSOLVENT_TRADER"))
	_, _, err := e.api.Obligations(t.Context(), e.user.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
	if !errors.Is(err, hmrc.ErrInsolventTrader) {
		t.Errorf("INSOLVENT_TRADER: err = %v", err)
	}
	e2 := newEmulator(t, hmrc.WithGovTestScenario("NO_SUCH_SCENARIO"))
	_, _, err = e2.api.Obligations(t.Context(), e2.user.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
	if !errors.Is(err, hmrc.ErrIncorrectGovTestScenario) {
		t.Errorf("unknown scenario: err = %v", err)
	}
}

func TestEmulatorFinancialEndpoints(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	ctx := t.Context()
	ob := e.openEnded(t)
	if _, _, err := e.api.SubmitReturn(ctx, e.user.VRN, hmrc.SubmitRequest{PeriodKey: ob.PeriodKey, Return: sampleReturn, Finalised: true}); err != nil {
		t.Fatalf("SubmitReturn: %v", err)
	}
	today := hmrc.DateOf(time.Now())
	from := today.AddYears(-3)
	if reg := e.user.VATRegistrationDate; from.Before(reg) {
		from = reg
	}
	if earliest := (hmrc.Date{Y: 2016, M: time.April, D: 6}); from.Before(earliest) {
		from = earliest
	}
	before := e.srv.Stats().Requests["obligations"]
	obs, _, err := e.api.Obligations(ctx, e.user.VRN, hmrc.ObligationsOptions{From: from, To: today})
	if err != nil {
		t.Fatalf("Obligations %s..%s: %v", from, today, err)
	}
	if n := e.srv.Stats().Requests["obligations"] - before; from.AddYears(2).Before(today) && n < 3 {
		t.Errorf("obligations over %s..%s took %d requests, want at least 3", from, today, n)
	}
	keys := map[string]bool{}
	for i, o := range obs {
		if keys[o.PeriodKey] {
			t.Errorf("period %s listed twice", o.PeriodKey)
		}
		keys[o.PeriodKey] = true
		if i > 0 && o.Start.Before(obs[i-1].Start) {
			t.Errorf("obligations out of order at %d: %+v", i, obs)
		}
	}
	if !keys[ob.PeriodKey] {
		t.Errorf("the filed period %s is missing from %+v", ob.PeriodKey, obs)
	}
	liabs, _, err := e.api.Liabilities(ctx, e.user.VRN, from, today)
	if err != nil {
		t.Fatalf("Liabilities %s..%s: %v", from, today, err)
	}
	found := false
	for i, l := range liabs {
		if i > 0 && l.TaxPeriod != nil && liabs[i-1].TaxPeriod != nil && l.TaxPeriod.From.Before(liabs[i-1].TaxPeriod.From) {
			t.Errorf("liabilities out of order: %+v", liabs)
		}
		if l.TaxPeriod != nil && l.TaxPeriod.From == ob.Start && l.TaxPeriod.To == ob.End && l.OriginalAmount == sampleReturn.NetVATDue {
			found = true
		}
	}
	if !found {
		t.Errorf("no liability for the filed return %s (%s..%s, %s) in %+v", ob.PeriodKey, ob.Start, ob.End, sampleReturn.NetVATDue, liabs)
	}
	if _, _, err := e.api.Payments(ctx, e.user.VRN, from, today); err != nil {
		t.Errorf("Payments: %v", err)
	}
	p, _, err := e.api.Penalties(ctx, e.user.VRN)
	if err != nil {
		t.Fatalf("Penalties: %v", err)
	}
	var refs []string
	if p.LateSubmissionPenalty != nil {
		for _, d := range p.LateSubmissionPenalty.Details {
			if d.ChargeReference != "" {
				refs = append(refs, d.ChargeReference)
			}
		}
	}
	if p.LatePaymentPenalty != nil {
		for _, d := range p.LatePaymentPenalty.Details {
			if d.PenaltyChargeReference != "" {
				refs = append(refs, d.PenaltyChargeReference)
			}
		}
	}
	for _, ref := range refs {
		if _, _, err := e.api.FinancialDetails(ctx, e.user.VRN, ref); err != nil {
			t.Errorf("FinancialDetails(%s): %v", ref, err)
		}
	}
	_, _, err = e.api.FinancialDetails(ctx, e.user.VRN, "XP000000000000")
	if err != nil && !errors.Is(err, hmrc.CodeError(hmrc.CodeMatchingResourceNotFound)) {
		t.Errorf("unknown charge: err = %v", err)
	}
	if _, _, err := e.api.FinancialDetails(ctx, e.user.VRN, "nope"); !errors.Is(err, hmrc.CodeError(hmrc.CodeChargeReferenceInvalid)) {
		t.Errorf("bad charge ref: err = %v", err)
	}
	ci, _, err := e.api.Information(ctx, e.user.VRN)
	if err != nil {
		t.Fatalf("Information: %v", err)
	}
	if ci.CustomerDetails == nil || ci.CustomerDetails.EffectiveRegistrationDate != e.user.VATRegistrationDate {
		t.Errorf("information = %+v, want registration date %s", ci, e.user.VATRegistrationDate)
	}
}

func TestEmulatorFaults(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	tests := []struct {
		name        string
		fault       sandbox.Fault
		wantUnknown bool
		wantStored  bool
	}{
		{"503 is outcome unknown and not retried", sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultUnavailable}, true, false},
		{"drop after processing is outcome unknown, stored once", sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultDropAfterProcessing}, true, true},
		{"throttle is retried and succeeds", sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultThrottle}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEmulator(t)
			ob := e.openEnded(t)
			e.srv.InjectFault(tt.fault)
			_, _, err := e.api.SubmitReturn(ctx, e.user.VRN, hmrc.SubmitRequest{PeriodKey: ob.PeriodKey, Return: sampleReturn, Finalised: true})
			if tt.wantUnknown != errors.Is(err, hmrc.ErrOutcomeUnknown) || (!tt.wantUnknown && err != nil) {
				t.Fatalf("err = %v, want outcome unknown %v", err, tt.wantUnknown)
			}
			st := e.srv.Stats()
			wantPosts := 1
			if tt.fault.Kind == sandbox.FaultThrottle {
				wantPosts = 2
			}
			if st.Requests["submit"] != wantPosts {
				t.Errorf("submit requests = %d, want %d", st.Requests["submit"], wantPosts)
			}
			if _, ok := e.srv.Returns(e.user.VRN)[ob.PeriodKey]; ok != tt.wantStored || len(e.srv.Returns(e.user.VRN)) > 1 {
				t.Errorf("stored returns = %d, want stored %v", len(e.srv.Returns(e.user.VRN)), tt.wantStored)
			}
			// Reconciliation as the CLI does it: look the return up.
			_, _, err = e.api.Return(ctx, e.user.VRN, ob.PeriodKey)
			if tt.wantStored != (err == nil) {
				t.Errorf("Return after fault: err = %v, want stored %v", err, tt.wantStored)
			}
		})
	}
}

func TestEmulatorGetRetriedThrough503(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	e.srv.InjectFault(sandbox.Fault{Endpoint: "obligations", Kind: sandbox.FaultUnavailable, Times: 2})
	_, resp, err := e.api.Obligations(t.Context(), e.user.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
	if err != nil || resp.Attempts != 3 {
		t.Fatalf("Obligations through two 503s: attempts %v, err %v", resp, err)
	}
}

func TestEmulatorTestAPIs(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	ctx := t.Context()
	agent, _, err := e.app.CreateTestAgent(ctx, hmrc.DefaultTestServices("agent"))
	if err != nil || agent.ARN == "" || agent.GroupIdentifier == "" {
		t.Errorf("CreateTestAgent = %+v, %v", agent, err)
	}
	// Generator.scala: without agent-services an agent has no Agent Services account.
	if agent, _, err := e.app.CreateTestAgent(ctx, nil); err != nil || agent.ARN != "" {
		t.Errorf("CreateTestAgent without services = %+v, %v", agent, err)
	}
	ind, _, err := e.app.CreateTestIndividual(ctx, []string{hmrc.ServiceMTDVAT})
	if err != nil || ind.UserID == "" {
		t.Errorf("CreateTestIndividual = %+v, %v", ind, err)
	}
	svcs, _, err := e.app.TestServices(ctx)
	if err != nil {
		t.Fatalf("TestServices: %v", err)
	}
	hasVAT := false
	for _, s := range svcs {
		hasVAT = hasVAT || s.Key == hmrc.ServiceMTDVAT
	}
	if !hasVAT {
		t.Errorf("services lack mtd-vat: %+v", svcs)
	}
	v, _, err := e.app.ValidateFraudHeaders(ctx)
	if err != nil {
		t.Fatalf("ValidateFraudHeaders: %v", err)
	}
	// This client sends no fraud headers at all, so they cannot be valid.
	if v.Code != hmrc.FraudInvalidHeaders || v.Valid() || len(v.Errors) == 0 {
		t.Errorf("validation = %+v, want INVALID_HEADERS", v)
	}
	if _, _, err := e.api.Obligations(ctx, e.user.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.app.FraudHeadersFeedback(ctx, hmrc.FraudAPIVATMTD, ""); err != nil {
		t.Errorf("FraudHeadersFeedback: %v", err)
	}
}

func TestEmulatorSubmitTimeoutIsOutcomeUnknownAndFiled(t *testing.T) {
	t.Parallel()
	e := newEmulator(t, hmrc.WithRequestTimeout(200*time.Millisecond))
	ob := e.openEnded(t)
	e.srv.InjectFault(sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultTimeoutAfterProcessing, Delay: 30 * time.Second})
	_, _, err := e.api.SubmitReturn(t.Context(), e.user.VRN, hmrc.SubmitRequest{PeriodKey: ob.PeriodKey, Return: sampleReturn, Finalised: true})
	if !errors.Is(err, hmrc.ErrOutcomeUnknown) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want outcome unknown after the attempt timed out", err)
	}
	if n := e.srv.Stats().Requests["submit"]; n != 1 {
		t.Errorf("submit requests = %d, want 1", n)
	}
	if _, ok := e.srv.Returns(e.user.VRN)[ob.PeriodKey]; !ok {
		t.Error("the emulator did not store the return the client timed out on")
	}
}

func TestEmulatorRefusedRefreshIsAuthAndNothingSent(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	cfg := oauth2.Config{ClientID: sandbox.LocalClientID, ClientSecret: sandbox.LocalClientSecret,
		Endpoint: oauth2.Endpoint{TokenURL: e.ts.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}}
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, e.ts.Client())
	// An expired access token whose refresh token HMRC no longer knows: the transport's refresh
	// fails with invalid_grant before the API request can be sent.
	stale := &oauth2.Token{AccessToken: "expired", RefreshToken: "revoked", Expiry: time.Now().Add(-time.Hour)}
	c := hmrc.NewClient(cfg.Client(ctx, stale), hmrc.WithBaseURL(e.ts.URL), hmrc.WithRateLimit(0), hmrc.WithSleep(noSleep))
	before := e.srv.Stats().Requests["submit"]
	_, _, err := c.SubmitReturn(t.Context(), e.user.VRN, hmrc.SubmitRequest{PeriodKey: "18A1", Return: sampleReturn, Finalised: true})
	if !hmrc.IsAuth(err) || errors.Is(err, hmrc.ErrOutcomeUnknown) || hmrc.IsTemporary(err) {
		t.Fatalf("err = %v, want an auth error that is neither temporary nor an unknown outcome", err)
	}
	if after := e.srv.Stats().Requests["submit"]; after != before {
		t.Errorf("submit requests went from %d to %d, want none sent", before, after)
	}
	_, resp, err := c.Obligations(t.Context(), e.user.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
	if !hmrc.IsAuth(err) || resp != nil {
		t.Errorf("GET with a refused refresh: err = %v, resp = %v; want an auth error without retries", err, resp)
	}
}

// TestEmulatorDebugTraceOfWholeLogin traces a real login and API session, with the debug
// transport innermost as the CLI wires it, and checks that no secret HMRC or the user handed
// over appears in it.
func TestEmulatorDebugTraceOfWholeLogin(t *testing.T) {
	t.Parallel()
	e := newEmulator(t)
	var trace strings.Builder
	traced := &http.Client{Transport: &hmrc.DebugTransport{Base: e.ts.Client().Transport, Out: &syncWriter{w: &trace}}}
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, traced)

	cfg := oauth2.Config{ClientID: sandbox.LocalClientID, ClientSecret: sandbox.LocalClientSecret,
		Endpoint:    oauth2.Endpoint{AuthURL: e.ts.URL + "/oauth/authorize", TokenURL: e.ts.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: "http://127.0.0.1:8765/callback", Scopes: []string{"read:vat", "write:vat"}}
	verifier := oauth2.GenerateVerifier()
	cb, err := sandbox.SignIn(ctx, traced, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), e.user.UserID, e.user.Password)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	code := cb.Query().Get("code")
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	// Force a refresh so a rotated token pair goes over the wire too.
	expired := *tok
	expired.Expiry = time.Now().Add(-time.Minute)
	src := cfg.TokenSource(ctx, &expired)
	fresh, err := src.Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	// The out-of-band page shows the code in its title and text.
	oob := cfg
	oob.RedirectURL = "urn:ietf:wg:oauth:2.0:oob"
	oobURL, err := sandbox.SignIn(ctx, traced, oob.AuthCodeURL("s2", oauth2.S256ChallengeOption(verifier)), e.user.UserID, e.user.Password)
	if err != nil {
		t.Fatalf("SignIn (oob): %v", err)
	}
	oobCode := oobURL.Query().Get("code")
	// SignIn stops at the redirect; fetch the page as the user's browser would.
	page, err := traced.Get(e.ts.URL + oobURL.RequestURI())
	if err != nil {
		t.Fatalf("OOB page: %v", err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !strings.Contains(string(body), oobCode) {
		t.Fatalf("the OOB page does not show the code; the test would prove nothing")
	}
	c := hmrc.NewClient(oauth2.NewClient(ctx, oauth2.StaticTokenSource(fresh)), hmrc.WithBaseURL(e.ts.URL), hmrc.WithRateLimit(0))
	if _, _, err := c.Obligations(t.Context(), e.user.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen}); err != nil {
		t.Fatalf("Obligations: %v", err)
	}
	out := trace.String()
	secrets := map[string]string{
		"password": e.user.Password, "code": code, "oob code": oobCode, "verifier": verifier, "client secret": sandbox.LocalClientSecret,
		"access token": tok.AccessToken, "refresh token": tok.RefreshToken,
		"new access token": fresh.AccessToken, "new refresh token": fresh.RefreshToken,
	}
	for name, s := range secrets {
		if s == "" {
			t.Errorf("%s is empty; the test would prove nothing", name)
			continue
		}
		if i := strings.Index(out, s); i >= 0 {
			t.Errorf("the %s survived in the trace: …%s…", name, out[max(0, i-200):min(len(out), i+50)])
		}
	}
	for _, want := range []string{"/oauth/token", "grant_type=refresh_token", "/obligations", e.user.UserID, "Authorization: Bearer [REDACTED]"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q", want)
		}
	}
}

// syncWriter serialises writes from concurrent transports into one builder.
type syncWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
