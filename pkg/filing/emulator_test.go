package filing_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/vatbridge/vat/pkg/filing"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// emulated is the workflow against the HMRC emulator over real HTTP, signed in as a new business.
type emulated struct {
	srv   *sandbox.Server
	vrn   string
	filer *filing.Filer
}

func newEmulated(t *testing.T) *emulated {
	t.Helper()
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	user, err := srv.CreateUser("organisation", []string{"mtd-vat"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, ts.Client())
	cfg := oauth2.Config{ClientID: sandbox.LocalClientID, ClientSecret: sandbox.LocalClientSecret,
		Endpoint:    oauth2.Endpoint{AuthURL: ts.URL + "/oauth/authorize", TokenURL: ts.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: "http://localhost:8765/callback", Scopes: []string{"read:vat", "write:vat"}}
	verifier := oauth2.GenerateVerifier()
	cb, err := sandbox.SignIn(ctx, ts.Client(), cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), user.UserID, user.Password)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, cb.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	api := hmrc.NewClient(cfg.Client(ctx, tok), hmrc.WithBaseURL(ts.URL), hmrc.WithRateLimit(0),
		hmrc.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
	j, err := receipts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return &emulated{srv: srv, vrn: user.VRN, filer: &filing.Filer{API: api, Journal: j, Now: time.Now}}
}

var sample = vatreturn.Return{VATDueSales: 250000, TotalVATDue: 250000, VATReclaimedCurrPeriod: 100000, NetVATDue: 150000,
	TotalValueSalesExVAT: 1250000, TotalValuePurchasesExVAT: 500000}

func TestEmulatorChooseSubmitAndResubmit(t *testing.T) {
	t.Parallel()
	e := newEmulated(t)
	ctx := t.Context()
	ob, err := e.filer.ChoosePeriod(ctx, e.vrn, filing.Choice{})
	if err != nil {
		t.Fatalf("ChoosePeriod: %v", err)
	}
	if !ob.End.Before(hmrc.DateOf(time.Now())) {
		t.Fatalf("chose %+v, a period that has not ended", ob)
	}
	out, err := e.filer.Submit(ctx, filing.Submission{VRN: e.vrn, Obligation: *ob, Return: sample})
	if err != nil || out.Receipt.FormBundleNumber == "" || out.Receipt.ReceiptTimestamp == "" {
		t.Fatalf("Submit = %+v, %v", out, err)
	}
	if n := len(e.srv.Returns(e.vrn)); n != 1 {
		t.Fatalf("HMRC holds %d returns, want 1", n)
	}
	// Running the same submit again: the period is filed, and this journal holds its receipt.
	_, err = e.filer.ChoosePeriod(ctx, e.vrn, filing.Choice{End: ob.End, EndFrom: "--period-end"})
	var af *filing.AlreadyFiledError
	if !errors.As(err, &af) || af.Obligation.PeriodKey != ob.PeriodKey {
		t.Fatalf("ChoosePeriod again = %v, want already filed", err)
	}
	d, err := e.filer.CompareFiled(ctx, e.vrn, af.Obligation, sample)
	if err != nil || !d.Resubmitted() {
		t.Fatalf("CompareFiled = %+v, %v", d, err)
	}
	// The POST itself, sent again, is HMRC's DUPLICATE_SUBMISSION.
	_, err = e.filer.Submit(ctx, filing.Submission{VRN: e.vrn, Obligation: *ob, Return: sample})
	var de *filing.DuplicateError
	if !errors.As(err, &de) || de.Held == nil || *de.Held != sample {
		t.Fatalf("second Submit = %v, want a duplicate with HMRC's copy", err)
	}
	if n := len(e.srv.Returns(e.vrn)); n != 1 {
		t.Fatalf("HMRC holds %d returns, want 1", n)
	}
}

func TestEmulatorLostAnswerIsReconciledNotResent(t *testing.T) {
	t.Parallel()
	e := newEmulated(t)
	ctx := t.Context()
	ob, err := e.filer.ChoosePeriod(ctx, e.vrn, filing.Choice{})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.InjectFault(sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultDropAfterProcessing})
	_, err = e.filer.Submit(ctx, filing.Submission{VRN: e.vrn, Obligation: *ob, Return: sample})
	var ue *filing.UnknownOutcomeError
	if !errors.As(err, &ue) || !ue.Sent {
		t.Fatalf("Submit = %v, want an unknown outcome", err)
	}
	// Nothing new may be sent for the period until reconciliation has asked HMRC.
	if _, err := e.filer.Submit(ctx, filing.Submission{VRN: e.vrn, Obligation: *ob, Return: sample}); !errors.Is(err, receipts.ErrOpenIntent) {
		t.Fatalf("Submit before reconciling = %v, want ErrOpenIntent", err)
	}
	settled, err := e.filer.Reconcile(ctx, e.vrn)
	if err != nil || len(settled) != 1 || settled[0].Verdict != filing.Accepted {
		t.Fatalf("Reconcile = %+v, %v", settled, err)
	}
	if n := len(e.srv.Returns(e.vrn)); n != 1 {
		t.Fatalf("HMRC holds %d returns, want exactly 1", n)
	}
	if again, err := e.filer.Reconcile(ctx, e.vrn); err != nil || len(again) != 0 {
		t.Fatalf("second Reconcile = %+v, %v; want nothing left open", again, err)
	}
}

func TestEmulatorAnswerLostBeforeFilingIsClearedAndCanBeSent(t *testing.T) {
	t.Parallel()
	e := newEmulated(t)
	ctx := t.Context()
	ob, err := e.filer.ChoosePeriod(ctx, e.vrn, filing.Choice{})
	if err != nil {
		t.Fatal(err)
	}
	// A 503 on submit: HMRC filed nothing, but the client cannot know that.
	e.srv.InjectFault(sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultUnavailable})
	if _, err := e.filer.Submit(ctx, filing.Submission{VRN: e.vrn, Obligation: *ob, Return: sample}); !errors.As(err, new(*filing.UnknownOutcomeError)) {
		t.Fatalf("Submit = %v, want an unknown outcome", err)
	}
	settled, err := e.filer.Reconcile(ctx, e.vrn)
	if err != nil || len(settled) != 1 || settled[0].Verdict != filing.NotReceived {
		t.Fatalf("Reconcile = %+v, %v", settled, err)
	}
	if _, err := e.filer.Submit(ctx, filing.Submission{VRN: e.vrn, Obligation: *ob, Return: sample}); err != nil {
		t.Fatalf("Submit after reconciling: %v", err)
	}
	if n := len(e.srv.Returns(e.vrn)); n != 1 {
		t.Fatalf("HMRC holds %d returns, want exactly 1", n)
	}
}
