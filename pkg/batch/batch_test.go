package batch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/batch"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/filing"
	"github.com/vatbridge/vat/pkg/fraud"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/sandbox"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
)

// practice is an emulator with an agent signed in and n client businesses, all but the ones
// listed in unauthorised having authorised the agent.
type practice struct {
	srv     *sandbox.Server
	api     *hmrc.Client
	clients []config.Client
}

func newPractice(t *testing.T, n int, opts sandbox.Options, unauthorised ...int) *practice {
	t.Helper()
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	agent, err := srv.CreateUser("agent", []string{"agent-services"})
	if err != nil {
		t.Fatal(err)
	}
	p := &practice{srv: srv}
	skip := map[int]bool{}
	for _, i := range unauthorised {
		skip[i] = true
	}
	for i := range n {
		u, err := srv.CreateUser("organisation", []string{"mtd-vat"})
		if err != nil {
			t.Fatal(err)
		}
		if !skip[i] {
			if err := srv.AuthoriseAgent(agent.UserID, u.VRN); err != nil {
				t.Fatal(err)
			}
		}
		p.clients = append(p.clients, config.Client{Name: fmt.Sprintf("client %02d", i), VRN: u.VRN})
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, ts.Client())
	cfg := oauth2.Config{ClientID: sandbox.LocalClientID, ClientSecret: sandbox.LocalClientSecret,
		Endpoint:    oauth2.Endpoint{AuthURL: ts.URL + "/oauth/authorize", TokenURL: ts.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: "http://localhost:8765/callback", Scopes: []string{"read:vat", "write:vat"}}
	verifier := oauth2.GenerateVerifier()
	cb, err := sandbox.SignIn(ctx, ts.Client(), cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), agent.UserID, agent.Password)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, cb.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	p.api = hmrc.NewClient(cfg.Client(ctx, tok), hmrc.WithBaseURL(ts.URL), hmrc.WithRateLimit(0),
		hmrc.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
	return p
}

var sample = vatreturn.Return{VATDueSales: 250000, TotalVATDue: 250000, VATReclaimedCurrPeriod: 100000, NetVATDue: 150000,
	TotalValueSalesExVAT: 1250000, TotalValuePurchasesExVAT: 500000}

// One client of each kind of failure, and every other client filed exactly once.
func TestSubmitEachClientOnItsOwn(t *testing.T) {
	t.Parallel()
	p := newPractice(t, 8, sandbox.Options{}, 1)
	dir := t.TempDir()
	for i := range p.clients {
		p.clients[i].Workbook = filepath.Join(dir, "{vrn}-{period-end:2006-01}.xlsx")
	}
	const missing, invalid, unavailable, noWorkbook = 2, 3, 4, 5
	p.clients[noWorkbook].Workbook = ""
	j, err := receipts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	p.srv.InjectFault(sandbox.Fault{Endpoint: "submit", Kind: sandbox.FaultUnavailable, VRN: p.clients[unavailable].VRN})

	s := &batch.Submitter{
		Filer: &filing.Filer{API: p.api, Journal: j, Now: time.Now}, Declaration: receipts.DeclarationAgent,
		Read: func(ctx context.Context, path, mapFile string) (*workbook.Result, error) {
			if strings.Contains(path, p.clients[invalid].VRN) {
				return nil, &workbook.FileError{Path: path, Message: "not a workbook"}
			}
			return &workbook.Result{Return: sample, Path: path}, nil
		},
	}
	// Each client's workbook exists once its period is known; the missing one is never made.
	for i, c := range p.clients {
		if i == missing {
			continue
		}
		obs, _, err := p.api.Obligations(t.Context(), c.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
		if i == 1 {
			continue // not authorised: its obligations cannot be read
		}
		if err != nil {
			t.Fatal(err)
		}
		var ended []hmrc.Obligation
		for _, o := range obs {
			if o.End.Before(hmrc.DateOf(time.Now())) {
				ended = append(ended, o)
			}
		}
		if len(ended) == 0 {
			t.Fatalf("client %d has nothing due", i)
		}
		first := ended[0]
		for _, o := range ended {
			if o.End.Before(first.End) {
				first = o
			}
		}
		path := filepath.Join(dir, c.VRN+"-"+first.End.Time().Format("2006-01")+".xlsx")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	var done []int
	res := batch.Each(t.Context(), p.clients, batch.Options{Concurrency: 3, Done: func(i int, _ config.Client) { done = append(done, i) }}, s.File)
	want := map[int]batch.Outcome{1: batch.NotAuthorised, missing: batch.WorkbookMissing, invalid: batch.InvalidWorkbook,
		unavailable: batch.HMRCError, noWorkbook: batch.WorkbookMissing}
	for i, r := range res {
		w, ok := want[i]
		if !ok {
			w = batch.Filed
		}
		if r.Outcome != w || r.Client != p.clients[i] {
			t.Errorf("client %d: %s (%v), want %s", i, r.Outcome, r.Err, w)
		}
		held := len(p.srv.Returns(r.Client.VRN))
		if (w == batch.Filed) != (held == 1) || held > 1 {
			t.Errorf("client %d: HMRC holds %d returns after %s", i, held, r.Outcome)
		}
		if w == batch.Filed && (r.Filed == nil || r.Filed.Intent.Declaration != receipts.DeclarationAgent) {
			t.Errorf("client %d: filed without the agent's declaration recorded: %+v", i, r.Filed)
		}
	}
	if len(done) != len(p.clients) {
		t.Errorf("Done called %d times for %d clients", len(done), len(p.clients))
	}
	if w := batch.Worst(res); w != batch.HMRCError {
		t.Errorf("worst = %s", w)
	}
	// Each of the three filed clients and the one refused with a 503 was sent exactly once.
	if n := p.srv.Stats().Requests["submit"]; n != 4 {
		t.Errorf("%d submit requests, want 4", n)
	}
	// The 503 came before HMRC did anything: the intent was settled at once, so a second run
	// files that client and nobody else again.
	if open, _ := j.OpenIntents(t.Context(), ""); len(open) != 0 {
		t.Fatalf("open intents after the run: %+v", open)
	}
	res = batch.Each(t.Context(), p.clients, batch.Options{}, s.File)
	if r := res[unavailable]; r.Outcome != batch.Filed {
		t.Errorf("second run, the 503 client: %s (%v)", r.Outcome, r.Err)
	}
	for i, r := range res {
		if _, failed := want[i]; !failed && r.Outcome != batch.NothingDue && r.Outcome != batch.Filed {
			t.Errorf("second run, client %d: %s (%v)", i, r.Outcome, r.Err)
		}
	}
}

// A dry run reads and checks everything and sends nothing.
func TestSubmitDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	p := newPractice(t, 2, sandbox.Options{})
	j, err := receipts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	wb := filepath.Join(t.TempDir(), "w.xlsx")
	if err := os.WriteFile(wb, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for i := range p.clients {
		p.clients[i].Workbook = wb
	}
	s := &batch.Submitter{Filer: &filing.Filer{API: p.api, Journal: j}, DryRun: true,
		Read: func(context.Context, string, string) (*workbook.Result, error) {
			return &workbook.Result{Return: sample, Path: wb}, nil
		}}
	for _, r := range batch.Each(t.Context(), p.clients, batch.Options{}, s.File) {
		if r.Outcome != batch.Ready || r.Period == nil {
			t.Errorf("%s: %s %v", r.Client.Name, r.Outcome, r.Err)
		}
		if n := len(p.srv.Returns(r.Client.VRN)); n != 0 {
			t.Errorf("a dry run filed %d returns", n)
		}
	}
}

// A workbook that names another business or another period is refused before anything is sent.
func TestSubmitRefusesAnotherClientsWorkbook(t *testing.T) {
	t.Parallel()
	p := newPractice(t, 1, sandbox.Options{})
	j, _ := receipts.Open(t.TempDir())
	t.Cleanup(func() { j.Close() })
	wb := filepath.Join(t.TempDir(), "w.xlsx")
	_ = os.WriteFile(wb, nil, 0o600)
	p.clients[0].Workbook = wb
	for _, bad := range []workbook.Result{{VRN: "123456782"}, {PeriodEnd: time.Date(2001, 3, 31, 0, 0, 0, 0, time.UTC)}} {
		s := &batch.Submitter{Filer: &filing.Filer{API: p.api, Journal: j},
			Read: func(context.Context, string, string) (*workbook.Result, error) {
				r := bad
				r.Return, r.Path = sample, wb
				return &r, nil
			}}
		r := s.File(t.Context(), p.clients[0])
		if r.Outcome != batch.InvalidWorkbook || !strings.Contains(r.Err.Error(), "nothing was sent") {
			t.Errorf("%+v: %s %v", bad, r.Outcome, r.Err)
		}
	}
	if n := len(p.srv.Returns(p.clients[0].VRN)); n != 0 {
		t.Errorf("filed %d", n)
	}
}

// The practice-wide view: every client's open obligations, the most urgent first, and the
// client who has not authorised the agent named as such.
func TestDueSortsByUrgency(t *testing.T) {
	t.Parallel()
	p := newPractice(t, 4, sandbox.Options{}, 2)
	res := batch.Due(t.Context(), p.api, p.clients, batch.Options{})
	var ae *hmrc.APIError
	if res[2].Outcome != batch.NotAuthorised || !errors.As(res[2].Err, &ae) || ae.StatusCode != 403 || !ae.Has(hmrc.CodeClientOrAgentNotAuthorised) {
		t.Fatalf("unauthorised client: %s %v", res[2].Outcome, res[2].Err)
	}
	today := hmrc.DateOf(time.Now())
	rows := batch.Urgent(res, today)
	if len(rows) < 3 {
		t.Fatalf("rows = %d", len(rows))
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Obligation.Due.Before(rows[i-1].Obligation.Due) {
			t.Fatalf("row %d is due before row %d", i, i-1)
		}
	}
	for _, r := range rows {
		if r.DaysLeft != batch.DaysBetween(today, r.Obligation.Due) || r.Client.VRN == p.clients[2].VRN {
			t.Fatalf("row %+v", r)
		}
	}
}

func TestWorstAndOK(t *testing.T) {
	t.Parallel()
	if w := batch.Worst([]batch.SubmitResult{{Outcome: batch.Filed}, {Outcome: batch.NothingDue}}); w != batch.NothingDue || !w.OK() {
		t.Errorf("worst of filed and nothing due = %s", w)
	}
	if w := batch.Worst([]batch.SubmitResult{{Outcome: batch.OutcomeUnknown}, {Outcome: batch.NotAuthorised}}); w != batch.OutcomeUnknown || w.OK() {
		t.Errorf("worst = %s", w)
	}
	seen := map[string]bool{}
	for _, o := range batch.Outcomes {
		if seen[o.Key()] || o.Key() == "" || o.String() == "" {
			t.Errorf("outcome %d has a missing or repeated name", o)
		}
		seen[o.Key()] = true
	}
}

// fakeAPI fails every call with err and counts them.
type fakeAPI struct {
	err   error
	calls atomic.Int64
}

func (f *fakeAPI) Obligations(context.Context, string, hmrc.ObligationsOptions) ([]hmrc.Obligation, *hmrc.Response, error) {
	f.calls.Add(1)
	return nil, nil, f.err
}

// When the sign-in itself has lapsed, the clients not yet started end at once with the same
// error: asking HMRC for each would only repeat it (and spend the token endpoint's patience).
func TestSignInFailureEndsTheRestAtOnce(t *testing.T) {
	t.Parallel()
	clients := make([]config.Client, 10)
	for i := range clients {
		clients[i] = config.Client{Name: fmt.Sprint(i), VRN: "123456782"}
	}
	api := &fakeAPI{err: fmt.Errorf("token: %w", auth.ErrReauthRequired)}
	res := batch.Due(t.Context(), api, clients, batch.Options{Concurrency: 1})
	if n := api.calls.Load(); n != 1 {
		t.Errorf("%d calls to HMRC, want 1", n)
	}
	for _, r := range res {
		if r.Outcome != batch.NotAuthorised || !errors.Is(r.Err, auth.ErrReauthRequired) {
			t.Errorf("%s: %s %v", r.Client.Name, r.Outcome, r.Err)
		}
	}
	// A client that has not authorised the agent is that client's problem only.
	api = &fakeAPI{err: &hmrc.APIError{StatusCode: 403, Code: hmrc.CodeClientOrAgentNotAuthorised}}
	batch.Due(t.Context(), api, clients, batch.Options{Concurrency: 1})
	if n := api.calls.Load(); n != 10 {
		t.Errorf("%d calls to HMRC, want 10", n)
	}
}

// A client's own connection method goes out in its requests' fraud-prevention headers; the
// others carry the run's.
func TestClientMethodInItsRequestsOnly(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]string{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path] = r.Header.Get("Gov-Client-Connection-Method")
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"obligations":[]}`))
	}))
	t.Cleanup(ts.Close)
	tr := &fraud.Transport{Base: ts.Client().Transport, Method: fraud.DesktopAppDirect, Collector: fraud.NewSystemCollector(t.TempDir(), fraud.DefaultVendor())}
	api := hmrc.NewClient(&http.Client{Transport: tr}, hmrc.WithBaseURL(ts.URL), hmrc.WithRateLimit(0))
	clients := []config.Client{{Name: "a", VRN: "123456782", Method: "BATCH_PROCESS_DIRECT"}, {Name: "b", VRN: "987654353"}}
	for _, r := range batch.Due(t.Context(), api, clients, batch.Options{}) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	want := map[string]string{"/organisations/vat/123456782/obligations": "BATCH_PROCESS_DIRECT", "/organisations/vat/987654353/obligations": "DESKTOP_APP_DIRECT"}
	for p, m := range want {
		if seen[p] != m {
			t.Errorf("%s went out as %q, want %s", p, seen[p], m)
		}
	}
}

// A return another vat process is sending right now is neither filed nor refused by this run:
// its outcome is unknown here, and nothing is sent.
func TestSubmitLeavesAnotherProcessSendingAlone(t *testing.T) {
	t.Parallel()
	p := newPractice(t, 1, sandbox.Options{})
	dir := t.TempDir()
	j, err := receipts.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	c := p.clients[0]
	f := &filing.Filer{API: p.api, Journal: j}
	ob, err := f.ChoosePeriod(t.Context(), c.VRN, filing.Choice{})
	if err != nil {
		t.Fatal(err)
	}
	// The other process: its intent is recorded and held while it sends.
	other, err := receipts.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	if err := other.BeginIntent(t.Context(), receipts.Intent{ID: receipts.NewID(), VRN: c.VRN, PeriodKey: ob.PeriodKey, Return: sample}); err != nil {
		t.Fatal(err)
	}
	wb := filepath.Join(t.TempDir(), "w.xlsx")
	_ = os.WriteFile(wb, nil, 0o600)
	c.Workbook = wb
	s := &batch.Submitter{Filer: f, Read: func(context.Context, string, string) (*workbook.Result, error) {
		return &workbook.Result{Return: sample, Path: wb}, nil
	}}
	r := s.File(t.Context(), c)
	if r.Outcome != batch.OutcomeUnknown || !errors.Is(r.Err, receipts.ErrOpenIntent) {
		t.Errorf("%s: %v", r.Outcome, r.Err)
	}
	if n := p.srv.Stats().Requests["submit"]; n != 0 {
		t.Errorf("%d submit requests", n)
	}
}

// A workbook straight from 'vat template' still counts its example rows in the boxes. Nobody
// reads a warning in a batch made with --yes, so the client is refused, nothing is sent, and
// the result still carries the workbook's warnings; with the rows replaced the return is filed
// and the result carries the boxes filed.
func TestSubmitRefusesTheTemplatesExampleRows(t *testing.T) {
	t.Parallel()
	p := newPractice(t, 1, sandbox.Options{})
	j, err := receipts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	wb := filepath.Join(t.TempDir(), "w.xlsx")
	if err := workbook.WriteTemplate(wb); err != nil {
		t.Fatal(err)
	}
	p.clients[0].Workbook = wb
	// The template's period is not the one the emulator has open: only its rows are under test.
	template := func(ctx context.Context, path, mapFile string) (*workbook.Result, error) {
		res, err := batch.ReadWorkbook(ctx, path, mapFile)
		if res != nil {
			res.PeriodStart, res.PeriodEnd = time.Time{}, time.Time{}
		}
		return res, err
	}
	for _, dry := range []bool{true, false} {
		s := &batch.Submitter{Filer: &filing.Filer{API: p.api, Journal: j, Now: time.Now}, DryRun: dry, Read: template}
		r := s.File(t.Context(), p.clients[0])
		var ex *batch.ExampleRowsError
		if r.Outcome != batch.InvalidWorkbook || !errors.As(r.Err, &ex) || ex.Rows != 5 || r.Return != nil {
			t.Fatalf("dry run %v: %s %v, return %v; want invalid-workbook for 5 example rows and no boxes", dry, r.Outcome, r.Err, r.Return)
		}
		for _, want := range []string{wb, "Ledger sheet still holds 5 of the template's example rows", "nothing was sent"} {
			if !strings.Contains(r.Err.Error(), want) {
				t.Errorf("the refusal %q does not say %q", r.Err, want)
			}
		}
		if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "example rows") {
			t.Errorf("warnings = %q", r.Warnings)
		}
	}
	if n := len(p.srv.Returns(p.clients[0].VRN)); n != 0 {
		t.Fatalf("HMRC holds %d returns from a template's example rows", n)
	}

	// The same figures without the rows' marker: the boxes read are the boxes carried.
	warn := []string{"box 1 (vatDueSales): read from text"}
	read := func(_ context.Context, path, _ string) (*workbook.Result, error) {
		return &workbook.Result{Return: sample, Path: path, Warnings: warn}, nil
	}
	for _, dry := range []bool{true, false} {
		s := &batch.Submitter{Filer: &filing.Filer{API: p.api, Journal: j, Now: time.Now}, DryRun: dry, Read: read}
		r := s.File(t.Context(), p.clients[0])
		want := map[bool]batch.Outcome{true: batch.Ready, false: batch.Filed}[dry]
		if r.Outcome != want || r.Return == nil || *r.Return != sample || len(r.Warnings) != 1 || r.Warnings[0] != warn[0] {
			t.Errorf("dry run %v: %s %v, return %v, warnings %q; want %s with the boxes and the warning", dry, r.Outcome, r.Err, r.Return, r.Warnings, want)
		}
	}
	if n := len(p.srv.Returns(p.clients[0].VRN)); n != 1 {
		t.Errorf("HMRC holds %d returns, want 1", n)
	}
}
