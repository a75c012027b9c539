// Package penalties is `vat penalties`: late submission points and late payment penalties, in the
// words of HMRC's guidance, with what is payable now and what to do about it.
package penalties

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// GOV.UK pages a person needs to act on a penalty.
const (
	guideLateSubmission = "https://www.gov.uk/guidance/penalty-points-and-penalties-if-you-submit-your-vat-return-late"
	guideLatePayment    = "https://www.gov.uk/guidance/how-late-payment-penalties-work-if-you-pay-vat-late"
	payVAT              = "https://www.gov.uk/pay-vat"
	appealPenalty       = "https://www.gov.uk/tax-appeals/penalty"
	cannotPay           = "https://www.gov.uk/difficulties-paying-hmrc"
)

// lspCharge is the fixed penalty for each late return once the threshold is reached (Finance Act
// 2021, Schedule 24 paragraph 9).
const lspCharge = vatreturn.Money(20000)

// Scenarios are the Gov-Test-Scenario values HMRC documents for the penalties endpoint.
var Scenarios = []string{"DEFAULT", "NO_PENALTIES", "LATE_SUBMISSION", "LATE_PAYMENT", "MULTIPLE_PENALTIES",
	"MULTIPLE_LATE_PAYMENT_PENALTIES", "MULTIPLE_LATE_SUBMISSION_PENALTIES", "MULTIPLE_INACTIVE_LATE_SUBMISSION_PENALTIES",
	"THRESHOLD_LATE_SUBMISSION_PENALTIES", "CHARGE_LATE_SUBMISSION_PENALTIES"}

// PenaltiesOptions are the inputs of `vat penalties`.
type PenaltiesOptions struct {
	IO         *iostreams.IOStreams
	HMRC       func(context.Context) (*hmrc.Client, error)
	RequireVRN func() (string, error)
	Output     func() (string, error)
	Styles     func() *ui.Styles
	RenderView func(doc any, v cmdutil.View) error
	Status     func(format string, args ...any)
}

// NewCmdPenalties builds `vat penalties`; runF, when not nil, replaces the run (for tests).
func NewCmdPenalties(f *cmdutil.Factory, runF func(*PenaltiesOptions) error) *cobra.Command {
	opts := &PenaltiesOptions{IO: f.IOStreams, HMRC: f.HMRC, RequireVRN: f.RequireVRN, Output: f.OutputFormat,
		Styles: f.Styles, RenderView: f.RenderView, Status: f.Status}
	return &cobra.Command{
		Use:   "penalties",
		Short: "Show late submission points and late payment penalties, and what to do about them",
		Long: `Show the penalties HMRC holds for the last 24 months: late submission penalty points against
the penalty threshold and when they expire, each late payment penalty (first or second, an
estimate while it is still growing or the amount charged), what is payable now, and how to pay
or appeal. Each charge ends with the command that shows its financial details.

-o json prints HMRC's penalties under HMRC's field names, every part present: "details" is an
empty list when there are none, "totalisations" zero when there is no penalty at all (null when
HMRC sent penalties without totals), and the late submission "summary" null when HMRC sent no
late submission part. -o csv one row per penalty.` +
			cmdutil.ScenarioHelp(Scenarios...),
		Example: `  vat penalties
  vat penalties -o json`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return penaltiesRun(cmd.Context(), opts)
		},
	}
}

func penaltiesRun(ctx context.Context, opts *PenaltiesOptions) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	vrn, err := opts.RequireVRN()
	if err != nil {
		return err
	}
	client, err := opts.HMRC(ctx)
	if err != nil {
		return err
	}
	p, _, err := client.Penalties(ctx, vrn)
	if err != nil {
		return cmdutil.ExplainView(err, vrn, "penalties", "penalties")
	}
	flat := flatView(p)
	if out != "table" {
		return opts.RenderView(DocOf(p), flat)
	}
	if len(flat.Rows) == 0 && (p.LateSubmissionPenalty == nil || p.LateSubmissionPenalty.Summary.RegimeThreshold == 0) {
		opts.Status("%s", flat.Empty)
		return nil
	}
	return writeReport(opts.IO.Out, opts.Styles(), opts.IO.IsStdoutTTY(), opts.IO.TerminalWidth(), p)
}

