package rehearse

import (
	"fmt"
	"strings"
	"time"
)

// Check is one line of HMRC's approval checklist with its result.
type Check struct {
	Section  string `json:"section"`
	Item     string `json:"item"`
	Result   string `json:"result"` // pass, fail or "to do" (for the steps after the rehearsal)
	Evidence string `json:"evidence,omitempty"`
}

// Checklist results.
const (
	Pass = "pass"
	Fail = "fail"
	ToDo = "to do"
)

// Sections of the checklist, after HMRC's VAT (MTD) end-to-end service guide.
const (
	SectionMinimum  = "Minimum functionality standards"
	SectionOptional = "Optional endpoints (recommended)"
	SectionTesting  = "Testing requirements"
	SectionNext     = "After the testing"
)

// SDSTeam is the address HMRC asks vendors to write to once testing is complete.
const SDSTeam = "SDSTeam@hmrc.gov.uk"

// ContactWithin is how long after testing HMRC asks to be contacted: its logs are kept that long
// for the review.
const ContactWithin = 14 * 24 * time.Hour

func checklist(r *Report) []Check {
	ok := func(ids ...string) (string, string) {
		var ev []string
		for _, id := range ids {
			s := r.Step(id)
			if s == nil || s.Status != Passed {
				why := "not run"
				if s != nil {
					why = s.Error
				}
				return Fail, fmt.Sprintf("step %d failed: %s", stepN(r, id), why)
			}
			ev = append(ev, fmt.Sprintf("step %d", s.N))
		}
		return Pass, strings.Join(ev, ", ") + " passed"
	}
	var out []Check
	add := func(section, item string, ids ...string) {
		res, ev := ok(ids...)
		out = append(out, Check{Section: section, Item: item, Result: res, Evidence: ev})
	}
	add(SectionMinimum, "The software submits the fraud prevention header data required by law, and HMRC's validator finds no errors", StepValidate, StepFeedback)
	if res := headerEvidence(r); res != "" {
		out[len(out)-1].Result, out[len(out)-1].Evidence = Fail, res
	}
	add(SectionMinimum, "The customer can retrieve VAT obligations (Retrieve VAT obligations)", StepObligations)
	add(SectionMinimum, "The customer can submit a VAT return (Submit VAT return for period)", StepSubmit)

	add(SectionOptional, "Retrieve VAT obligations again to see the return has met the obligation", StepObligationsAgain)
	add(SectionOptional, "View VAT return", StepViewReturn)
	add(SectionOptional, "Retrieve VAT liabilities", StepLiabilities)
	add(SectionOptional, "Retrieve VAT payments", StepPayments)
	add(SectionOptional, "Retrieve VAT penalties", StepPenalties)
	add(SectionOptional, "Retrieve financial details of a penalty", StepFinancialDetails)
	add(SectionOptional, "Retrieve VAT customer information", StepInformation)

	add(SectionTesting, "1. Create Test User API: a test organisation with a VRN, user ID and password", StepCreateUser)
	add(SectionTesting, "2. Retrieve VAT obligations: the obligation periods", StepObligations)
	add(SectionTesting, "3. Submit VAT return for the open obligation period", StepSubmit)
	add(SectionTesting, "4. Testing of the optional endpoints the software uses", StepObligationsAgain, StepViewReturn, StepLiabilities, StepPayments, StepPenalties, StepFinancialDetails, StepInformation)
	add(SectionTesting, "Fraud prevention headers checked with the Test Fraud Prevention Headers API", StepValidate, StepFeedback)
	throttled := Pass
	ev := "no request was answered 429 MESSAGE_THROTTLED_OUT"
	for _, s := range r.Steps {
		for _, c := range s.Calls {
			if c.Status == 429 {
				throttled, ev = Fail, fmt.Sprintf("step %d: %s %s answered 429 at %s", s.N, c.Method, c.Endpoint, c.Time.Format(time.RFC3339))
			}
		}
	}
	out = append(out, Check{Section: SectionTesting, Item: "APIs used efficiently, within the rate limit", Result: throttled, Evidence: ev})
	res, ev := ok(StepSignIn)
	out = append(out, Check{Section: SectionTesting, Item: "Users are told to sign in with the business's VAT (Government Gateway) organisation account, or an agent's Agent Services Account",
		Result: res, Evidence: "said by 'vat login' and by this command before sign-in; " + ev})

	due := r.Finished.Add(ContactWithin)
	if r.Env == "local" {
		out = append(out, Check{Section: SectionNext, Item: "Run the rehearsal against HMRC's sandbox (--env sandbox): HMRC has no record of calls made to the emulator", Result: ToDo})
	}
	out = append(out,
		Check{Section: SectionNext, Item: fmt.Sprintf("Email %s within 2 weeks of the testing (by %s), so HMRC can still see it in its logs", SDSTeam, due.Format("2 January 2006")), Result: ToDo, Evidence: "a draft is below"},
		Check{Section: SectionNext, Item: "Complete the 2 questionnaires HMRC sends; HMRC takes about 10 working days to advise", Result: ToDo},
		Check{Section: SectionNext, Item: "Accept HMRC's terms of use for the production application", Result: ToDo},
	)
	return out
}

