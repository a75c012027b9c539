// Package rehearse runs HMRC's production-approval test sequence for VAT (MTD) against HMRC's
// sandbox or the emulator, and keeps the evidence HMRC's SDS team asks for: when each call was
// made, to which endpoint, what HMRC answered and its X-CorrelationId, and what HMRC's validator
// thought of the fraud-prevention headers of each one.
//
// The sequence is the one in HMRC's VAT (MTD) end-to-end service guide, "Production approvals
// process" and "Testing requirements"
// (https://developer.service.hmrc.gov.uk/guides/vat-mtd-end-to-end-service-guide/): create a test
// organisation, sign in as it, retrieve obligations, submit the return for the open period,
// then the optional endpoints, then the Test Fraud Prevention Headers API.
//
// The package prints nothing and knows nothing of the command line. The return is filed through
// the same path as `vat submit`: a workbook read through its named cells, then pkg/filing.
package rehearse

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/vatbridge/vat/pkg/filing"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
	"github.com/vatbridge/vat/pkg/workbook"
)

// Status is the outcome of a step.
type Status string

// The step outcomes.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped" // not run, because a step it needs failed
)

// Step IDs, stable for scripts reading the JSON report.
const (
	StepCreateUser       = "create-test-user"
	StepSignIn           = "sign-in"
	StepObligations      = "obligations"
	StepWorkbook         = "workbook"
	StepSubmit           = "submit"
	StepObligationsAgain = "obligations-again"
	StepViewReturn       = "view-return"
	StepLiabilities      = "liabilities"
	StepPayments         = "payments"
	StepPenalties        = "penalties"
	StepFinancialDetails = "financial-details"
	StepInformation      = "information"
	StepValidate         = "fraud-headers-validate"
	StepFeedback         = "fraud-headers-feedback"
)

// Step is one step of the sequence and its evidence.
type Step struct {
	N     int    `json:"n"`
	ID    string `json:"id"`
	Title string `json:"title"`
	// Operation is HMRC's endpoint as documented, e.g. "GET /organisations/vat/{vrn}/obligations".
	Operation string    `json:"operation,omitempty"`
	Status    Status    `json:"status"`
	Started   time.Time `json:"started,omitzero"`
	Finished  time.Time `json:"finished,omitzero"`
	Calls     []Call    `json:"calls,omitempty"`
	// Summary says what the step established ("2 open obligations", a receipt number).
	Summary string `json:"summary,omitempty"`
	// Error says why the step failed or was skipped; Advice what to change.
	Error  string `json:"error,omitempty"`
	Advice string `json:"advice,omitempty"`
	// Headers is HMRC's validator's verdict on the fraud-prevention headers this step sent.
	Headers *HeaderCheck `json:"headers,omitempty"`
}

// HeaderCheck is the Test Fraud Prevention Headers API's verdict on one request.
type HeaderCheck struct {
	// Source is "validate" (the request itself was checked) or "validation-feedback" (HMRC's
	// record of the last request to this endpoint).
	Source      string        `json:"source"`
	Method      string        `json:"method,omitempty"`
	Path        string        `json:"path,omitempty"`
	RequestTime string        `json:"requestTimestamp,omitempty"`
	Code        string        `json:"code"` // VALID_HEADERS, POTENTIALLY_INVALID_HEADERS or INVALID_HEADERS
	Errors      []HeaderIssue `json:"errors,omitempty"`
	Warnings    []HeaderIssue `json:"warnings,omitempty"`
}