// Doc is `vat penalties -o json`: HMRC's penalties under HMRC's field names, in one shape for
// every answer. HMRC leaves out what is empty ({} for a business without penalties); a script
// should not have to tell a missing list from an empty one.
type Doc struct {
	Totalisations         *hmrc.PenaltyTotalisations `json:"totalisations" jsonschema:"nullable,description=HMRC's totals; all zero when there is no penalty; null when HMRC sent penalties without totals"`
	LateSubmissionPenalty LateSubmissionDoc          `json:"lateSubmissionPenalty"`
	LatePaymentPenalty    LatePaymentDoc             `json:"latePaymentPenalty"`
}

// LateSubmissionDoc is the late submission part of Doc.
type LateSubmissionDoc struct {
	Summary *hmrc.LateSubmissionSummary  `json:"summary" jsonschema:"nullable,description=null when HMRC sent no late submission part (no points)"`
	Details []hmrc.LateSubmissionDetails `json:"details"`
}

// LatePaymentDoc is the late payment part of Doc.
type LatePaymentDoc struct {
	Details []hmrc.LatePaymentDetails `json:"details"`
}

// DocOf is p as Doc. Totals HMRC did not send are zero only when HMRC sent no penalty of either
// kind, so that each is exactly zero: vat does not work out HMRC's sums for it.
func DocOf(p *hmrc.Penalties) Doc {
	d := Doc{Totalisations: p.Totalisations,
		LateSubmissionPenalty: LateSubmissionDoc{Details: []hmrc.LateSubmissionDetails{}},
		LatePaymentPenalty:    LatePaymentDoc{Details: []hmrc.LatePaymentDetails{}}}
	if l := p.LateSubmissionPenalty; l != nil {
		sum := l.Summary
		d.LateSubmissionPenalty.Summary = &sum
		d.LateSubmissionPenalty.Details = append(d.LateSubmissionPenalty.Details, l.Details...)
	}
	if l := p.LatePaymentPenalty; l != nil {
		d.LatePaymentPenalty.Details = append(d.LatePaymentPenalty.Details, l.Details...)
	}
	if d.Totalisations == nil && p.LateSubmissionPenalty == nil && p.LatePaymentPenalty == nil {
		d.Totalisations = &hmrc.PenaltyTotalisations{}
	}
	return d
}

// Category names, in the words of HMRC's guidance.
func lppName(cat string) string {
	switch cat {
	case "LPP1":
		return "first late payment penalty"
	case "LPP2":
		return "second late payment penalty"
	}
	return cat
}

// lppShort names the penalty in a table column headed "Penalty".
func lppShort(cat string) string {
	switch cat {
	case "LPP1":
		return "first"
	case "LPP2":
		return "second"
	}
	return cat
}

var expiryWords = map[string]string{
	"appeal":                      "removed on appeal",
	"submission-frequency-change": "removed: return frequency changed",
	"obligations-reversed":        "removed: return no longer due",
	"HMRC-removed":                "removed by HMRC",
	"natural-expiry":              "expired",
	"penalty-removed":             "penalty removed",
	"expiry-conditions-met":       "expired: period of compliance met",
	"HMRC-reset":                  "reset by HMRC",
}

var appealWords = map[string]string{
	"under-appeal":       "under appeal",
	"appeal-upheld":      "appeal upheld",
	"appeal-rejected":    "appeal rejected",
	"cannot-be-appealed": "cannot be appealed",
}

var appealLevels = map[string]string{
	"statutory-review":           "HMRC review",
	"appeal-first-tier-tribunal": "tribunal",
}