func stepN(r *Report, id string) int {
	if s := r.Step(id); s != nil {
		return s.N
	}
	return 0
}

// headerEvidence names the steps whose headers HMRC's validator found in error, or "".
func headerEvidence(r *Report) string {
	var bad []string
	for _, s := range r.Steps {
		if headerErrors(s.Headers) {
			bad = append(bad, fmt.Sprintf("step %d (%s)", s.N, s.Title))
		}
	}
	if len(bad) == 0 {
		return ""
	}
	return "header errors in " + strings.Join(bad, ", ")
}

// Email is the draft message to HMRC's SDS team.
type Email struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

func draftEmail(r *Report) Email {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	if r.Env == "local" {
		p("[DRAFT FROM A REHEARSAL AGAINST THE EMULATOR: HMRC has no record of these calls. Run 'vat sandbox rehearse --env sandbox' and send that report's email instead.]")
		p("")
	}
	p("Hello SDS Team,")
	p("")
	p("We have completed the VAT (MTD) API testing in HMRC's sandbox for our software, %s %s, and would like to apply for production credentials. The details below should let you find the testing in your logs.", r.Product, r.Version)
	p("")
	p("Sandbox application client ID: %s", r.ClientID)
	p("Fraud prevention connection method: %s", r.ConnectionMethod)
	if r.User != nil {
		p("Test organisation: user ID %s, VRN %s", r.User.UserID, r.User.VRN)
	}
	p("Testing done on %s, from %s to %s UTC.", r.Started.UTC().Format("2 January 2006"), r.Started.UTC().Format("15:04:05"), r.Finished.UTC().Format("15:04:05"))
	p("")
	p("API calls (time UTC, request, HTTP status, X-CorrelationId):")
	for _, s := range r.Steps {
		for _, c := range s.Calls {
			if strings.HasPrefix(c.Endpoint, "/oauth/") {
				continue
			}
			p("  %s  %s %s  %s  %s", c.Time.UTC().Format("2006-01-02 15:04:05"), c.Method, c.Endpoint, statusText(c), orNone(c.CorrelationID))
		}
	}
	p("")
	if f := r.Filed; f != nil {
		p("Return submitted for period %s (%s to %s) from a spreadsheet through its named cells: form bundle number %s.", f.PeriodKey, f.Start, f.End, f.FormBundleNumber)
	}
	if s := r.Step(StepValidate); s != nil && s.Headers != nil {
		p("Test Fraud Prevention Headers API, validate: %s.", s.Headers.Code)
	}
	if len(r.Feedback) > 0 {
		p("Validation feedback for vat-mtd:")
		for _, h := range r.Feedback {
			p("  %s %s: %s (%d errors, %d warnings)", h.Method, h.Path, h.Code, len(h.Errors), len(h.Warnings))
		}
	}
	if w := warningsOf(r); len(w) > 0 {
		p("")
		p("The validator's warnings, and why:")
		for _, line := range w {
			p("  - %s", line)
		}
		p("  [explain here each header that cannot be collected, as HMRC's specification asks]")
	}
	p("")
	p("The full report of the testing is attached. We are ready to complete the questionnaires.")
	p("")
	p("Kind regards,")
	p("[name]")
	p("[company, address, telephone]")
	subject := fmt.Sprintf("VAT (MTD) production credentials: sandbox testing completed on %s for %s (application %s)",
		r.Finished.UTC().Format("2 January 2006"), r.Product, r.ClientID)
	return Email{To: SDSTeam, Subject: subject, Body: b.String()}
}

func statusText(c Call) string {
	if c.Error != "" {
		return "no reply (" + c.Error + ")"
	}
	return fmt.Sprint(c.Status)
}

// warningsOf lists each distinct warning once: HMRC asks for an explanation of each.
func warningsOf(r *Report) []string {
	seen := map[string]bool{}
	var out []string
	add := func(h *HeaderCheck) {
		if h == nil {
			return
		}
		for _, w := range h.Warnings {
			line := w.Header + ": " + w.Message
			if !seen[line] {
				seen[line] = true
				out = append(out, line)
			}
		}
	}
	add(r.Step(StepValidate).headersOrNil())
	for i := range r.Feedback {
		add(&r.Feedback[i])
	}
	return out
}

func (s *Step) headersOrNil() *HeaderCheck {
	if s == nil {
		return nil
	}
	return s.Headers
}