// HeaderIssue is one error or warning about a header (or, for a cross-check, several).
type HeaderIssue struct {
	Header  string `json:"header"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// User is what the report keeps of the test user. It has no password field on purpose: the
// report is sent to HMRC and kept, and the password signs in as the user.
type User struct {
	UserID              string    `json:"userId"`
	VRN                 string    `json:"vrn"`
	Organisation        string    `json:"organisation,omitempty"`
	VATRegistrationDate hmrc.Date `json:"vatRegistrationDate,omitzero"`
}

// Filed is the return the rehearsal filed and HMRC's receipt for it.
type Filed struct {
	PeriodKey        string           `json:"periodKey"`
	Start            hmrc.Date        `json:"start"`
	End              hmrc.Date        `json:"end"`
	Due              hmrc.Date        `json:"due"`
	Return           vatreturn.Return `json:"-"`
	Workbook         string           `json:"workbook"`
	WorkbookSHA256   string           `json:"workbookSha256"`
	FormBundleNumber string           `json:"formBundleNumber,omitempty"`
	ProcessingDate   time.Time        `json:"processingDate,omitzero"`
	ReceiptID        string           `json:"receiptId,omitempty"`
	CorrelationID    string           `json:"correlationId,omitempty"`
}

// Report is the whole rehearsal.
type Report struct {
	Product          string    `json:"product"`
	Version          string    `json:"version"`
	Env              string    `json:"environment"` // sandbox or local
	APIBase          string    `json:"apiBase"`
	ClientID         string    `json:"clientId"`
	ConnectionMethod string    `json:"connectionMethod"`
	Started          time.Time `json:"started"`
	Finished         time.Time `json:"finished"`
	User             *User     `json:"testUser,omitempty"`
	Filed            *Filed    `json:"filed,omitempty"`
	Steps            []*Step   `json:"steps"`
	// Feedback is HMRC's validation feedback per VAT endpoint, as fetched in the last step.
	Feedback  []HeaderCheck `json:"validationFeedback,omitempty"`
	Checklist []Check       `json:"checklist"`
	Email     Email         `json:"email"`
}

// Passed reports whether every step passed.
func (r *Report) Passed() bool {
	for _, s := range r.Steps {
		if s.Status != Passed {
			return false
		}
	}
	return len(r.Steps) > 0
}

// Failures returns the steps that did not pass, in order.
func (r *Report) Failures() []*Step {
	var out []*Step
	for _, s := range r.Steps {
		if s.Status != Passed {
			out = append(out, s)
		}
	}
	return out
}

// Step returns the step with id, or nil.
func (r *Report) Step(id string) *Step {
	for _, s := range r.Steps {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Runner runs the sequence. Its clients must send their requests through Recorder.
type Runner struct {
	// App makes the application-restricted calls: Create Test User and the Test Fraud Prevention
	// Headers API's validation-feedback.
	App *hmrc.Client
	// SignIn signs the test user in (a browser, or the emulator's forms) and returns a client for
	// user-restricted calls. It must keep the tokens away from the user's own profile.
	SignIn func(ctx context.Context, u hmrc.TestUser) (*hmrc.Client, error)
	// Scenario returns a client for the signed-in user that sends a Gov-Test-Scenario header. A
	// new test user often has no penalty charge; HMRC's sandbox then serves its published example
	// under the DEFAULT scenario, so financial details can still be asked about. nil skips that.
	Scenario func(ctx context.Context, scenario string) (*hmrc.Client, error)
	// Journal records the filing, as `vat submit` does; it should be a throw-away one.
	Journal *receipts.Journal
	// Dir is where the workbook is written.
	Dir string
	// Recorder collects the HTTP exchanges of each step.
	Recorder *Recorder
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Done, when set, is told about each step as it ends, so a command can show progress.
	Done func(*Step)

	// Report fields that describe the run.
	Product, Version, Env, APIBase, ClientID, ConnectionMethod string
}

// run is one rehearsal's state.
type run struct {
	*Runner
	rep    *Report
	user   *hmrc.TestUser
	client *hmrc.Client
	open   []hmrc.Obligation
	chosen *hmrc.Obligation
	book   *workbook.Result
	filed  *hmrc.Obligation
	charge string // a charge reference for financial details
	// chargeClient asks about charge: the user's client, or the DEFAULT scenario's when the
	// charge came from HMRC's example.
	chargeClient *hmrc.Client
}

// Run runs the sequence and returns its report. A step that fails is recorded, and the steps
// that need it are skipped; Run itself fails only when ctx ends.
func (r *Runner) Run(ctx context.Context) (*Report, error) {
	x := &run{Runner: r, rep: &Report{
		Product: r.Product, Version: r.Version, Env: r.Env, APIBase: r.APIBase, ClientID: r.ClientID,
		ConnectionMethod: r.ConnectionMethod, Started: r.now(),
	}}
	type def struct {
		id, title, op string
		do            func(context.Context, *Step) error
		needs         []string
	}
	vat := "/organisations/vat/{vrn}"
	defs := []def{
		{StepCreateUser, "Create a test organisation (Create Test User API, mtd-vat)", "POST /create-test-user/organisations", x.createUser, nil},
		{StepSignIn, "Sign in as the test organisation (OAuth 2.0 authorization code, PKCE)", "GET /oauth/authorize, POST /oauth/token", x.signIn, []string{StepCreateUser}},
		{StepObligations, "Retrieve VAT obligations", "GET " + vat + "/obligations", x.obligations, []string{StepSignIn}},
		{StepWorkbook, "Write the workbook and read the nine boxes through its named cells (digital link)", "", x.workbook, []string{StepObligations}},
		{StepSubmit, "Submit VAT return for period (the open obligation)", "POST " + vat + "/returns", x.submit, []string{StepWorkbook}},
		{StepObligationsAgain, "Retrieve VAT obligations again: the period is fulfilled", "GET " + vat + "/obligations", x.obligationsAgain, []string{StepSubmit}},
		{StepViewReturn, "View VAT return", "GET " + vat + "/returns/{periodKey}", x.viewReturn, []string{StepSubmit}},
		{StepLiabilities, "Retrieve VAT liabilities", "GET " + vat + "/liabilities", x.liabilities, []string{StepSignIn}},
		{StepPayments, "Retrieve VAT payments", "GET " + vat + "/payments", x.payments, []string{StepSignIn}},
		{StepPenalties, "Retrieve VAT penalties", "GET " + vat + "/penalties", x.penalties, []string{StepSignIn}},
		{StepFinancialDetails, "Retrieve financial details of a penalty charge", "GET " + vat + "/financial-details/{chargeReference}", x.financialDetails, []string{StepPenalties}},
		{StepInformation, "Retrieve VAT customer information", "GET " + vat + "/information", x.information, []string{StepSignIn}},
		{StepValidate, "Validate the fraud prevention headers (Test Fraud Prevention Headers API)", "GET /test/fraud-prevention-headers/validate", x.validate, []string{StepSignIn}},
		{StepFeedback, "Fetch HMRC's validation feedback for the VAT (MTD) API", "GET /test/fraud-prevention-headers/vat-mtd/validation-feedback", x.feedback, nil},
	}
	status := map[string]Status{}
	for i, d := range defs {
		st := &Step{N: i + 1, ID: d.id, Title: d.title, Operation: d.op}
		x.rep.Steps = append(x.rep.Steps, st)
		for _, n := range d.needs {
			if status[n] != Passed {
				st.Status, st.Error = Skipped, fmt.Sprintf("not run: it needs step %q, which did not pass", n)
			}
		}
		if st.Status == "" {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			r.Recorder.Take() // nothing from before belongs to this step
			st.Started = r.now().UTC()
			err := d.do(ctx, st)
			st.Finished = r.now().UTC()
			st.Calls = append(st.Calls, r.Recorder.Take()...)
			if err != nil && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			x.settle(st, err)
		}
		status[d.id] = st.Status
		if r.Done != nil {
			r.Done(st)
		}
	}
	x.attachFeedbackFailures()
	x.rep.Finished = r.now().UTC()
	x.rep.Checklist = checklist(x.rep)
	x.rep.Email = draftEmail(x.rep)
	return x.rep, nil
}

// settle decides a step's status from its error and its calls.
func (x *run) settle(st *Step, err error) {
	switch {
	case err != nil:
		st.Status, st.Error, st.Advice = Failed, err.Error(), Advice(st.ID, err)
	case headerErrors(st.Headers):
		st.Status, st.Error = Failed, headerFailure(st.Headers)
		st.Advice = "fix the fraud prevention headers named above (see 'vat fraud-headers show'), then run the rehearsal again"
	default:
		st.Status = Passed
	}
	// HMRC reads the testing from its logs: a server error or a throttled request there is part of
	// the evidence even when a retry then succeeded, so the run is not a clean one to send.
	for _, c := range st.Calls {
		if c.Status >= 500 || c.Status == 429 {
			if st.Status == Passed {
				st.Status = Failed
				st.Error = fmt.Sprintf("HMRC answered %d to %s %s at %s (X-CorrelationId %s); a retry then succeeded, but HMRC's logs show the failure",
					c.Status, c.Method, c.Endpoint, c.Time.Format(time.RFC3339), orNone(c.CorrelationID))
				st.Advice = "run the rehearsal again when HMRC's sandbox is answering normally"
				if c.Status == 429 {
					st.Advice = "HMRC's rate limit (3 requests a second per application) was hit: make sure no other program uses the same application, then run the rehearsal again"
				}
			}
			break
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) today() hmrc.Date { return hmrc.DateOf(r.now()) }

func (x *run) createUser(ctx context.Context, st *Step) error {
	u, _, err := x.App.CreateTestOrganisation(ctx, []string{"mtd-vat"})
	if err != nil {
		return err
	}
	if u.VRN == "" || u.UserID == "" {
		return errors.New("HMRC created a test user without a VRN or user ID")
	}
	x.user = u
	ru := &User{UserID: u.UserID, VRN: u.VRN, VATRegistrationDate: u.VATRegistrationDate}
	if u.OrganisationDetails != nil {
		ru.Organisation = u.OrganisationDetails.Name
	}
	x.rep.User = ru
	st.Summary = fmt.Sprintf("user ID %s, VRN %s", u.UserID, u.VRN)
	return nil
}

func (x *run) signIn(ctx context.Context, st *Step) error {
	c, err := x.SignIn(ctx, *x.user)
	if err != nil {
		return err
	}
	x.client = c
	st.Summary = "signed in as user " + x.user.UserID + " and granted read:vat write:vat"
	return nil
}

func (x *run) obligations(ctx context.Context, st *Step) error {
	open, _, err := x.client.Obligations(ctx, x.user.VRN, hmrc.ObligationsOptions{Status: hmrc.StatusOpen})
	if err != nil {
		return err
	}
	x.open = open
	today := x.today()
	for i, o := range open {
		if o.End.Before(today) && (x.chosen == nil || o.End.After(x.chosen.End)) {
			x.chosen = &open[i]
		}
	}
	if x.chosen == nil {
		return fmt.Errorf("HMRC lists %d open obligations and none has ended, so there is no period to file", len(open))
	}
	st.Summary = fmt.Sprintf("%d open obligations; filing period %s (%s to %s, due %s)", len(open), x.chosen.PeriodKey, x.chosen.Start, x.chosen.End, x.chosen.Due)
	return nil
}

func (x *run) workbook(ctx context.Context, st *Step) error {
	path := filepath.Join(x.Dir, "rehearsal-"+x.chosen.End.String()+".xlsx")
	if err := workbook.WriteTemplate(path); err != nil {
		return err
	}
	if err := workbook.FillTemplate(path, x.chosen.Start.Time(), x.chosen.End.Time(), x.user.VRN); err != nil {
		return fmt.Errorf("filling the template: %w", err)
	}
	res, err := workbook.Read(ctx, path, workbook.Options{})
	if err != nil {
		return err
	}
	if res.VRN != x.user.VRN {
		return fmt.Errorf("the workbook's VRN cell reads %q, not the test user's %s", res.VRN, x.user.VRN)
	}
	x.book = res
	st.Summary = fmt.Sprintf("%s: box 1 %s, box 5 %s, all nine boxes from named cells on sheet %q", filepath.Base(path),
		res.Return.VATDueSales.GBP(), res.Return.NetVATDue.GBP(), res.Sources[0].Sheet)
	return nil
}

func (x *run) submit(ctx context.Context, st *Step) error {
	f := &filing.Filer{API: x.client, Journal: x.Journal, Now: x.Now}
	ob, err := f.ChoosePeriod(ctx, x.user.VRN, filing.Choice{
		End: hmrc.DateOf(x.book.PeriodEnd), EndFrom: "the workbook's PeriodEnd", WorkbookStart: hmrc.DateOf(x.book.PeriodStart),
	})
	if err != nil {
		return err
	}
	out, err := f.Submit(ctx, filing.Submission{
		VRN: x.user.VRN, Obligation: *ob, Return: x.book.Return, Evidence: evidenceOf(x.book),
		Profile: "rehearsal", ToolVersion: x.Version,
	})
	if err != nil {
		return err
	}
	x.filed = ob
	rc := out.Receipt
	x.rep.Filed = &Filed{
		PeriodKey: ob.PeriodKey, Start: ob.Start, End: ob.End, Due: ob.Due, Return: x.book.Return,
		Workbook: filepath.Base(x.book.Path), WorkbookSHA256: x.book.SHA256,
		FormBundleNumber: rc.FormBundleNumber, ProcessingDate: rc.ProcessingDate, ReceiptID: rc.ReceiptID, CorrelationID: rc.CorrelationID,
	}
	st.Summary = fmt.Sprintf("period %s filed: form bundle %s, processed %s", ob.PeriodKey, rc.FormBundleNumber, rc.ProcessingDate.UTC().Format(time.RFC3339))
	return nil
}

// evidenceOf is the digital link kept with the receipt, as `vat submit` keeps it.
func evidenceOf(res *workbook.Result) receipts.Evidence {
	ev := receipts.Evidence{WorkbookPath: res.Path, WorkbookSHA256: res.SHA256, Warnings: res.Warnings}
	if abs, err := filepath.Abs(res.Path); err == nil {
		ev.WorkbookPath = abs
	}
	for i, src := range res.Sources {
		ev.Cells = append(ev.Cells, receipts.CellEvidence{
			Box: i + 1, Name: src.Name, Sheet: src.Sheet, Cell: src.Cell, Raw: src.Raw, Formula: src.Formula,
			Computed: src.Computed, Value: res.Return.Box(i + 1),
		})
	}
	return ev
}

func (x *run) obligationsAgain(ctx context.Context, st *Step) error {
	obs, _, err := x.client.Obligations(ctx, x.user.VRN, hmrc.ObligationsOptions{From: x.filed.Start, To: x.filed.End})
	if err != nil {
		return err
	}
	for _, o := range obs {
		if o.PeriodKey != x.filed.PeriodKey {
			continue
		}
		if o.Status != hmrc.StatusFulfilled {
			return fmt.Errorf("HMRC still lists period %s as %q after the return was filed", o.PeriodKey, o.Status)
		}
		st.Summary = fmt.Sprintf("period %s is fulfilled, received %s", o.PeriodKey, o.Received)
		return nil
	}
	return fmt.Errorf("HMRC lists no obligation with period key %s between %s and %s", x.filed.PeriodKey, x.filed.Start, x.filed.End)
}

func (x *run) viewReturn(ctx context.Context, st *Step) error {
	held, _, err := x.client.Return(ctx, x.user.VRN, x.filed.PeriodKey)
	if err != nil {
		return err
	}
	if held.Return != x.book.Return {
		return fmt.Errorf("the return HMRC holds for %s differs from the one filed (box 5 %s, filed %s)", x.filed.PeriodKey, held.Return.NetVATDue.GBP(), x.book.Return.NetVATDue.GBP())
	}
	st.Summary = fmt.Sprintf("HMRC holds the nine boxes as filed for %s", x.filed.PeriodKey)
	return nil
}

// lastYear is the window the financial endpoints are asked about: the 12 months to today.
func (x *run) lastYear() (hmrc.Date, hmrc.Date) {
	to := x.today()
	return to.AddYears(-1).AddDays(1), to
}

func (x *run) liabilities(ctx context.Context, st *Step) error {
	from, to := x.lastYear()
	ls, _, err := x.client.Liabilities(ctx, x.user.VRN, from, to)
	if err != nil {
		return err
	}
	st.Summary = fmt.Sprintf("%d liabilities from %s to %s", len(ls), from, to)
	return nil
}

func (x *run) payments(ctx context.Context, st *Step) error {
	from, to := x.lastYear()
	ps, _, err := x.client.Payments(ctx, x.user.VRN, from, to)
	if err != nil {
		return err
	}
	st.Summary = fmt.Sprintf("%d payments from %s to %s", len(ps), from, to)
	return nil
}

func (x *run) penalties(ctx context.Context, st *Step) error {
	p, _, err := x.client.Penalties(ctx, x.user.VRN)
	if err != nil {
		return err
	}
	x.charge, x.chargeClient = chargeRefOf(p), x.client
	lsp, lpp := 0, 0
	if p.LateSubmissionPenalty != nil {
		lsp = len(p.LateSubmissionPenalty.Details)
	}
	if p.LatePaymentPenalty != nil {
		lpp = len(p.LatePaymentPenalty.Details)
	}
	st.Summary = fmt.Sprintf("%d late submission and %d late payment penalties", lsp, lpp)
	if x.charge != "" {
		st.Summary += "; charge reference " + x.charge
		return nil
	}
	if x.Scenario == nil {
		return nil
	}
	sc, err := x.Scenario(ctx, scenarioDefault)
	if err != nil {
		return err
	}
	ex, _, err := sc.Penalties(ctx, x.user.VRN)
	if err != nil {
		return fmt.Errorf("penalties with Gov-Test-Scenario %s: %w", scenarioDefault, err)
	}
	if x.charge = chargeRefOf(ex); x.charge != "" {
		x.chargeClient = sc
		st.Summary += fmt.Sprintf("; with Gov-Test-Scenario %s, HMRC's example lists charge reference %s", scenarioDefault, x.charge)
	}
	return nil
}

// scenarioDefault is the sandbox's published example for penalties and financial details.
const scenarioDefault = "DEFAULT"

// chargeRefOf finds a charge reference financial details can be asked about.
func chargeRefOf(p *hmrc.Penalties) string {
	if p.LateSubmissionPenalty != nil {
		for _, d := range p.LateSubmissionPenalty.Details {
			if d.ChargeReference != "" {
				return d.ChargeReference
			}
		}
	}
	if p.LatePaymentPenalty != nil {
		for _, d := range p.LatePaymentPenalty.Details {
			if d.PenaltyChargeReference != "" {
				return d.PenaltyChargeReference
			}
		}
	}
	return ""
}

func (x *run) financialDetails(ctx context.Context, st *Step) error {
	if x.charge == "" {
		return errors.New("HMRC lists no penalty charge for the test user, so there is no charge reference to ask about")
	}
	fd, _, err := x.chargeClient.FinancialDetails(ctx, x.user.VRN, x.charge)
	if err != nil {
		return err
	}
	noun := "documents"
	if len(fd.DocumentDetails) == 1 {
		noun = "document"
	}
	st.Summary = fmt.Sprintf("charge %s: %d %s", x.charge, len(fd.DocumentDetails), noun)
	if x.chargeClient != x.client {
		st.Summary += " (Gov-Test-Scenario " + scenarioDefault + ")"
	}
	return nil
}

func (x *run) information(ctx context.Context, st *Step) error {
	info, _, err := x.client.Information(ctx, x.user.VRN)
	if err != nil {
		return err
	}
	st.Summary = "customer information retrieved"
	if info.CustomerDetails != nil && !info.CustomerDetails.EffectiveRegistrationDate.IsZero() {
		st.Summary += "; registered for VAT on " + info.CustomerDetails.EffectiveRegistrationDate.String()
	}
	return nil
}

// validate sends a request whose own headers HMRC checks. It goes with the user's login, as the
// VAT calls do, so the headers checked are exactly theirs.
func (x *run) validate(ctx context.Context, st *Step) error {
	v, _, err := x.client.ValidateFraudHeaders(ctx)
	if err != nil && hmrc.IsAuth(err) {
		// HMRC has been seen to want an application token here instead.
		v, _, err = x.App.ValidateFraudHeaders(ctx)
	}
	if err != nil {
		return err
	}
	st.Headers = &HeaderCheck{Source: "validate", Method: "GET", Path: "/test/fraud-prevention-headers/validate", Code: v.Code}
	for _, it := range v.Errors {
		st.Headers.Errors = append(st.Headers.Errors, HeaderIssue{Header: strings.Join(it.Headers, ", "), Code: it.Code, Message: it.Message})
	}
	for _, it := range v.Warnings {
		st.Headers.Warnings = append(st.Headers.Warnings, HeaderIssue{Header: strings.Join(it.Headers, ", "), Code: it.Code, Message: it.Message})
	}
	st.Summary = fmt.Sprintf("%s (specification %s): %d errors, %d warnings", v.Code, v.SpecVersion, len(v.Errors), len(v.Warnings))
	return nil
}