func appeal(ai []AppealInfo) string {
	if len(ai) == 0 {
		return ""
	}
	a := ai[len(ai)-1]
	s := appealWords[a.AppealStatus]
	if s == "" {
		s = a.AppealStatus
	}
	if l := appealLevels[a.AppealLevel]; l != "" {
		s += " (" + l + ")"
	}
	return s
}

// AppealInfo is HMRC's appeal record.
type AppealInfo = hmrc.AppealInformation

// lspStatus says where a point stands.
func lspStatus(d hmrc.LateSubmissionDetails) string {
	if d.PenaltyStatus == "inactive" {
		if w := expiryWords[d.ExpiryReason]; w != "" {
			return w
		}
		return "inactive"
	}
	return d.PenaltyStatus
}

// lppStatus follows HMRC's online account: an accruing penalty is an estimate that keeps growing
// until the VAT is paid; a posted one is due until paid.
func lppStatus(d hmrc.LatePaymentDetails) (string, bool) {
	if d.PenaltyStatus == "accruing" {
		return "estimate", true
	}
	if d.PenaltyAmountOutstanding != nil && *d.PenaltyAmountOutstanding > 0 {
		return "due", true
	}
	if d.PenaltyStatus == "posted" {
		return "paid", false
	}
	return d.PenaltyStatus, false
}

func lppAmount(d hmrc.LatePaymentDetails) vatreturn.Money {
	if d.PenaltyStatus == "accruing" {
		return d.PenaltyAmountAccruing
	}
	return d.PenaltyAmountPosted
}

// nextRef is the charge whose financial details explain the penalty: its own charge once HMRC
// has raised it, else the VAT charge it is growing on.
func nextRef(d hmrc.LatePaymentDetails) string {
	if d.PenaltyChargeReference != "" {
		return d.PenaltyChargeReference
	}
	return d.PrincipalChargeReference
}

func period(from, to hmrc.Date) string {
	if from.IsZero() {
		return ""
	}
	return cmdutil.PeriodLabel(hmrc.Obligation{Start: from, End: to})
}

// flatView is one row per penalty, for CSV.
func flatView(p *hmrc.Penalties) cmdutil.View {
	v := cmdutil.View{
		Headers: []string{"kind", "penaltyNumber", "penaltyCategory", "penaltyStatus", "periodFrom", "periodTo",
			"periodDueDate", "returnReceiptDate", "penaltyExpiryDate", "amount", "outstanding", "dueDate",
			"chargeReference", "principalChargeReference", "appealStatus", "next"},
		Empty: "HMRC holds no penalties for the last 24 months",
	}
	if p.LateSubmissionPenalty != nil {
		for _, d := range p.LateSubmissionPenalty.Details {
			var ls hmrc.LateSubmission
			if len(d.LateSubmissions) > 0 {
				ls = d.LateSubmissions[0]
			}
			next := ""
			if d.ChargeReference != "" {
				next = "vat financial-details " + d.ChargeReference
			}
			v.Rows = append(v.Rows, []cmdutil.Cell{
				cmdutil.TextCell("late-submission"), cmdutil.TextCell(d.PenaltyNumber), cmdutil.TextCell(d.PenaltyCategory),
				cmdutil.TextCell(d.PenaltyStatus), cmdutil.DateCell(ls.TaxPeriodStartDate), cmdutil.DateCell(ls.TaxPeriodEndDate),
				cmdutil.DateCell(ls.TaxPeriodDueDate), cmdutil.DateCell(ls.ReturnReceiptDate), cmdutil.DateCell(d.PenaltyExpiryDate),
				cmdutil.MoneyPtrCell(d.ChargeAmount), cmdutil.MoneyPtrCell(d.ChargeOutstandingAmount), cmdutil.DateCell(d.ChargeDueDate),
				cmdutil.TextCell(d.ChargeReference), cmdutil.TextCell(""), cmdutil.TextCell(appealStatus(d.AppealInformation)), cmdutil.TextCell(next),
			})
		}
	}
	if p.LatePaymentPenalty != nil {
		for _, d := range p.LatePaymentPenalty.Details {
			v.Rows = append(v.Rows, []cmdutil.Cell{
				cmdutil.TextCell("late-payment"), cmdutil.TextCell(""), cmdutil.TextCell(d.PenaltyCategory),
				cmdutil.TextCell(d.PenaltyStatus), cmdutil.DateCell(d.PrincipalChargeBillingFrom), cmdutil.DateCell(d.PrincipalChargeBillingTo),
				cmdutil.DateCell(d.PrincipalChargeDueDate), {}, {},
				cmdutil.MoneyCell(lppAmount(d)), cmdutil.MoneyPtrCell(d.PenaltyAmountOutstanding), cmdutil.DateCell(d.PenaltyChargeDueDate),
				cmdutil.TextCell(d.PenaltyChargeReference), cmdutil.TextCell(d.PrincipalChargeReference),
				cmdutil.TextCell(appealStatus(d.AppealInformation)), cmdutil.TextCell("vat financial-details " + nextRef(d)),
			})
		}
	}
	return v
}

func appealStatus(ai []hmrc.AppealInformation) string {
	if len(ai) == 0 {
		return ""
	}
	return ai[len(ai)-1].AppealStatus
}

// writeReport is the view for people: points, penalties, then what to do.
func writeReport(w io.Writer, st *ui.Styles, tty bool, width int, p *hmrc.Penalties) error {
	var payable, growing vatreturn.Money
	var next []chargeLine
	appealable := false
	// At a terminal a paragraph wraps to its width; piped, each stays on one line, so that grep
	// finds a sentence whole and a URL stays next to what it is for.
	pw := width
	if !tty {
		pw = 0
	}

	fmt.Fprintln(w, st.Title.Render("Late submission penalties"))
	lsp := p.LateSubmissionPenalty
	if lsp == nil || (lsp.Summary.ActivePenaltyPoints == 0 && len(lsp.Details) == 0) {
		ui.Prosef(w, pw, "You have no penalty points for late VAT Returns.")
	} else {
		s := lsp.Summary
		ui.Prosef(w, pw, "You have %d penalty point%s. The penalty threshold is %d points.", s.ActivePenaltyPoints, plural(s.ActivePenaltyPoints), s.RegimeThreshold)
		switch {
		case s.RegimeThreshold > 0 && s.ActivePenaltyPoints >= s.RegimeThreshold:
			ui.Prosef(w, pw, "%s", st.Bad.Render(fmt.Sprintf("You have reached the threshold: each late return now brings a %s penalty.", lspCharge.GBP())))
			if s.PenaltyChargeAmount > 0 {
				ui.Prosef(w, pw, "Penalties charged for late returns so far: %s.", s.PenaltyChargeAmount.GBP())
			}
			if !s.PeriodOfComplianceAchievement.IsZero() && s.PeriodOfComplianceAchievement.Y < 9999 {
				ui.Prosef(w, pw, "Your points are removed once you have submitted every return on time, and cleared what is owed, up to %s (the period of compliance).", cmdutil.HumanDate(s.PeriodOfComplianceAchievement))
			} else {
				ui.Prosef(w, pw, "Your points are removed after a period of compliance: every return on time, and everything owed paid.")
			}
		case s.ActivePenaltyPoints > 0:
			ui.Prosef(w, pw, "Below the threshold, each point expires on the date shown. Reaching %d points brings a %s penalty for that return and each late one after it.", s.RegimeThreshold, lspCharge.GBP())
		default:
			ui.Prosef(w, pw, "None of your points is active.")
		}
		if s.InactivePenaltyPoints > 0 {
			ui.Prosef(w, pw, "%d earlier point%s no longer count%s.", s.InactivePenaltyPoints, plural(s.InactivePenaltyPoints), verbS(s.InactivePenaltyPoints))
		}
		if len(lsp.Details) > 0 {
			fmt.Fprintln(w)
			// On a narrow terminal the return's due date goes first, then the appeal, when the
			// return came in and when the point expires: which return, where the point stands
			// and its penalty are what the reader acts on.
			v := cmdutil.View{Headers: []string{"Point", "Return", "Due", "Received", "Status", "Expires", "Penalty", "Appeal"}, Right: map[int]bool{6: true},
				Priority: map[int]int{2: 1, 7: 2, 3: 3, 5: 4}, More: "-o csv"}
			for _, d := range lsp.Details {
				var ls hmrc.LateSubmission
				if len(d.LateSubmissions) > 0 {
					ls = d.LateSubmissions[0]
				}
				received := cmdutil.DateCell(ls.ReturnReceiptDate)
				if ls.ReturnReceiptDate.IsZero() && d.PenaltyStatus == "active" {
					received = cmdutil.Cell{Text: "not received", Alert: true}
				}
				charge := cmdutil.Cell{}
				if d.ChargeAmount != nil {
					charge = cmdutil.MoneyCell(*d.ChargeAmount)
					if d.ChargeOutstandingAmount != nil && *d.ChargeOutstandingAmount > 0 {
						charge.Alert = true
						payable += *d.ChargeOutstandingAmount
						charge.Text += " unpaid"
					}
				}
				if d.ChargeReference != "" {
					next = append(next, chargeLine{d.ChargeReference, fmt.Sprintf("the %s penalty for %s", moneyOr(d.ChargeAmount), period(ls.TaxPeriodStartDate, ls.TaxPeriodEndDate))})
				}
				if d.PenaltyStatus == "active" && canAppeal(d.AppealInformation) {
					appealable = true
				}
				v.Rows = append(v.Rows, []cmdutil.Cell{cmdutil.TextCell(strings.TrimLeft(d.PenaltyOrder, "0")),
					cmdutil.TextCell(period(ls.TaxPeriodStartDate, ls.TaxPeriodEndDate)), cmdutil.DateCell(ls.TaxPeriodDueDate), received,
					cmdutil.TextCell(lspStatus(d)), cmdutil.DateCell(d.PenaltyExpiryDate), charge, cmdutil.TextCell(appeal(d.AppealInformation))})
			}
			if err := v.Render(w, st, tty, width); err != nil {
				return err
			}
		}
	}
	ui.Prosef(w, pw, "How points and penalties work: %s", guideLateSubmission)

	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Title.Render("Late payment penalties"))
	if p.LatePaymentPenalty == nil || len(p.LatePaymentPenalty.Details) == 0 {
		ui.Prosef(w, pw, "You have no late payment penalties.")
	} else {
		// On a narrow terminal the VAT's due date goes first (the period says which VAT it
		// is), then the appeal, then the charge reference, which "Details of each charge"
		// lists anyway.
		v := cmdutil.View{Headers: []string{"Penalty", "VAT for", "VAT due", "Status", "Amount", "Unpaid", "Charge", "Appeal"}, Right: map[int]bool{4: true, 5: true},
			Priority: map[int]int{2: 1, 7: 2, 6: 3}, More: "-o csv"}
		seen := map[string]bool{}
		for _, d := range p.LatePaymentPenalty.Details {
			status, alert := lppStatus(d)
			amount := cmdutil.MoneyCell(lppAmount(d))
			outstanding := cmdutil.MoneyPtrCell(d.PenaltyAmountOutstanding)
			switch {
			case d.PenaltyStatus == "accruing":
				growing += d.PenaltyAmountAccruing
				outstanding = cmdutil.TextCell("")
			case d.PenaltyAmountOutstanding != nil && *d.PenaltyAmountOutstanding > 0:
				payable += *d.PenaltyAmountOutstanding
				outstanding.Alert = true
			}
			if canAppeal(d.AppealInformation) && d.PenaltyStatus == "posted" {
				appealable = true
			}
			ref := d.PenaltyChargeReference
			if ref == "" {
				ref = "not charged yet"
			}
			what := fmt.Sprintf("the %s on the VAT for %s", lppName(d.PenaltyCategory), period(d.PrincipalChargeBillingFrom, d.PrincipalChargeBillingTo))
			if d.PenaltyChargeReference == "" {
				what = fmt.Sprintf("the unpaid VAT for %s, on which late payment penalties are growing", period(d.PrincipalChargeBillingFrom, d.PrincipalChargeBillingTo))
			}
			if !seen[nextRef(d)] {
				seen[nextRef(d)] = true
				next = append(next, chargeLine{nextRef(d), what})
			}
			v.Rows = append(v.Rows, []cmdutil.Cell{cmdutil.TextCell(lppShort(d.PenaltyCategory)),
				cmdutil.TextCell(period(d.PrincipalChargeBillingFrom, d.PrincipalChargeBillingTo)), cmdutil.DateCell(d.PrincipalChargeDueDate),
				{Text: status, Alert: alert}, amount, outstanding, cmdutil.TextCell(ref), cmdutil.TextCell(appeal(d.AppealInformation))})
		}
		if err := v.Render(w, st, tty, width); err != nil {
			return err
		}
	}
	ui.Prosef(w, pw, "How late payment penalties work: %s", guideLatePayment)

	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Title.Render("What to do"))
	if payable > 0 {
		ui.Prosef(w, pw, "%s Pay it at %s (if you cannot pay in full: %s).", st.Bad.Render(fmt.Sprintf("%s of penalties is payable now.", payable.GBP())), payVAT, cannotPay)
	} else {
		ui.Prosef(w, pw, "No penalty is payable now.")
	}
	if growing > 0 {
		ui.Prosef(w, pw, "%s is an estimate of penalties still growing on VAT not yet paid: paying that VAT now (%s) stops them growing; HMRC then charges the final amount.", growing.GBP(), payVAT)
	}
	if appealable {
		ui.Prosef(w, pw, "If you had a reasonable excuse, you can ask HMRC to review a penalty or appeal against it, usually within 30 days of the penalty notice: %s", appealPenalty)
	}
	if len(next) > 0 {
		fmt.Fprintln(w)
		ui.Prosef(w, pw, "Details of each charge:")
		// Either every command is followed by its comment, or, when one of those lines would
		// be wider than the terminal, every comment goes above its command.
		above := false
		for _, n := range next {
			above = above || (pw > 0 && ansi.StringWidth(n.line()) > pw)
		}
		for _, n := range next {
			n.write(w, pw, above)
		}
	}
	return nil
}

// chargeLine is a line of "Details of each charge": the command and what it shows.
type chargeLine struct{ ref, what string }

func (c chargeLine) cmd() string  { return "  vat financial-details " + c.ref }
func (c chargeLine) line() string { return c.cmd() + "   # " + c.what }

// write prints the command with what it shows as a shell comment after it, or above it, wrapped
// to width, so that the command itself can still be copied whole.
func (c chargeLine) write(w io.Writer, width int, above bool) {
	if !above {
		fmt.Fprintln(w, c.line())
		return
	}
	for _, l := range strings.Split(ui.WrapProse(c.what, width-4), "\n") {
		fmt.Fprintln(w, "  # "+l)
	}
	fmt.Fprintln(w, c.cmd())
}

func canAppeal(ai []hmrc.AppealInformation) bool {
	for _, a := range ai {
		if a.AppealStatus == "cannot-be-appealed" || a.AppealStatus == "under-appeal" || a.AppealStatus == "appeal-upheld" {
			return false
		}
	}
	return true
}

func moneyOr(m *vatreturn.Money) string {
	if m == nil {
		return ""
	}
	return m.GBP()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func verbS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}
